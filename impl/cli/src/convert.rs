//! Which RPC parameters `umkoin-cli` sends as JSON rather than as strings, and how it
//! turns command-line words into a request's `params`, positional or `-named`, as
//! Umkoin Core's `rpc/client.cpp` does. The table is data: it lists every method Core
//! has, so that the client already converts right for methods a node gains later.

use crate::json::Value;

/// How a parameter's word is sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Parsed as JSON; a word that is not JSON is an error.
    Json,
    /// Sent as the string it is (listed so that `-named` knows its name).
    Str,
    /// Parsed as JSON if it is JSON, else sent as a string.
    JsonOrStr,
}

/// One table row: a method's parameter by position and name.
#[derive(Clone, Copy, Debug)]
pub struct ConvertParam {
    /// The RPC method.
    pub method: &'static str,
    /// The 0-based position.
    pub index: usize,
    /// The parameter's name (or an option's name inside an options object).
    pub name: &'static str,
    /// How the word is sent.
    pub format: Format,
}

const fn p(method: &'static str, index: usize, name: &'static str, format: Format) -> ConvertParam {
    ConvertParam {
        method,
        index,
        name,
        format,
    }
}

use Format::{Json, JsonOrStr, Str};

/// Core's `vRPCConvertParams`, in Core's order.
#[rustfmt::skip]
pub static CONVERT_PARAMS: &[ConvertParam] = &[
    p("setmocktime", 0, "timestamp", Json),
    p("mockscheduler", 0, "delta_time", Json),
    p("utxoupdatepsbt", 0, "psbt", Str),
    p("utxoupdatepsbt", 1, "descriptors", Json),
    p("generatetoaddress", 0, "nblocks", Json),
    p("generatetoaddress", 2, "maxtries", Json),
    p("generatetodescriptor", 0, "num_blocks", Json),
    p("generatetodescriptor", 2, "maxtries", Json),
    p("generateblock", 1, "transactions", Json),
    p("generateblock", 2, "submit", Json),
    p("getnetworkhashps", 0, "nblocks", Json),
    p("getnetworkhashps", 1, "height", Json),
    p("sendtoaddress", 0, "address", Str),
    p("sendtoaddress", 1, "amount", Json),
    p("sendtoaddress", 2, "comment", Str),
    p("sendtoaddress", 3, "comment_to", Str),
    p("sendtoaddress", 4, "subtractfeefromamount", Json),
    p("sendtoaddress", 5, "replaceable", Json),
    p("sendtoaddress", 6, "conf_target", Json),
    p("sendtoaddress", 7, "estimate_mode", Str),
    p("sendtoaddress", 8, "avoid_reuse", Json),
    p("sendtoaddress", 9, "fee_rate", Json),
    p("sendtoaddress", 10, "verbose", Json),
    p("getreceivedbyaddress", 1, "minconf", Json),
    p("getreceivedbyaddress", 2, "include_immature_coinbase", Json),
    p("getreceivedbylabel", 0, "label", Str),
    p("getreceivedbylabel", 1, "minconf", Json),
    p("getreceivedbylabel", 2, "include_immature_coinbase", Json),
    p("listreceivedbyaddress", 0, "minconf", Json),
    p("listreceivedbyaddress", 1, "include_empty", Json),
    p("listreceivedbyaddress", 2, "include_watchonly", Json),
    p("listreceivedbyaddress", 4, "include_immature_coinbase", Json),
    p("listreceivedbylabel", 0, "minconf", Json),
    p("listreceivedbylabel", 1, "include_empty", Json),
    p("listreceivedbylabel", 2, "include_watchonly", Json),
    p("listreceivedbylabel", 3, "include_immature_coinbase", Json),
    p("getbalance", 1, "minconf", Json),
    p("getbalance", 2, "include_watchonly", Json),
    p("getbalance", 3, "avoid_reuse", Json),
    p("getblockfrompeer", 1, "peer_id", Json),
    p("getblockhash", 0, "height", Json),
    p("waitforblockheight", 0, "height", Json),
    p("waitforblockheight", 1, "timeout", Json),
    p("waitforblock", 1, "timeout", Json),
    p("waitfornewblock", 0, "timeout", Json),
    p("listtransactions", 0, "label", Str),
    p("listtransactions", 1, "count", Json),
    p("listtransactions", 2, "skip", Json),
    p("listtransactions", 3, "include_watchonly", Json),
    p("walletpassphrase", 0, "passphrase", Str),
    p("walletpassphrase", 1, "timeout", Json),
    p("getblocktemplate", 0, "template_request", Json),
    p("listsinceblock", 0, "blockhash", Str),
    p("listsinceblock", 1, "target_confirmations", Json),
    p("listsinceblock", 2, "include_watchonly", Json),
    p("listsinceblock", 3, "include_removed", Json),
    p("listsinceblock", 4, "include_change", Json),
    p("listsinceblock", 5, "label", Str),
    p("sendmany", 0, "dummy", Str),
    p("sendmany", 1, "amounts", Json),
    p("sendmany", 2, "minconf", Json),
    p("sendmany", 3, "comment", Str),
    p("sendmany", 4, "subtractfeefrom", Json),
    p("sendmany", 5, "replaceable", Json),
    p("sendmany", 6, "conf_target", Json),
    p("sendmany", 7, "estimate_mode", Str),
    p("sendmany", 8, "fee_rate", Json),
    p("sendmany", 9, "verbose", Json),
    p("deriveaddresses", 1, "range", Json),
    p("scanblocks", 1, "scanobjects", Json),
    p("scanblocks", 2, "start_height", Json),
    p("scanblocks", 3, "stop_height", Json),
    p("scanblocks", 5, "options", Json),
    p("scanblocks", 5, "filter_false_positives", Json),
    p("getdescriptoractivity", 0, "blockhashes", Json),
    p("getdescriptoractivity", 1, "scanobjects", Json),
    p("getdescriptoractivity", 2, "include_mempool", Json),
    p("scantxoutset", 1, "scanobjects", Json),
    p("createmultisig", 0, "nrequired", Json),
    p("createmultisig", 1, "keys", Json),
    p("listunspent", 0, "minconf", Json),
    p("listunspent", 1, "maxconf", Json),
    p("listunspent", 2, "addresses", Json),
    p("listunspent", 3, "include_unsafe", Json),
    p("listunspent", 4, "query_options", Json),
    p("listunspent", 4, "minimumAmount", Json),
    p("listunspent", 4, "maximumAmount", Json),
    p("listunspent", 4, "maximumCount", Json),
    p("listunspent", 4, "minimumSumAmount", Json),
    p("listunspent", 4, "include_immature_coinbase", Json),
    p("getblock", 1, "verbosity", Json),
    p("getblock", 1, "verbose", Json),
    p("getblockheader", 1, "verbose", Json),
    p("getchaintxstats", 0, "nblocks", Json),
    p("gettransaction", 1, "include_watchonly", Json),
    p("gettransaction", 2, "verbose", Json),
    p("getrawtransaction", 1, "verbosity", Json),
    p("getrawtransaction", 1, "verbose", Json),
    p("createrawtransaction", 0, "inputs", Json),
    p("createrawtransaction", 1, "outputs", Json),
    p("createrawtransaction", 2, "locktime", Json),
    p("createrawtransaction", 3, "replaceable", Json),
    p("createrawtransaction", 4, "version", Json),
    p("decoderawtransaction", 1, "iswitness", Json),
    p("signrawtransactionwithkey", 1, "privkeys", Json),
    p("signrawtransactionwithkey", 2, "prevtxs", Json),
    p("signrawtransactionwithwallet", 1, "prevtxs", Json),
    p("sendrawtransaction", 1, "maxfeerate", Json),
    p("sendrawtransaction", 2, "maxburnamount", Json),
    p("testmempoolaccept", 0, "rawtxs", Json),
    p("testmempoolaccept", 1, "maxfeerate", Json),
    p("submitpackage", 0, "package", Json),
    p("submitpackage", 1, "maxfeerate", Json),
    p("submitpackage", 2, "maxburnamount", Json),
    p("combinerawtransaction", 0, "txs", Json),
    p("fundrawtransaction", 1, "options", Json),
    p("fundrawtransaction", 1, "add_inputs", Json),
    p("fundrawtransaction", 1, "include_unsafe", Json),
    p("fundrawtransaction", 1, "minconf", Json),
    p("fundrawtransaction", 1, "maxconf", Json),
    p("fundrawtransaction", 1, "changePosition", Json),
    p("fundrawtransaction", 1, "includeWatching", Json),
    p("fundrawtransaction", 1, "lockUnspents", Json),
    p("fundrawtransaction", 1, "fee_rate", Json),
    p("fundrawtransaction", 1, "feeRate", Json),
    p("fundrawtransaction", 1, "subtractFeeFromOutputs", Json),
    p("fundrawtransaction", 1, "input_weights", Json),
    p("fundrawtransaction", 1, "conf_target", Json),
    p("fundrawtransaction", 1, "replaceable", Json),
    p("fundrawtransaction", 1, "solving_data", Json),
    p("fundrawtransaction", 1, "max_tx_weight", Json),
    p("fundrawtransaction", 2, "iswitness", Json),
    p("walletcreatefundedpsbt", 0, "inputs", Json),
    p("walletcreatefundedpsbt", 1, "outputs", Json),
    p("walletcreatefundedpsbt", 2, "locktime", Json),
    p("walletcreatefundedpsbt", 3, "options", Json),
    p("walletcreatefundedpsbt", 3, "add_inputs", Json),
    p("walletcreatefundedpsbt", 3, "include_unsafe", Json),
    p("walletcreatefundedpsbt", 3, "minconf", Json),
    p("walletcreatefundedpsbt", 3, "maxconf", Json),
    p("walletcreatefundedpsbt", 3, "changePosition", Json),
    p("walletcreatefundedpsbt", 3, "includeWatching", Json),
    p("walletcreatefundedpsbt", 3, "lockUnspents", Json),
    p("walletcreatefundedpsbt", 3, "fee_rate", Json),
    p("walletcreatefundedpsbt", 3, "feeRate", Json),
    p("walletcreatefundedpsbt", 3, "subtractFeeFromOutputs", Json),
    p("walletcreatefundedpsbt", 3, "conf_target", Json),
    p("walletcreatefundedpsbt", 3, "replaceable", Json),
    p("walletcreatefundedpsbt", 3, "solving_data", Json),
    p("walletcreatefundedpsbt", 3, "max_tx_weight", Json),
    p("walletcreatefundedpsbt", 4, "bip32derivs", Json),
    p("walletcreatefundedpsbt", 5, "version", Json),
    p("walletprocesspsbt", 0, "psbt", Str),
    p("walletprocesspsbt", 1, "sign", Json),
    p("walletprocesspsbt", 2, "sighashtype", Str),
    p("walletprocesspsbt", 3, "bip32derivs", Json),
    p("walletprocesspsbt", 4, "finalize", Json),
    p("descriptorprocesspsbt", 0, "psbt", Str),
    p("descriptorprocesspsbt", 1, "descriptors", Json),
    p("descriptorprocesspsbt", 2, "sighashtype", Str),
    p("descriptorprocesspsbt", 3, "bip32derivs", Json),
    p("descriptorprocesspsbt", 4, "finalize", Json),
    p("createpsbt", 0, "inputs", Json),
    p("createpsbt", 1, "outputs", Json),
    p("createpsbt", 2, "locktime", Json),
    p("createpsbt", 3, "replaceable", Json),
    p("createpsbt", 4, "version", Json),
    p("combinepsbt", 0, "txs", Json),
    p("joinpsbts", 0, "txs", Json),
    p("finalizepsbt", 0, "psbt", Str),
    p("finalizepsbt", 1, "extract", Json),
    p("converttopsbt", 1, "permitsigdata", Json),
    p("converttopsbt", 2, "iswitness", Json),
    p("gettxout", 1, "n", Json),
    p("gettxout", 2, "include_mempool", Json),
    p("gettxoutproof", 0, "txids", Json),
    p("gettxoutsetinfo", 1, "hash_or_height", JsonOrStr),
    p("gettxoutsetinfo", 2, "use_index", Json),
    p("dumptxoutset", 0, "path", Str),
    p("dumptxoutset", 1, "type", Str),
    p("dumptxoutset", 2, "options", Json),
    p("dumptxoutset", 2, "rollback", JsonOrStr),
    p("lockunspent", 0, "unlock", Json),
    p("lockunspent", 1, "transactions", Json),
    p("lockunspent", 2, "persistent", Json),
    p("send", 0, "outputs", Json),
    p("send", 1, "conf_target", Json),
    p("send", 3, "fee_rate", Json),
    p("send", 4, "options", Json),
    p("send", 4, "add_inputs", Json),
    p("send", 4, "include_unsafe", Json),
    p("send", 4, "minconf", Json),
    p("send", 4, "maxconf", Json),
    p("send", 4, "add_to_wallet", Json),
    p("send", 4, "change_position", Json),
    p("send", 4, "fee_rate", Json),
    p("send", 4, "include_watching", Json),
    p("send", 4, "inputs", Json),
    p("send", 4, "locktime", Json),
    p("send", 4, "lock_unspents", Json),
    p("send", 4, "psbt", Json),
    p("send", 4, "subtract_fee_from_outputs", Json),
    p("send", 4, "conf_target", Json),
    p("send", 4, "replaceable", Json),
    p("send", 4, "solving_data", Json),
    p("send", 4, "max_tx_weight", Json),
    p("send", 5, "version", Json),
    p("sendall", 0, "recipients", Json),
    p("sendall", 1, "conf_target", Json),
    p("sendall", 3, "fee_rate", Json),
    p("sendall", 4, "options", Json),
    p("sendall", 4, "add_to_wallet", Json),
    p("sendall", 4, "fee_rate", Json),
    p("sendall", 4, "include_watching", Json),
    p("sendall", 4, "inputs", Json),
    p("sendall", 4, "locktime", Json),
    p("sendall", 4, "lock_unspents", Json),
    p("sendall", 4, "psbt", Json),
    p("sendall", 4, "send_max", Json),
    p("sendall", 4, "minconf", Json),
    p("sendall", 4, "maxconf", Json),
    p("sendall", 4, "conf_target", Json),
    p("sendall", 4, "replaceable", Json),
    p("sendall", 4, "solving_data", Json),
    p("sendall", 4, "version", Json),
    p("simulaterawtransaction", 0, "rawtxs", Json),
    p("simulaterawtransaction", 1, "options", Json),
    p("simulaterawtransaction", 1, "include_watchonly", Json),
    p("importmempool", 0, "filepath", Str),
    p("importmempool", 1, "options", Json),
    p("importmempool", 1, "apply_fee_delta_priority", Json),
    p("importmempool", 1, "use_current_time", Json),
    p("importmempool", 1, "apply_unbroadcast_set", Json),
    p("importdescriptors", 0, "requests", Json),
    p("listdescriptors", 0, "private", Json),
    p("verifychain", 0, "checklevel", Json),
    p("verifychain", 1, "nblocks", Json),
    p("getblockstats", 0, "hash_or_height", JsonOrStr),
    p("getblockstats", 1, "stats", Json),
    p("pruneblockchain", 0, "height", Json),
    p("keypoolrefill", 0, "newsize", Json),
    p("getrawmempool", 0, "verbose", Json),
    p("getrawmempool", 1, "mempool_sequence", Json),
    p("getorphantxs", 0, "verbosity", Json),
    p("estimatesmartfee", 0, "conf_target", Json),
    p("estimaterawfee", 0, "conf_target", Json),
    p("estimaterawfee", 1, "threshold", Json),
    p("prioritisetransaction", 1, "dummy", Json),
    p("prioritisetransaction", 2, "fee_delta", Json),
    p("setban", 2, "bantime", Json),
    p("setban", 3, "absolute", Json),
    p("setnetworkactive", 0, "state", Json),
    p("setwalletflag", 1, "value", Json),
    p("getmempoolancestors", 1, "verbose", Json),
    p("getmempooldescendants", 1, "verbose", Json),
    p("gettxspendingprevout", 0, "outputs", Json),
    p("gettxspendingprevout", 1, "options", Json),
    p("gettxspendingprevout", 1, "mempool_only", Json),
    p("gettxspendingprevout", 1, "return_spending_tx", Json),
    p("bumpfee", 1, "options", Json),
    p("bumpfee", 1, "conf_target", Json),
    p("bumpfee", 1, "fee_rate", Json),
    p("bumpfee", 1, "replaceable", Json),
    p("bumpfee", 1, "outputs", Json),
    p("bumpfee", 1, "original_change_index", Json),
    p("psbtbumpfee", 1, "options", Json),
    p("psbtbumpfee", 1, "conf_target", Json),
    p("psbtbumpfee", 1, "fee_rate", Json),
    p("psbtbumpfee", 1, "replaceable", Json),
    p("psbtbumpfee", 1, "outputs", Json),
    p("psbtbumpfee", 1, "original_change_index", Json),
    p("logging", 0, "include", Json),
    p("logging", 1, "exclude", Json),
    p("disconnectnode", 1, "nodeid", Json),
    p("gethdkeys", 0, "active_only", Json),
    p("gethdkeys", 0, "options", Json),
    p("gethdkeys", 0, "private", Json),
    p("createwalletdescriptor", 1, "options", Json),
    p("createwalletdescriptor", 1, "internal", Json),
    p("echojson", 0, "arg0", Json),
    p("echojson", 1, "arg1", Json),
    p("echojson", 2, "arg2", Json),
    p("echojson", 3, "arg3", Json),
    p("echojson", 4, "arg4", Json),
    p("echojson", 5, "arg5", Json),
    p("echojson", 6, "arg6", Json),
    p("echojson", 7, "arg7", Json),
    p("echojson", 8, "arg8", Json),
    p("echojson", 9, "arg9", Json),
    p("rescanblockchain", 0, "start_height", Json),
    p("rescanblockchain", 1, "stop_height", Json),
    p("createwallet", 0, "wallet_name", Str),
    p("createwallet", 1, "disable_private_keys", Json),
    p("createwallet", 2, "blank", Json),
    p("createwallet", 3, "passphrase", Str),
    p("createwallet", 4, "avoid_reuse", Json),
    p("createwallet", 5, "descriptors", Json),
    p("createwallet", 6, "load_on_startup", Json),
    p("createwallet", 7, "external_signer", Json),
    p("restorewallet", 0, "wallet_name", Str),
    p("restorewallet", 1, "backup_file", Str),
    p("restorewallet", 2, "load_on_startup", Json),
    p("loadwallet", 0, "filename", Str),
    p("loadwallet", 1, "load_on_startup", Json),
    p("unloadwallet", 0, "wallet_name", Str),
    p("unloadwallet", 1, "load_on_startup", Json),
    p("getnodeaddresses", 0, "count", Json),
    p("addpeeraddress", 1, "port", Json),
    p("addpeeraddress", 2, "tried", Json),
    p("sendmsgtopeer", 0, "peer_id", Json),
    p("stop", 0, "wait", Json),
    p("addnode", 2, "v2transport", Json),
    p("addconnection", 2, "v2transport", Json),
    p("decodepsbt", 0, "psbt", Str),
    p("analyzepsbt", 0, "psbt", Str),
    p("verifymessage", 1, "signature", Str),
    p("verifymessage", 2, "message", Str),
    p("getnewaddress", 0, "label", Str),
    p("getnewaddress", 1, "address_type", Str),
    p("backupwallet", 0, "destination", Str),
    p("echoipc", 0, "arg", Str),
    p("encryptwallet", 0, "passphrase", Str),
    p("getaddressesbylabel", 0, "label", Str),
    p("loadtxoutset", 0, "path", Str),
    p("migratewallet", 0, "wallet_name", Str),
    p("migratewallet", 1, "passphrase", Str),
    p("setlabel", 1, "label", Str),
    p("signmessage", 1, "message", Str),
    p("signmessagewithprivkey", 1, "message", Str),
    p("walletpassphrasechange", 0, "oldpassphrase", Str),
    p("walletpassphrasechange", 1, "newpassphrase", Str),
];

