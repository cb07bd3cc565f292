# The test interface that echoes a string (Core's `ipc/capnp/echo.capnp`).
#
# Wire-compatible with Umkoin Core and Bitcoin Core: the file id, the interface id,
# method ordinals, field ordinals, types and defaults here must not change (see
# ipc-wire.md; tests/wire.rs checks them).

@0x888b4f7f51e691f7;

using Proxy = import "proxy.capnp";

interface Echo @0xd36b89640dc94399 {
  destroy @0 (context :Proxy.Context) -> ();
  echo @1 (context :Proxy.Context, echo :Text) -> (result :Text);
}
