//! Script verification by Umkoin Core's own interpreter: the C++ sources of Core's
//! consensus library that the `bitcoinconsensus` crate (0.106, Core 26) compiles, called
//! with every spent output (taproot needs them all) through a small C++ shim, so that a
//! failure carries Core's script error text (`ScriptErrorString`), which the crate's C
//! API does not report. No script is interpreted by Rust code here.

use bitcoin::consensus::encode::serialize;
use bitcoin::{Transaction, TxOut};

/// No script flags (Core's `SCRIPT_VERIFY_NONE`).
pub const VERIFY_NONE: u32 = 0;
/// Evaluate P2SH subscripts (BIP16).
pub const VERIFY_P2SH: u32 = 1 << 0;
/// Strict DER signatures (BIP66).
pub const VERIFY_DERSIG: u32 = 1 << 2;
/// A failed CHECKMULTISIG's dummy must be empty (BIP147).
pub const VERIFY_NULLDUMMY: u32 = 1 << 4;
/// OP_CHECKLOCKTIMEVERIFY (BIP65).
pub const VERIFY_CHECKLOCKTIMEVERIFY: u32 = 1 << 9;
/// OP_CHECKSEQUENCEVERIFY (BIP112).
pub const VERIFY_CHECKSEQUENCEVERIFY: u32 = 1 << 10;
/// Segregated witness (BIP141, BIP143, BIP147).
pub const VERIFY_WITNESS: u32 = 1 << 11;
/// Taproot and tapscript (BIP341, BIP342).
pub const VERIFY_TAPROOT: u32 = 1 << 17;
/// Every consensus rule, as Core's regtest enforces from its first blocks.
pub const VERIFY_ALL: u32 = VERIFY_P2SH
    | VERIFY_DERSIG
    | VERIFY_NULLDUMMY
    | VERIFY_CHECKLOCKTIMEVERIFY
    | VERIFY_CHECKSEQUENCEVERIFY
    | VERIFY_WITNESS
    | VERIFY_TAPROOT;

/// Why an input's scripts were not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// The scripts failed; the text is Core's (`ScriptErrorString`), e.g. "Invalid
    /// Schnorr signature".
    #[error("{0}")]
    Script(String),
    /// The call does not describe a transaction and its spent outputs (input index out
    /// of range, one spent output per input missing, bytes that do not parse).
    #[error("input {input} of a transaction with {inputs} inputs and {spent} spent outputs")]
    BadCall {
        /// The input asked for.
        input: usize,
        /// The transaction's inputs.
        inputs: usize,
        /// The spent outputs given.
        spent: usize,
    },
}

unsafe extern "C" {
    fn umkoin_verify_input(
        tx: *const u8,
        tx_len: u32,
        spent_scripts: *const *const u8,
        spent_script_lens: *const u32,
        spent_amounts: *const i64,
        spent_count: u32,
        input: u32,
        flags: u32,
        error: *mut u8,
        error_cap: u32,
    ) -> i32;
}

