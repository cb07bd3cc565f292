# JSON-RPC over IPC (Core's `ipc/capnp/rpc.capnp`): a request as the HTTP server would
# get it at `uri`, answered with the JSON reply text.
#
# Wire-compatible with Umkoin Core: the file id, the interface id, method ordinals,
# field ordinals, types and defaults here must not change (see ipc-wire.md;
# tests/wire.rs checks them).

@0x9c3505dc45e146ac;

using Proxy = import "proxy.capnp";

interface Rpc @0xacb1d37f0a713129 {
  executeRpc @0 (context :Proxy.Context, request :Text, uri :Text, user :Text)
      -> (result :Text);
}
