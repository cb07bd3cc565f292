# The bootstrap interface a node serves on its IPC socket (Core's
# `ipc/capnp/init.capnp`): `construct` exchanges thread maps, the `make*` methods hand
# out the other interfaces. `makeMiningOld2 @2` only answers with Core's "Old mining
# interface (@2) not supported" exception. Our own bootstrap methods do not go here
# (Core will add `@5` and on): they live in `umkoin.capnp`'s `UmkoinInit`.
#
# Wire-compatible with Umkoin Core and Bitcoin Core: the file id, the interface id,
# method ordinals, field ordinals, types and defaults here must not change (see
# ipc-wire.md; tests/wire.rs checks them).

@0xf2c5cfa319406aa6;

using Proxy = import "proxy.capnp";
using Rust = import "rust.capnp";
using Echo = import "echo.capnp";
using Mining = import "mining.capnp";
using Rpc = import "rpc.capnp";

interface Init @0x8838c700ba5cba65 {
  construct @0 (threadMap :Proxy.ThreadMap) -> (threadMap :Proxy.ThreadMap) $Rust.construct;
  makeEcho @1 (context :Proxy.Context) -> (result :Echo.Echo);
  makeMiningOld2 @2 () -> ();
  makeMining @3 (context :Proxy.Context) -> (result :Mining.Mining);
  makeRpc @4 (context :Proxy.Context) -> (result :Rpc.Rpc);
}
