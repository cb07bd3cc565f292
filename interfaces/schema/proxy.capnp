# Threads and call context of libmultiprocess (Core's `mp/proxy.capnp`): a client
# creates server threads through `ThreadMap` and names, in every call's `Context`,
# the thread that runs the call and the thread that runs its callbacks.
#
# Wire-compatible with Umkoin Core and Bitcoin Core: the file id, every interface and
# struct id, method ordinal, field ordinal, type and default here must not change
# (see ipc-wire.md; tests/wire.rs checks them). Core's C++ annotations are left out and
# ours (`rust.capnp`) added: annotations are not on the wire.

@0xcc316e3f71a040fb;

using Rust = import "rust.capnp";

interface ThreadMap @0xee5e37179ad9dc9d $Rust.runtime {
  makeThread @0 (name :Text) -> (result :Thread);
  makePool @1 (count :UInt32) -> ();
}

interface Thread @0x81c1e2600d0b56c5 $Rust.runtime {
  getName @0 () -> (result :Text);
}

struct Context @0x9c44e6645d0b22c6 $Rust.runtime {
  thread @0 :Thread;
  callbackThread @1 :Thread;
}
