//! What `umkoin-cli` sends and how it reads the answer, per mode, as Umkoin Core's
//! request handlers: one RPC call; `-getinfo` (a batch of four calls turned into a
//! summary); `-netinfo` (a peers dashboard); `-addrinfo` (address counts per network);
//! `-generate` (generatetoaddress to a fresh address).

use std::collections::HashMap;

use umkoin_interfaces::chain::ChainType;

use crate::convert::{convert_named_values, convert_values};
use crate::json::{JsonError, NULL, Value};

/// The client's version as Core prints it (`FormatFullVersion`).
pub const CLIENT_VERSION: &str = umkoin_common::version::FULL_VERSION;
/// Core's `CLIENT_NAME`.
pub const CLIENT_NAME: &str = umkoin_common::version::CLIENT_NAME;

/// Core's `NETINFO_MAX_LEVEL`.
const NETINFO_MAX_LEVEL: u8 = 4;
/// Network names as the node reports them, in Core's order.
const NETWORKS: [&str; 7] = [
    "not_publicly_routable",
    "ipv4",
    "ipv6",
    "onion",
    "i2p",
    "cjdns",
    "internal",
];
const NETWORK_SHORT_NAMES: [&str; 7] = ["npr", "ipv4", "ipv6", "onion", "i2p", "cjdns", "int"];
const UNREACHABLE_NETWORK_IDS: [usize; 2] = [0, 6];

fn network_id(name: &str) -> Option<usize> {
    NETWORKS.iter().position(|n| *n == name)
}

/// A failure with Core's message (printed after `error: `).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure(pub String);

impl From<JsonError> for Failure {
    fn from(e: JsonError) -> Self {
        Failure(e.0)
    }
}

impl From<crate::convert::ConvertError> for Failure {
    fn from(e: crate::convert::ConvertError) -> Self {
        Failure(e.0)
    }
}

/// Turns the command line into a request and the answer into a reply object.
pub trait RequestHandler {
    /// The request (an object, or a batch array).
    fn prepare(&mut self, method: &str, args: &[String]) -> Result<Value, Failure>;
    /// The reply object with `result` or `error`, made from the parsed body.
    fn process(&mut self, reply: Value) -> Result<Value, Failure>;
}

/// Core's `JSONRPCRequestObj`.
pub fn request_obj(method: &str, params: Value, id: Value) -> Value {
    Value::Obj(vec![
        ("method".to_owned(), Value::from(method)),
        ("params".to_owned(), params),
        ("id".to_owned(), id),
        ("jsonrpc".to_owned(), Value::from("2.0")),
    ])
}

/// Core's `JSONRPCReplyObj` for a JSON-RPC 2.0 success with id 1.
fn reply_obj(result: Value) -> Value {
    Value::Obj(vec![
        ("jsonrpc".to_owned(), Value::from("2.0")),
        ("result".to_owned(), result),
        ("id".to_owned(), Value::int(1)),
    ])
}

/// Core's `JSONRPCProcessBatchReply`: the replies ordered by id.
fn process_batch_reply(batch: &Value) -> Result<Vec<Value>, Failure> {
    let Value::Arr(items) = batch else {
        return Err(Failure("Batch must be an array".to_owned()));
    };
    let mut out = vec![Value::Null; items.len()];
    for rec in items {
        if !rec.is_object() {
            return Err(Failure("Batch member must be an object".to_owned()));
        }
        let id = rec.get("id").get_int::<i32>()?;
        let id = usize::try_from(id).unwrap_or(usize::MAX);
        if id >= out.len() {
            return Err(Failure(
                "Batch member id is larger than batch size".to_owned(),
            ));
        }
        out[id] = rec.clone();
    }
    Ok(out)
}

/// One RPC call (Core's `DefaultRequestHandler`).
pub struct Default {
    /// `-named`: send `name=value` words by name.
    pub named: bool,
}

impl RequestHandler for Default {
    fn prepare(&mut self, method: &str, args: &[String]) -> Result<Value, Failure> {
        let params = if self.named {
            convert_named_values(method, args)?
        } else {
            convert_values(method, args)?
        };
        Ok(request_obj(method, params, Value::int(1)))
    }

    fn process(&mut self, reply: Value) -> Result<Value, Failure> {
        reply.get_obj()?;
        Ok(reply)
    }
}

/// `-getinfo` (Core's `GetinfoRequestHandler`).
pub struct GetInfo;

const ID_NETWORKINFO: usize = 0;
const ID_BLOCKCHAININFO: usize = 1;
const ID_WALLETINFO: usize = 2;
const ID_BALANCES: usize = 3;

impl RequestHandler for GetInfo {
    fn prepare(&mut self, _method: &str, args: &[String]) -> Result<Value, Failure> {
        if !args.is_empty() {
            return Err(Failure("-getinfo takes no arguments".to_owned()));
        }
        Ok(Value::Arr(vec![
            request_obj("getnetworkinfo", Value::Null, Value::int(0)),
            request_obj("getblockchaininfo", Value::Null, Value::int(1)),
            request_obj("getwalletinfo", Value::Null, Value::int(2)),
            request_obj("getbalances", Value::Null, Value::int(3)),
        ]))
    }

