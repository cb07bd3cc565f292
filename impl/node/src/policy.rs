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
    /// `-mempoolexpiry` in seconds: transactions older than this leave.
    pub expiry_secs: i64,
    /// `-blockmintxfee` in satoshis per kvB: block assembly stops at the first chunk
    /// paying less.
    pub block_min_fee_per_kvb: i64,
    /// `-blockmaxweight`: the heaviest block assembly makes.
    pub block_max_weight: u64,
    /// `-blockreservedweight`: what block assembly keeps for the header and coinbase.
    pub block_reserved_weight: u64,
    /// `-dustrelayfee` in satoshis per kvB: the fee rate that defines dust.
    pub dust_relay_fee_per_kvb: i64,
    /// `-bytespersigop`: the virtual bytes a signature operation counts for.
    pub bytes_per_sigop: u64,
}

impl MempoolOptions {
    /// The weight block assembly may fill with transactions: Core's `nBlockMaxWeight`
    /// (clamped between the reserved weight and the consensus maximum) less the reserved
    /// weight.
    pub fn block_weight_for_transactions(&self) -> u64 {
        const MAX_BLOCK_WEIGHT: u64 = 4_000_000;
        let max = self
            .block_max_weight
            .clamp(self.block_reserved_weight, MAX_BLOCK_WEIGHT);
        max - self.block_reserved_weight
    }
}

/// Core's `MAX_CLUSTER_COUNT_LIMIT`.
pub const MAX_CLUSTER_COUNT_LIMIT: i64 = 64;

/// A fee rate as Core's `CFeeRate::ToString`: `0.00001000 UMK/kvB`.
fn fee_rate_string(sats_per_kvb: i64) -> String {
    format!(
        "{}.{:08} UMK/kvB",
        sats_per_kvb / 100_000_000,
        sats_per_kvb % 100_000_000
    )
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
    /// Read and check the options as Core's `ApplyArgsManOptions` and the mempool's
    /// constructor do; the error is Core's init error text. `test_chain`: regtest and
    /// test chains allow `-acceptnonstdtxn`.
    pub fn from_args(args: &ArgsManager) -> Result<MempoolOptions, String> {
        Self::from_args_for(args, true)
    }

    /// As [`MempoolOptions::from_args`], for a chain that is or is not a test chain.
    pub fn from_args_for(args: &ArgsManager, test_chain: bool) -> Result<MempoolOptions, String> {
        let fee = |name: &str, default: i64| -> Result<i64, String> {
            match args.get_arg(name) {
                None => Ok(default),
                Some(v) => parse_money(&v)
                    .ok_or_else(|| format!("Invalid amount for {name}=<amount>: '{v}'")),
            }
        };
        let incremental = fee("-incrementalrelayfee", 100)?;
        let mut min_relay = fee("-minrelaytxfee", 100)?;
        if args.get_arg("-minrelaytxfee").is_none() && incremental > min_relay {
            min_relay = incremental;
            tracing::info!(
                "Increasing minrelaytxfee to {} to match incrementalrelayfee",
                fee_rate_string(min_relay)
            );
        }
        fee("-dustrelayfee", 300)?;
        if !test_chain && args.get_bool_arg("-acceptnonstdtxn", false) {
            return Err("acceptnonstdtxn is not currently supported for main chain".to_owned());
        }
        let max_mb = args.get_int_arg("-maxmempool", 300);
        let cluster_count = args.get_int_arg("-limitclustercount", 64);
        let cluster_kvb = args.get_int_arg("-limitclustersize", 101);
        let datacarrier = if args.get_bool_arg("-datacarrier", true) {
            args.get_int_arg("-datacarriersize", 100_000)
        } else {
            0
        };
        if cluster_count > MAX_CLUSTER_COUNT_LIMIT {
            return Err(format!(
                "limitclustercount must be less than or equal to {MAX_CLUSTER_COUNT_LIMIT}"
            ));
        }
        let max_size_bytes = max_mb.saturating_mul(1_000_000);
        let cluster_limit_bytes = cluster_kvb.saturating_mul(1000).saturating_mul(40);
        if max_size_bytes < 0 || (max_size_bytes > 0 && max_size_bytes < cluster_limit_bytes) {
            return Err(format!(
                "-maxmempool must be at least {} MB",
                (cluster_limit_bytes as f64 / 1_000_000.0).ceil() as i64
            ));
        }
        // Core's block creation options, checked as Core's AppInitParameterInteraction.
        const MAX_BLOCK_WEIGHT: i64 = 4_000_000;
        let block_max_weight = args.get_int_arg("-blockmaxweight", MAX_BLOCK_WEIGHT);
        if block_max_weight > MAX_BLOCK_WEIGHT {
            return Err(format!(
                "Specified -blockmaxweight ({block_max_weight}) exceeds consensus maximum block weight ({MAX_BLOCK_WEIGHT})"
            ));
        }
        let block_reserved_weight = args.get_int_arg("-blockreservedweight", 8000);
        if block_reserved_weight > MAX_BLOCK_WEIGHT {
            return Err(format!(
                "Specified -blockreservedweight ({block_reserved_weight}) exceeds consensus maximum block weight ({MAX_BLOCK_WEIGHT})"
            ));
        }
        if block_reserved_weight < 2000 {
            return Err(format!(
                "Specified -blockreservedweight ({block_reserved_weight}) is lower than minimum safety value of (2000)"
            ));
        }
        let block_max_weight = block_max_weight.max(0);
        Ok(MempoolOptions {
            max_size_bytes,
            min_relay_fee_per_kvb: min_relay,
            incremental_relay_fee_per_kvb: incremental,
            permit_bare_multisig: args.get_bool_arg("-permitbaremultisig", true),
            max_datacarrier_bytes: datacarrier,
            limit_cluster_count: cluster_count,
            limit_cluster_size_bytes: cluster_kvb.saturating_mul(1000),
            expiry_secs: args.get_int_arg("-mempoolexpiry", 336).saturating_mul(3600),
            block_min_fee_per_kvb: fee("-blockmintxfee", 1)?,
            block_max_weight: block_max_weight as u64,
            block_reserved_weight: block_reserved_weight as u64,
            dust_relay_fee_per_kvb: fee("-dustrelayfee", 3000)?,
            bytes_per_sigop: u64::try_from(args.get_int_arg("-bytespersigop", 20)).unwrap_or(0),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(args: &[&str]) -> Result<MempoolOptions, String> {
        let mut a = ArgsManager::new(umkoin_common::options::Bins::DAEMON);
        a.parse_parameters(args).unwrap();
        MempoolOptions::from_args(&a)
    }

    #[test]
    fn option_checks_match_core() {
        assert_eq!(
            opts(&["-maxmempool=1"]).unwrap_err(),
            "-maxmempool must be at least 5 MB"
        );
        assert_eq!(
            opts(&["-limitclustercount=65"]).unwrap_err(),
            "limitclustercount must be less than or equal to 64"
        );
        assert_eq!(
            opts(&["-dustrelayfee=x"]).unwrap_err(),
            "Invalid amount for -dustrelayfee=<amount>: 'x'"
        );
        // -incrementalrelayfee raises an unset -minrelaytxfee with it.
        let o = opts(&["-incrementalrelayfee=0.00002"]).unwrap();
        assert_eq!(o.min_relay_fee_per_kvb, 2000);
        let o = opts(&["-incrementalrelayfee=0.00002", "-minrelaytxfee=0.00001"]).unwrap();
        assert_eq!(o.min_relay_fee_per_kvb, 1000);
        assert_eq!(opts(&["-maxmempool=0"]).unwrap().max_size_bytes, 0);
    }

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
