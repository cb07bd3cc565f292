# The mining interface (Core's `ipc/capnp/mining.capnp`): chain tip, block templates,
# block checks and submission, for Stratum v2 template providers and other miners.
# It is the union of Umkoin Core's and Bitcoin Core's newest schema:
# `BlockTemplate @7` stays Umkoin's `submitSolution` answering `(result :Bool)` (here
# `submitSolutionOld`), `@10` is Bitcoin Core's `submitSolution` with a reject reason.
#
# Wire-compatible with Umkoin Core and Bitcoin Core: the file id, every interface and
# struct id, method ordinal, field ordinal, type and default here must not change (see
# ipc-wire.md; tests/wire.rs checks them).

@0xc77d03df6a41b505;

using Proxy = import "proxy.capnp";
using Common = import "common.capnp";
using Rust = import "rust.capnp";

const maxMoney :Int64 = 2100000000000000;
const maxDouble :Float64 = 1.7976931348623157e308;
const defaultBlockReservedWeight :UInt32 = 8000;
const defaultCoinbaseOutputMaxAdditionalSigops :UInt32 = 400;

interface Mining @0xf9c68436df3af39e {
  isTestChain @0 (context :Proxy.Context) -> (result :Bool);
  isInitialBlockDownload @1 (context :Proxy.Context) -> (result :Bool);
  getTip @2 (context :Proxy.Context) -> (result :Common.BlockRef, hasResult :Bool);
  waitTipChanged @3 (context :Proxy.Context, currentTip :Data, timeout :Float64 = .maxDouble)
      -> (result :Common.BlockRef $Rust.nullable);
  createNewBlock @4 (context :Proxy.Context, options :BlockCreateOptions, cooldown :Bool = true)
      -> (result :BlockTemplate $Rust.nullable);
  checkBlock @5 (context :Proxy.Context, block :Data, options :BlockCheckOptions)
      -> (reason :Text, debug :Text, result :Bool);
  interrupt @6 () -> ();
  submitBlock @7 (context :Proxy.Context, block :Data)
      -> (reason :Text, debug :Text, result :Bool);
  getTransactionsByTxID @8 (context :Proxy.Context, txids :List(Data)) -> (result :List(Data));
  getTransactionsByWitnessID @9 (context :Proxy.Context, wtxids :List(Data))
      -> (result :List(Data));
}

interface BlockTemplate @0xf9671ad841b2f622 {
  destroy @0 (context :Proxy.Context) -> ();
  getBlockHeader @1 (context :Proxy.Context) -> (result :Data);
  getBlock @2 (context :Proxy.Context) -> (result :Data);
  getTxFees @3 (context :Proxy.Context) -> (result :List(Int64));
  getTxSigops @4 (context :Proxy.Context) -> (result :List(Int64));
  getCoinbaseTx @5 (context :Proxy.Context) -> (result :CoinbaseTx);
  getCoinbaseMerklePath @6 (context :Proxy.Context) -> (result :List(Data));
  # Umkoin Core's `submitSolution` (Bitcoin Core made @7 an error); the name is ours.
  submitSolutionOld @7 (context :Proxy.Context, version :UInt32, timestamp :UInt32,
      nonce :UInt32, coinbase :Data) -> (result :Bool);
  waitNext @8 (context :Proxy.Context, options :BlockWaitOptions) -> (result :BlockTemplate $Rust.nullable);
  interruptWait @9 () -> ();
  # Bitcoin Core's `submitSolution`, with the reject reason.
  submitSolution @10 (context :Proxy.Context, version :UInt32, timestamp :UInt32,
      nonce :UInt32, coinbase :Data) -> (reason :Text, debug :Text, result :Bool);
}

struct BlockCreateOptions @0x80fca083ef81a559 {
  useMempool @0 :Bool = true;
  blockReservedWeight @1 :UInt64 = .defaultBlockReservedWeight;
  coinbaseOutputMaxAdditionalSigops @2 :UInt64 = .defaultCoinbaseOutputMaxAdditionalSigops;
}

struct BlockWaitOptions @0x9ba437d9de0c452e {
  timeout @0 :Float64 = .maxDouble;
  feeThreshold @1 :Int64 = .maxMoney;
}

struct BlockCheckOptions @0x89f3f39b6c9dd162 {
  checkMerkleRoot @0 :Bool = true;
  checkPow @1 :Bool = true;
}

struct CoinbaseTx @0xdc399c6d34ae7e69 {
  version @0 :UInt32;
  sequence @1 :UInt32;
  scriptSigPrefix @2 :Data;
  witness @3 :Data;
  blockRewardRemaining @4 :Int64;
  requiredOutputs @5 :List(Data);
  lockTime @6 :UInt32;
}