    fn process(&mut self, reply: Value) -> Result<Value, Failure> {
        let batch = process_batch_reply(&reply)?;
        let at = |i: usize| batch.get(i).unwrap_or(&NULL);
        // Errors in getnetworkinfo and getblockchaininfo are the answer; the wallet
        // calls may fail (no wallet).
        if !at(ID_NETWORKINFO).get("error").is_null() {
            return Ok(at(ID_NETWORKINFO).clone());
        }
        if !at(ID_BLOCKCHAININFO).get("error").is_null() {
            return Ok(at(ID_BLOCKCHAININFO).clone());
        }
        let net = at(ID_NETWORKINFO).get("result");
        let chain = at(ID_BLOCKCHAININFO).get("result");
        let wallet = at(ID_WALLETINFO).get("result");
        let balances = at(ID_BALANCES).get("result");
        let mut r = Value::object();
        r.push_kv("version", net.get("version").clone());
        r.push_kv("blocks", chain.get("blocks").clone());
        r.push_kv("headers", chain.get("headers").clone());
        r.push_kv(
            "verificationprogress",
            chain.get("verificationprogress").clone(),
        );
        r.push_kv("timeoffset", net.get("timeoffset").clone());
        let mut connections = Value::object();
        connections.push_kv("in", net.get("connections_in").clone());
        connections.push_kv("out", net.get("connections_out").clone());
        connections.push_kv("total", net.get("connections").clone());
        r.push_kv("connections", connections);
        r.push_kv("networks", net.get("networks").clone());
        r.push_kv("difficulty", chain.get("difficulty").clone());
        r.push_kv("chain", chain.get("chain").clone());
        if !wallet.is_null() {
            r.push_kv("has_wallet", Value::Bool(true));
            r.push_kv("keypoolsize", wallet.get("keypoolsize").clone());
            r.push_kv("walletname", wallet.get("walletname").clone());
            if !wallet.get("unlocked_until").is_null() {
                r.push_kv("unlocked_until", wallet.get("unlocked_until").clone());
            }
        }
        if !balances.is_null() {
            r.push_kv("balance", balances.get("mine").get("trusted").clone());
        }
        r.push_kv("relayfee", net.get("relayfee").clone());
        r.push_kv("warnings", net.get("warnings").clone());
        Ok(reply_obj(r))
    }
}

/// Core's `GetProgressBar`: 5% steps of ▒, the rest ░.
fn progress_bar(progress: f64) -> String {
    let mut bar = String::new();
    if !(0.0..=1.0).contains(&progress) {
        return bar;
    }
    const INCREMENT: f64 = 0.05;
    let mut i = 0;
    while f64::from(i) < progress / INCREMENT {
        bar.push('\u{2592}');
        i += 1;
    }
    let mut i = 0;
    while f64::from(i) < (1.0 - progress) / INCREMENT {
        bar.push('\u{2591}');
        i += 1;
    }
    bar
}

/// Core's `ParseGetInfoResult`: the `-getinfo` summary as text.
pub fn format_getinfo(result: &Value, colorize: bool) -> Result<String, Failure> {
    let (reset, green, blue, yellow, magenta, cyan) = if colorize {
        (
            "\x1B[0m", "\x1B[32m", "\x1B[34m", "\x1B[33m", "\x1B[35m", "\x1B[36m",
        )
    } else {
        ("", "", "", "", "", "")
    };
    let mut s = format!("{blue}Chain: {}{reset}\n", result.get("chain").val_str());
    s += &format!("Blocks: {}\n", result.get("blocks").val_str());
    s += &format!("Headers: {}\n", result.get("headers").val_str());
    let progress = result.get("verificationprogress").get_real()?;
    let mut bar = String::new();
    if progress < 0.99 {
        bar = progress_bar(progress);
        bar.push(' ');
    }
    s += &format!("Verification progress: {bar}{:.4}%\n", progress * 100.0);
    s += &format!("Difficulty: {}\n\n", result.get("difficulty").val_str());
    let conn = result.get("connections");
    s += &format!(
        "{green}Network: in {}, out {}, total {}{reset}\n",
        conn.get("in").val_str(),
        conn.get("out").val_str(),
        conn.get("total").val_str()
    );
    s += &format!("Version: {}\n", result.get("version").val_str());
    s += &format!("Time offset (s): {}\n", result.get("timeoffset").val_str());

    let mut proxy_networks: HashMap<String, Vec<String>> = HashMap::new();
    let mut ordered: Vec<String> = Vec::new();
    for network in result.get("networks").values()? {
        let proxy = network.get("proxy").val_str();
        if proxy.is_empty() {
            continue;
        }
        if !proxy_networks.contains_key(&proxy) {
            ordered.push(proxy.clone());
        }
        proxy_networks
            .entry(proxy)
            .or_default()
            .push(network.get("name").val_str());
    }
    let formatted: Vec<String> = ordered
        .iter()
        .map(|p| format!("{p} ({})", proxy_networks[p].join(", ")))
        .collect();
    s += &format!(
        "Proxies: {}\n",
        if formatted.is_empty() {
            "n/a".to_owned()
        } else {
            formatted.join(", ")
        }
    );
    s += &format!(
        "Min tx relay fee rate (UMK/kvB): {}\n\n",
        result.get("relayfee").val_str()
    );
    if !result.get("has_wallet").is_null() {
        let name = result.get("walletname").val_str();
        let name = if name.is_empty() {
            "\"\"".to_owned()
        } else {
            name
        };
        s += &format!("{magenta}Wallet: {name}{reset}\n");
        s += &format!("Keypool size: {}\n", result.get("keypoolsize").val_str());
        if !result.get("unlocked_until").is_null() {
            s += &format!(
                "Unlocked until: {}\n",
                result.get("unlocked_until").val_str()
            );
        }
    }
    if !result.get("balance").is_null() {
        s += &format!(
            "{cyan}Balance:{reset} {}\n\n",
            result.get("balance").val_str()
        );
    }
    let balances = result.get("balances");
    if !balances.is_null() {
        s += &format!("{cyan}Balances{reset}\n");
        let keys = balances.keys()?;
        let mut width = 10usize;
        for k in &keys {
            width = width.max(balances.get(k).val_str().len());
        }
        for k in &keys {
            let name = if k.is_empty() { "\"\"" } else { k };
            s += &format!("{:>width$} {name}\n", balances.get(k).val_str());
        }
        s.push('\n');
    }
    let warnings = result.get("warnings").val_str();
    let warnings = if warnings.is_empty() {
        "(none)".to_owned()
    } else {
        warnings
    };
    s += &format!("{yellow}Warnings:{reset} {warnings}");
    Ok(s)
}

