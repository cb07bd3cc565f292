//! What every binary says about itself in `-version` and `-help`: the product, its
//! version and the Umkoin Core release it is compatible with, and the licence. One place,
//! so `umkoind`, `umkoin-node`, `umkoin-cli` and `umkoin` never disagree.

/// The name binaries print before their role ("Umkoin RPC client version ...").
pub const CLIENT_NAME: &str = "Umkoin";

/// Umkoin Core's client name, kept in the few texts that scripts and Core's own tests
/// match verbatim and that a drop-in must therefore reproduce: the `stop` result and
/// the notice in `settings.json` (a datadir may move between Core and us).
pub const CORE_CLIENT_NAME: &str = "Umkoin Core";

/// The version, with the product name (which test frameworks use to tell this
/// implementation from Umkoin Core's) and the Core release it follows.
pub const FULL_VERSION: &str = concat!(
    "v",
    env!("CARGO_PKG_VERSION"),
    " (umkoin-rs, Umkoin Core v31.0 compatible)"
);

/// The licence paragraph of `-version`, before wrapping.
pub const LICENSE_INFO: &str = "umkoin-rs: a Rust implementation of multiprocess Umkoin.\n\
\n\
Distributed under the MIT software license, see the accompanying file LICENSE or <https://opensource.org/license/MIT>\n";
