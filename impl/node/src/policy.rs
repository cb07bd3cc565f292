//! Mempool policy settings read from the options, as Core reads them, validated at
//! start-up with Core's messages. The mempool that applies them comes later; today
//! they are reported by `getmempoolinfo`.

use umkoin_common::args::ArgsManager;

/// The mempool settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MempoolOptions {
    /// `-maxmempool` in bytes.
    pub max_size_bytes: i64,
    /// `-minrelaytxfee` in satoshis per kvB.
    pub min_relay_fee_per_kvb: i64,
    /// `-incrementalrelayfee` in satoshis per kvB.
    pub incremental_relay_fee_per_kvb: i64,
    /// `-permitbaremultisig`.
    pub permit_bare_multisig: bool,
    /// `-datacarriersize`, or 0 with `-datacarrier=0`.
    pub max_datacarrier_bytes: i64,
    /// `-limitclustercount`.
    pub limit_cluster_count: i64,
    /// `-limitclustersize` in bytes.
    pub limit_cluster_size_bytes: i64,
}

/// Core's `ParseMoney`: a decimal amount with at most 8 decimals, in satoshis.
pub fn parse_money(s: &str) -> Option<i64> {
    let s = s.trim();
    if s.is_empty() || s.starts_with('-') || s.starts_with('+') {
        return None;
    }
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    if frac.len() > 8
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || whole.len() > 10
        || (whole.is_empty() && frac.is_empty())
    {
        return None;
    }
    let w: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let f: i64 = format!("{frac:0<8}").parse().ok()?;
    let v = w.checked_mul(100_000_000)?.checked_add(f)?;
    (v <= 21_000_000 * 100_000_000).then_some(v)
}

impl MempoolOptions {
    /// Read and check the options; the error is Core's init error text.
    pub fn from_args(args: &ArgsManager) -> Result<MempoolOptions, String> {
        let fee = |name: &str, default: i64| -> Result<i64, String> {
            match args.get_arg(name) {
                None => Ok(default),
                Some(v) => parse_money(&v)
                    .ok_or_else(|| format!("Invalid amount for {name}=<amount>: '{v}'")),
            }
        };
        let min_relay = fee("-minrelaytxfee", 100)?;
        let incremental = fee("-incrementalrelayfee", 100)?;
        let max_mb = args.get_int_arg("-maxmempool", 300);
        let cluster_count = args.get_int_arg("-limitclustercount", 64);
        let cluster_kvb = args.get_int_arg("-limitclustersize", 101);
        let datacarrier = if args.get_bool_arg("-datacarrier", true) {
            args.get_int_arg("-datacarriersize", 100_000)
        } else {
            0
        };
        Ok(MempoolOptions {
            max_size_bytes: max_mb.saturating_mul(1_000_000),
            min_relay_fee_per_kvb: min_relay,
            incremental_relay_fee_per_kvb: incremental,
            permit_bare_multisig: args.get_bool_arg("-permitbaremultisig", true),
            max_datacarrier_bytes: datacarrier,
            limit_cluster_count: cluster_count,
            limit_cluster_size_bytes: cluster_kvb.saturating_mul(1000),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_parses_like_core() {
        assert_eq!(parse_money("0.00001"), Some(1000));
        assert_eq!(parse_money("1"), Some(100_000_000));
        assert_eq!(parse_money(".5"), Some(50_000_000));
        assert_eq!(parse_money("0.000000001"), None);
        assert_eq!(parse_money("abc"), None);
        assert_eq!(parse_money("-1"), None);
        assert_eq!(parse_money("21000001"), None);
    }
}