/// `-addrinfo` (Core's `AddrinfoRequestHandler`).
pub struct AddrInfo;

impl RequestHandler for AddrInfo {
    fn prepare(&mut self, _method: &str, args: &[String]) -> Result<Value, Failure> {
        if !args.is_empty() {
            return Err(Failure("-addrinfo takes no arguments".to_owned()));
        }
        let params = convert_values("getnodeaddresses", &["0".to_owned()])?;
        Ok(request_obj("getnodeaddresses", params, Value::int(1)))
    }

    fn process(&mut self, reply: Value) -> Result<Value, Failure> {
        if !reply.get("error").is_null() {
            return Ok(reply);
        }
        let nodes = reply.get("result").values()?;
        if nodes.first().is_some_and(|n| n.get("network").is_null()) {
            return Err(Failure(
                "-addrinfo requires umkoind server to be running v22.0 and up".to_owned(),
            ));
        }
        let mut counts = [0u64; NETWORKS.len()];
        for node in nodes {
            if let Some(id) = network_id(node.get("network").get_str()?) {
                counts[id] += 1;
            }
        }
        let mut addresses = Value::object();
        let mut total = 0u64;
        for i in 1..NETWORKS.len() - 1 {
            addresses.push_kv(NETWORKS[i], Value::Num(counts[i].to_string()));
            total += counts[i];
        }
        addresses.push_kv("total", Value::Num(total.to_string()));
        let mut result = Value::object();
        result.push_kv("addresses_known", addresses);
        Ok(reply_obj(result))
    }
}

/// `-generate` after its address is known (Core's `GenerateToAddressRequestHandler`).
pub struct GenerateToAddress {
    /// The address the blocks pay to.
    pub address: String,
}

impl RequestHandler for GenerateToAddress {
    fn prepare(&mut self, _method: &str, args: &[String]) -> Result<Value, Failure> {
        if let Some(a) = args.get(1) {
            self.address = a.clone();
        }
        let params = convert_values("generatetoaddress", args)?;
        Ok(request_obj("generatetoaddress", params, Value::int(1)))
    }

    fn process(&mut self, reply: Value) -> Result<Value, Failure> {
        let blocks = reply.get_obj()?.get("result").clone();
        let mut result = Value::object();
        result.push_kv("address", Value::from(self.address.as_str()));
        result.push_kv("blocks", blocks);
        Ok(reply_obj(result))
    }
}

/// Core's `DEFAULT_NBLOCKS`.
const DEFAULT_NBLOCKS: &str = "1";

/// Core's `SetGenerateToAddressArgs`: `[nblocks, address, maxtries]`.
pub fn set_generate_to_address_args(address: &str, args: &mut Vec<String>) -> Result<(), Failure> {
    if args.len() > 2 {
        return Err(Failure(
            "too many arguments (maximum 2 for nblocks and maxtries)".to_owned(),
        ));
    }
    if args.is_empty() {
        args.push(DEFAULT_NBLOCKS.to_owned());
    } else if args[0] == "0" {
        return Err(Failure(format!(
            "the first argument (number of blocks to generate, default: {DEFAULT_NBLOCKS}) must be an integer value greater than zero"
        )));
    }
    args.insert(1, address.to_owned());
    Ok(())
}

/// One peer's row of the `-netinfo` dashboard.
struct Peer {
    addr: String,
    sub_version: String,
    conn_type: String,
    network: &'static str,
    age: String,
    services: String,
    transport_protocol_type: String,
    min_ping: f64,
    ping: f64,
    addr_processed: i64,
    addr_rate_limited: i64,
    last_blck: i64,
    last_recv: i64,
    last_send: i64,
    last_trxn: i64,
    id: i32,
    mapped_as: i32,
    version: i32,
    is_addr_relay_enabled: bool,
    is_bip152_hb_from: bool,
    is_bip152_hb_to: bool,
    is_outbound: bool,
    is_tx_relay: bool,
}

