//! The text `help <command>` prints for each command, as Umkoin Core v31.0 prints it.
//! This is interface text (users and tests read it), kept verbatim as data; the
//! argument lists that drive parsing live beside each command in its module.

/// `help help`.
pub const HELP: &str = r#"help ( "command" )

List all commands, or get help for a specified command.

Arguments:
1. command    (string, optional, default=all commands) The command to get help on

Result:
"str"    (string) The help text
"#;

/// `help stop`.
pub const STOP: &str = r#"stop

Request a graceful shutdown of Umkoin Core.

Result:
"str"    (string) A string with the content 'Umkoin Core stopping'
"#;

/// `help uptime`.
pub const UPTIME: &str = r#"uptime

Returns the total uptime of the server.

Result:
n    (numeric) The number of seconds that the server has been running

Examples:
> umkoin-cli uptime 
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "uptime", "params": []}' -H 'content-type: application/json' http://127.0.0.1:6332/
"#;

/// `help echo`.
pub const ECHO: &str = r#"echo ( "arg0" "arg1" "arg2" "arg3" "arg4" "arg5" "arg6" "arg7" "arg8" "arg9" )

Simply echo back the input arguments. This command is for testing.

It will return an internal bug report when arg9='trigger_internal_bug' is passed.

The difference between echo and echojson is that echojson has argument conversion enabled in the client-side table in umkoin-cli and the GUI. There is no server-side difference.

Arguments:
1. arg0     (string, optional)
2. arg1     (string, optional)
3. arg2     (string, optional)
4. arg3     (string, optional)
5. arg4     (string, optional)
6. arg5     (string, optional)
7. arg6     (string, optional)
8. arg7     (string, optional)
9. arg8     (string, optional)
10. arg9    (string, optional)
"#;

/// `help echojson`.
pub const ECHOJSON: &str = r#"echojson ( "arg0" "arg1" "arg2" "arg3" "arg4" "arg5" "arg6" "arg7" "arg8" "arg9" )

Simply echo back the input arguments. This command is for testing.

It will return an internal bug report when arg9='trigger_internal_bug' is passed.

The difference between echo and echojson is that echojson has argument conversion enabled in the client-side table in umkoin-cli and the GUI. There is no server-side difference.

Arguments:
1. arg0     (string, optional)
2. arg1     (string, optional)
3. arg2     (string, optional)
4. arg3     (string, optional)
5. arg4     (string, optional)
6. arg5     (string, optional)
7. arg6     (string, optional)
8. arg7     (string, optional)
9. arg8     (string, optional)
10. arg9    (string, optional)
"#;

/// `help getrpcinfo`.
pub const GETRPCINFO: &str = r#"getrpcinfo

Returns details of the RPC server.

Result:
{                          (json object)
  "active_commands" : [    (json array) All active commands
    {                      (json object) Information about an active command
      "method" : "str",    (string) The name of the RPC command
      "duration" : n       (numeric) The running time in microseconds
    },
    ...
  ],
  "logpath" : "str"        (string) The complete file path to the debug log
}

Examples:
> umkoin-cli getrpcinfo 
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "getrpcinfo", "params": []}' -H 'content-type: application/json' http://127.0.0.1:6332/
"#;

/// `help logging`.
pub const LOGGING: &str = r#"logging ( ["include_category",...] ["exclude_category",...] )

Gets and sets the logging configuration.
When called without an argument, returns the list of categories with status that are currently being debug logged or not.
When called with arguments, adds or removes categories from debug logging and return the lists above.
The arguments are evaluated in order "include", "exclude".
If an item is both included and excluded, it will thus end up being excluded.
The valid logging categories are: addrman, bench, blockstorage, cmpctblock, coindb, estimatefee, http, i2p, ipc, kernel, leveldb, libevent, mempool, mempoolrej, net, privatebroadcast, proxy, prune, qt, rand, reindex, rpc, scan, selectcoins, tor, txpackages, txreconciliation, validation, walletdb, zmq
In addition, the following are available as category names with special meanings:
  - "all",  "1" : represent all logging categories.

Arguments:
1. include                    (json array, optional) The categories to add to debug logging
     [
       "include_category",    (string) the valid logging category
       ...
     ]
2. exclude                    (json array, optional) The categories to remove from debug logging
     [
       "exclude_category",    (string) the valid logging category
       ...
     ]

Result:
{                             (json object) keys are the logging categories, and values indicates its status
  "category" : true|false,    (boolean) if being debug logged or not. false:inactive, true:active
  ...
}

Examples:
> umkoin-cli logging "[\"all\"]" "[\"http\"]"
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "logging", "params": [["all"], ["libevent"]]}' -H 'content-type: application/json' http://127.0.0.1:6332/
"#;

/// `help getblockcount`.
pub const GETBLOCKCOUNT: &str = r#"getblockcount

Returns the height of the most-work fully-validated chain.
The genesis block has height 0.

Result:
n    (numeric) The current block count

Examples:
> umkoin-cli getblockcount 
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "getblockcount", "params": []}' -H 'content-type: application/json' http://127.0.0.1:6332/
"#;

/// `help getbestblockhash`.
pub const GETBESTBLOCKHASH: &str = r#"getbestblockhash

Returns the hash of the best (tip) block in the most-work fully-validated chain.

Result:
"hex"    (string) the block hash, hex-encoded

Examples:
> umkoin-cli getbestblockhash 
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "getbestblockhash", "params": []}' -H 'content-type: application/json' http://127.0.0.1:6332/
"#;

/// `help getblockhash`.
pub const GETBLOCKHASH: &str = r#"getblockhash height

Returns hash of block in best-block-chain at height provided.

Arguments:
1. height    (numeric, required) The height index

Result:
"hex"    (string) The block hash

Examples:
> umkoin-cli getblockhash 1000
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "getblockhash", "params": [1000]}' -H 'content-type: application/json' http://127.0.0.1:6332/
"#;

/// `help getblockheader`.
pub const GETBLOCKHEADER: &str = r#"getblockheader "blockhash" ( verbose )

If verbose is false, returns a string that is serialized, hex-encoded data for blockheader 'hash'.
If verbose is true, returns an Object with information about blockheader <hash>.

Arguments:
1. blockhash    (string, required) The block hash
2. verbose      (boolean, optional, default=true) true for a json object, false for the hex-encoded data

