# Types shared by Core's IPC interfaces (Core's `ipc/capnp/common.capnp`).
#
# Wire-compatible with Umkoin Core and Bitcoin Core: the file id, every struct id,
# field ordinal, type and default here must not change (see ipc-wire.md;
# tests/wire.rs checks them).

@0xcd2c6232cb484a28;

struct BlockRef @0xb3be4b8949350369 {
  hash @0 :Data;
  height @1 :Int32;
}
