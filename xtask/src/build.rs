//! `cargo xtask build`: every binary of the workspace, debug profile.

use anyhow::Result;

use crate::util;

/// The binaries a user runs.
pub const BINARIES: &[&str] = &["umkoind", "umkoin-node", "umkoin", "umkoin-cli"];

/// Build the binaries.
pub fn run() -> Result<()> {
    let mut c = util::cargo();
    c.arg("build");
    for b in BINARIES {
        c.args(["--bin", b]);
    }
    util::run(&mut c)
}