Result (for verbose = true):
{                                 (json object)
  "hash" : "hex",                 (string) the block hash (same as provided)
  "confirmations" : n,            (numeric) The number of confirmations, or -1 if the block is not on the main chain
  "height" : n,                   (numeric) The block height or index
  "version" : n,                  (numeric) The block version
  "versionHex" : "hex",           (string) The block version formatted in hexadecimal
  "merkleroot" : "hex",           (string) The merkle root
  "time" : xxx,                   (numeric) The block time expressed in UNIX epoch time
  "mediantime" : xxx,             (numeric) The median block time expressed in UNIX epoch time
  "nonce" : n,                    (numeric) The nonce
  "bits" : "hex",                 (string) nBits: compact representation of the block difficulty target
  "target" : "hex",               (string) The difficulty target
  "difficulty" : n,               (numeric) The difficulty
  "chainwork" : "hex",            (string) Expected number of hashes required to produce the current chain
  "nTx" : n,                      (numeric) The number of transactions in the block
  "previousblockhash" : "hex",    (string, optional) The hash of the previous block (if available)
  "nextblockhash" : "hex"         (string, optional) The hash of the next block (if available)
}

Result (for verbose=false):
"hex"    (string) A string that is serialized, hex-encoded data for block 'hash'

Examples:
> umkoin-cli getblockheader "00000000c937983704a73af28acdec37b049d214adbda81d7e2a3dd146f6ed09"
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "getblockheader", "params": ["00000000c937983704a73af28acdec37b049d214adbda81d7e2a3dd146f6ed09"]}' -H 'content-type: application/json' http://127.0.0.1:6332/
"#;

/// `help getblockchaininfo`.
pub const GETBLOCKCHAININFO: &str = r#"getblockchaininfo

Returns an object containing various state info regarding blockchain processing.

Result:
{                                         (json object)
  "chain" : "str",                        (string) current network name (main, test, testnet4, signet, regtest)
  "blocks" : n,                           (numeric) the height of the most-work fully-validated chain. The genesis block has height 0
  "headers" : n,                          (numeric) the current number of headers we have validated
  "bestblockhash" : "str",                (string) the hash of the currently best block
  "bits" : "hex",                         (string) nBits: compact representation of the block difficulty target
  "target" : "hex",                       (string) The difficulty target
  "difficulty" : n,                       (numeric) the current difficulty
  "time" : xxx,                           (numeric) The block time expressed in UNIX epoch time
  "mediantime" : xxx,                     (numeric) The median block time expressed in UNIX epoch time
  "verificationprogress" : n,             (numeric) estimate of verification progress [0..1]
  "initialblockdownload" : true|false,    (boolean) (debug information) estimate of whether this node is in Initial Block Download mode
  "chainwork" : "hex",                    (string) total amount of work in active chain, in hexadecimal
  "size_on_disk" : n,                     (numeric) the estimated size of the block and undo files on disk
  "pruned" : true|false,                  (boolean) if the blocks are subject to pruning
  "pruneheight" : n,                      (numeric, optional) the first block unpruned, all previous blocks were pruned (only present if pruning is enabled)
  "automatic_pruning" : true|false,       (boolean, optional) whether automatic pruning is enabled (only present if pruning is enabled)
  "prune_target_size" : n,                (numeric, optional) the target size used by pruning (only present if automatic pruning is enabled)
  "signet_challenge" : "hex",             (string, optional) the block challenge (aka. block script), in hexadecimal (only present if the current network is a signet)
  "warnings" : [                          (json array) any network and blockchain warnings (run with `-deprecatedrpc=warnings` to return the latest warning as a single string)
    "str",                                (string) warning
    ...
  ]
}

Examples:
> umkoin-cli getblockchaininfo 
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "getblockchaininfo", "params": []}' -H 'content-type: application/json' http://127.0.0.1:6332/
"#;

/// `help getmempoolinfo`.
pub const GETMEMPOOLINFO: &str = r#"getmempoolinfo

Returns details on the active state of the TX memory pool.

Result:
{                                       (json object)
  "loaded" : true|false,                (boolean) True if the initial load attempt of the persisted mempool finished
  "size" : n,                           (numeric) Current tx count
  "bytes" : n,                          (numeric) Sum of all virtual transaction sizes as defined in BIP 141. Differs from actual serialized size because witness data is discounted
  "usage" : n,                          (numeric) Total memory usage for the mempool
  "total_fee" : n,                      (numeric) Total fees for the mempool in UMK, ignoring modified fees through prioritisetransaction
  "maxmempool" : n,                     (numeric) Maximum memory usage for the mempool
  "mempoolminfee" : n,                  (numeric) Minimum fee rate in UMK/kvB for tx to be accepted. Is the maximum of minrelaytxfee and minimum mempool fee
  "minrelaytxfee" : n,                  (numeric) Current minimum relay fee for transactions
  "incrementalrelayfee" : n,            (numeric) minimum fee rate increment for mempool limiting or replacement in UMK/kvB
  "unbroadcastcount" : n,               (numeric) Current number of transactions that haven't passed initial broadcast yet
  "fullrbf" : true|false,               (boolean) True if the mempool accepts RBF without replaceability signaling inspection (DEPRECATED)
  "permitbaremultisig" : true|false,    (boolean) True if the mempool accepts transactions with bare multisig outputs
  "maxdatacarriersize" : n,             (numeric) Maximum number of bytes that can be used by OP_RETURN outputs in the mempool
  "limitclustercount" : n,              (numeric) Maximum number of transactions that can be in a cluster (configured by -limitclustercount)
  "limitclustersize" : n,               (numeric) Maximum size of a cluster in virtual bytes (configured by -limitclustersize)
  "optimal" : true|false                (boolean) If the mempool is in a known-optimal transaction ordering
}

Examples:
> umkoin-cli getmempoolinfo 
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "getmempoolinfo", "params": []}' -H 'content-type: application/json' http://127.0.0.1:6332/
"#;

/// `help getrawmempool`.
pub const GETRAWMEMPOOL: &str = r#"getrawmempool ( verbose mempool_sequence )

Returns all transaction ids in memory pool as a json array of string transaction ids.

Hint: use getmempoolentry to fetch a specific transaction from the mempool.

Arguments:
1. verbose             (boolean, optional, default=false) True for a json object, false for array of transaction ids
2. mempool_sequence    (boolean, optional, default=false) If verbose=false, returns a json object with transaction list and mempool sequence number attached.