/// Verifies input `input` of `tx`, which spends `spent` (one output per input, in order),
/// under the script `flags` (see [`VERIFY_ALL`]).
pub fn verify_input(
    tx: &Transaction,
    spent: &[TxOut],
    input: usize,
    flags: u32,
) -> Result<(), VerifyError> {
    // The shim's callees live in the crate's static library; naming the crate keeps it
    // linked.
    let _ = bitcoinconsensus::version;
    let bad_call = || VerifyError::BadCall {
        input,
        inputs: tx.input.len(),
        spent: spent.len(),
    };
    if spent.len() != tx.input.len() || input >= tx.input.len() {
        return Err(bad_call());
    }
    let bytes = serialize(tx);
    let scripts: Vec<*const u8> = spent
        .iter()
        .map(|o| o.script_pubkey.as_bytes().as_ptr())
        .collect();
    let lens: Vec<u32> = spent
        .iter()
        .map(|o| u32::try_from(o.script_pubkey.len()))
        .collect::<Result<_, _>>()
        .map_err(|_| bad_call())?;
    let amounts: Vec<i64> = spent
        .iter()
        .map(|o| i64::try_from(o.value.to_sat()))
        .collect::<Result<_, _>>()
        .map_err(|_| bad_call())?;
    let mut error = [0u8; 256];
    let (Ok(tx_len), Ok(count), Ok(index)) = (
        u32::try_from(bytes.len()),
        u32::try_from(spent.len()),
        u32::try_from(input),
    ) else {
        return Err(bad_call());
    };
    // SAFETY: every pointer points into a live buffer of the length passed with it (the
    // scripts stay borrowed from `spent` for the call); the shim writes at most
    // `error.len()` bytes, NUL included, into `error`, and keeps no pointer after it
    // returns.
    let result = unsafe {
        umkoin_verify_input(
            bytes.as_ptr(),
            tx_len,
            scripts.as_ptr(),
            lens.as_ptr(),
            amounts.as_ptr(),
            count,
            index,
            flags,
            error.as_mut_ptr(),
            error.len() as u32,
        )
    };
    match result {
        1 => Ok(()),
        0 => {
            let end = error.iter().position(|b| *b == 0).unwrap_or(error.len());
            Err(VerifyError::Script(
                String::from_utf8_lossy(&error[..end]).into_owned(),
            ))
        }
        _ => Err(bad_call()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bitcoin::hashes::Hash;
    use bitcoin::key::{Keypair, TapTweak};
    use bitcoin::secp256k1::{Message, Secp256k1, SecretKey};
    use bitcoin::sighash::{EcdsaSighashType, Prevouts, SighashCache, TapSighashType};
    use bitcoin::{
        Amount, CompressedPublicKey, OutPoint, ScriptBuf, Sequence, TxIn, Txid, Witness, absolute,
        transaction,
    };

    const FALSE_TOP: &str =
        "Script evaluated without error but finished with a false/empty top stack element";

    fn spending(witness: Witness) -> Transaction {
        Transaction {
            version: transaction::Version::TWO,
            lock_time: absolute::LockTime::ZERO,
            input: vec![TxIn {
                previous_output: OutPoint::new(Txid::from_byte_array([7; 32]), 0),
                script_sig: ScriptBuf::new(),
                sequence: Sequence::MAX,
                witness,
            }],
            output: vec![TxOut {
                value: Amount::from_sat(90_000),
                script_pubkey: ScriptBuf::new_op_return([]),
            }],
        }
    }

    fn coin(script_pubkey: ScriptBuf) -> TxOut {
        TxOut {
            value: Amount::from_sat(100_000),
            script_pubkey,
        }
    }

    #[test]
    fn witness_script_hash_of_op_true() {
        let op_true = ScriptBuf::from_bytes(vec![0x51]);
        let spent = coin(ScriptBuf::new_p2wsh(&op_true.wscript_hash()));
        let tx = spending(Witness::from_slice(&[op_true.as_bytes()]));
        assert_eq!(
            verify_input(&tx, std::slice::from_ref(&spent), 0, VERIFY_ALL),
            Ok(())
        );
        // The wrong witness script: Core's text for it.
        let tx = spending(Witness::from_slice(&[[0x52u8]]));
        assert_eq!(
            verify_input(&tx, &[spent], 0, VERIFY_ALL),
            Err(VerifyError::Script("Witness program hash mismatch".into()))
        );
    }

    #[test]
    fn a_false_script_fails_with_cores_text() {
        let tx = spending(Witness::new());
        let spent = coin(ScriptBuf::from_bytes(vec![0x00]));
        assert_eq!(
            verify_input(&tx, &[spent], 0, VERIFY_ALL),
            Err(VerifyError::Script(FALSE_TOP.into()))
        );
    }

    #[test]
    fn segwit_v0_signatures_commit_to_the_amount() {
        let secp = Secp256k1::new();
        let key = SecretKey::from_slice(&[0x11; 32]).expect("a valid key");
        let public = CompressedPublicKey(key.public_key(&secp));
        let spent = coin(ScriptBuf::new_p2wpkh(&public.wpubkey_hash()));
        let mut tx = spending(Witness::new());
        let sighash = SighashCache::new(&tx)
            .p2wpkh_signature_hash(0, &spent.script_pubkey, spent.value, EcdsaSighashType::All)
            .expect("one input");
        let signature = bitcoin::ecdsa::Signature::sighash_all(
            secp.sign_ecdsa(&Message::from_digest(sighash.to_byte_array()), &key),
        );
        tx.input[0].witness = Witness::p2wpkh(&signature, &public.0);
        assert_eq!(
            verify_input(&tx, std::slice::from_ref(&spent), 0, VERIFY_ALL),
            Ok(())
        );
        let other_amount = TxOut {
            value: Amount::from_sat(100_001),
            ..spent
        };
        assert_eq!(
            verify_input(&tx, &[other_amount], 0, VERIFY_ALL),
            Err(VerifyError::Script(FALSE_TOP.into()))
        );
    }

    #[test]
    fn taproot_key_path_rejects_a_bad_signature() {
        let secp = Secp256k1::new();
        let keypair = Keypair::from_seckey_slice(&secp, &[0x22; 32]).expect("a valid key");
        let (internal, _) = keypair.x_only_public_key();
        let spent = coin(ScriptBuf::new_p2tr(&secp, internal, None));
        let mut tx = spending(Witness::new());
        let sighash = SighashCache::new(&tx)
            .taproot_key_spend_signature_hash(
                0,
                &Prevouts::All(std::slice::from_ref(&spent)),
                TapSighashType::Default,
            )
            .expect("one input");
        let tweaked = keypair.tap_tweak(&secp, None).to_keypair();
        let signature =
            secp.sign_schnorr_no_aux_rand(&Message::from_digest(sighash.to_byte_array()), &tweaked);
        let mut bytes = signature.serialize().to_vec();
        tx.input[0].witness = Witness::from_slice(&[&bytes]);
        assert_eq!(
            verify_input(&tx, std::slice::from_ref(&spent), 0, VERIFY_ALL),
            Ok(())
        );
        bytes[10] ^= 1;
        tx.input[0].witness = Witness::from_slice(&[&bytes]);
        assert_eq!(
            verify_input(&tx, std::slice::from_ref(&spent), 0, VERIFY_ALL),
            Err(VerifyError::Script("Invalid Schnorr signature".into()))
        );
        // Before taproot's rules apply, a v1 program is anyone-can-spend.
        assert_eq!(
            verify_input(&tx, &[spent], 0, VERIFY_ALL & !VERIFY_TAPROOT),
            Ok(())
        );
    }

    #[test]
    fn a_call_without_every_spent_output_is_refused() {
        let tx = spending(Witness::new());
        assert!(matches!(
            verify_input(&tx, &[], 0, VERIFY_ALL),
            Err(VerifyError::BadCall { .. })
        ));
        let spent = coin(ScriptBuf::from_bytes(vec![0x51]));
        assert!(matches!(
            verify_input(&tx, &[spent], 1, VERIFY_ALL),
            Err(VerifyError::BadCall { .. })
        ));
    }
}
