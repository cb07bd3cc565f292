//! Commands of Core's `control` category (`help`, `stop`, `uptime`, `getrpcinfo`,
//! `logging`) and the hidden test commands `echo` and `echojson`.

use serde_json::{Map, Value, json};
use umkoin_interfaces::rpc::code;

use super::{Arg, ArgType, Command, Request, RpcError, RpcResult, help_texts};
use crate::context::NodeContext;

const ECHO_ARGS: &[Arg] = &[
    Arg::optional("arg0", ArgType::Any),
    Arg::optional("arg1", ArgType::Any),
    Arg::optional("arg2", ArgType::Any),
    Arg::optional("arg3", ArgType::Any),
    Arg::optional("arg4", ArgType::Any),
    Arg::optional("arg5", ArgType::Any),
    Arg::optional("arg6", ArgType::Any),
    Arg::optional("arg7", ArgType::Any),
    Arg::optional("arg8", ArgType::Any),
    Arg::optional("arg9", ArgType::Any),
];

/// The commands of this module.
pub(super) const COMMANDS: &[Command] = &[
    Command {
        category: "control",
        name: "help",
        args: &[Arg::optional("command", ArgType::Str)],
        help: help_texts::HELP,
        handler: help,
    },
    Command {
        category: "control",
        name: "stop",
        args: &[Arg::optional("wait", ArgType::Num)],
        help: help_texts::STOP,
        handler: stop,
    },
    Command {
        category: "control",
        name: "uptime",
        args: &[],
        help: help_texts::UPTIME,
        handler: uptime,
    },
    Command {
        category: "control",
        name: "getrpcinfo",
        args: &[],
        help: help_texts::GETRPCINFO,
        handler: getrpcinfo,
    },
    Command {
        category: "control",
        name: "logging",
        args: &[
            Arg::optional("include", ArgType::Arr),
            Arg::optional("exclude", ArgType::Arr),
        ],
        help: help_texts::LOGGING,
        handler: logging,
    },
    Command {
        category: "hidden",
        name: "echo",
        args: ECHO_ARGS,
        help: help_texts::ECHO,
        handler: echo,
    },
    Command {
        category: "hidden",
        name: "echojson",
        args: ECHO_ARGS,
        help: help_texts::ECHOJSON,
        handler: echo,
    },
];

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Core's `CRPCTable::help`.
fn help(ctx: &NodeContext, req: &Request) -> RpcResult {
    let wanted = req.param(0).as_str().unwrap_or("");
    let mut out = String::new();
    let mut category = "";
    for cmd in ctx.rpc.sorted() {
        if (!wanted.is_empty() || cmd.category == "hidden") && cmd.name != wanted {
            continue;
        }
        let mut text = cmd.help;
        if wanted.is_empty() {
            text = text.split('\n').next().unwrap_or("");
            if category != cmd.category {
                if !category.is_empty() {
                    out.push('\n');
                }
                category = cmd.category;
                out.push_str(&format!("== {} ==\n", capitalize(category)));
            }
        }
        out.push_str(text);
        out.push('\n');
    }
    if out.is_empty() {
        out = format!("help: unknown command: {wanted}\n");
    }
    out.pop();
    Ok(Value::String(out))
}

/// The text `stop` answers with (Core's client name, so scripts that match it work).
pub const STOP_RESULT: &str = "Umkoin Core stopping";

fn stop(ctx: &NodeContext, req: &Request) -> RpcResult {
    ctx.request_shutdown();
    let wait = req.param(0);
    if !wait.is_null() {
        // Read as Core's `getInt<int>()`: an integer within 32 bits, else -1.
        let ms = super::blockchain::get_int32(wait)?;
        // Core's hidden `wait` argument: hold the reply this long (tests use it to
        // catch a node mid-shutdown).
        std::thread::sleep(std::time::Duration::from_millis(ms.max(0) as u64));
    }
    Ok(Value::String(STOP_RESULT.to_owned()))
}

fn uptime(ctx: &NodeContext, _req: &Request) -> RpcResult {
    Ok(json!(ctx.started.elapsed().as_secs()))
}

fn getrpcinfo(ctx: &NodeContext, _req: &Request) -> RpcResult {
    let active: Vec<Value> = ctx
        .rpc
        .active_commands()
        .into_iter()
        .map(|(m, us)| json!({ "method": m, "duration": us as u64 }))
        .collect();
    Ok(json!({
        "active_commands": active,
        "logpath": ctx.log_path.display().to_string(),
    }))
}

fn toggle_categories(v: &Value, enable: bool) -> Result<(), RpcError> {
    let Some(list) = v.as_array() else {
        return Ok(());
    };
    for c in list {
        let name = c.as_str().ok_or_else(|| {
            RpcError::new(
                code::TYPE_ERROR,
                format!(
                    "JSON value of type {} is not of expected type string",
                    super::json::type_name(c)
                ),
            )
        })?;
        let ok = if enable {
            umkoin_common::log::enable_category(name)
        } else {
            umkoin_common::log::disable_category(name)
        };
        if !ok {
            return Err(RpcError::new(
                code::INVALID_PARAMETER,
                format!("unknown logging category {name}"),
            ));
        }
    }
    Ok(())
}

fn logging(_ctx: &NodeContext, req: &Request) -> RpcResult {
    toggle_categories(req.param(0), true)?;
    toggle_categories(req.param(1), false)?;
    let mut out = Map::new();
    for (name, on) in umkoin_common::log::category_states() {
        out.insert(name.to_owned(), Value::Bool(on));
    }
    Ok(Value::Object(out))
}

fn echo(_ctx: &NodeContext, req: &Request) -> RpcResult {
    if req.param(9).as_str() == Some("trigger_internal_bug") {
        return Err(RpcError::new(
            code::MISC_ERROR,
            format!(
                "Internal bug detected: request.params[9].get_str() != \"trigger_internal_bug\"\n{}:{} (echo)\numkoin-rs v{}\nPlease report this issue here: https://github.com/umkoin/umkoin/issues\n",
                file!(),
                line!(),
                env!("CARGO_PKG_VERSION")
            ),
        ));
    }
    Ok(req.params.clone())
}