/// A parameter word that should be JSON and is not; the text is Core's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConvertError(pub String);

impl std::fmt::Display for ConvertError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConvertError {}

fn from_position(method: &str, pos: usize) -> Option<&'static ConvertParam> {
    CONVERT_PARAMS
        .iter()
        .find(|p| p.method == method && p.index == pos)
}

fn from_name(method: &str, name: &str) -> Option<&'static ConvertParam> {
    CONVERT_PARAMS
        .iter()
        .find(|p| p.method == method && p.name == name)
}

fn parse_param(param: Option<&ConvertParam>, raw: &str) -> Result<Value, ConvertError> {
    match param.map(|p| p.format) {
        Some(Json) => Value::parse(raw.as_bytes())
            .ok_or_else(|| ConvertError(format!("Error parsing JSON: {raw}"))),
        Some(JsonOrStr) => Ok(Value::parse(raw.as_bytes()).unwrap_or_else(|| raw.into())),
        Some(Str) | None => Ok(raw.into()),
    }
}

/// Positional `params` for `method` from the words after it (Core's `RPCConvertValues`).
pub fn convert_values(method: &str, words: &[String]) -> Result<Value, ConvertError> {
    let mut params = Vec::with_capacity(words.len());
    for w in words {
        params.push(parse_param(from_position(method, params.len()), w)?);
    }
    Ok(Value::Arr(params))
}