/// `-netinfo` (Core's `NetinfoRequestHandler`).
pub struct NetInfo {
    chain: ChainType,
    counts: [[u16; NETWORKS.len() + 1]; 3],
    block_relay_peers_count: u8,
    manual_peers_count: u8,
    details_level: u8,
    outbound_only_selected: bool,
    is_asmap_on: bool,
    max_addr_length: usize,
    max_addr_processed_length: usize,
    max_addr_rate_limited_length: usize,
    max_age_length: usize,
    max_id_length: usize,
    max_services_length: usize,
    peers: Vec<Peer>,
}

/// Core's `ToIntegral<uint8_t>`: digits only, in range.
fn to_u8(s: &str) -> Option<u8> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

impl NetInfo {
    /// A dashboard for a node on `chain`.
    pub fn new(chain: ChainType) -> Self {
        NetInfo {
            chain,
            counts: [[0; NETWORKS.len() + 1]; 3],
            block_relay_peers_count: 0,
            manual_peers_count: 0,
            details_level: 0,
            outbound_only_selected: false,
            is_asmap_on: false,
            max_addr_length: 0,
            max_addr_processed_length: 5,
            max_addr_rate_limited_length: 6,
            max_age_length: 5,
            max_id_length: 2,
            max_services_length: 6,
            peers: Vec::new(),
        }
    }

    fn details_requested(&self) -> bool {
        self.details_level != 0
    }

    fn is_address_selected(&self) -> bool {
        self.details_level == 2 || self.details_level == 4
    }

    fn is_version_selected(&self) -> bool {
        self.details_level == 3 || self.details_level == 4
    }

    fn chain_to_string(&self) -> &'static str {
        match self.chain {
            ChainType::Testnet4 => " testnet4",
            ChainType::Testnet => " testnet",
            ChainType::Signet => " signet",
            ChainType::Regtest => " regtest",
            ChainType::Main => "",
        }
    }

    fn ping_time_to_string(seconds: f64) -> String {
        if seconds < 0.0 {
            return String::new();
        }
        let ms = (1000.0 * seconds).round();
        if ms > 999_999.0 {
            "-".to_owned()
        } else {
            // At most six digits: C++ streams print it as the integer it is.
            format!("{}", ms as i64)
        }
    }

    fn connection_type(conn_type: &str) -> &'static str {
        match conn_type {
            "outbound-full-relay" => "full",
            "block-relay-only" => "block",
            "manual" => "manual",
            "feeler" => "feeler",
            "addr-fetch" => "addr",
            "private-broadcast" => "priv",
            _ => "",
        }
    }

    fn format_services(services: &Value) -> Result<String, Failure> {
        let mut out = String::new();
        for s in services.values().unwrap_or_default() {
            let s = s.get_str()?;
            out.push(match s {
                "NETWORK_LIMITED" => 'l',
                "P2P_V2" => '2',
                _ => s.chars().next().map_or('\0', |c| c.to_ascii_lowercase()),
            });
        }
        Ok(out)
    }

    fn services_list(services: &Value) -> Result<String, Failure> {
        let items = services.values().unwrap_or_default();
        let mut out = String::new();
        for (i, s) in items.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            out.push_str(s.get_str()?);
        }
        Ok(out
            .chars()
            .map(|c| {
                if c == '_' {
                    ' '
                } else {
                    c.to_ascii_lowercase()
                }
            })
            .collect())
    }

    /// Core's `-netinfo help` text.
    pub fn help_doc() -> String {
        NETINFO_HELP.replace("{MAX}", &NETINFO_MAX_LEVEL.to_string())
    }
}

fn int_or(v: &Value, default: i64) -> Result<i64, Failure> {
    if v.is_null() {
        Ok(default)
    } else {
        Ok(v.get_int::<i64>()?)
    }
}

impl RequestHandler for NetInfo {
    fn prepare(&mut self, _method: &str, args: &[String]) -> Result<Value, Failure> {
        if let Some(first) = args.first() {
            let Some(n) = to_u8(first) else {
                return Err(Failure(format!(
                    "invalid -netinfo level argument: {first}\nFor more information, run: umkoin-cli -netinfo help"
                )));
            };
            self.details_level = n.min(NETINFO_MAX_LEVEL);
            if let Some(s) = args.get(1) {
                if n != 0 && (s == "o" || s == "outonly") {
                    self.outbound_only_selected = true;
                } else if n != 0 {
                    return Err(Failure(format!(
                        "invalid -netinfo outonly argument: {s}\nFor more information, run: umkoin-cli -netinfo help"
                    )));
                } else {
                    return Err(Failure(format!(
                        "invalid -netinfo outonly argument: {s}\nThe outonly argument is only valid for a level greater than 0 (the first argument). For more information, run: umkoin-cli -netinfo help"
                    )));
                }
            }
        }
        Ok(Value::Arr(vec![
            request_obj("getpeerinfo", Value::Null, Value::int(0)),
            request_obj("getnetworkinfo", Value::Null, Value::int(1)),
        ]))
    }

