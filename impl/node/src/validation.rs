//! Consensus checks of Umkoin Core's `consensus/tx_check.cpp`, `validation.cpp` and
//! `consensus/tx_verify.cpp`, as pure functions with Core's reject reasons. What needs
//! the chain (coins, heights, times) takes it as arguments; scripts are verified by
//! `umkoin-consensus` (Core's own interpreter), not here.

use std::collections::HashSet;

use bitcoin::Transaction;

/// Core's `MAX_BLOCK_WEIGHT`.
pub const MAX_BLOCK_WEIGHT: u64 = 4_000_000;
/// Core's `WITNESS_SCALE_FACTOR`.
pub const WITNESS_SCALE_FACTOR: u64 = 4;
/// Core's `MAX_MONEY`: 21 million UMK, in satoshis.
pub const MAX_MONEY: i64 = 21_000_000 * 100_000_000;

/// Core's `CheckTransaction`: the checks that need no context. Returns Core's reject
/// reason for the first one `tx` fails.
pub fn check_transaction(tx: &Transaction) -> Result<(), &'static str> {
    if tx.input.is_empty() {
        return Err("bad-txns-vin-empty");
    }
    if tx.output.is_empty() {
        return Err("bad-txns-vout-empty");
    }
    // Without the witness, which has not been checked for malleability yet.
    if tx.base_size() as u64 * WITNESS_SCALE_FACTOR > MAX_BLOCK_WEIGHT {
        return Err("bad-txns-oversize");
    }
    let mut total: i64 = 0;
    for out in &tx.output {
        // A value is a signed 64-bit number on the wire (Core's `CAmount`).
        let value = out.value.to_sat() as i64;
        if value < 0 {
            return Err("bad-txns-vout-negative");
        }
        if value > MAX_MONEY {
            return Err("bad-txns-vout-toolarge");
        }
        total += value;
        if !(0..=MAX_MONEY).contains(&total) {
            return Err("bad-txns-txouttotal-toolarge");
        }
    }
    let mut seen = HashSet::with_capacity(tx.input.len());
    if !tx.input.iter().all(|i| seen.insert(i.previous_output)) {
        return Err("bad-txns-inputs-duplicate");
    }
    if tx.is_coinbase() {
        let len = tx.input[0].script_sig.len();
        if !(2..=100).contains(&len) {
            return Err("bad-cb-length");
        }
    } else if tx.input.iter().any(|i| i.previous_output.is_null()) {
        return Err("bad-txns-prevout-null");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use bitcoin::hashes::Hash;
    use bitcoin::{
        Amount, OutPoint, ScriptBuf, Sequence, TxIn, TxOut, Txid, Witness, absolute, transaction,
    };

    fn input(n: u8) -> TxIn {
        TxIn {
            previous_output: OutPoint::new(Txid::from_byte_array([n; 32]), 0),
            script_sig: ScriptBuf::new(),
            sequence: Sequence::MAX,
            witness: Witness::new(),
        }
    }

    fn output(sats: u64) -> TxOut {
        TxOut {
            value: Amount::from_sat(sats),
            script_pubkey: ScriptBuf::from_bytes(vec![0x51]),
        }
    }

    fn tx(input: Vec<TxIn>, output: Vec<TxOut>) -> Transaction {
        Transaction {
            version: transaction::Version::TWO,
            lock_time: absolute::LockTime::ZERO,
            input,
            output,
        }
    }

    #[test]
    fn each_rule_gives_cores_reason() {
        let max = MAX_MONEY as u64;
        assert_eq!(
            check_transaction(&tx(vec![input(1)], vec![output(1)])),
            Ok(())
        );
        assert_eq!(
            check_transaction(&tx(vec![], vec![output(1)])),
            Err("bad-txns-vin-empty")
        );
        assert_eq!(
            check_transaction(&tx(vec![input(1)], vec![])),
            Err("bad-txns-vout-empty")
        );
        // -1 on the wire: all bits set.
        assert_eq!(
            check_transaction(&tx(vec![input(1)], vec![output(u64::MAX)])),
            Err("bad-txns-vout-negative")
        );
        assert_eq!(
            check_transaction(&tx(vec![input(1)], vec![output(max + 1)])),
            Err("bad-txns-vout-toolarge")
        );
        assert_eq!(
            check_transaction(&tx(vec![input(1)], vec![output(max)])),
            Ok(())
        );
        assert_eq!(
            check_transaction(&tx(vec![input(1)], vec![output(max), output(1)])),
            Err("bad-txns-txouttotal-toolarge")
        );
        assert_eq!(
            check_transaction(&tx(vec![input(1), input(2), input(1)], vec![output(1)])),
            Err("bad-txns-inputs-duplicate")
        );
        let mut null = input(0);
        null.previous_output = OutPoint::null();
        assert_eq!(
            check_transaction(&tx(vec![input(1), null.clone()], vec![output(1)])),
            Err("bad-txns-prevout-null")
        );
        // A coinbase's scriptSig is 2 to 100 bytes.
        for (len, ok) in [(1, false), (2, true), (100, true), (101, false)] {
            let mut cb = null.clone();
            cb.script_sig = ScriptBuf::from_bytes(vec![0x51; len]);
            let got = check_transaction(&tx(vec![cb], vec![output(1)]));
            assert_eq!(got.is_ok(), ok, "{len}: {got:?}");
            if !ok {
                assert_eq!(got, Err("bad-cb-length"));
            }
        }
        // Oversize counts the bytes without the witness: 1 MB of outputs is too much.
        let big = TxOut {
            value: Amount::ZERO,
            script_pubkey: ScriptBuf::from_bytes(vec![0x6a; 10_000]),
        };
        assert_eq!(
            check_transaction(&tx(vec![input(1)], vec![big; 101])),
            Err("bad-txns-oversize")
        );
    }
}
