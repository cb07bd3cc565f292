//! Logging as Umkoin Core writes it, built on `tracing`: `debug.log` and the console,
//! lines shaped `2026-11-22T10:00:00Z [thread] [file:line] [module] [category:level] msg`,
//! categories enabled by `-debug`/`-debugexclude` and changed at run time by the
//! `logging` RPC, levels by `-loglevel`, `-shrinkdebugfile`, and re-opening the file on
//! SIGHUP for log rotation.
//!
//! Code logs with the `tracing` macros; the category is the event's target:
//! `tracing::debug!(target: "rpc", "...")`. An event whose target is no Core category is
//! logged without one (info, warning and error lines), as Core's `LogInfo` does.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock, RwLock};
use std::time::{SystemTime, UNIX_EPOCH};

use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::Layer;
use tracing_subscriber::layer::Context;
use tracing_subscriber::prelude::*;

use crate::args::ArgsManager;

/// Core's logging categories, by the names `-debug=` takes, in Core's order.
pub const CATEGORIES: &[&str] = &[
    "net",
    "tor",
    "mempool",
    "http",
    "bench",
    "zmq",
    "walletdb",
    "rpc",
    "estimatefee",
    "addrman",
    "selectcoins",
    "reindex",
    "cmpctblock",
    "rand",
    "prune",
    "proxy",
    "mempoolrej",
    "libevent",
    "coindb",
    "qt",
    "leveldb",
    "validation",
    "i2p",
    "ipc",
    "blockstorage",
    "txreconciliation",
    "scan",
    "txpackages",
    "kernel",
    "privatebroadcast",
];

const ALL: u64 = u64::MAX;
const RECENT_DEBUG_HISTORY_SIZE: u64 = 10 * 1_000_000;

/// A severity, as Core's `BCLog::Level`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum LogLevel {
    /// Very verbose.
    Trace = 0,
    /// The default level of a category.
    Debug = 1,
    /// Always logged.
    Info = 2,
    /// Always logged, tagged `[warning]`.
    Warning = 3,
    /// Always logged, tagged `[error]`.
    Error = 4,
}

impl LogLevel {
    fn name(self) -> &'static str {
        match self {
            LogLevel::Trace => "trace",
            LogLevel::Debug => "debug",
            LogLevel::Info => "info",
            LogLevel::Warning => "warning",
            LogLevel::Error => "error",
        }
    }

    /// A level `-loglevel` may set (info, debug or trace).
    fn settable(s: &str) -> Option<LogLevel> {
        match s {
            "trace" => Some(LogLevel::Trace),
            "debug" => Some(LogLevel::Debug),
            "info" => Some(LogLevel::Info),
            _ => None,
        }
    }

    fn from_tracing(l: &Level) -> LogLevel {
        match *l {
            Level::TRACE => LogLevel::Trace,
            Level::DEBUG => LogLevel::Debug,
            Level::INFO => LogLevel::Info,
            Level::WARN => LogLevel::Warning,
            _ => LogLevel::Error,
        }
    }
}

/// Where and how lines are written.
#[derive(Clone, Debug, Default)]
pub struct LogConfig {
    /// `debug.log`'s path, unless `-nodebuglogfile`.
    pub file: Option<PathBuf>,
    /// `-printtoconsole`.
    pub console: bool,
    /// `-logtimestamps` (default on).
    pub timestamps: bool,
    /// `-logtimemicros`.
    pub micros: bool,
    /// `-logthreadnames`.
    pub thread_names: bool,
    /// `-logsourcelocations`.
    pub source_locations: bool,
    /// `-shrinkdebugfile`.
    pub shrink: bool,
    /// `-loglevelalways`: every line tagged `[category:level]` (`[all:info]` without one).
    pub always_level: bool,
}

/// A logging option's value Core rejects; its text is Core's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct LogOptionError(pub String);

/// The log could not be opened.
#[derive(Debug, thiserror::Error)]
#[error("Could not open debug log file {}", path.display())]
pub struct OpenLogError {
    /// The file.
    pub path: PathBuf,
    /// Why.
    #[source]
    pub source: std::io::Error,
}

