//! The JSON-RPC layer as Umkoin Core's: request objects (JSON-RPC 1.0 and 2.0),
//! batches, named arguments, argument-count and type checks, the warm-up gate, and the
//! command table. The HTTP transport is in [`server`]; commands are in the modules
//! named after Core's categories.

pub mod auth;
mod blockchain;
mod blockinfo;
mod blocktemplate;
mod control;
mod mempool;
mod mining;
mod node;
mod psbt;
mod rawtransaction;
mod rawtx_create;
pub(crate) mod txjson;
mod util;

pub use node::spawned_init;
mod help_texts;
pub mod json;
pub mod server;

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use serde_json::{Map, Value, json};
use umkoin_interfaces::rpc::code;

use crate::context::NodeContext;

/// A JSON-RPC error object: a code from `umkoin_interfaces::rpc::code` and a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RpcError {
    /// The code.
    pub code: i64,
    /// The message.
    pub message: String,
}

impl RpcError {
    /// An error with `code` and `message`.
    pub fn new(code: i64, message: impl Into<String>) -> Self {
        RpcError {
            code,
            message: message.into(),
        }
    }

    fn to_json(&self) -> Value {
        json!({ "code": self.code, "message": self.message })
    }
}

/// What a command returns.
pub type RpcResult = Result<Value, RpcError>;

/// Which JSON-RPC a request speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsonRpcVersion {
    /// No `jsonrpc` field, or `"1.0"`: errors as HTTP statuses, `result` and `error` both present.
    V1Legacy,
    /// `"jsonrpc": "2.0"`: HTTP 200 always, one of `result`/`error`, notifications.
    V2,
}

/// A parsed request, as Core's `JSONRPCRequest`.
#[derive(Clone, Debug)]
pub struct Request {
    /// The `id`, if the object had one (`Some(Value::Null)` for `"id": null`).
    pub id: Option<Value>,
    /// The method name.
    pub method: String,
    /// Positional parameters (named ones are transformed before the command sees them).
    pub params: Value,
    /// The protocol version.
    pub version: JsonRpcVersion,
    /// The authenticated user.
    pub auth_user: String,
    /// The client's address and port.
    pub peer: String,
    /// The request path (`/` or `/wallet/<name>`).
    pub uri: String,
    /// A named parameter given twice in the request text (Core refuses those).
    pub duplicate_param: Option<String>,
}

impl Request {
    /// A blank request for `auth_user` from `peer` at `uri`; `id` starts as `null`, as
    /// Core's does, which shows in errors raised before an object is parsed.
    pub fn blank(auth_user: &str, peer: &str, uri: &str) -> Self {
        Request {
            id: Some(Value::Null),
            method: String::new(),
            params: Value::Array(Vec::new()),
            version: JsonRpcVersion::V1Legacy,
            auth_user: auth_user.to_owned(),
            peer: peer.to_owned(),
            uri: uri.to_owned(),
            duplicate_param: None,
        }
    }

    /// Whether no reply is owed (JSON-RPC 2.0 without an `id`).
    pub fn is_notification(&self) -> bool {
        self.id.is_none() && self.version == JsonRpcVersion::V2
    }

    /// The `i`th parameter, `null` when absent.
    pub fn param(&self, i: usize) -> &Value {
        self.params.get(i).unwrap_or(&Value::Null)
    }

    /// Fill this request from a request object, as Core's `JSONRPCRequest::parse`.
    pub fn parse(&mut self, v: &Value) -> Result<(), RpcError> {
        let Some(obj) = v.as_object() else {
            return Err(RpcError::new(
                code::INVALID_REQUEST,
                "Invalid Request object",
            ));
        };
        self.id = obj.get("id").cloned();
        self.version = JsonRpcVersion::V1Legacy;
        match obj.get("jsonrpc") {
            None | Some(Value::Null) => {}
            Some(Value::String(s)) if s == "1.0" => {}
            Some(Value::String(s)) if s == "2.0" => self.version = JsonRpcVersion::V2,
            Some(Value::String(_)) => {
                return Err(RpcError::new(
                    code::INVALID_REQUEST,
                    "JSON-RPC version not supported",
                ));
            }
            Some(_) => {
                return Err(RpcError::new(
                    code::INVALID_REQUEST,
                    "jsonrpc field must be a string",
                ));
            }
        }
        self.method = match obj.get("method") {
            None | Some(Value::Null) => {
                return Err(RpcError::new(code::INVALID_REQUEST, "Missing method"));
            }
            Some(Value::String(s)) => s.clone(),
            Some(_) => {
                return Err(RpcError::new(
                    code::INVALID_REQUEST,
                    "Method must be a string",
                ));
            }
        };
        tracing::debug!(
            target: "rpc",
            "ThreadRPCServer method={} user={}",
            sanitize(&self.method),
            self.auth_user
        );
        self.params = match obj.get("params") {
            None | Some(Value::Null) => Value::Array(Vec::new()),
            Some(p @ (Value::Array(_) | Value::Object(_))) => p.clone(),
            Some(_) => {
                return Err(RpcError::new(
                    code::INVALID_REQUEST,
                    "Params must be an array or object",
                ));
            }
        };
        Ok(())
    }
}