Result (for verbose = false):
[           (json array)
  "hex",    (string) The transaction id
  ...
]

Result (for verbose = true):
{                                         (json object)
  "transactionid" : {                     (json object)
    "vsize" : n,                          (numeric) virtual transaction size as defined in BIP 141. This is different from actual serialized size for witness transactions as witness data is discounted.
    "weight" : n,                         (numeric) transaction weight as defined in BIP 141.
    "time" : xxx,                         (numeric) local time transaction entered pool in seconds since 1 Jan 1970 GMT
    "height" : n,                         (numeric) block height when transaction entered pool
    "descendantcount" : n,                (numeric) number of in-mempool descendant transactions (including this one)
    "descendantsize" : n,                 (numeric) virtual transaction size of in-mempool descendants (including this one)
    "ancestorcount" : n,                  (numeric) number of in-mempool ancestor transactions (including this one)
    "ancestorsize" : n,                   (numeric) virtual transaction size of in-mempool ancestors (including this one)
    "chunkweight" : n,                    (numeric) sigops-adjusted weight (as defined in BIP 141 and modified by '-bytespersigop') of this transaction's chunk
    "wtxid" : "hex",                      (string) hash of serialized transaction, including witness data
    "fees" : {                            (json object)
      "base" : n,                         (numeric) transaction fee, denominated in UMK
      "modified" : n,                     (numeric) transaction fee with fee deltas used for mining priority, denominated in UMK
      "ancestor" : n,                     (numeric) transaction fees of in-mempool ancestors (including this one) with fee deltas used for mining priority, denominated in UMK
      "descendant" : n,                   (numeric) transaction fees of in-mempool descendants (including this one) with fee deltas used for mining priority, denominated in UMK
      "chunk" : n                         (numeric) transaction fees of chunk, denominated in UMK
    },
    "depends" : [                         (json array) unconfirmed transactions used as inputs for this transaction
      "hex",                              (string) parent transaction id
      ...
    ],
    "spentby" : [                         (json array) unconfirmed transactions spending outputs from this transaction
      "hex",                              (string) child transaction id
      ...
    ],
    "bip125-replaceable" : true|false,    (boolean) Whether this transaction signals BIP125 replaceability or has an unconfirmed ancestor signaling BIP125 replaceability. (DEPRECATED)
                                          
    "unbroadcast" : true|false            (boolean) Whether this transaction is currently unbroadcast (initial broadcast not yet acknowledged by any peers)
  },
  ...
}

Result (for verbose = false and mempool_sequence = true):
{                            (json object)
  "txids" : [                (json array)
    "hex",                   (string) The transaction id
    ...
  ],
  "mempool_sequence" : n     (numeric) The mempool sequence value.
}

Examples:
> umkoin-cli getrawmempool true
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "getrawmempool", "params": [true]}' -H 'content-type: application/json' http://127.0.0.1:6332/"#;

/// `help syncwithvalidationinterfacequeue`.
pub const SYNCWITHVALIDATIONINTERFACEQUEUE: &str = r#"syncwithvalidationinterfacequeue

Waits for the validation interface queue to catch up on everything that was there when we entered this function.

Result:
null    (json null)

Examples:
> umkoin-cli syncwithvalidationinterfacequeue 
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "syncwithvalidationinterfacequeue", "params": []}' -H 'content-type: application/json' http://127.0.0.1:6332/"#;

/// `help echoipc` (the examples name `echo`, as Core's do).
pub const ECHOIPC: &str = r#"echoipc "arg"

Echo back the input argument, passing it through a spawned process in a multiprocess build.
This command is for testing.

Arguments:
1. arg    (string, required) The string to echo

Result:
"str"    (string) The echoed string.

Examples:
> umkoin-cli echo "Hello world"
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "echo", "params": ["Hello world"]}' -H 'content-type: application/json' http://127.0.0.1:6332/
"#;

/// `help generatetoaddress`.
pub const GENERATETOADDRESS: &str = r#"generatetoaddress nblocks "address" ( maxtries )

Mine to a specified address and return the block hashes.

Arguments:
1. nblocks     (numeric, required) How many blocks are generated.
2. address     (string, required) The address to send the newly generated umkoin to.
3. maxtries    (numeric, optional, default=1000000) How many iterations to try.

Result:
[           (json array) hashes of blocks generated
  "hex",    (string) blockhash
  ...
]

Examples:

Generate 11 blocks to myaddress
> umkoin-cli generatetoaddress 11 "myaddress"
If you are using the Umkoin Core wallet, you can get a new address to send the newly generated umkoin to with:
> umkoin-cli getnewaddress 
"#;

/// `help setmocktime`.
pub const SETMOCKTIME: &str = r#"setmocktime timestamp

Set the local time to given timestamp (-regtest only)

Arguments:
1. timestamp    (numeric, required) UNIX epoch time
                Pass 0 to go back to using the system time.

Result:
null    (json null)
"#;

/// `help waitfornewblock`.
pub const WAITFORNEWBLOCK: &str = r#"waitfornewblock ( timeout "current_tip" )

Waits for any new block and returns useful info about it.

Returns the current block on timeout or exit.

Make sure to use no RPC timeout (umkoin-cli -rpcclienttimeout=0)

Arguments:
1. timeout        (numeric, optional, default=0) Time in milliseconds to wait for a response. 0 indicates no timeout.
2. current_tip    (string, optional) Method waits for the chain tip to differ from this.

Result:
{                    (json object)
  "hash" : "hex",    (string) The blockhash
  "height" : n       (numeric) Block height
}

Examples:
> umkoin-cli waitfornewblock 1000
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "waitfornewblock", "params": [1000]}' -H 'content-type: application/json' http://127.0.0.1:6332/
"#;

/// `help waitforblock`.
pub const WAITFORBLOCK: &str = r#"waitforblock "blockhash" ( timeout )

Waits for a specific new block and returns useful info about it.

Returns the current block on timeout or exit.

Make sure to use no RPC timeout (umkoin-cli -rpcclienttimeout=0)

Arguments:
1. blockhash    (string, required) Block hash to wait for.
2. timeout      (numeric, optional, default=0) Time in milliseconds to wait for a response. 0 indicates no timeout.

Result:
{                    (json object)
  "hash" : "hex",    (string) The blockhash
  "height" : n       (numeric) Block height
}

