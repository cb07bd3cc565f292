//! The `umkoin` wrapper in a scratch install: a copy of it in `<tmp>/bin/` (or a plain
//! folder), fake target executables (scripts that print how they were run) in
//! `libexec/` or beside it, checking which one runs, with which arguments, and Core's
//! messages when none is found.

// Test code: helpers outside `#[test]` functions fail the test the same way.
#![allow(clippy::unwrap_used)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Mutex;

const WRAPPER: &str = env!("CARGO_BIN_EXE_umkoin");

/// Files written here are executed right after; a fork in a parallel test while one is
/// still open for writing would make that exec fail with "text file busy". Every test
/// writes and runs under this lock.
static LOCK: Mutex<()> = Mutex::new(());

fn install_wrapper(dir: &Path) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let path = dir.join("umkoin");
    std::fs::copy(WRAPPER, &path).unwrap();
    path
}

/// A script that prints its tag, the path it runs from (`$0`: a script sees its own
/// path there, not the `argv[0]` it was given) and its arguments, one per line.
fn fake_binary(dir: &Path, name: &str, tag: &str) {
    std::fs::create_dir_all(dir).unwrap();
    let path = dir.join(name);
    std::fs::write(
        &path,
        format!("#!/bin/sh\necho {tag}\necho \"$0\"\nfor a in \"$@\"; do echo \"$a\"; done\n"),
    )
    .unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

struct Run {
    stdout: String,
    stderr: String,
    code: i32,
}

fn run_in(exe: &Path, args: &[&str], cwd: Option<&Path>, path_env: Option<&str>) -> Run {
    let mut cmd = Command::new(exe);
    cmd.args(args).stdin(Stdio::null());
    if let Some(d) = cwd {
        cmd.current_dir(d);
    }
    if let Some(p) = path_env {
        cmd.env("PATH", p);
    }
    let out: Output = cmd.output().unwrap();
    Run {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code().expect("not killed by a signal"),
    }
}

fn run(exe: &Path, args: &[&str]) -> Run {
    run_in(exe, args, None, None)
}

fn lines(tag: &str, exe: &Path, args: &[&str]) -> String {
    let mut s = format!("{tag}\n{}\n", exe.display());
    for a in args {
        s.push_str(a);
        s.push('\n');
    }
    s
}

#[test]
fn bin_layout_prefers_libexec() {
    let _g = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let tmp = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(tmp.path()).unwrap();
    let wrapper = install_wrapper(&root.join("bin"));
    let libexec = root.join("libexec");
    fake_binary(&libexec, "umkoind", "libexec-umkoind");
    fake_binary(&libexec, "umkoin-node", "libexec-umkoin-node");
    fake_binary(&libexec, "umkoin-cli", "libexec-umkoin-cli");
    fake_binary(&root.join("bin"), "umkoind", "bin-umkoind");
    fake_binary(&root.join("bin"), "umkoin-wallet", "bin-umkoin-wallet");

    // node: umkoind by default (-M), from libexec over bin.
    let r = run(&wrapper, &["node", "-regtest", "-x=1", "word"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        lines(
            "libexec-umkoind",
            &libexec.join("umkoind"),
            &["-regtest", "-x=1", "word"]
        )
    );
    let r = run(&wrapper, &["-m", "-M", "node"]);
    assert_eq!(
        r.stdout,
        lines("libexec-umkoind", &libexec.join("umkoind"), &[])
    );

    // -m, or an IPC option, picks the multiprocess node.
    let r = run(&wrapper, &["-m", "node", "-regtest"]);
    assert_eq!(
        r.stdout,
        lines(
            "libexec-umkoin-node",
            &libexec.join("umkoin-node"),
            &["-regtest"]
        )
    );
    for ipc in [
        "-ipcbind=unix",
        "--ipcbind=unix",
        "-ipcconnect=unix",
        "-ipcfd=3",
        "-noipcbind",
    ] {
        let r = run(&wrapper, &["node", "-regtest", ipc]);
        assert_eq!(
            r.stdout,
            lines(
                "libexec-umkoin-node",
                &libexec.join("umkoin-node"),
                &["-regtest", ipc]
            ),
            "{ipc}"
        );
    }
    // ... but not after the first word that is not an option, and -M wins over it.
    let r = run(&wrapper, &["node", "word", "-ipcbind=unix"]);
    assert!(r.stdout.starts_with("libexec-umkoind\n"));
    let r = run(&wrapper, &["-M", "node", "-ipcbind=unix"]);
    assert!(r.stdout.starts_with("libexec-umkoind\n"));

    // ... or the config file the arguments name.
    let datadir = root.join("data");
    std::fs::create_dir_all(&datadir).unwrap();
    std::fs::write(
        datadir.join("umkoin.conf"),
        "regtest=1\n[regtest]\nipcbind=unix\n",
    )
    .unwrap();
    let dd = format!("-datadir={}", datadir.display());
    let r = run(&wrapper, &["node", &dd]);
    assert!(
        r.stdout.starts_with("libexec-umkoin-node\n"),
        "{}",
        r.stdout
    );
    std::fs::write(datadir.join("umkoin.conf"), "[main]\nipcbind=unix\n").unwrap();
    let r = run(&wrapper, &["node", &dd, "-regtest"]);
    assert!(r.stdout.starts_with("libexec-umkoind\n"), "{}", r.stdout);

    // rpc: umkoin-cli -named, -nonamed passed on after it.
    let r = run(&wrapper, &["rpc", "getblockhash", "height=0"]);
    assert_eq!(
        r.stdout,
        lines(
            "libexec-umkoin-cli",
            &libexec.join("umkoin-cli"),
            &["-named", "getblockhash", "height=0"]
        )
    );
    let r = run(&wrapper, &["rpc", "-nonamed", "getblockcount"]);
    assert_eq!(
        r.stdout,
        lines(
            "libexec-umkoin-cli",
            &libexec.join("umkoin-cli"),
            &["-named", "-nonamed", "getblockcount"]
        )
    );

    // Not in libexec: beside the wrapper.
    let r = run(&wrapper, &["wallet", "info"]);
    assert_eq!(
        r.stdout,
        lines(
            "bin-umkoin-wallet",
            &root.join("bin/umkoin-wallet"),
            &["info"]
        )
    );

    // Nowhere: Core's error, naming where it looked last.
    let r = run(&wrapper, &["tx", "x"]);
    assert_eq!(r.stdout, "");
    assert_eq!(
        r.stderr,
        format!(
            "Error: execvp failed to execute '{}': No such file or directory\nTry '{} --help' for more information.\n",
            root.join("bin/umkoin-tx").display(),
            wrapper.display()
        )
    );
    assert_eq!(r.code, 1);

    // Run through a relative path and through a symlink elsewhere: still found
    // relative to the wrapper's real location.
    let r = run_in(
        Path::new("./umkoin"),
        &["node"],
        Some(&root.join("bin")),
        None,
    );
    assert!(r.stdout.starts_with("libexec-umkoind\n"), "{}", r.stderr);
    let link_dir = root.join("elsewhere");
    std::fs::create_dir_all(&link_dir).unwrap();
    std::os::unix::fs::symlink(&wrapper, link_dir.join("umkoin")).unwrap();
    let r = run(&link_dir.join("umkoin"), &["node"]);
    assert!(r.stdout.starts_with("libexec-umkoind\n"), "{}", r.stderr);
}

#[test]
fn plain_folder_looks_beside_and_path_only_when_run_from_path() {
    let _g = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let tmp = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(tmp.path()).unwrap();
    let dir = root.join("build");
    let wrapper = install_wrapper(&dir);
    fake_binary(&dir, "umkoind", "beside-umkoind");
    fake_binary(&root.join("libexec"), "umkoind", "not-used");
    let r = run(&wrapper, &["node"]);
    assert_eq!(r.stdout, lines("beside-umkoind", &dir.join("umkoind"), &[]));

    // A target only on PATH: used when the wrapper itself came from PATH ...
    let pathdir = root.join("pathdir");
    fake_binary(&pathdir, "umkoin-wallet", "path-umkoin-wallet");
    let path_env = format!("{}:{}", dir.display(), pathdir.display());
    let r = run_in(Path::new("umkoin"), &["wallet"], None, Some(&path_env));
    assert_eq!(
        r.stdout,
        lines("path-umkoin-wallet", &pathdir.join("umkoin-wallet"), &[]),
        "{}",
        r.stderr
    );
    // ... never when it was run by path.
    let r = run_in(&wrapper, &["wallet"], None, Some(&path_env));
    assert_eq!(r.code, 1);
    assert!(r.stderr.starts_with(&format!(
        "Error: execvp failed to execute '{}': No such file or directory\n",
        dir.join("umkoin-wallet").display()
    )));
    // From PATH and found nowhere: the bare name.
    let r = run_in(Path::new("umkoin"), &["tx"], None, Some(&path_env));
    assert_eq!(
        r.stderr,
        "Error: execvp failed to execute 'umkoin-tx': No such file or directory\nTry 'umkoin --help' for more information.\n"
    );
}

#[test]
fn help_version_and_bad_commands() {
    let _g = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let exe = Path::new(WRAPPER);
    let r = run(exe, &[]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.starts_with("Usage: umkoin [OPTIONS] COMMAND...\n"));
    assert!(r.stdout.ends_with(
        "\nRun 'umkoin help' to see additional commands (e.g. for testing and debugging).\n"
    ));
    for h in ["-h", "--help", "help"] {
        let r = run(exe, &[h]);
        assert_eq!(r.code, 0);
        assert!(
            r.stdout
                .contains("\nAdditional less commonly used commands:\n")
        );
        assert!(r.stdout.ends_with("'test_umkoin-qt [ARGS]'.\n"));
    }
    let r = run(exe, &["-v"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.starts_with(
        "Umkoin version v0.1.0 (umkoin-rs, Umkoin Core v31.0 compatible)\numkoin-rs: "
    ));
    let r = run(exe, &["foo"]);
    assert_eq!(
        (r.stderr, r.code),
        (
            format!(
                "Error: Unrecognized command: 'foo'\nTry '{WRAPPER} --help' for more information.\n"
            ),
            1
        )
    );
    let r = run(exe, &["-x", "node"]);
    assert_eq!(
        (r.stderr, r.code),
        (
            format!("Error: Unknown option: -x\nTry '{WRAPPER} --help' for more information.\n"),
            1
        )
    );
    // The same texts as Core's wrapper, where it is at hand (not `-v`, which names
    // this implementation).
    let core = std::env::var_os("UMKOIN_CORE_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reference/core-v31/bin")
        })
        .join("umkoin");
    assert!(
        core.is_file() || std::env::var_os("CI").is_none(),
        "Umkoin Core's wrapper not found at {} (CI must compare against it; set UMKOIN_CORE_BIN)",
        core.display()
    );
    if core.is_file() {
        for args in [
            &[][..],
            &["-h"],
            &["foo"],
            &["node", "-regtest", "-testnet"],
        ] {
            let ours = run(exe, args);
            let cores = run(&core, args);
            assert_eq!(ours.stdout, cores.stdout, "{args:?}");
            assert_eq!(
                ours.stderr.replace(WRAPPER, "W"),
                cores.stderr.replace(&core.display().to_string(), "W"),
                "{args:?}"
            );
            assert_eq!(ours.code, cores.code, "{args:?}");
        }
    }
}