struct Logger {
    categories: AtomicU64,
    global_level: RwLock<LogLevel>,
    category_levels: RwLock<Vec<(u64, LogLevel)>>,
    config: RwLock<LogConfig>,
    out: Mutex<Option<File>>,
    reopen: AtomicBool,
    started: AtomicBool,
    /// Lines logged before the file was opened (Core buffers them too).
    pending: Mutex<Vec<String>>,
}

fn logger() -> &'static Logger {
    static LOGGER: OnceLock<Logger> = OnceLock::new();
    LOGGER.get_or_init(|| Logger {
        categories: AtomicU64::new(0),
        global_level: RwLock::new(LogLevel::Debug),
        category_levels: RwLock::new(Vec::new()),
        config: RwLock::new(LogConfig {
            timestamps: true,
            ..LogConfig::default()
        }),
        out: Mutex::new(None),
        reopen: AtomicBool::new(false),
        started: AtomicBool::new(false),
        pending: Mutex::new(Vec::new()),
    })
}

fn category_bit(name: &str) -> Option<u64> {
    if name.is_empty() || name == "1" || name == "all" {
        return Some(ALL);
    }
    CATEGORIES
        .iter()
        .position(|c| *c == name)
        .map(|i| 1u64 << i)
}

/// Turn a category on (`all` or `1` for every one); false if the name is unknown.
pub fn enable_category(name: &str) -> bool {
    match category_bit(name) {
        Some(bit) => {
            logger().categories.fetch_or(bit, Ordering::Relaxed);
            true
        }
        None => false,
    }
}

/// Turn a category off; false if the name is unknown.
pub fn disable_category(name: &str) -> bool {
    match category_bit(name) {
        Some(bit) => {
            logger().categories.fetch_and(!bit, Ordering::Relaxed);
            true
        }
        None => false,
    }
}

/// Every category and whether it is on, as the `logging` RPC reports them.
pub fn category_states() -> Vec<(&'static str, bool)> {
    let on = logger().categories.load(Ordering::Relaxed);
    let mut v: Vec<(&'static str, bool)> = CATEGORIES
        .iter()
        .enumerate()
        .map(|(i, c)| (*c, on & (1 << i) != 0))
        .collect();
    v.sort_by_key(|(c, _)| *c);
    v
}

/// Whether any category is on.
pub fn any_category_enabled() -> bool {
    logger().categories.load(Ordering::Relaxed) != 0
}

/// Whether a line of `category` at `level` would be written.
pub fn will_log(category: Option<&str>, level: LogLevel) -> bool {
    if level >= LogLevel::Info {
        return true;
    }
    let Some(bit) = category.and_then(category_bit) else {
        return false;
    };
    let l = logger();
    if l.categories.load(Ordering::Relaxed) & bit == 0 {
        return false;
    }
    let min = l
        .category_levels
        .read()
        .expect("log level lock is never poisoned: no code panics holding it")
        .iter()
        .find(|(b, _)| *b == bit)
        .map(|(_, lv)| *lv)
        .unwrap_or_else(|| {
            *l.global_level
                .read()
                .expect("log level lock is never poisoned: no code panics holding it")
        });
    level >= min
}

/// Apply `-debug`, `-debugexclude` and `-loglevel` as Core's `SetLoggingCategories` and
/// `SetLoggingLevel` do; errors carry Core's text.
pub fn apply_args(args: &ArgsManager) -> Result<(), LogOptionError> {
    let levels = "info, debug, trace";
    for level_str in args.get_args("-loglevel") {
        // Core's `find_first_of(':', 3)`, on bytes: no slicing inside a character.
        let has_colon = level_str.as_bytes().iter().skip(3).any(|&b| b == b':');
        if !has_colon {
            let Some(level) = LogLevel::settable(&level_str) else {
                return Err(LogOptionError(format!(
                    "Unsupported global logging level -loglevel={level_str}. Valid values: {levels}."
                )));
            };
            *logger()
                .global_level
                .write()
                .expect("log level lock is never poisoned: no code panics holding it") = level;
        } else {
            let toks: Vec<&str> = level_str.split(':').collect();
            let parsed = (toks.len() == 2)
                .then(|| Some((category_bit(toks[0])?, LogLevel::settable(toks[1])?)))
                .flatten();
            let Some((bit, level)) = parsed else {
                return Err(LogOptionError(format!(
                    "Unsupported category-specific logging level -loglevel={level_str}. Expected -loglevel=<category>:<loglevel>. Valid categories: {}. Valid loglevels: {levels}.",
                    categories_string()
                )));
            };
            let mut cl = logger()
                .category_levels
                .write()
                .expect("log level lock is never poisoned: no code panics holding it");
            cl.retain(|(b, _)| *b != bit);
            cl.push((bit, level));
        }
    }
    let cats = args.get_args("-debug");
    let start = cats
        .iter()
        .rposition(|c| c == "0" || c == "none")
        .map_or(0, |p| p + 1);
    for c in &cats[start..] {
        if !enable_category(c) {
            return Err(LogOptionError(format!(
                "Unsupported logging category -debug={c}."
            )));
        }
    }
    for c in args.get_args("-debugexclude") {
        if !disable_category(&c) {
            return Err(LogOptionError(format!(
                "Unsupported logging category -debugexclude={c}."
            )));
        }
    }
    Ok(())
}

/// The categories as Core lists them in error messages: sorted, comma separated.
pub fn categories_string() -> String {
    let mut v: Vec<&str> = CATEGORIES.to_vec();
    v.sort_unstable();
    v.join(", ")
}

/// Install the `tracing` subscriber that writes Core-format lines. Call once per
/// process; lines logged before [`start`] are kept and written when it opens the file.
pub fn install() {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        let _ = tracing_subscriber::registry().with(CoreLayer).try_init();
    });
}

