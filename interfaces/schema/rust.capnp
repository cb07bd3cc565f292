# umkoin-mpgen's annotations: how a schema maps to Rust, the way libmultiprocess's
# `$Proxy.wrap` / `$Proxy.name` tell its `mpgen` how a schema maps to C++. They are not
# on the wire (a peer never sees them), so adding them to Core's schemas changes nothing
# a peer can observe.

@0x8b498fffeebbc3b5;

# The runtime (`impl/ipc`) serves and calls this interface or struct itself:
# libmultiprocess's `ThreadMap`, `Thread` and `Context`. No trait, proxy or server is
# generated for it.
annotation runtime @0xa427b436b5f90b13 (interface, struct) :Void;

# `Init.construct`: the runtime's thread-map exchange, served by the runtime through
# `LoopConn::construct`, left out of the trait.
annotation construct @0x8c377049faf7e3f8 (method) :Void;

# A capability result that may be null (a template on interrupt or time-out): it maps to
# `Option<Arc<dyn Trait>>` instead of `Arc<dyn Trait>`.
annotation nullable @0xf375edd0f5103e8c (field, param) :Void;