/// Core's `SanitizeString` for log output: keep only safe characters.
fn sanitize(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric() || " .,;-_/:?@()".contains(*c))
        .collect()
}

/// A parameter type, as Core's `RPCArg::Type`, for the type check before a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArgType {
    /// A JSON string.
    Str,
    /// A JSON number.
    Num,
    /// A JSON boolean.
    Bool,
    /// A JSON object.
    Obj,
    /// A JSON array.
    Arr,
    /// Anything (checked by the command).
    Any,
}

/// One parameter of a command.
#[derive(Clone, Copy, Debug)]
pub struct Arg {
    /// The name, with `|`-separated aliases as Core writes them.
    pub names: &'static str,
    /// The JSON type.
    pub ty: ArgType,
    /// Whether it may be left out.
    pub optional: bool,
    /// Only reachable by name, inside the options object (Core's named-only options).
    pub named_only: bool,
}

impl Arg {
    /// A required parameter.
    pub const fn required(names: &'static str, ty: ArgType) -> Arg {
        Arg {
            names,
            ty,
            optional: false,
            named_only: false,
        }
    }

    /// An optional parameter.
    pub const fn optional(names: &'static str, ty: ArgType) -> Arg {
        Arg {
            names,
            ty,
            optional: true,
            named_only: false,
        }
    }
}

/// A command's handler.
pub type Handler = fn(&NodeContext, &Request) -> RpcResult;

/// One command of the table.
#[derive(Clone, Copy)]
pub struct Command {
    /// Core's category (`blockchain`, `control`, ..., `hidden`).
    pub category: &'static str,
    /// The method name.
    pub name: &'static str,
    /// Its parameters, in order.
    pub args: &'static [Arg],
    /// What `help <name>` prints.
    pub help: &'static str,
    /// The code.
    pub handler: Handler,
}

/// rust-bitcoin's network for `chain`, for addresses (Umkoin's prefixes are Bitcoin's).
pub(crate) fn network(chain: umkoin_interfaces::chain::ChainType) -> bitcoin::Network {
    match chain {
        umkoin_interfaces::chain::ChainType::Main => bitcoin::Network::Bitcoin,
        umkoin_interfaces::chain::ChainType::Testnet => bitcoin::Network::Testnet,
        umkoin_interfaces::chain::ChainType::Testnet4 => bitcoin::Network::Testnet4,
        umkoin_interfaces::chain::ChainType::Signet => bitcoin::Network::Signet,
        umkoin_interfaces::chain::ChainType::Regtest => bitcoin::Network::Regtest,
    }
}

/// Every command this node answers.
pub fn commands() -> Vec<Command> {
    let mut v = Vec::new();
    v.extend_from_slice(control::COMMANDS);
    v.extend_from_slice(node::COMMANDS);
    v.extend_from_slice(blockchain::COMMANDS);
    v.extend_from_slice(blockinfo::COMMANDS);
    v.extend_from_slice(mining::COMMANDS);
    v.extend_from_slice(blocktemplate::COMMANDS);
    v.extend_from_slice(mempool::COMMANDS);
    v.extend_from_slice(rawtransaction::COMMANDS);
    v.extend_from_slice(rawtx_create::COMMANDS);
    v.extend_from_slice(psbt::COMMANDS);
    v.extend_from_slice(util::COMMANDS);
    v
}

/// The command table, the warm-up gate and the record of running commands.
pub struct RpcTable {
    commands: HashMap<&'static str, Command>,
    warmup: Mutex<Option<String>>,
    active: Mutex<Vec<(u64, &'static str, Instant)>>,
    next_id: Mutex<u64>,
}

impl Default for RpcTable {
    fn default() -> Self {
        Self::new()
    }
}

impl RpcTable {
    /// The table of [`commands`], warming up with Core's first status.
    pub fn new() -> Self {
        RpcTable {
            commands: commands().into_iter().map(|c| (c.name, c)).collect(),
            warmup: Mutex::new(Some("RPC server started".to_owned())),
            active: Mutex::new(Vec::new()),
            next_id: Mutex::new(0),
        }
    }