    fn process(&mut self, reply: Value) -> Result<Value, Failure> {
        let batch = process_batch_reply(&reply)?;
        let at = |i: usize| batch.get(i).unwrap_or(&NULL);
        if !at(0).get("error").is_null() {
            return Ok(at(0).clone());
        }
        if !at(1).get("error").is_null() {
            return Ok(at(1).clone());
        }
        let networkinfo = at(1).get("result");
        if networkinfo.get("version").get_int::<i32>()? < 209_900 {
            return Err(Failure(
                "-netinfo requires umkoind server to be running v0.21.0 and up".to_owned(),
            ));
        }
        let time_now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));

        for peer in at(0).get("result").values()? {
            let network = peer.get("network").get_str()?;
            let Some(network_id) = network_id(network) else {
                continue;
            };
            let is_outbound = !peer.get("inbound").get_bool()?;
            let is_tx_relay = if peer.get("relaytxes").is_null() {
                true
            } else {
                peer.get("relaytxes").get_bool()?
            };
            let conn_type = peer.get("connection_type").get_str()?.to_owned();
            let dir = usize::from(is_outbound);
            self.counts[dir][network_id] += 1;
            self.counts[dir][NETWORKS.len()] += 1;
            self.counts[2][network_id] += 1;
            self.counts[2][NETWORKS.len()] += 1;
            if conn_type == "block-relay-only" {
                self.block_relay_peers_count = self.block_relay_peers_count.wrapping_add(1);
            }
            if conn_type == "manual" {
                self.manual_peers_count = self.manual_peers_count.wrapping_add(1);
            }
            if self.outbound_only_selected && !is_outbound {
                continue;
            }
            if self.details_requested() {
                let id = peer.get("id").get_int::<i32>()?;
                let mapped_as = i32::try_from(int_or(peer.get("mapped_as"), 0)?)
                    .map_err(|_| Failure("JSON integer out of range".to_owned()))?;
                let version = peer.get("version").get_int::<i32>()?;
                let addr_processed = int_or(peer.get("addr_processed"), 0)?;
                let addr_rate_limited = int_or(peer.get("addr_rate_limited"), 0)?;
                let conn_time = peer.get("conntime").get_int::<i64>()?;
                let last_blck = peer.get("last_block").get_int::<i64>()?;
                let last_recv = peer.get("lastrecv").get_int::<i64>()?;
                let last_send = peer.get("lastsend").get_int::<i64>()?;
                let last_trxn = peer.get("last_transaction").get_int::<i64>()?;
                let min_ping = if peer.get("minping").is_null() {
                    -1.0
                } else {
                    peer.get("minping").get_real()?
                };
                let ping = if peer.get("pingtime").is_null() {
                    -1.0
                } else {
                    peer.get("pingtime").get_real()?
                };
                let addr = peer.get("addr").get_str()?.to_owned();
                let age = if conn_time == 0 {
                    String::new()
                } else {
                    ((time_now - conn_time) / 60).to_string()
                };
                let services = Self::format_services(peer.get("servicesnames"))?;
                let sub_version = peer.get("subver").get_str()?.to_owned();
                let transport = if peer.get("transport_protocol_type").is_null() {
                    "v1".to_owned()
                } else {
                    peer.get("transport_protocol_type").get_str()?.to_owned()
                };
                let is_addr_relay_enabled = if peer.get("addr_relay_enabled").is_null() {
                    false
                } else {
                    peer.get("addr_relay_enabled").get_bool()?
                };
                let is_bip152_hb_from = peer.get("bip152_hb_from").get_bool()?;
                let is_bip152_hb_to = peer.get("bip152_hb_to").get_bool()?;
                self.max_addr_length = self.max_addr_length.max(addr.len() + 1);
                self.max_addr_processed_length = self
                    .max_addr_processed_length
                    .max(addr_processed.to_string().len());
                self.max_addr_rate_limited_length = self
                    .max_addr_rate_limited_length
                    .max(addr_rate_limited.to_string().len());
                self.max_age_length = self.max_age_length.max(age.len());
                self.max_id_length = self.max_id_length.max(id.to_string().len());
                self.max_services_length = self.max_services_length.max(services.len());
                self.is_asmap_on |= mapped_as != 0;
                self.peers.push(Peer {
                    addr,
                    sub_version,
                    conn_type,
                    network: NETWORK_SHORT_NAMES[network_id],
                    age,
                    services,
                    transport_protocol_type: transport,
                    min_ping,
                    ping,
                    addr_processed,
                    addr_rate_limited,
                    last_blck,
                    last_recv,
                    last_send,
                    last_trxn,
                    id,
                    mapped_as,
                    version,
                    is_addr_relay_enabled,
                    is_bip152_hb_from,
                    is_bip152_hb_to,
                    is_outbound,
                    is_tx_relay,
                });
            }
        }

        let services = if self.details_requested() {
            format!(
                " - services {}",
                Self::format_services(networkinfo.get("localservicesnames"))?
            )
        } else {
            String::new()
        };
        let mut result = format!(
            "{CLIENT_NAME} client {CLIENT_VERSION}{} - server {}{}{services}\n\n",
            self.chain_to_string(),
            networkinfo.get("protocolversion").get_int::<i32>()?,
            networkinfo.get("subversion").get_str()?,
        );

        if self.details_requested() && !self.peers.is_empty() {
            self.peers.sort_by(|a, b| {
                (a.is_outbound, a.min_ping)
                    .partial_cmp(&(b.is_outbound, b.min_ping))
                    .unwrap_or(std::cmp::Ordering::Equal)
            });
            result += &format!(
                "<->   type   net {:>sw$}  v  mping   ping send recv  txn  blk  hb {:>pw$}{:>lw$}{:>aw$} ",
                "serv",
                "addrp",
                "addrl",
                "age",
                sw = self.max_services_length,
                pw = self.max_addr_processed_length,
                lw = self.max_addr_rate_limited_length,
                aw = self.max_age_length,
            );
            if self.is_asmap_on {
                result += " asmap ";
            }
            let addr_w = if self.is_address_selected() {
                self.max_addr_length
            } else {
                0
            };
            result += &format!(
                "{:>iw$} {:<addr_w$}{}\n",
                "id",
                if self.is_address_selected() {
                    "address"
                } else {
                    ""
                },
                if self.is_version_selected() {
                    "version"
                } else {
                    ""
                },
                iw = self.max_id_length,
            );
            for peer in &self.peers {
                let version = format!("{}{}", peer.version, peer.sub_version);
                let tp = peer.transport_protocol_type.as_bytes();
                let transport = if tp.len() == 2 && tp[0] == b'v' {
                    char::from(tp[1])
                } else {
                    ' '
                };
                let since = |t: i64| {
                    if t != 0 {
                        (time_now - t).to_string()
                    } else {
                        String::new()
                    }
                };
                let txn = if peer.last_trxn != 0 {
                    ((time_now - peer.last_trxn) / 60).to_string()
                } else if peer.is_tx_relay {
                    String::new()
                } else {
                    "*".to_owned()
                };
                let blk = if peer.last_blck != 0 {
                    ((time_now - peer.last_blck) / 60).to_string()
                } else {
                    String::new()
                };
                let hb = format!(
                    "{}{}",
                    if peer.is_bip152_hb_to { "." } else { " " },
                    if peer.is_bip152_hb_from { "*" } else { " " }
                );
                let addrp = if peer.addr_processed != 0 {
                    peer.addr_processed.to_string()
                } else if peer.is_addr_relay_enabled {
                    String::new()
                } else {
                    ".".to_owned()
                };
                let addrl = if peer.addr_rate_limited != 0 {
                    peer.addr_rate_limited.to_string()
                } else {
                    String::new()
                };
                let asmap = if self.is_asmap_on && peer.mapped_as != 0 {
                    peer.mapped_as.to_string()
                } else {
                    String::new()
                };
                result += &format!(
                    "{:>3} {:>6} {:>5} {:>sw$} {:>2}{:>7}{:>7}{:>5}{:>5}{:>5}{:>5}  {:>2} {:>pw$}{:>lw$}{:>aw$}{:>mw$} {:>iw$} {:<addr_w$}{}\n",
                    if peer.is_outbound { "out" } else { "in" },
                    Self::connection_type(&peer.conn_type),
                    peer.network,
                    peer.services,
                    transport,
                    Self::ping_time_to_string(peer.min_ping),
                    Self::ping_time_to_string(peer.ping),
                    since(peer.last_send),
                    since(peer.last_recv),
                    txn,
                    blk,
                    hb,
                    addrp,
                    addrl,
                    peer.age,
                    asmap,
                    peer.id,
                    if self.is_address_selected() {
                        peer.addr.as_str()
                    } else {
                        ""
                    },
                    if self.is_version_selected() && version != "0" {
                        version.as_str()
                    } else {
                        ""
                    },
                    sw = self.max_services_length,
                    pw = self.max_addr_processed_length,
                    lw = self.max_addr_rate_limited_length,
                    aw = self.max_age_length,
                    mw = if self.is_asmap_on { 7 } else { 0 },
                    iw = self.max_id_length,
                );
            }
            result += &format!(
                "                {:>sw$}         ms     ms  sec  sec  min  min                {:>aw$}\n\n",
                "",
                "min",
                sw = self.max_services_length,
                aw = self.max_age_length,
            );
        }

        result += "     ";
        let mut reachable: Vec<usize> = Vec::new();
        for network in networkinfo.get("networks").values()? {
            if network.get("reachable").get_bool()? {
                let name = network.get("name").get_str()?;
                let Some(id) = network_id(name) else {
                    continue;
                };
                result += &format!("{name:>8}");
                reachable.push(id);
            }
        }
        for id in UNREACHABLE_NETWORK_IDS {
            if self.counts[2][id] == 0 {
                continue;
            }
            result += &format!("{:>8}", NETWORK_SHORT_NAMES[id]);
            reachable.push(id);
        }
        result += "   total   block";
        if self.manual_peers_count != 0 {
            result += "  manual";
        }
        for (i, row) in ["in", "out", "total"].iter().enumerate() {
            result += &format!("\n{row:<5}");
            for &n in &reachable {
                result += &format!("{:>8}", self.counts[i][n]);
            }
            result += &format!("   {:>5}", self.counts[i][NETWORKS.len()]);
            if i == 1 {
                result += &format!("   {:>5}", self.block_relay_peers_count);
                if self.manual_peers_count != 0 {
                    result += &format!("   {:>5}", self.manual_peers_count);
                }
            }
        }
        if !self.details_requested() {
            result += &format!(
                "\n\nLocal services: {}",
                Self::services_list(networkinfo.get("localservicesnames"))?
            );
        }
        result += "\n\nLocal addresses";
        let local = networkinfo.get("localaddresses").values()?;
        if local.is_empty() {
            result += ": n/a\n";
        } else {
            let mut width = 0usize;
            for a in &local {
                width = width.max(a.get("address").get_str()?.len() + 1);
            }
            for a in &local {
                result += &format!(
                    "\n{:<width$}    port {:>6}    score {:>6}",
                    a.get("address").get_str()?,
                    a.get("port").get_int::<i32>()?,
                    a.get("score").get_int::<i32>()?,
                );
            }
        }
        Ok(reply_obj(Value::Str(result)))
    }
}