Examples:
> umkoin-cli waitforblock "0000000000079f8ef3d2c688c244eb7a4570b24c9ed7b4a8c619eb02596f8862" 1000
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "waitforblock", "params": ["0000000000079f8ef3d2c688c244eb7a4570b24c9ed7b4a8c619eb02596f8862", 1000]}' -H 'content-type: application/json' http://127.0.0.1:6332/
"#;

/// `help waitforblockheight`.
pub const WAITFORBLOCKHEIGHT: &str = r#"waitforblockheight height ( timeout )

Waits for (at least) block height and returns the height and hash
of the current tip.

Returns the current block on timeout or exit.

Make sure to use no RPC timeout (umkoin-cli -rpcclienttimeout=0)

Arguments:
1. height     (numeric, required) Block height to wait for.
2. timeout    (numeric, optional, default=0) Time in milliseconds to wait for a response. 0 indicates no timeout.

Result:
{                    (json object)
  "hash" : "hex",    (string) The blockhash
  "height" : n       (numeric) Block height
}

Examples:
> umkoin-cli waitforblockheight 100 1000
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "waitforblockheight", "params": [100, 1000]}' -H 'content-type: application/json' http://127.0.0.1:6332/
"#;

/// `help getdifficulty`.
pub const GETDIFFICULTY: &str = r#"getdifficulty

Returns the proof-of-work difficulty as a multiple of the minimum difficulty.

Result:
n    (numeric) the proof-of-work difficulty as a multiple of the minimum difficulty.

Examples:
> umkoin-cli getdifficulty 
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "getdifficulty", "params": []}' -H 'content-type: application/json' http://127.0.0.1:6332/
"#;

/// `help getchaintips`.
pub const GETCHAINTIPS: &str = r#"getchaintips

Return information about all known tips in the block tree, including the main chain as well as orphaned branches.

Result:
[                        (json array)
  {                      (json object)
    "height" : n,        (numeric) height of the chain tip
    "hash" : "hex",      (string) block hash of the tip
    "branchlen" : n,     (numeric) zero for main chain, otherwise length of branch connecting the tip to the main chain
    "status" : "str"     (string) status of the chain, "active" for the main chain
                         Possible values for status:
                         1.  "invalid"               This branch contains at least one invalid block
                         2.  "headers-only"          Not all blocks for this branch are available, but the headers are valid
                         3.  "valid-headers"         All blocks are available for this branch, but they were never fully validated
                         4.  "valid-fork"            This branch is not part of the active chain, but is fully validated
                         5.  "active"                This is the tip of the active main chain, which is certainly valid
  },
  ...
]

Examples:
> umkoin-cli getchaintips 
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "getchaintips", "params": []}' -H 'content-type: application/json' http://127.0.0.1:6332/
"#;

/// `help getblock`.
pub const GETBLOCK: &str = r#"getblock "blockhash" ( verbosity )

If verbosity is 0, returns a string that is serialized, hex-encoded data for block 'hash'.
If verbosity is 1, returns an Object with information about block <hash>.
If verbosity is 2, returns an Object with information about block <hash> and information about each transaction.
If verbosity is 3, returns an Object with information about block <hash> and information about each transaction, including prevout information for inputs (only for unpruned blocks in the current best chain).

Arguments:
1. blockhash    (string, required) The block hash
2. verbosity    (numeric, optional, default=1) 0 for hex-encoded data, 1 for a JSON object, 2 for JSON object with transaction data, and 3 for JSON object with transaction data including prevout information for inputs

Result (for verbosity = 0):
"hex"    (string) A string that is serialized, hex-encoded data for block 'hash'

Result (for verbosity = 1):
{                                 (json object)
  "hash" : "hex",                 (string) the block hash (same as provided)
  "confirmations" : n,            (numeric) The number of confirmations, or -1 if the block is not on the main chain
  "size" : n,                     (numeric) The block size
  "strippedsize" : n,             (numeric) The block size excluding witness data
  "weight" : n,                   (numeric) The block weight as defined in BIP 141
  "coinbase_tx" : {               (json object) Coinbase transaction metadata
    "version" : n,                (numeric) The coinbase transaction version
    "locktime" : n,               (numeric) The coinbase transaction's locktime (nLockTime)
    "sequence" : n,               (numeric) The coinbase input's sequence number (nSequence)
    "coinbase" : "hex",           (string) The coinbase input's script
    "witness" : "hex"             (string, optional) The coinbase input's first (and only) witness stack element, if present
  },
  "height" : n,                   (numeric) The block height or index
  "version" : n,                  (numeric) The block version
  "versionHex" : "hex",           (string) The block version formatted in hexadecimal
  "merkleroot" : "hex",           (string) The merkle root
  "tx" : [                        (json array) The transaction ids
    "hex",                        (string) The transaction id
    ...
  ],
  "time" : xxx,                   (numeric) The block time expressed in UNIX epoch time
  "mediantime" : xxx,             (numeric) The median block time expressed in UNIX epoch time
  "nonce" : n,                    (numeric) The nonce
  "bits" : "hex",                 (string) nBits: compact representation of the block difficulty target
  "target" : "hex",               (string) The difficulty target
  "difficulty" : n,               (numeric) The difficulty
  "chainwork" : "hex",            (string) Expected number of hashes required to produce the chain up to this block (in hex)
  "nTx" : n,                      (numeric) The number of transactions in the block
  "previousblockhash" : "hex",    (string, optional) The hash of the previous block (if available)
  "nextblockhash" : "hex"         (string, optional) The hash of the next block (if available)
}

Result (for verbosity = 2):
{                   (json object)
  ...,              Same output as verbosity = 1
  "tx" : [          (json array)
    {               (json object)
      ...,          The transactions in the format of the getrawtransaction RPC. Different from verbosity = 1 "tx" result
      "fee" : n     (numeric, optional) The transaction fee in UMK, omitted if block undo data is not available
    },
    ...
  ]
}

Result (for verbosity = 3):
{                                        (json object)
  ...,                                   Same output as verbosity = 2
  "tx" : [                               (json array)
    {                                    (json object)
      "vin" : [                          (json array)
        {                                (json object)
          ...,                           The same output as verbosity = 2
          "prevout" : {                  (json object) (Only if undo information is available)
            "generated" : true|false,    (boolean) Coinbase or not
            "height" : n,                (numeric) The height of the prevout
            "value" : n,                 (numeric) The value in UMK
            "scriptPubKey" : {           (json object)
              "asm" : "str",             (string) Disassembly of the output script
              "desc" : "str",            (string) Inferred descriptor for the output
              "hex" : "hex",             (string) The raw output script bytes, hex-encoded
              "address" : "str",         (string, optional) The Umkoin address (only if a well-defined address exists)
              "type" : "str"             (string) The type (one of: nonstandard, anchor, pubkey, pubkeyhash, scripthash, multisig, nulldata, witness_v0_scripthash, witness_v0_keyhash, witness_v1_taproot, witness_unknown)
            }
          }
        },
        ...
      ]
    },
    ...
  ]
}

