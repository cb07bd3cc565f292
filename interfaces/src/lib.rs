//! Contracts shared by every umkoin-rs process and by anything that talks to one: the
//! JSON-RPC error codes and HTTP status codes Umkoin Core answers with, the names and
//! data-directory subfolders of its chains, and the Cap'n Proto schemas of the IPC
//! interfaces (`schema/`, wire-compatible with Umkoin Core's and Bitcoin Core's; the
//! `wire` test checks every id and ordinal) with the code generated from them
//! (`src/generated/`, by `cargo xtask codegen`).
//!
//! Nothing here depends on an implementation crate; the harness relies on that to test
//! Umkoin Core's C++ binaries with the same code it tests ours with.

pub mod chain;
pub mod rpc;

/// Generated from `schema/*.capnp` by `cargo xtask codegen`: readers, builders and the
/// capnp-rpc clients and servers of each interface. Lints do not apply to generated code.
macro_rules! generated {
    ($($name:ident => $file:literal),* $(,)?) => {
        $(
            #[allow(missing_docs, unused, clippy::all, clippy::pedantic, clippy::unwrap_used)]
            #[path = $file]
            pub mod $name;
        )*
    };
}

generated! {
    common_capnp => "generated/common_capnp.rs",
    echo_capnp => "generated/echo_capnp.rs",
    init_capnp => "generated/init_capnp.rs",
    mining_capnp => "generated/mining_capnp.rs",
    proxy_capnp => "generated/proxy_capnp.rs",
    rpc_capnp => "generated/rpc_capnp.rs",
    umkoin_capnp => "generated/umkoin_capnp.rs",
}