/// Open `debug.log` (shrinking it first when asked) and start writing.
pub fn start(config: LogConfig) -> Result<(), OpenLogError> {
    install();
    let l = logger();
    if let Some(path) = &config.file {
        if config.shrink {
            shrink_debug_file(path);
        }
        let f = open_append(path)?;
        *l.out.lock().expect("log file lock is never poisoned") = Some(f);
    }
    *l.config
        .write()
        .expect("log config lock is never poisoned: no code panics holding it") = config;
    l.started.store(true, Ordering::Release);
    let pending =
        std::mem::take(&mut *l.pending.lock().expect("log buffer lock is never poisoned"));
    for line in pending {
        write_line(&line);
    }
    Ok(())
}

/// Ask for `debug.log` to be re-opened before the next line (SIGHUP, for logrotate).
pub fn request_reopen() {
    logger().reopen.store(true, Ordering::Relaxed);
}

/// Flush and close the log file (at the very end of shutdown).
pub fn flush() {
    if let Some(f) = logger()
        .out
        .lock()
        .expect("log file lock is never poisoned")
        .as_mut()
    {
        let _ = f.flush();
    }
    let _ = std::io::stdout().flush();
}

fn open_append(path: &Path) -> Result<File, OpenLogError> {
    OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|source| OpenLogError {
            path: path.to_owned(),
            source,
        })
}

fn shrink_debug_file(path: &Path) {
    let Ok(meta) = std::fs::metadata(path) else {
        return;
    };
    if meta.len() <= 11 * (RECENT_DEBUG_HISTORY_SIZE / 10) {
        return;
    }
    let Ok(mut f) = File::open(path) else { return };
    if f.seek(SeekFrom::End(-(RECENT_DEBUG_HISTORY_SIZE as i64)))
        .is_err()
    {
        return;
    }
    let mut tail = Vec::with_capacity(RECENT_DEBUG_HISTORY_SIZE as usize);
    if f.read_to_end(&mut tail).is_ok() {
        let _ = std::fs::write(path, tail);
    }
}

fn write_line(line: &str) {
    let l = logger();
    if !l.started.load(Ordering::Acquire) {
        l.pending
            .lock()
            .expect("log buffer lock is never poisoned")
            .push(line.to_owned());
        return;
    }
    let config = l
        .config
        .read()
        .expect("log config lock is never poisoned: no code panics holding it");
    if let Some(path) = &config.file {
        let mut out = l.out.lock().expect("log file lock is never poisoned");
        if l.reopen.swap(false, Ordering::Relaxed)
            && let Ok(f) = open_append(path)
        {
            *out = Some(f);
        }
        if let Some(f) = out.as_mut() {
            let _ = f.write_all(line.as_bytes());
        }
    }
    if config.console {
        let mut stdout = std::io::stdout().lock();
        let _ = stdout.write_all(line.as_bytes());
        let _ = stdout.flush();
    }
}