Examples:
> umkoin-cli getblock "00000000c937983704a73af28acdec37b049d214adbda81d7e2a3dd146f6ed09"
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "getblock", "params": ["00000000c937983704a73af28acdec37b049d214adbda81d7e2a3dd146f6ed09"]}' -H 'content-type: application/json' http://127.0.0.1:6332/
"#;

/// `help gettxout`.
pub const GETTXOUT: &str = r#"gettxout "txid" n ( include_mempool )

Returns details about an unspent transaction output.

Arguments:
1. txid               (string, required) The transaction id
2. n                  (numeric, required) vout number
3. include_mempool    (boolean, optional, default=true) Whether to include the mempool. Note that an unspent output that is spent in the mempool won't appear.

Result (If the UTXO was not found):
null    (json null)

Result (Otherwise):
{                             (json object)
  "bestblock" : "hex",        (string) The hash of the block at the tip of the chain
  "confirmations" : n,        (numeric) The number of confirmations
  "value" : n,                (numeric) The transaction value in UMK
  "scriptPubKey" : {          (json object)
    "asm" : "str",            (string) Disassembly of the output script
    "desc" : "str",           (string) Inferred descriptor for the output
    "hex" : "hex",            (string) The raw output script bytes, hex-encoded
    "type" : "str",           (string) The type, eg pubkeyhash
    "address" : "str"         (string, optional) The Umkoin address (only if a well-defined address exists)
  },
  "coinbase" : true|false     (boolean) Coinbase or not
}

Examples:

Get unspent transactions
> umkoin-cli listunspent 

View the details
> umkoin-cli gettxout "txid" 1

As a JSON-RPC call
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "gettxout", "params": ["txid", 1]}' -H 'content-type: application/json' http://127.0.0.1:6332/
"#;

/// `help decoderawtransaction`.
pub const DECODERAWTRANSACTION: &str = r#"decoderawtransaction "hexstring" ( iswitness )

Return a JSON object representing the serialized, hex-encoded transaction.

Arguments:
1. hexstring    (string, required) The transaction hex string
2. iswitness    (boolean, optional, default=depends on heuristic tests) Whether the transaction hex is a serialized witness transaction.
                If iswitness is not present, heuristic tests will be used in decoding.
                If true, only witness deserialization will be tried.
                If false, only non-witness deserialization will be tried.
                This boolean should reflect whether the transaction has inputs
                (e.g. fully valid, or on-chain transactions), if known by the caller.

Result:
{                             (json object)
  "txid" : "hex",             (string) The transaction id
  "hash" : "hex",             (string) The transaction hash (differs from txid for witness transactions)
  "size" : n,                 (numeric) The serialized transaction size
  "vsize" : n,                (numeric) The virtual transaction size (differs from size for witness transactions)
  "weight" : n,               (numeric) The transaction's weight (between vsize*4-3 and vsize*4)
  "version" : n,              (numeric) The version
  "locktime" : xxx,           (numeric) The lock time
  "vin" : [                   (json array)
    {                         (json object)
      "coinbase" : "hex",     (string, optional) The coinbase value (only if coinbase transaction)
      "txid" : "hex",         (string, optional) The transaction id (if not coinbase transaction)
      "vout" : n,             (numeric, optional) The output number (if not coinbase transaction)
      "scriptSig" : {         (json object, optional) The script (if not coinbase transaction)
        "asm" : "str",        (string) Disassembly of the signature script
        "hex" : "hex"         (string) The raw signature script bytes, hex-encoded
      },
      "txinwitness" : [       (json array, optional)
        "hex",                (string) hex-encoded witness data (if any)
        ...
      ],
      "sequence" : n          (numeric) The script sequence number
    },
    ...
  ],
  "vout" : [                  (json array)
    {                         (json object)
      "value" : n,            (numeric) The value in UMK
      "n" : n,                (numeric) index
      "scriptPubKey" : {      (json object)
        "asm" : "str",        (string) Disassembly of the output script
        "desc" : "str",       (string) Inferred descriptor for the output
        "hex" : "hex",        (string) The raw output script bytes, hex-encoded
        "address" : "str",    (string, optional) The Umkoin address (only if a well-defined address exists)
        "type" : "str"        (string) The type (one of: nonstandard, anchor, pubkey, pubkeyhash, scripthash, multisig, nulldata, witness_v0_scripthash, witness_v0_keyhash, witness_v1_taproot, witness_unknown)
      }
    },
    ...
  ]
}

Examples:
> umkoin-cli decoderawtransaction "hexstring"
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "decoderawtransaction", "params": ["hexstring"]}' -H 'content-type: application/json' http://127.0.0.1:6332/
"#;

/// `help decodescript`.
pub const DECODESCRIPT: &str = r#"decodescript "hexstring"

Decode a hex-encoded script.

Arguments:
1. hexstring    (string, required) the hex-encoded script

Result:
{                             (json object)
  "asm" : "str",              (string) Disassembly of the script
  "desc" : "str",             (string) Inferred descriptor for the script
  "type" : "str",             (string) The output type (e.g. nonstandard, anchor, pubkey, pubkeyhash, scripthash, multisig, nulldata, witness_v0_scripthash, witness_v0_keyhash, witness_v1_taproot, witness_unknown)
  "address" : "str",          (string, optional) The Umkoin address (only if a well-defined address exists)
  "p2sh" : "str",             (string, optional) address of P2SH script wrapping this redeem script (not returned for types that should not be wrapped)
  "segwit" : {                (json object, optional) Result of a witness output script wrapping this redeem script (not returned for types that should not be wrapped)
    "asm" : "str",            (string) Disassembly of the output script
    "hex" : "hex",            (string) The raw output script bytes, hex-encoded
    "type" : "str",           (string) The type of the output script (e.g. witness_v0_keyhash or witness_v0_scripthash)
    "address" : "str",        (string, optional) The Umkoin address (only if a well-defined address exists)
    "desc" : "str",           (string) Inferred descriptor for the script
    "p2sh-segwit" : "str"     (string) address of the P2SH script wrapping this witness redeem script
  }
}