    /// Set the status warm-up errors report.
    pub fn set_warmup_status(&self, status: &str) {
        let mut w = self.warmup.lock().expect("warm-up lock is never poisoned");
        if w.is_some() {
            *w = Some(status.to_owned());
        }
    }

    /// End warm-up: commands run from now on.
    pub fn set_warmup_finished(&self) {
        *self.warmup.lock().expect("warm-up lock is never poisoned") = None;
    }

    /// Whether the server is still warming up.
    pub fn in_warmup(&self) -> bool {
        self.warmup
            .lock()
            .expect("warm-up lock is never poisoned")
            .is_some()
    }

    /// The commands running now, with how long each has run, for `getrpcinfo`.
    pub fn active_commands(&self) -> Vec<(&'static str, u128)> {
        self.active
            .lock()
            .expect("active-command lock is never poisoned")
            .iter()
            .map(|(_, m, t)| (*m, t.elapsed().as_micros()))
            .collect()
    }

    /// A command by name.
    pub fn get(&self, name: &str) -> Option<&Command> {
        self.commands.get(name)
    }

    /// Every command, sorted by category then name, as `help` lists them.
    pub fn sorted(&self) -> Vec<&Command> {
        let mut v: Vec<&Command> = self.commands.values().collect();
        v.sort_by(|a, b| (a.category, a.name).cmp(&(b.category, b.name)));
        v
    }

    /// Run one request, as Core's `CRPCTable::execute`.
    pub fn execute(&self, ctx: &NodeContext, req: &Request) -> RpcResult {
        if let Some(status) = self
            .warmup
            .lock()
            .expect("warm-up lock is never poisoned")
            .clone()
        {
            return Err(RpcError::new(code::IN_WARMUP, status));
        }
        let Some(cmd) = self.commands.get(req.method.as_str()) else {
            return Err(RpcError::new(code::METHOD_NOT_FOUND, "Method not found"));
        };
        let id = {
            let mut n = self.next_id.lock().expect("id lock is never poisoned");
            *n += 1;
            *n
        };
        self.active
            .lock()
            .expect("active-command lock is never poisoned")
            .push((id, cmd.name, Instant::now()));
        // A panicking command is a bug; it must cost one request, not a worker thread.
        let result =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run_command(cmd, ctx, req)))
                .unwrap_or_else(|panic| {
                    let what = panic
                        .downcast_ref::<&str>()
                        .map(|s| (*s).to_owned())
                        .or_else(|| panic.downcast_ref::<String>().cloned())
                        .unwrap_or_else(|| "unknown panic".to_owned());
                    tracing::error!("RPC {} panicked: {what}", cmd.name);
                    Err(RpcError::new(
                        code::MISC_ERROR,
                        format!("Internal bug detected: {what}"),
                    ))
                });
        self.active
            .lock()
            .expect("active-command lock is never poisoned")
            .retain(|(i, _, _)| *i != id);
        result
    }
}

fn run_command(cmd: &Command, ctx: &NodeContext, req: &Request) -> RpcResult {
    let positional;
    if req.params.is_object()
        && let Some(k) = &req.duplicate_param
    {
        return Err(RpcError::new(
            code::INVALID_PARAMETER,
            format!("Parameter {k} specified multiple times"),
        ));
    }
    let req = if req.params.is_object() {
        positional = Request {
            params: transform_named_arguments(&req.params, cmd.args)?,
            ..req.clone()
        };
        &positional
    } else {
        req
    };
    let n = req.params.as_array().map_or(0, Vec::len);
    let required = cmd
        .args
        .iter()
        .rposition(|a| !a.optional)
        .map_or(0, |p| p + 1);
    if n < required || n > cmd.args.len() {
        // Core answers a wrong argument count with the command's help, as a plain error.
        return Err(RpcError::new(code::MISC_ERROR, cmd.help));
    }
    let mut mismatch = Map::new();
    for (i, arg) in cmd.args.iter().enumerate() {
        let v = req.param(i);
        if arg.optional && v.is_null() {
            continue;
        }
        let expected = match arg.ty {
            ArgType::Str => "string",
            ArgType::Num => "number",
            ArgType::Bool => "bool",
            ArgType::Obj => "object",
            ArgType::Arr => "array",
            ArgType::Any => continue,
        };
        let actual = json::type_name(v);
        if actual != expected {
            mismatch.insert(
                format!("Position {} ({})", i + 1, arg.names),
                Value::String(format!(
                    "JSON value of type {actual} is not of expected type {expected}"
                )),
            );
        }
    }
    if !mismatch.is_empty() {
        return Err(RpcError::new(
            code::TYPE_ERROR,
            format!(
                "Wrong type passed:\n{}",
                json::write_indented(&Value::Object(mismatch), 4)
            ),
        ));
    }
    (cmd.handler)(ctx, req)
}

