//! Provisioning for the tests: the tools they need beyond the Rust toolchain, installed
//! with a message saying what and why. Today: cargo-nextest, the runtime libraries of
//! Umkoin Core's reference binaries, which the tests compare against, and what the IPC
//! peer tests need (Cap'n Proto's standard schemas, pycapnp).

use std::path::PathBuf;
use std::process::{Command, Stdio};

use anyhow::{Result, bail};

use crate::util;

/// Debian packages Core's reference binaries link against (their README lists them).
const CORE_RUNTIME_PACKAGES: &[&str] = &[
    "libevent-core-2.1-7",
    "libevent-extra-2.1-7",
    "libevent-pthreads-2.1-7",
    "libcapnp-0.9.2",
    "libsqlite3-0",
];

/// The one `capnp` version generated code is made with (Debian's capnproto package).
const CAPNP_VERSION: &str = "Cap'n Proto version 0.9.2";

fn capnp_version(exe: &std::path::Path) -> Option<String> {
    let out = Command::new(exe).arg("--version").output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// The `capnp` compiler: `CAPNP_EXECUTABLE`, or Debian's capnproto 0.9.2 (installed with
/// apt-get when missing). Its `--version` must be the pinned one.
pub fn capnp() -> Result<PathBuf> {
    let (exe, source) = match std::env::var_os("CAPNP_EXECUTABLE") {
        Some(p) => (PathBuf::from(p), "CAPNP_EXECUTABLE"),
        None => (PathBuf::from("/usr/bin/capnp"), "the capnproto package"),
    };
    if capnp_version(&exe).is_none() && source != "CAPNP_EXECUTABLE" {
        eprintln!(
            "xtask: the capnp compiler is missing; installing Debian's capnproto ({CAPNP_VERSION}) with apt-get"
        );
        util::run(Command::new("apt-get").args(["update", "-qq"]))?;
        util::run(
            Command::new("apt-get")
                .args([
                    "install",
                    "-y",
                    "-qq",
                    "--no-install-recommends",
                    "capnproto",
                ])
                .env("DEBIAN_FRONTEND", "noninteractive"),
        )?;
    }
    match capnp_version(&exe) {
        Some(v) if v == CAPNP_VERSION => Ok(exe),
        Some(v) => bail!(
            "{} ({source}) is {v:?}; generated code is pinned to {CAPNP_VERSION:?}",
            exe.display()
        ),
        None => bail!("{} ({source}) does not run", exe.display()),
    }
}

/// cargo-nextest, installed from crates.io when missing.
pub fn nextest() -> Result<()> {
    if util::has_cargo_subcommand("nextest") {
        return Ok(());
    }
    eprintln!(
        "xtask: cargo-nextest is missing; installing it with `cargo install cargo-nextest --locked`"
    );
    util::run(util::cargo().args(["install", "cargo-nextest", "--locked"]))?;
    if !util::has_cargo_subcommand("nextest") {
        bail!("cargo-nextest is still missing after installing it; put ~/.cargo/bin on PATH");
    }
    Ok(())
}

/// The folder of Umkoin Core's reference binaries: `UMKOIN_CORE_BIN`, or
/// `../shared/reference/core-v31/bin` beside the checkout.
pub fn core_bin_dir() -> PathBuf {
    std::env::var_os("UMKOIN_CORE_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| util::root().join("../shared/reference/core-v31/bin"))
}

/// The IPC wire reference the interface tests check the Cap'n Proto schemas against:
/// `UMKOIN_IPC_WIRE`, or `../shared/reference/ipc-wire.md` beside the checkout. Checked
/// before anything is built, so a checkout without it fails at once.
pub fn ipc_wire_reference() -> Result<PathBuf> {
    let path = std::env::var_os("UMKOIN_IPC_WIRE")
        .map(PathBuf::from)
        .unwrap_or_else(|| util::root().join("../shared/reference/ipc-wire.md"));
    if !path.is_file() {
        bail!(
            "the IPC wire reference is not at {}: the interface tests check the Cap'n Proto schemas against it; set UMKOIN_IPC_WIRE to its path",
            path.display()
        );
    }
    Ok(path)
}

fn core_runs(dir: &std::path::Path) -> bool {
    Command::new(dir.join("umkoind"))
        .arg("-version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Make Core's reference binaries runnable, installing their libraries if needed.
pub fn core_reference() -> Result<PathBuf> {
    let dir = core_bin_dir();
    if !dir.join("umkoind").is_file() {
        bail!(
            "Umkoin Core's reference binaries are not at {}: the tests compare umkoin-cli, the wrapper and the functional suite against them; set UMKOIN_CORE_BIN to their folder",
            dir.display()
        );
    }
    if core_runs(&dir) {
        return Ok(dir);
    }
    eprintln!(
        "xtask: Umkoin Core's reference binaries need runtime libraries; installing with apt-get: {}",
        CORE_RUNTIME_PACKAGES.join(" ")
    );
    util::run(Command::new("apt-get").args(["update", "-qq"]))?;
    util::run(
        Command::new("apt-get")
            .args(["install", "-y", "-qq", "--no-install-recommends"])
            .args(CORE_RUNTIME_PACKAGES)
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )?;
    if !core_runs(&dir) {
        bail!(
            "{}/umkoind -version still fails after installing its libraries",
            dir.display()
        );
    }
    Ok(dir)
}

/// The pycapnp release the Python IPC peer test runs on (PyPI; a binary wheel that brings
/// its own Cap'n Proto library and standard schemas).
const PYCAPNP_VERSION: &str = "2.2.4";

/// The pycapnp version `python3` imports, or `None` when it cannot import it.
fn pycapnp_version() -> Option<String> {
    let out = Command::new("python3")
        .args(["-c", "import capnp; print(capnp.__version__)"])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// pycapnp for `python3`, which the Python IPC peer test (`functional/peers/`) runs on:
/// left alone when `python3` already imports it, else installed pinned with
/// `python3 -m pip install pycapnp==2.2.4`.
pub fn pycapnp() -> Result<()> {
    if let Some(v) = pycapnp_version() {
        if v != PYCAPNP_VERSION {
            eprintln!("xtask: python3 has pycapnp {v} (pinned: {PYCAPNP_VERSION}); using it");
        }
        return Ok(());
    }
    if Command::new("python3")
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_err()
    {
        bail!("python3 does not run: the Python IPC peer test needs python3 with pip");
    }
    eprintln!(
        "xtask: python3 cannot import pycapnp (the Python IPC peer test needs it); installing it with `python3 -m pip install pycapnp=={PYCAPNP_VERSION}`"
    );
    util::run(
        Command::new("python3")
            .args([
                "-m",
                "pip",
                "install",
                "--disable-pip-version-check",
                "--no-input",
            ])
            .arg(format!("pycapnp=={PYCAPNP_VERSION}"))
            // A Debian python3 is "externally managed" (PEP 668): allow the install as
            // Core's CI does. Given as environment, a pip that predates the option
            // ignores it.
            .env("PIP_BREAK_SYSTEM_PACKAGES", "1")
            .env("PIP_ROOT_USER_ACTION", "ignore"),
    )?;
    match pycapnp_version() {
        Some(_) => Ok(()),
        None => bail!("python3 still cannot import pycapnp after installing it"),
    }
}

/// Where `capnp compile` looks for `import "/capnp/c++.capnp"` when given no import path
/// (its standard import folders).
const CAPNP_STANDARD_IMPORTS: &[&str] = &["/usr/local/include", "/usr/include"];

/// Cap'n Proto's standard schemas (`capnp/c++.capnp`) where `capnp compile` finds them
/// by itself. The `bitcoin-capnp-types` crate, the Rust IPC peer test's client, runs
/// the `capnp` on `PATH` from its build script on schemas that import
/// `/capnp/c++.capnp`, with no import path of its own; Debian's capnproto package lacks
/// the file, and libcapnp-dev (the same 0.9.2) ships it in /usr/include.
pub fn capnp_standard_schemas() -> Result<()> {
    let found = || {
        CAPNP_STANDARD_IMPORTS
            .iter()
            .any(|d| std::path::Path::new(d).join("capnp/c++.capnp").is_file())
    };
    if found() {
        return Ok(());
    }
    eprintln!(
        "xtask: capnp/c++.capnp is missing (bitcoin-capnp-types, the Rust IPC peer test's client, compiles schemas importing it); installing Debian's libcapnp-dev with apt-get"
    );
    util::run(Command::new("apt-get").args(["update", "-qq"]))?;
    util::run(
        Command::new("apt-get")
            .args([
                "install",
                "-y",
                "-qq",
                "--no-install-recommends",
                "libcapnp-dev",
            ])
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )?;
    if !found() {
        bail!(
            "capnp/c++.capnp is still in none of {} after installing libcapnp-dev",
            CAPNP_STANDARD_IMPORTS.join(", ")
        );
    }
    Ok(())
}

/// What the IPC peer tests (`functional/tests/functional/ipc_peers.rs`) need beyond
/// the `capnp` compiler: Cap'n Proto's standard schemas, needed to *build* the
/// functional tests (so before clippy or any build of them), and pycapnp, needed to
/// run them.
pub fn ipc_peers() -> Result<()> {
    capnp_standard_schemas()?;
    pycapnp()
}