Examples:
> umkoin-cli decodescript "hexstring"
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "decodescript", "params": ["hexstring"]}' -H 'content-type: application/json' http://127.0.0.1:6332/
"#;

/// `help getmininginfo`.
pub const GETMININGINFO: &str = r#"getmininginfo

Returns a json object containing mining-related information.

Result:
{                                (json object)
  "blocks" : n,                  (numeric) The current block
  "currentblockweight" : n,      (numeric, optional) The block weight (including reserved weight for block header, txs count and coinbase tx) of the last assembled block (only present if a block was ever assembled)
  "currentblocktx" : n,          (numeric, optional) The number of block transactions (excluding coinbase) of the last assembled block (only present if a block was ever assembled)
  "bits" : "hex",                (string) The current nBits, compact representation of the block difficulty target
  "difficulty" : n,              (numeric) The current difficulty
  "target" : "hex",              (string) The current target
  "networkhashps" : n,           (numeric) The network hashes per second
  "pooledtx" : n,                (numeric) The size of the mempool
  "blockmintxfee" : n,           (numeric) Minimum feerate of packages selected for block inclusion in UMK/kvB
  "chain" : "str",               (string) current network name (main, test, testnet4, signet, regtest)
  "signet_challenge" : "hex",    (string, optional) The block challenge (aka. block script), in hexadecimal (only present if the current network is a signet)
  "next" : {                     (json object) The next block
    "height" : n,                (numeric) The next height
    "bits" : "hex",              (string) The next target nBits
    "difficulty" : n,            (numeric) The next difficulty
    "target" : "hex"             (string) The next target
  },
  "warnings" : [                 (json array) any network and blockchain warnings (run with `-deprecatedrpc=warnings` to return the latest warning as a single string)
    "str",                       (string) warning
    ...
  ]
}

Examples:
> umkoin-cli getmininginfo 
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "getmininginfo", "params": []}' -H 'content-type: application/json' http://127.0.0.1:6332/
"#;

/// `help getnetworkhashps`.
pub const GETNETWORKHASHPS: &str = r#"getnetworkhashps ( nblocks height )

Returns the estimated network hashes per second based on the last n blocks.
Pass in [blocks] to override # of blocks, -1 specifies since last difficulty change.
Pass in [height] to estimate the network speed at the time when a certain block was found.

Arguments:
1. nblocks    (numeric, optional, default=120) The number of previous blocks to calculate estimate from, or -1 for blocks since last difficulty change.
2. height     (numeric, optional, default=-1) To estimate at the time of the given height.

Result:
n    (numeric) Hashes per second estimated

Examples:
> umkoin-cli getnetworkhashps 
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "getnetworkhashps", "params": []}' -H 'content-type: application/json' http://127.0.0.1:6332/
"#;

/// `help getchaintxstats`.
pub const GETCHAINTXSTATS: &str = r#"getchaintxstats ( nblocks "blockhash" )

Compute statistics about the total number and rate of transactions in the chain.

Arguments:
1. nblocks      (numeric, optional, default=one month) Size of the window in number of blocks
2. blockhash    (string, optional, default=chain tip) The hash of the block that ends the window.

Result:
{                                       (json object)
  "time" : xxx,                         (numeric) The timestamp for the final block in the window, expressed in UNIX epoch time
  "txcount" : n,                        (numeric, optional) The total number of transactions in the chain up to that point, if known. It may be unknown when using assumeutxo.
  "window_final_block_hash" : "hex",    (string) The hash of the final block in the window
  "window_final_block_height" : n,      (numeric) The height of the final block in the window.
  "window_block_count" : n,             (numeric) Size of the window in number of blocks
  "window_interval" : n,                (numeric, optional) The elapsed time in the window in seconds. Only returned if "window_block_count" is > 0
  "window_tx_count" : n,                (numeric, optional) The number of transactions in the window. Only returned if "window_block_count" is > 0 and if txcount exists for the start and end of the window.
  "txrate" : n                          (numeric, optional) The average rate of transactions per second in the window. Only returned if "window_interval" is > 0 and if window_tx_count exists.
}

Examples:
> umkoin-cli getchaintxstats 
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "getchaintxstats", "params": [2016]}' -H 'content-type: application/json' http://127.0.0.1:6332/
"#;

/// `help submitblock`.
pub const SUBMITBLOCK: &str = r#"submitblock "hexdata" ( "dummy" )

Attempts to submit new block to network.
See https://en.bitcoin.it/wiki/BIP_0022 for full specification.

Arguments:
1. hexdata    (string, required) the hex-encoded block data to submit
2. dummy      (string, optional, default=ignored) dummy value, for compatibility with BIP22. This value is ignored.

Result (If the block was accepted):
null    (json null)

Result (Otherwise):
"str"    (string) According to BIP22

Examples:
> umkoin-cli submitblock "mydata"
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "submitblock", "params": ["mydata"]}' -H 'content-type: application/json' http://127.0.0.1:6332/
"#;

/// `help submitheader`.
pub const SUBMITHEADER: &str = r#"submitheader "hexdata"

Decode the given hexdata as a header and submit it as a candidate chain tip if valid.
Throws when the header is invalid.

Arguments:
1. hexdata    (string, required) the hex-encoded block header data

Result:
null    (json null) None

Examples:
> umkoin-cli submitheader "aabbcc"
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "submitheader", "params": ["aabbcc"]}' -H 'content-type: application/json' http://127.0.0.1:6332/
"#;

/// `help invalidateblock`.
pub const INVALIDATEBLOCK: &str = r#"invalidateblock "blockhash"

Permanently marks a block as invalid, as if it violated a consensus rule.

Arguments:
1. blockhash    (string, required) the hash of the block to mark as invalid

Result:
null    (json null)

Examples:
> umkoin-cli invalidateblock "blockhash"
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "invalidateblock", "params": ["blockhash"]}' -H 'content-type: application/json' http://127.0.0.1:6332/
"#;

/// `help reconsiderblock`.
pub const RECONSIDERBLOCK: &str = r#"reconsiderblock "blockhash"

Removes invalidity status of a block, its ancestors and its descendants, reconsider them for activation.
This can be used to undo the effects of invalidateblock.

Arguments:
1. blockhash    (string, required) the hash of the block to reconsider

