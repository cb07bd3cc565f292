//! The umkoin-rs functional test framework: starts `umkoind`, `umkoin -m node` or Umkoin
//! Core's binaries as Core's Python framework (`test/functional/test_framework`) does, and
//! drives them through their command line, files and JSON-RPC.
//!
//! It knows binaries, sockets, files, RPC and the wire contracts in `umkoin-interfaces`,
//! never an implementation crate, so the same tests run against Umkoin Core.
//!
//! - [`TestFramework`] builds a test (nodes, arguments, config), runs its body with a
//!   [`TestContext`], tears down, keeps the directory of a failed test.
//! - [`TestNode`] is one node: start, stop, restart, kill, RPC, `umkoin-cli`, logs.
//! - [`RpcClient`] speaks JSON-RPC over HTTP/1.1 with typed [`RpcError`]s and raw access.
//! - [`Binaries`] picks executables from `UMKOIND`, `UMKOINCLI`, `UMKOINWALLET`,
//!   `UMKOIN_BIN`, `UMKOIN_CMD`, or this workspace's `target/debug`.
//! - [`ports`] hands out ports that concurrently running tests never share.
//! - [`blocktools`] and [`miniwallet`] craft blocks and transactions without a wallet,
//!   as Core's `blocktools.py` and `MiniWallet`.
//!
//! Environment: `TIMEOUT_FACTOR` scales every timeout; `UMKOIN_TEST_DIR` is where test
//! directories go (default `$TMPDIR`); `UMKOIN_NOCLEANUP` keeps them after passing tests;
//! `UMKOIN_IMPL=core|rust` overrides the detection of Core's binaries.

pub mod binaries;
pub mod blocktools;
pub mod cache;
pub mod framework;
pub mod ipc;
pub mod miniwallet;
pub mod node;
pub mod ports;
pub mod rpc;
pub mod snapshot;
pub mod util;

pub use binaries::{Binaries, Implementation};
/// The `bitcoin` crate the block and transaction builders use, for tests that have it
/// not as their own dependency.
pub use bitcoin;
pub use framework::{TestContext, TestFramework};
pub use miniwallet::{MiniWallet, MiniWalletMode};
pub use node::{CliOutput, ErrorMatch, NodeOptions, TestNode};
pub use rpc::{
    Credentials, JsonRpcVersion, RawAuth, RawRequest, RawResponse, RpcClient, RpcError,
    assert_raises_rpc_error, send_raw_tcp,
};
pub use util::{assert_equal, timeout_factor, try_wait_until, wait_until};