/// Core's `transformNamedArguments`: named parameters to positional ones, with the
/// named-only options gathered into one object and `args` holding extra positional ones.
pub fn transform_named_arguments(params: &Value, args: &[Arg]) -> Result<Value, RpcError> {
    let obj = params
        .as_object()
        .expect("called only with an object of named parameters");
    let mut args_in: Vec<(&String, &Value)> = obj.iter().collect();
    let mut out: Vec<Value> = Vec::new();
    let mut hole = 0usize;
    let mut initial_hole_size = 0usize;
    let mut initial_param: Option<&str> = None;
    let mut options = Map::new();
    for arg in args {
        let found = arg
            .names
            .split('|')
            .find_map(|n| args_in.iter().position(|(k, _)| k.as_str() == n));
        if arg.named_only {
            if let Some(pos) = found {
                let (k, v) = args_in.remove(pos);
                if options.contains_key(k) {
                    return Err(RpcError::new(
                        code::INVALID_PARAMETER,
                        format!("Parameter {k} specified multiple times"),
                    ));
                }
                options.insert(k.clone(), v.clone());
            }
            continue;
        }
        if !options.is_empty() || found.is_some() {
            out.extend(std::iter::repeat_n(Value::Null, hole));
            hole = 0;
            if initial_param.is_none() {
                initial_param = Some(arg.names);
            }
        } else {
            hole += 1;
            if out.is_empty() {
                initial_hole_size = hole;
            }
        }
        if let Some(pos) = found {
            let (k, v) = args_in.remove(pos);
            if let Some(first) = options.keys().next() {
                return Err(RpcError::new(
                    code::INVALID_PARAMETER,
                    format!("Parameter {k} conflicts with parameter {first}"),
                ));
            }
            out.push(v.clone());
        }
        if !options.is_empty() {
            out.push(Value::Object(std::mem::take(&mut options)));
        }
    }
    if let Some(pos) = args_in.iter().position(|(k, _)| k.as_str() == "args") {
        let (_, positional) = args_in.remove(pos);
        if let Some(positional) = positional.as_array() {
            if initial_hole_size < positional.len()
                && let Some(p) = initial_param
            {
                return Err(RpcError::new(
                    code::INVALID_PARAMETER,
                    format!("Parameter {p} specified twice both as positional and named argument"),
                ));
            }
            let named = std::mem::replace(&mut out, positional.clone());
            if named.len() > out.len() {
                let skip = out.len();
                out.extend(named.into_iter().skip(skip));
            }
        }
    }
    if let Some((k, _)) = args_in.first() {
        return Err(RpcError::new(
            code::INVALID_PARAMETER,
            format!("Unknown named parameter {k}"),
        ));
    }
    Ok(Value::Array(out))
}

