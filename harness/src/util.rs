//! Polling, timeouts and small assertion helpers shared by the rest of the harness.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use anyhow::{Result, bail};

/// The environment variable that scales every timeout, as Core's `--timeout-factor`.
///
/// `0` means "practically no timeouts" (a factor of 999, as Core does); unset means 1.
pub const TIMEOUT_FACTOR_ENV: &str = "TIMEOUT_FACTOR";

/// How long a node may take to answer RPC after it was started, before scaling (Core's
/// `rpc_timeout`).
pub const RPC_TIMEOUT: Duration = Duration::from_secs(60);

/// How long a node may take to exit after `stop`, before scaling (Core's
/// `UMKOIND_PROC_WAIT_TIMEOUT`).
pub const PROCESS_WAIT_TIMEOUT: Duration = Duration::from_secs(60);

/// The factor every timeout is multiplied by, read once from [`TIMEOUT_FACTOR_ENV`].
pub fn timeout_factor() -> f64 {
    static FACTOR: OnceLock<f64> = OnceLock::new();
    *FACTOR.get_or_init(|| {
        match std::env::var(TIMEOUT_FACTOR_ENV)
            .ok()
            .and_then(|v| v.trim().parse::<f64>().ok())
        {
            Some(0.0) => 999.0,
            Some(f) if f > 0.0 && f.is_finite() => f,
            _ => 1.0,
        }
    })
}

/// `timeout` multiplied by [`timeout_factor`].
pub fn scaled(timeout: Duration) -> Duration {
    timeout.mul_f64(timeout_factor())
}

/// A sleep schedule for polling loops: starts at 5 ms, doubles up to 100 ms.
#[derive(Debug, Clone)]
pub struct Backoff {
    next: Duration,
}

impl Backoff {
    const FIRST: Duration = Duration::from_millis(5);
    const MAX: Duration = Duration::from_millis(100);

    /// A fresh schedule.
    pub fn new() -> Self {
        Backoff { next: Self::FIRST }
    }

    /// Sleeps for the current step (never past `deadline`) and advances the schedule.
    pub fn sleep_until_next(&mut self, deadline: Instant) {
        let left = deadline.saturating_duration_since(Instant::now());
        std::thread::sleep(self.next.min(left));
        self.next = (self.next * 2).min(Self::MAX);
    }
}

impl Default for Backoff {
    fn default() -> Self {
        Self::new()
    }
}

/// Polls `predicate` until it returns true, or fails after `timeout` (scaled by
/// [`timeout_factor`]). Sleeps a short, growing interval (5 ms to 100 ms) between polls.
pub fn wait_until(mut predicate: impl FnMut() -> bool, timeout: Duration) -> Result<()> {
    try_wait_until(|| Ok(predicate()), timeout)
}

/// As [`wait_until`], for a predicate that can fail: its first error ends the wait and is
/// returned.
pub fn try_wait_until(
    mut predicate: impl FnMut() -> Result<bool>,
    timeout: Duration,
) -> Result<()> {
    let timeout = scaled(timeout);
    let deadline = Instant::now() + timeout;
    let mut backoff = Backoff::new();
    loop {
        if predicate()? {
            return Ok(());
        }
        if Instant::now() >= deadline {
            bail!("predicate not true after {:.1}s", timeout.as_secs_f64());
        }
        backoff.sleep_until_next(deadline);
    }
}

/// Fails unless `left == right`, naming both (Core's `assert_equal`, as an error rather than
/// a panic so that test bodies can use `?`).
pub fn assert_equal<T: PartialEq + std::fmt::Debug>(left: T, right: T) -> Result<()> {
    if left != right {
        bail!("not equal: {left:?} != {right:?}");
    }
    Ok(())
}

/// The last `n` lines of `text`.
pub(crate) fn last_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.len().saturating_sub(n);
    lines[start..].join("\n")
}

/// Indents every line of `text` with `prefix`, for nested diagnostics.
pub(crate) fn indent(text: &str, prefix: &str) -> String {
    text.lines()
        .map(|l| format!("{prefix}{l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wait_until_returns_when_true_and_fails_after_timeout() {
        let mut n = 0;
        wait_until(
            || {
                n += 1;
                n >= 3
            },
            Duration::from_secs(5),
        )
        .unwrap();
        assert_eq!(n, 3);
        let err = wait_until(|| false, Duration::from_millis(30)).unwrap_err();
        assert!(err.to_string().contains("predicate not true"));
    }

    #[test]
    fn try_wait_until_propagates_errors() {
        let err = try_wait_until(|| bail!("boom"), Duration::from_secs(1)).unwrap_err();
        assert_eq!(err.to_string(), "boom");
    }

    #[test]
    fn last_lines_takes_the_tail() {
        assert_eq!(last_lines("a\nb\nc\n", 2), "b\nc");
        assert_eq!(last_lines("a", 5), "a");
    }
}