Result:
null    (json null)

Examples:
> umkoin-cli reconsiderblock "blockhash"
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "reconsiderblock", "params": ["blockhash"]}' -H 'content-type: application/json' http://127.0.0.1:6332/
"#;

/// `help preciousblock`.
pub const PRECIOUSBLOCK: &str = r#"preciousblock "blockhash"

Treats a block as if it were received before others with the same work.

A later preciousblock call can override the effect of an earlier one.

The effects of preciousblock are not retained across restarts.

Arguments:
1. blockhash    (string, required) the hash of the block to mark as precious

Result:
null    (json null)

Examples:
> umkoin-cli preciousblock "blockhash"
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "preciousblock", "params": ["blockhash"]}' -H 'content-type: application/json' http://127.0.0.1:6332/
"#;

/// `help verifychain`.
pub const VERIFYCHAIN: &str = r#"verifychain ( checklevel nblocks )

Verifies blockchain database.

Arguments:
1. checklevel    (numeric, optional, default=3, range=0-4) How thorough the block verification is:
                 - level 0 reads the blocks from disk
                 - level 1 verifies block validity
                 - level 2 verifies undo data
                 - level 3 checks disconnection of tip blocks
                 - level 4 tries to reconnect the blocks
                 - each level includes the checks of the previous levels
2. nblocks       (numeric, optional, default=6, 0=all) The number of blocks to check.

Result:
true|false    (boolean) Verification finished successfully. If false, check debug.log for reason.

Examples:
> umkoin-cli verifychain 
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "verifychain", "params": []}' -H 'content-type: application/json' http://127.0.0.1:6332/
"#;

/// `help generateblock`.
pub const GENERATEBLOCK: &str = r#"generateblock "output" ["rawtx/txid",...] ( submit )

Mine a set of ordered transactions to a specified address or descriptor and return the block hash.

Arguments:
1. output               (string, required) The address or descriptor to send the newly generated umkoin to.
2. transactions         (json array, required) An array of hex strings which are either txids or raw transactions.
                        Txids must reference transactions currently in the mempool.
                        All transactions must be valid and in valid order, otherwise the block will be rejected.
     [
       "rawtx/txid",    (string)
       ...
     ]
3. submit               (boolean, optional, default=true) Whether to submit the block before the RPC call returns or to return it as hex.

Result:
{                    (json object)
  "hash" : "hex",    (string) hash of generated block
  "hex" : "hex"      (string, optional) hex of generated block, only present when submit=false
}

Examples:

Generate a block to myaddress, with txs rawtx and mempool_txid
> umkoin-cli generateblock "myaddress" '["rawtx", "mempool_txid"]'
"#;

/// `help generatetodescriptor`.
pub const GENERATETODESCRIPTOR: &str = r#"generatetodescriptor num_blocks "descriptor" ( maxtries )

Mine to a specified descriptor and return the block hashes.

Arguments:
1. num_blocks    (numeric, required) How many blocks are generated.
2. descriptor    (string, required) The descriptor to send the newly generated umkoin to.
3. maxtries      (numeric, optional, default=1000000) How many iterations to try.

Result:
[           (json array) hashes of blocks generated
  "hex",    (string) blockhash
  ...
]

Examples:

Generate 11 blocks to mydesc
> umkoin-cli generatetodescriptor 11 "mydesc"
"#;

/// `help gettxoutsetinfo`.
pub const GETTXOUTSETINFO: &str = r#"gettxoutsetinfo ( "hash_type" hash_or_height use_index )

Returns statistics about the unspent transaction output set.
Note this call may take some time if you are not using coinstatsindex.

Arguments:
1. hash_type         (string, optional, default="hash_serialized_3") Which UTXO set hash should be calculated. Options: 'hash_serialized_3' (the legacy algorithm), 'muhash', 'none'.
2. hash_or_height    (string or numeric, optional, default=the current best block) The block hash or height of the target height (only available with coinstatsindex).
3. use_index         (boolean, optional, default=true) Use coinstatsindex, if available.

Result:
{                                     (json object)
  "height" : n,                       (numeric) The block height (index) of the returned statistics
  "bestblock" : "hex",                (string) The hash of the block at which these statistics are calculated
  "txouts" : n,                       (numeric) The number of unspent transaction outputs
  "bogosize" : n,                     (numeric) Database-independent, meaningless metric indicating the UTXO set size
  "hash_serialized_3" : "hex",        (string, optional) The serialized hash (only present if 'hash_serialized_3' hash_type is chosen)
  "muhash" : "hex",                   (string, optional) The serialized hash (only present if 'muhash' hash_type is chosen)
  "transactions" : n,                 (numeric, optional) The number of transactions with unspent outputs (not available when coinstatsindex is used)
  "disk_size" : n,                    (numeric, optional) The estimated size of the chainstate on disk (not available when coinstatsindex is used)
  "total_amount" : n,                 (numeric) The total amount of coins in the UTXO set
  "total_unspendable_amount" : n,     (numeric, optional) The total amount of coins permanently excluded from the UTXO set (only available if coinstatsindex is used)
  "block_info" : {                    (json object, optional) Info on amounts in the block at this block height (only available if coinstatsindex is used)
    "prevout_spent" : n,              (numeric) Total amount of all prevouts spent in this block
    "coinbase" : n,                   (numeric) Coinbase subsidy amount of this block
    "new_outputs_ex_coinbase" : n,    (numeric) Total amount of new outputs created by this block
    "unspendable" : n,                (numeric) Total amount of unspendable outputs created in this block
    "unspendables" : {                (json object) Detailed view of the unspendable categories
      "genesis_block" : n,            (numeric) The unspendable amount of the Genesis block subsidy
      "bip30" : n,                    (numeric) Transactions overridden by duplicates (no longer possible with BIP30)
      "scripts" : n,                  (numeric) Amounts sent to scripts that are unspendable (for example OP_RETURN outputs)
      "unclaimed_rewards" : n         (numeric) Fee rewards that miners did not claim in their coinbase transaction
    }
  }
}