/// Core's `JSONRPCReplyObj`.
pub fn reply_obj(result: RpcResult, id: Option<&Value>, version: JsonRpcVersion) -> Value {
    let mut reply = Map::new();
    if version == JsonRpcVersion::V2 {
        reply.insert("jsonrpc".into(), Value::String("2.0".into()));
    }
    match result {
        Ok(r) => {
            reply.insert("result".into(), r);
            if version == JsonRpcVersion::V1Legacy {
                reply.insert("error".into(), Value::Null);
            }
        }
        Err(e) => {
            if version == JsonRpcVersion::V1Legacy {
                reply.insert("result".into(), Value::Null);
            }
            reply.insert("error".into(), e.to_json());
        }
    }
    if let Some(id) = id {
        reply.insert("id".into(), id.clone());
    }
    Value::Object(reply)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARGS: &[Arg] = &[
        Arg::required("a", ArgType::Num),
        Arg::optional("b|bee", ArgType::Str),
        Arg::optional("c", ArgType::Bool),
    ];

    fn test_context() -> NodeContext {
        let params = crate::chainparams::ChainParams::for_chain(
            umkoin_interfaces::chain::ChainType::Regtest,
        )
        .unwrap();
        let options = crate::policy::MempoolOptions::from_args(
            &umkoin_common::args::ArgsManager::new(umkoin_common::options::Bins::DAEMON),
        )
        .unwrap();
        NodeContext {
            multiprocess: false,
            args: umkoin_common::args::ArgsManager::new(umkoin_common::options::Bins::DAEMON),
            chain: std::sync::RwLock::new(crate::chain::Chain::genesis_only(&params)),
            store: std::sync::Mutex::new(None),
            mocktime: Default::default(),
            tip: crate::context::TipWatch::new(params.genesis.block_hash(), 0),
            left_ibd: Default::default(),
            assembled_block: Default::default(),
            params,
            started: Instant::now(),
            shutdown: crate::context::Shutdown::default(),
            rpc: RpcTable::new(),
            log_path: std::path::PathBuf::new(),
            pool: std::sync::Mutex::new(crate::mempool::Mempool::new(options.clone())),
            mempool: options,
        }
    }

    #[test]
    fn warmup_answers_minus_28_with_the_status() {
        let ctx = test_context();
        let mut req = Request::blank("u", "p", "/");
        req.parse(&json!({"method": "getblockcount", "id": 1}))
            .unwrap();
        ctx.rpc.set_warmup_status("Loading block index…");
        let e = ctx.rpc.execute(&ctx, &req).unwrap_err();
        assert_eq!(
            (e.code, e.message.as_str()),
            (code::IN_WARMUP, "Loading block index…")
        );
        ctx.rpc.set_warmup_finished();
        assert_eq!(ctx.rpc.execute(&ctx, &req), Ok(json!(0)));
        // Once finished, a late status change does not bring warm-up back.
        ctx.rpc.set_warmup_status("again");
        assert!(!ctx.rpc.in_warmup());
    }

    #[test]
    fn wrong_argument_count_answers_with_help() {
        let ctx = test_context();
        ctx.rpc.set_warmup_finished();
        let mut req = Request::blank("u", "p", "/");
        req.parse(&json!({"method": "getblockhash", "params": [], "id": 1}))
            .unwrap();
        let e = ctx.rpc.execute(&ctx, &req).unwrap_err();
        assert_eq!(e.code, code::MISC_ERROR);
        assert!(e.message.starts_with("getblockhash height\n"));
    }

    #[test]
    fn named_to_positional_with_holes() {
        let p = transform_named_arguments(&json!({"a": 1, "c": true}), ARGS).unwrap();
        assert_eq!(p, json!([1, null, true]));
        let p = transform_named_arguments(&json!({"bee": "x"}), ARGS).unwrap();
        assert_eq!(p, json!([null, "x"]));
        let e = transform_named_arguments(&json!({"zz": 1}), ARGS).unwrap_err();
        assert_eq!(e.message, "Unknown named parameter zz");
        assert_eq!(e.code, code::INVALID_PARAMETER);
    }

    #[test]
    fn named_with_positional_args() {
        let p = transform_named_arguments(&json!({"args": [1], "c": false}), ARGS).unwrap();
        assert_eq!(p, json!([1, null, false]));
        let e = transform_named_arguments(&json!({"args": [1, "x"], "b": "y"}), ARGS).unwrap_err();
        assert_eq!(
            e.message,
            "Parameter b|bee specified twice both as positional and named argument"
        );
    }

    #[test]
    fn request_parse_errors_are_cores() {
        let mut r = Request::blank("u", "p", "/");
        let e = r.parse(&json!(5)).unwrap_err();
        assert_eq!(
            (e.code, e.message.as_str()),
            (-32600, "Invalid Request object")
        );
        let e = r.parse(&json!({"method": 1})).unwrap_err();
        assert_eq!(e.message, "Method must be a string");
        assert_eq!(r.id, None, "the id is read before the method");
        let e = r
            .parse(&json!({"jsonrpc": "3.0", "method": "x", "id": 1}))
            .unwrap_err();
        assert_eq!(e.message, "JSON-RPC version not supported");
        r.parse(&json!({"jsonrpc": "2.0", "method": "x"})).unwrap();
        assert!(r.is_notification());
    }

    #[test]
    fn reply_shapes() {
        let v1 = reply_obj(Ok(json!(0)), Some(&json!(1)), JsonRpcVersion::V1Legacy);
        assert_eq!(v1.to_string(), r#"{"result":0,"error":null,"id":1}"#);
        let v2 = reply_obj(
            Err(RpcError::new(-1, "x")),
            Some(&json!(1)),
            JsonRpcVersion::V2,
        );
        assert_eq!(
            v2.to_string(),
            r#"{"jsonrpc":"2.0","error":{"code":-1,"message":"x"},"id":1}"#
        );
    }
}
