//! `cargo xtask test` and `cargo xtask test-multiprocess`: the whole suite, as CI runs it.

use std::path::Path;

use anyhow::Result;

use crate::{build, provision, util};

/// `PATH` with the pinned `capnp` first: the `bitcoin-capnp-types` build script (an IPC
/// peer the functional tests use) runs whatever `capnp` is on `PATH`. Only `capnp` is put
/// in front (a folder holding a link to it), so nothing else on `PATH` is shadowed (a
/// `python3` beside the pinned `capnp`, say).
fn path_with_capnp(capnp: &Path) -> std::ffi::OsString {
    let mut dirs: Vec<std::path::PathBuf> = Vec::new();
    let dir = util::root().join("target").join("xtask-capnp");
    let link = dir.join("capnp");
    let _ = std::fs::create_dir_all(&dir);
    let _ = std::fs::remove_file(&link);
    if std::os::unix::fs::symlink(capnp, &link).is_ok() {
        dirs.push(dir);
    }
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(dirs).unwrap_or_default()
}

fn functional(envs: &[(&str, String)], extra: &[String]) -> Result<()> {
    let capnp = provision::capnp()?;
    let mut c = util::cargo();
    c.env("PATH", path_with_capnp(&capnp));
    c.args([
        "nextest",
        "run",
        "--profile",
        "ci",
        "-p",
        "umkoin-functional",
    ]);
    c.args(extra);
    for (k, v) in envs {
        c.env(k, v);
    }
    util::run(&mut c)
}

fn ours_multiprocess(bins: &Path) -> Vec<(&'static str, String)> {
    vec![(
        "UMKOIN_CMD",
        format!("{} -m", bins.join("umkoin").display()),
    )]
}

/// fmt, `codegen --check`, clippy, unit tests, then the functional suite against `umkoind`, against
/// `umkoin -m`, and against Umkoin Core's reference binaries.
pub fn run(extra: &[String]) -> Result<()> {
    provision::nextest()?;
    let core = provision::core_reference()?;
    provision::ipc_wire_reference()?;
    let capnp = provision::capnp()?;
    // Before clippy: it builds the functional tests, whose IPC peers need these.
    provision::ipc_peers()?;
    util::run(util::cargo().args(["fmt", "--all", "--check"]))?;
    crate::codegen::run(&["--check".to_owned()])?;
    util::run(
        util::cargo()
            .args([
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ])
            .env("PATH", path_with_capnp(&capnp)),
    )?;
    build::run()?;
    util::run(
        util::cargo()
            .args([
                "nextest",
                "run",
                "--profile",
                "ci",
                "--workspace",
                "--exclude",
                "umkoin-functional",
            ])
            .env("CAPNP_EXECUTABLE", &capnp),
    )?;
    let bins = util::bin_dir();
    eprintln!("xtask: functional suite against umkoind");
    functional(
        &[("UMKOIND", bins.join("umkoind").display().to_string())],
        extra,
    )?;
    eprintln!("xtask: functional suite against `umkoin -m`");
    functional(&ours_multiprocess(&bins), extra)?;
    // The same tests against Umkoin Core: a test of Core behaviour that fails there
    // tests a guess. Tests of what only umkoin-rs does skip themselves.
    eprintln!(
        "xtask: functional suite against Umkoin Core ({})",
        core.display()
    );
    functional(
        &[
            ("UMKOIND", core.join("umkoind").display().to_string()),
            ("UMKOINCLI", core.join("umkoin-cli").display().to_string()),
            // Nodes started with `-ipcbind` go through the wrapper (`umkoin -m node`).
            ("UMKOIN_BIN", core.join("umkoin").display().to_string()),
        ],
        extra,
    )
}

/// The functional suite against the multiprocess binaries: ours, unless the caller
/// named others with `UMKOIND` or `UMKOIN_CMD`.
pub fn run_multiprocess(extra: &[String]) -> Result<()> {
    provision::nextest()?;
    provision::ipc_peers()?;
    let theirs = ["UMKOIND", "UMKOIN_CMD"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty()));
    if theirs {
        eprintln!("xtask: testing the binaries named by UMKOIND/UMKOIN_CMD");
        return functional(&[], extra);
    }
    build::run()?;
    functional(&ours_multiprocess(&util::bin_dir()), extra)
}