Examples:
> umkoin-cli gettxoutsetinfo 
> umkoin-cli gettxoutsetinfo "none"
> umkoin-cli gettxoutsetinfo "none" 1000
> umkoin-cli gettxoutsetinfo "none" '"00000000c937983704a73af28acdec37b049d214adbda81d7e2a3dd146f6ed09"'
> umkoin-cli -named gettxoutsetinfo hash_type='muhash' use_index='false'
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "gettxoutsetinfo", "params": []}' -H 'content-type: application/json' http://127.0.0.1:6332/
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "gettxoutsetinfo", "params": ["none"]}' -H 'content-type: application/json' http://127.0.0.1:6332/
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "gettxoutsetinfo", "params": ["none", 1000]}' -H 'content-type: application/json' http://127.0.0.1:6332/
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "gettxoutsetinfo", "params": ["none", "00000000c937983704a73af28acdec37b049d214adbda81d7e2a3dd146f6ed09"]}' -H 'content-type: application/json' http://127.0.0.1:6332/
"#;

/// `help savemempool`.
pub const SAVEMEMPOOL: &str = r#"savemempool

Dumps the mempool to disk. It will fail until the previous dump is fully loaded.

Result:
{                        (json object)
  "filename" : "str"     (string) the directory and file where the mempool was saved
}

Examples:
> umkoin-cli savemempool 
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "savemempool", "params": []}' -H 'content-type: application/json' http://127.0.0.1:6332/
"#;

/// `help getrawtransaction`.
pub const GETRAWTRANSACTION: &str = r#"getrawtransaction "txid" ( verbosity "blockhash" )

By default, this call only returns a transaction if it is in the mempool. If -txindex is enabled
and no blockhash argument is passed, it will return the transaction if it is in the mempool or any block.
If a blockhash argument is passed, it will return the transaction if
the specified block is available and the transaction is in that block.

Hint: Use gettransaction for wallet transactions.

If verbosity is 0 or omitted, returns the serialized transaction as a hex-encoded string.
If verbosity is 1, returns a JSON Object with information about the transaction.
If verbosity is 2, returns a JSON Object with information about the transaction, including fee and prevout information.

Arguments:
1. txid         (string, required) The transaction id
2. verbosity    (numeric, optional, default=0) 0 for hex-encoded data, 1 for a JSON object, and 2 for JSON object with fee and prevout
3. blockhash    (string, optional) The block in which to look for the transaction

Result (if verbosity is not set or set to 0):
"str"    (string) The serialized transaction as a hex-encoded string for 'txid'

Result (if verbosity is set to 1):
{                                    (json object)
  "in_active_chain" : true|false,    (boolean, optional) Whether specified block is in the active chain or not (only present with explicit "blockhash" argument)
  "blockhash" : "hex",               (string, optional) the block hash
  "confirmations" : n,               (numeric, optional) The confirmations
  "blocktime" : xxx,                 (numeric, optional) The block time expressed in UNIX epoch time
  "time" : n,                        (numeric, optional) Same as "blocktime"
  "hex" : "hex",                     (string) The serialized, hex-encoded data for 'txid'
  "txid" : "hex",                    (string) The transaction id (same as provided)
  "hash" : "hex",                    (string) The transaction hash (differs from txid for witness transactions)
  "size" : n,                        (numeric) The serialized transaction size
  "vsize" : n,                       (numeric) The virtual transaction size (differs from size for witness transactions)
  "weight" : n,                      (numeric) The transaction's weight (between vsize*4-3 and vsize*4)
  "version" : n,                     (numeric) The version
  "locktime" : xxx,                  (numeric) The lock time
  "vin" : [                          (json array)
    {                                (json object)
      "coinbase" : "hex",            (string, optional) The coinbase value (only if coinbase transaction)
      "txid" : "hex",                (string, optional) The transaction id (if not coinbase transaction)
      "vout" : n,                    (numeric, optional) The output number (if not coinbase transaction)
      "scriptSig" : {                (json object, optional) The script (if not coinbase transaction)
        "asm" : "str",               (string) Disassembly of the signature script
        "hex" : "hex"                (string) The raw signature script bytes, hex-encoded
      },
      "txinwitness" : [              (json array, optional)
        "hex",                       (string) hex-encoded witness data (if any)
        ...
      ],
      "sequence" : n                 (numeric) The script sequence number
    },
    ...
  ],
  "vout" : [                         (json array)
    {                                (json object)
      "value" : n,                   (numeric) The value in UMK
      "n" : n,                       (numeric) index
      "scriptPubKey" : {             (json object)
        "asm" : "str",               (string) Disassembly of the output script
        "desc" : "str",              (string) Inferred descriptor for the output
        "hex" : "hex",               (string) The raw output script bytes, hex-encoded
        "address" : "str",           (string, optional) The Umkoin address (only if a well-defined address exists)
        "type" : "str"               (string) The type (one of: nonstandard, anchor, pubkey, pubkeyhash, scripthash, multisig, nulldata, witness_v0_scripthash, witness_v0_keyhash, witness_v1_taproot, witness_unknown)
      }
    },
    ...
  ]
}

Result (for verbosity = 2):
{                                    (json object)
  ...,                               Same output as verbosity = 1
  "fee" : n,                         (numeric, optional) transaction fee in UMK, omitted if block undo data is not available
  "vin" : [                          (json array)
    {                                (json object) utxo being spent
      ...,                           Same output as verbosity = 1
      "prevout" : {                  (json object, optional) The previous output, omitted if block undo data is not available
        "generated" : true|false,    (boolean) Coinbase or not
        "height" : n,                (numeric) The height of the prevout
        "value" : n,                 (numeric) The value in UMK
        "scriptPubKey" : {           (json object)
          "asm" : "str",             (string) Disassembly of the output script
          "desc" : "str",            (string) Inferred descriptor for the output
          "hex" : "hex",             (string) The raw output script bytes, hex-encoded
          "address" : "str",         (string, optional) The Umkoin address (only if a well-defined address exists)
          "type" : "str"             (string) The type (one of: nonstandard, anchor, pubkey, pubkeyhash, scripthash, multisig, nulldata, witness_v0_scripthash, witness_v0_keyhash, witness_v1_taproot, witness_unknown)
        }
      }
    },
    ...
  ]
}

Examples:
> umkoin-cli getrawtransaction "mytxid"
> umkoin-cli getrawtransaction "mytxid" 1
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "getrawtransaction", "params": ["mytxid", 1]}' -H 'content-type: application/json' http://127.0.0.1:6332/
> umkoin-cli getrawtransaction "mytxid" 0 "myblockhash"
> umkoin-cli getrawtransaction "mytxid" 1 "myblockhash"
> umkoin-cli getrawtransaction "mytxid" 2 "myblockhash"
"#;