/// `YYYY-MM-DDThh:mm:ssZ` for seconds since the epoch, as Core's `FormatISO8601DateTime`.
pub fn iso8601(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

/// Core escapes control characters other than newline in log messages.
fn escape_controls(msg: &str) -> String {
    let mut out = String::with_capacity(msg.len());
    for c in msg.chars() {
        if (c as u32) < 0x20 && c != '\n' || c == '\x7f' {
            out.push_str(&format!("\\x{:02x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

struct MessageVisitor(String);

impl Visit for MessageVisitor {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.0.push_str(value);
        } else {
            self.0.push_str(&format!(" {}={}", field.name(), value));
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            self.0.push_str(&format!("{value:?}"));
        } else {
            self.0.push_str(&format!(" {}={:?}", field.name(), value));
        }
    }
}

struct CoreLayer;

impl<S: Subscriber> Layer<S> for CoreLayer {
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let meta = event.metadata();
        let level = LogLevel::from_tracing(meta.level());
        let category = CATEGORIES.iter().copied().find(|c| *c == meta.target());
        if !will_log(category, level) {
            return;
        }
        let mut msg = MessageVisitor(String::new());
        event.record(&mut msg);
        let mut line = String::new();
        {
            let config = logger()
                .config
                .read()
                .expect("log config lock is never poisoned: no code panics holding it");
            if config.timestamps {
                let now = SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .unwrap_or_default();
                let mut ts = iso8601(now.as_secs() as i64);
                if config.micros {
                    ts.pop();
                    ts.push_str(&format!(".{:06}Z", now.subsec_micros()));
                }
                line.push_str(&ts);
                line.push(' ');
            }
            if config.thread_names {
                let t = std::thread::current();
                // The main thread is Core's `init` thread.
                let name = match t.name() {
                    Some("main") => "init",
                    Some(n) => n,
                    None => "unknown",
                };
                line.push_str(&format!("[{name}] "));
            }
            if config.source_locations {
                line.push_str(&format!(
                    "[{}:{}] [{}] ",
                    meta.file().unwrap_or("?"),
                    meta.line().unwrap_or(0),
                    meta.module_path().unwrap_or("?")
                ));
            }
        }
        let always = logger()
            .config
            .read()
            .expect("log config lock is never poisoned: no code panics holding it")
            .always_level;
        match (category, level) {
            (None, l) if always => line.push_str(&format!("[all:{}] ", l.name())),
            (Some(c), l) if always => line.push_str(&format!("[{c}:{}] ", l.name())),
            (None, LogLevel::Info) => {}
            (None, l) => line.push_str(&format!("[{}] ", l.name())),
            (Some(c), LogLevel::Debug) => line.push_str(&format!("[{c}] ")),
            (Some(c), l) => line.push_str(&format!("[{c}:{}] ", l.name())),
        }
        line.push_str(&escape_controls(&msg.0));
        if !line.ends_with('\n') {
            line.push('\n');
        }
        write_line(&line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso8601_matches_known_dates() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso8601(1_511_512_200), "2017-11-24T08:30:00Z");
        assert_eq!(iso8601(1_795_341_600), "2026-11-22T10:00:00Z");
    }

    #[test]
    fn shrink_keeps_the_last_ten_megabytes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("debug.log");
        // Just under the threshold: untouched.
        std::fs::write(&path, vec![b'a'; 11_000_000]).unwrap();
        shrink_debug_file(&path);
        assert_eq!(std::fs::metadata(&path).unwrap().len(), 11_000_000);
        // Over it: the last 10 MB remain.
        let mut big = vec![b'a'; 1_000_001];
        big.extend(vec![b'b'; 10_000_000]);
        std::fs::write(&path, &big).unwrap();
        shrink_debug_file(&path);
        let kept = std::fs::read(&path).unwrap();
        assert_eq!(kept.len(), 10_000_000);
        assert!(kept.iter().all(|&b| b == b'b'));
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(escape_controls("a\x01b\nc"), "a\\x01b\nc");
    }

    #[test]
    fn categories_toggle() {
        assert!(!enable_category("bogus"));
        assert!(enable_category("rpc"));
        assert!(will_log(Some("rpc"), LogLevel::Debug));
        assert!(!will_log(Some("rpc"), LogLevel::Trace));
        assert!(disable_category("rpc"));
        assert!(!will_log(Some("rpc"), LogLevel::Debug));
        assert!(will_log(None, LogLevel::Info));
    }
}