/// Named `params` for `method` (Core's `RPCConvertNamedValues`): `name=value` words are
/// named, other words positional and collected under `args`; a word whose name is not
/// a parameter of `method` stays positional when the next positional parameter is a
/// string, or is JSON and the whole word parses as JSON.
pub fn convert_named_values(method: &str, words: &[String]) -> Result<Value, ConvertError> {
    let mut params = Value::object();
    let mut positional: Vec<Value> = Vec::new();
    for w in words {
        let Some(eq) = w.find('=') else {
            positional.push(parse_param(from_position(method, positional.len()), w)?);
            continue;
        };
        let (name, value) = (&w[..eq], &w[eq + 1..]);
        let named = from_name(method, name);
        if named.is_none() {
            let next = from_position(method, positional.len());
            match next.map(|p| p.format) {
                Some(Json) => {
                    if let Some(v) = Value::parse(w.as_bytes()) {
                        positional.push(v);
                        continue;
                    }
                }
                Some(Str) => {
                    positional.push(w.as_str().into());
                    continue;
                }
                _ => {}
            }
        }
        params.push_kv(name, parse_param(named, value)?);
    }
    if !positional.is_empty() {
        params.push_kv_end("args", Value::Arr(positional));
    }
    Ok(params)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(w: &[&str]) -> Vec<String> {
        w.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn positional_conversion() {
        assert_eq!(
            convert_values("getblockhash", &words(&["0"]))
                .unwrap()
                .write(),
            "[0]"
        );
        assert_eq!(
            convert_values("echo", &words(&["0", "[1]"]))
                .unwrap()
                .write(),
            r#"["0","[1]"]"#
        );
        assert_eq!(
            convert_values("echojson", &words(&["[1]", "{\"a\":null}"]))
                .unwrap()
                .write(),
            r#"[[1],{"a":null}]"#
        );
        assert_eq!(
            convert_values("getblockhash", &words(&["x"]))
                .unwrap_err()
                .0,
            "Error parsing JSON: x"
        );
        assert_eq!(
            convert_values("getblockstats", &words(&["abc", "[\"height\"]"]))
                .unwrap()
                .write(),
            r#"["abc",["height"]]"#
        );
        assert_eq!(
            convert_values("getblockstats", &words(&["5"]))
                .unwrap()
                .write(),
            "[5]"
        );
    }

    #[test]
    fn named_conversion() {
        let named = |m: &str, w: &[&str]| convert_named_values(m, &words(w)).unwrap().write();
        assert_eq!(named("getblockhash", &["height=0"]), r#"{"height":0}"#);
        assert_eq!(named("echo", &["x=1", "y"]), r#"{"x":"1","args":["y"]}"#);
        assert_eq!(
            named("echo", &["a", "b=1", "args=2"]),
            r#"{"b":"1","args":"2","args":["a"]}"#
        );
        assert_eq!(
            named("echojson", &["arg0=1", "2", "3"]),
            r#"{"arg0":1,"args":[2,3]}"#
        );
        assert_eq!(
            named("createwallet", &["my=wallet"]),
            r#"{"args":["my=wallet"]}"#
        );
        assert_eq!(named("echojson", &["[\"=\"]"]), r#"{"args":[["="]]}"#);
        assert_eq!(named("stop", &["wait=1", "wait=2"]), r#"{"wait":2}"#);
    }
}
