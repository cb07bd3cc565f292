//! Contracts shared by every umkoin-rs process and by anything that talks to one: the
//! JSON-RPC error codes and HTTP status codes Umkoin Core answers with, and the names and
//! data-directory subfolders of its chains. The Cap'n Proto schemas and the code
//! generated from them join this crate with the IPC foundation.
//!
//! Nothing here depends on an implementation crate; the harness relies on that to test
//! Umkoin Core's C++ binaries with the same code it tests ours with.

pub mod chain;
pub mod rpc;
