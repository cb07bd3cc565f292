//! The one insta settings helper: where snapshots live (`snapshots/` at the workspace
//! root) and every redaction, so a snapshot says the same thing on every run, machine
//! and implementation. A value that varies between runs is replaced by a named
//! placeholder here, in one place, and nowhere else.

use crate::binaries::workspace_root;

/// Redactions, as (regular expression, replacement), applied to snapshot text.
///
/// Keep each one as narrow as the thing it hides.
pub const REDACTIONS: &[(&str, &str)] = &[
    // Process and thread ids in IPC thread tags: {umkoin-node-1234/b-capnp-loop-5678}.
    (
        r"\{([a-z-]+)-\d+/([^}\-]+(?:-[a-z]+)*)-\d+",
        "{$1-[pid]/$2-[tid]",
    ),
    // The client thread an IPC server thread was made for: `(from <its thread tag>)`.
    (r"\(from [^)]*\)", "(from [client thread])"),
    // Request numbers of IPC log lines.
    (r"#\d+", "#[n]"),
    // Source locations of log lines (`-logsourcelocations`): each implementation names
    // its own files and functions.
    (r"\[[A-Za-z0-9_./-]+:\d+\] \[[A-Za-z0-9_:<>]+\] ", ""),
    // Test directories.
    (r"/tmp/umkoin_func_test_[A-Za-z0-9_]+", "[testdir]"),
    // Timestamps of log lines.
    (r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?Z", "[time]"),
    // Time-dependent RPC fields.
    (
        r#""verificationprogress": [0-9.e+-]+"#,
        r#""verificationprogress": "[progress]""#,
    ),
    (r#""duration": \d+"#, r#""duration": "[microseconds]""#),
    // Block files: umkoin-rs writes none until block storage exists; Core's genesis
    // block file makes this 256. A known difference, hidden until then.
    (r#""size_on_disk": \d+"#, r#""size_on_disk": "[bytes]""#),
];

/// insta settings with the snapshot folder and every redaction. Use as
/// `umkoin_harness::snapshot::settings().bind(|| insta::assert_snapshot!(...))`.
pub fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path(workspace_root().join("snapshots"));
    s.set_prepend_module_to_snapshot(false);
    s.set_omit_expression(true);
    for (re, with) in REDACTIONS {
        s.add_filter(re, *with);
    }
    // Test directories wherever they are made (`UMKOIN_TEST_DIR`, `$TMPDIR`).
    let root = crate::framework::test_root();
    s.add_filter(
        &format!(
            "{}/umkoin_func_test_[A-Za-z0-9_]+",
            regex_escape(&root.display().to_string())
        ),
        "[testdir]",
    );
    s
}

/// `text` with every redaction applied, as a snapshot would show it: for comparing runs
/// with each other before one of them is snapshotted.
pub fn redact(text: &str) -> String {
    let mut out = text.to_owned();
    let root = format!(
        "{}/umkoin_func_test_[A-Za-z0-9_]+",
        regex_escape(&crate::framework::test_root().display().to_string())
    );
    for (re, with) in REDACTIONS
        .iter()
        .copied()
        .chain([(root.as_str(), "[testdir]")])
    {
        let re = regex::Regex::new(re).expect("the redactions are valid regular expressions");
        out = re.replace_all(&out, with).into_owned();
    }
    out
}

fn regex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
