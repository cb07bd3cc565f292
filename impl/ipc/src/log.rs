//! The IPC log lines, as Umkoin Core writes them: libmultiprocess's messages at its
//! levels mapped as Core maps them (debug and trace under the `ipc` category; info,
//! warning and error as uncategorised lines prefixed `ipc: `), thread tags
//! `{<exe>-<pid>/<thread name>-<tid>}`, and message data escaped as libmultiprocess's
//! `LogEscape` does and cut at 200 characters.

use std::fmt;
use std::sync::OnceLock;

use umkoin_common::log::{LogLevel, will_log};

/// The longest data rendering written before it is cut (libmultiprocess's `max_chars`).
pub const MAX_CHARS: usize = 200;

static EXE: OnceLock<String> = OnceLock::new();

/// Sets the executable name the thread tags carry (`umkoin-node`); the first call wins.
pub fn set_exe_name(name: &str) {
    let _ = EXE.set(name.to_owned());
}

/// The executable name of the tags.
pub fn exe_name() -> &'static str {
    EXE.get().map(String::as_str).unwrap_or("umkoin-ipc")
}

/// The calling OS thread's id (`gettid`).
pub fn tid() -> i64 {
    // SAFETY: gettid has no preconditions and cannot fail.
    unsafe { libc::syscall(libc::SYS_gettid) }
}

/// libmultiprocess's `ThreadName(exe)`: `<exe>-<pid>/<thread name>-<tid>` for the
/// calling thread.
pub fn thread_name() -> String {
    let pid = std::process::id();
    match std::thread::current().name() {
        Some(name) if name != "main" => format!("{}-{pid}/{name}-{}", exe_name(), tid()),
        _ => format!("{}-{pid}/{}-{}", exe_name(), exe_name(), tid()),
    }
}

/// Whether `-debug=ipc` lines are on.
pub fn debug_enabled() -> bool {
    will_log(Some("ipc"), LogLevel::Debug)
}

/// Whether `-loglevel=ipc:trace` data lines are on.
pub fn trace_enabled() -> bool {
    will_log(Some("ipc"), LogLevel::Trace)
}

/// A debug line (`[ipc] ...`).
pub fn debug(args: fmt::Arguments<'_>) {
    if debug_enabled() {
        tracing::debug!(target: "ipc", "{}", args);
    }
}

/// A trace line (`[ipc:trace] ...`).
pub fn trace(args: fmt::Arguments<'_>) {
    if trace_enabled() {
        tracing::trace!(target: "ipc", "{}", args);
    }
}

/// An info line (`ipc: ...`, written whatever `-debug` says).
pub fn info(args: fmt::Arguments<'_>) {
    tracing::info!(target: "umkoin_ipc", "ipc: {}", args);
}

/// An error line (`[error] ipc: ...`).
pub fn error(args: fmt::Arguments<'_>) {
    tracing::error!(target: "umkoin_ipc", "ipc: {}", args);
}

/// Renders message data as capnp text, escaped as `LogEscape` escapes it: a backslash
/// doubled, every byte outside printable ASCII as `\` and two hex digits; cut after
/// [`MAX_CHARS`] characters with `...`.
pub fn escape_data(data: &dyn fmt::Debug) -> String {
    let text = capnp_text(&format!("{data:?}"));
    log_escape(text.as_bytes(), MAX_CHARS)
}

/// libmultiprocess's `LogEscape`.
pub fn log_escape(bytes: &[u8], max_chars: usize) -> String {
    let mut out = String::new();
    for &b in bytes {
        if b == b'\\' {
            out.push_str("\\\\");
        } else if !(0x20..=0x7e).contains(&b) {
            out.push('\\');
            out.push_str(&format!("{b:02x}"));
        } else {
            out.push(b as char);
        }
        if out.len() > max_chars {
            out.push_str("...");
            break;
        }
    }
    out
}

/// capnp-rust's text rendering of a message, turned into the C++ library's: string
/// escapes as C's (`\"`, `\'`, `\n`, `\t`, octal for other control bytes) with UTF-8
/// left as it is, where Rust's `Debug` escapes Unicode its own way.
fn capnp_text(rust: &str) -> String {
    // Rust renders a `Text` with `{:?}`: re-render every quoted string.
    let mut out = String::with_capacity(rust.len());
    let mut chars = rust.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if !in_string {
            out.push(c);
            if c == '"' {
                in_string = true;
            }
            continue;
        }
        match c {
            '"' => {
                out.push('"');
                in_string = false;
            }
            '\\' => match chars.next() {
                Some('n') => out.push_str("\\n"),
                Some('t') => out.push_str("\\t"),
                Some('r') => out.push_str("\\r"),
                Some('"') => out.push_str("\\\""),
                Some('\'') => out.push_str("\\'"),
                Some('\\') => out.push_str("\\\\"),
                Some('0') => out.push_str("\\000"),
                Some('u') => {
                    // \u{XXXX}
                    let mut hex = String::new();
                    if chars.next() == Some('{') {
                        for h in chars.by_ref() {
                            if h == '}' {
                                break;
                            }
                            hex.push(h);
                        }
                    }
                    let ch = u32::from_str_radix(&hex, 16)
                        .ok()
                        .and_then(char::from_u32)
                        .unwrap_or('\u{fffd}');
                    if (ch as u32) < 0x20 || ch as u32 == 0x7f {
                        out.push_str(&format!("\\{:03o}", ch as u32));
                    } else {
                        out.push(ch);
                    }
                }
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                None => out.push('\\'),
            },
            '\'' => out.push_str("\\'"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_libmultiprocess() {
        // Core's log of `hé"q\` followed by a newline: `"h\c3\a9\\"q\\\\\\n"`.
        let rendered = capnp_text(&format!("{:?}", "hé\"q\\\n"));
        assert_eq!(rendered, "\"hé\\\"q\\\\\\n\"");
        assert_eq!(
            log_escape(rendered.as_bytes(), MAX_CHARS),
            "\"h\\c3\\a9\\\\\"q\\\\\\\\\\\\n\""
        );
        // Control bytes as octal, then escaped; the euro sign as bytes.
        let rendered = capnp_text(&format!("{:?}", "\u{1}\u{7f}\t'€"));
        assert_eq!(
            log_escape(rendered.as_bytes(), MAX_CHARS),
            "\"\\\\001\\\\177\\\\t\\\\'\\e2\\82\\ac\""
        );
    }

    #[test]
    fn cuts_after_max_chars() {
        let long = "x".repeat(500);
        let cut = log_escape(long.as_bytes(), MAX_CHARS);
        assert_eq!(cut.len(), 204);
        assert!(cut.ends_with("..."));
    }
}
