# umkoin-rs's own interfaces, not Core's. `UmkoinInit` is the bootstrap capability a
# umkoin-rs process serves: it extends Core's `Init`, so Core's clients reach
# `Init @0..@4` by `Init`'s interface id, while our own bootstrap methods (`makeNode`,
# `makeChain`, ...) take `UmkoinInit`'s ordinals and can never clash with the ones
# Core adds to `Init`. Ids here are ours (from `capnp id`) and must differ from Core's.

@0xcec5d1f346224613;

using Proxy = import "proxy.capnp";
using Init = import "init.capnp";

interface UmkoinInit @0xeecf834b1a0f1fe1 extends(Init.Init) {
  # The version of the umkoin-rs process serving this interface.
  version @0 (context :Proxy.Context) -> (result :Text);
}
