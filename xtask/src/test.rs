//! `cargo xtask test` and `cargo xtask test-multiprocess`: the whole suite, as CI runs it.

use anyhow::{Result, bail};

use crate::{build, util};

fn ensure_nextest() -> Result<()> {
    if util::has_cargo_subcommand("nextest") {
        return Ok(());
    }
    eprintln!("xtask: cargo-nextest is missing; installing it with `cargo install cargo-nextest --locked`");
    util::run(util::cargo().args(["install", "cargo-nextest", "--locked"]))?;
    if !util::has_cargo_subcommand("nextest") {
        bail!("cargo-nextest is still missing after installing it; put ~/.cargo/bin on PATH");
    }
    Ok(())
}

fn functional(envs: &[(&str, String)], extra: &[String]) -> Result<()> {
    let mut c = util::cargo();
    c.args(["nextest", "run", "--profile", "ci", "-p", "umkoin-functional"]);
    c.args(extra);
    for (k, v) in envs {
        c.env(k, v);
    }
    util::run(&mut c)
}

/// fmt, clippy, unit tests, then the functional suite in both modes.
pub fn run(extra: &[String]) -> Result<()> {
    ensure_nextest()?;
    util::run(util::cargo().args(["fmt", "--all", "--check"]))?;
    util::run(util::cargo().args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    build::run()?;
    util::run(util::cargo().args([
        "nextest",
        "run",
        "--profile",
        "ci",
        "--workspace",
        "--exclude",
        "umkoin-functional",
    ]))?;
    let bins = util::bin_dir();
    eprintln!("xtask: functional suite against umkoind");
    functional(
        &[("UMKOIND", bins.join("umkoind").display().to_string())],
        extra,
    )?;
    eprintln!("xtask: functional suite against `umkoin -m`");
    functional(
        &[("UMKOIN_CMD", format!("{} -m", bins.join("umkoin").display()))],
        extra,
    )?;
    Ok(())
}

/// The functional suite against the multiprocess binaries: ours, unless the caller
/// named others with `UMKOIND` or `UMKOIN_CMD`.
pub fn run_multiprocess(extra: &[String]) -> Result<()> {
    ensure_nextest()?;
    let theirs = ["UMKOIND", "UMKOIN_CMD"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty()));
    if theirs {
        eprintln!("xtask: testing the binaries named by UMKOIND/UMKOIN_CMD");
        return functional(&[], extra);
    }
    build::run()?;
    let bins = util::bin_dir();
    functional(
        &[("UMKOIN_CMD", format!("{} -m", bins.join("umkoin").display()))],
        extra,
    )
}