/// Core's `-netinfo help` text, with `{MAX}` for `NETINFO_MAX_LEVEL`.
const NETINFO_HELP: &str = concat!(
    "-netinfo (level [outonly]) | help\n\n",
    "Returns a network peer connections dashboard with information from the remote server.\n",
    "This human-readable interface will change regularly and is not intended to be a stable API.\n",
    "Under the hood, -netinfo fetches the data by calling getpeerinfo and getnetworkinfo.\n",
    "An optional argument from 0 to {MAX} can be passed for different peers listings; values above {MAX} up to 255 are parsed as {MAX}.\n",
    "If that argument is passed, an optional additional \"outonly\" argument may be passed to obtain the listing with outbound peers only.\n",
    "Pass \"help\" or \"h\" to see this detailed help documentation.\n",
    "If more than two arguments are passed, only the first two are read and parsed.\n",
    "Suggestion: use -netinfo with the Linux watch(1) command for a live dashboard; see example below.\n\n",
    "Arguments:\n",
    "1. level (integer 0-{MAX}, optional)  Specify the info level of the peers dashboard (default 0):\n",
    "                                  0 - Peer counts for each reachable network as well as for block relay peers\n",
    "                                      and manual peers, and the list of local addresses and ports\n",
    "                                  1 - Like 0 but preceded by a peers listing (without address and version columns)\n",
    "                                  2 - Like 1 but with an address column\n",
    "                                  3 - Like 1 but with a version column\n",
    "                                  4 - Like 1 but with both address and version columns\n",
    "2. outonly (\"outonly\" or \"o\", optional) Return the peers listing with outbound peers only, i.e. to save screen space\n",
    "                                        when a node has many inbound peers. Only valid if a level is passed.\n\n",
    "help (\"help\" or \"h\", optional) Print this help documentation instead of the dashboard.\n\n",
    "Result:\n\n",
    "* The peers listing in levels 1-{MAX} displays all of the peers sorted by direction and minimum ping time:\n\n",
    "  Column   Description\n",
    "  ------   -----------\n",
    "  <->      Direction\n",
    "           \"in\"  - inbound connections are those initiated by the peer\n",
    "           \"out\" - outbound connections are those initiated by us\n",
    "  type     Type of peer connection\n",
    "           \"full\"   - full relay, the default\n",
    "           \"block\"  - block relay; like full relay but does not relay transactions or addresses\n",
    "           \"manual\" - peer we manually added using RPC addnode or the -addnode/-connect config options\n",
    "           \"feeler\" - short-lived connection for testing addresses\n",
    "           \"addr\"   - address fetch; short-lived connection for requesting addresses\n",
    "           \"priv\"   - private broadcast; short-lived connection for broadcasting our transactions\n",
    "  net      Network the peer connected through (\"ipv4\", \"ipv6\", \"onion\", \"i2p\", \"cjdns\", or \"npr\" (not publicly routable))\n",
    "  serv     Services offered by the peer\n",
    "           \"n\" - NETWORK: peer can serve the full block chain\n",
    "           \"b\" - BLOOM: peer can handle bloom-filtered connections (see BIP 111)\n",
    "           \"w\" - WITNESS: peer can be asked for blocks and transactions with witness data (SegWit)\n",
    "           \"c\" - COMPACT_FILTERS: peer can handle basic block filter requests (see BIPs 157 and 158)\n",
    "           \"l\" - NETWORK_LIMITED: peer limited to serving only the last 288 blocks (~2 days)\n",
    "           \"2\" - P2P_V2: peer supports version 2 P2P transport protocol, as defined in BIP 324\n",
    "           \"u\" - UNKNOWN: unrecognized bit flag\n",
    "  v        Version of transport protocol used for the connection\n",
    "  mping    Minimum observed ping time, in milliseconds (ms)\n",
    "  ping     Last observed ping time, in milliseconds (ms)\n",
    "  send     Time since last message sent to the peer, in seconds\n",
    "  recv     Time since last message received from the peer, in seconds\n",
    "  txn      Time since last novel transaction received from the peer and accepted into our mempool, in minutes\n",
    "           \"*\" - we do not relay transactions to this peer (getpeerinfo \"relaytxes\" is false)\n",
    "  blk      Time since last novel block passing initial validity checks received from the peer, in minutes\n",
    "  hb       High-bandwidth BIP152 compact block relay\n",
    "           \".\" (to)   - we selected the peer as a high-bandwidth peer\n",
    "           \"*\" (from) - the peer selected us as a high-bandwidth peer\n",
    "  addrp    Total number of addresses processed, excluding those dropped due to rate limiting\n",
    "           \".\" - we do not relay addresses to this peer (getpeerinfo \"addr_relay_enabled\" is false)\n",
    "  addrl    Total number of addresses dropped due to rate limiting\n",
    "  age      Duration of connection to the peer, in minutes\n",
    "  asmap    Mapped AS (Autonomous System) number at the end of the BGP route to the peer, used for diversifying\n",
    "           peer selection (only displayed if the -asmap config option is set)\n",
    "  id       Peer index, in increasing order of peer connections since node startup\n",
    "  address  IP address and port of the peer\n",
    "  version  Peer version and subversion concatenated, e.g. \"70016/Satoshi:21.0.0/\"\n\n",
    "* The peer counts table displays the number of peers for each reachable network as well as\n",
    "  the number of block relay peers and manual peers.\n\n",
    "* The local addresses table lists each local address broadcast by the node, the port, and the score.\n\n",
    "Examples:\n\n",
    "Peer counts table of reachable networks and list of local addresses\n",
    "> umkoin-cli -netinfo\n\n",
    "The same, preceded by a peers listing without address and version columns\n",
    "> umkoin-cli -netinfo 1\n\n",
    "Full dashboard\n",
    "> umkoin-cli -netinfo {MAX}\n\n",
    "Full dashboard, but with outbound peers only\n",
    "> umkoin-cli -netinfo {MAX} outonly\n\n",
    "Full live dashboard, adjust --interval or --no-title as needed (Linux)\n",
    "> watch --interval 1 --no-title umkoin-cli -netinfo {MAX}\n\n",
    "See this help\n",
    "> umkoin-cli -netinfo help\n",
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_bar_steps() {
        assert_eq!(progress_bar(0.0).chars().count(), 20);
        assert_eq!(progress_bar(3.5e-6), format!("▒{}", "░".repeat(20)));
        assert_eq!(progress_bar(1.5), "");
    }

    #[test]
    fn getinfo_text() {
        let reply = Value::parse(br#"[
            {"result":{"version":310000,"timeoffset":0,"connections":0,"connections_in":0,"connections_out":0,
              "networks":[{"name":"ipv4","proxy":"127.0.0.1:9050"},{"name":"onion","proxy":"127.0.0.1:9050"},{"name":"ipv6","proxy":""}],
              "relayfee":0.00000100,"warnings":[]},"error":null,"id":0},
            {"result":{"chain":"regtest","blocks":0,"headers":0,"verificationprogress":1,"difficulty":4.656542373906925e-10},"error":null,"id":1},
            {"result":null,"error":{"code":-18,"message":"no wallet"},"id":2},
            {"result":null,"error":{"code":-18,"message":"no wallet"},"id":3}]"#).unwrap();
        let r = GetInfo.process(reply).unwrap();
        let text = format_getinfo(r.get("result"), false).unwrap();
        assert_eq!(
            text,
            "Chain: regtest\nBlocks: 0\nHeaders: 0\nVerification progress: 100.0000%\nDifficulty: 4.656542373906925e-10\n\nNetwork: in 0, out 0, total 0\nVersion: 310000\nTime offset (s): 0\nProxies: 127.0.0.1:9050 (ipv4, onion)\nMin tx relay fee rate (UMK/kvB): 0.00000100\n\nWarnings: (none)"
        );
    }

    #[test]
    fn getinfo_passes_node_errors_on() {
        let reply = Value::parse(
            br#"[
            {"jsonrpc":"2.0","error":{"code":-32601,"message":"Method not found"},"id":0},
            {"jsonrpc":"2.0","result":{},"id":1}]"#,
        )
        .unwrap();
        let r = GetInfo.process(reply).unwrap();
        assert_eq!(r.get("error").get("code").val_str(), "-32601");
        assert_eq!(
            GetInfo.process(Value::object()).unwrap_err().0,
            "Batch must be an array"
        );
    }

    #[test]
    fn generate_args() {
        let mut a = vec![];
        set_generate_to_address_args("addr", &mut a).unwrap();
        assert_eq!(a, ["1", "addr"]);
        let mut a = vec!["4".to_owned(), "1000".to_owned()];
        set_generate_to_address_args("addr", &mut a).unwrap();
        assert_eq!(a, ["4", "addr", "1000"]);
        let mut a = vec!["0".to_owned()];
        assert!(set_generate_to_address_args("addr", &mut a).is_err());
    }
}
