//! Commands of Core's `node` category that this node has: the hidden `echoipc`, which
//! sends its argument through `Echo` in a spawned `umkoin-node -ipcfd` child (in
//! `umkoin-node`) or through the in-process `Echo` (in `umkoind`), as Core's does, and
//! the hidden `setmocktime`, which sets the node's clock on regtest.

use serde_json::Value;
use umkoin_interfaces::ipc::echo::Echo;
use umkoin_interfaces::rpc::code;

use super::{Arg, ArgType, Command, Request, RpcError, RpcResult, help_texts};
use crate::context::NodeContext;
use crate::node_init::{EchoImpl, NodeInit};

/// The commands of this module.
pub(super) const COMMANDS: &[Command] = &[
    Command {
        category: "hidden",
        name: "echoipc",
        args: &[Arg::required("arg", ArgType::Str)],
        help: help_texts::ECHOIPC,
        handler: echoipc,
    },
    Command {
        category: "hidden",
        name: "setmocktime",
        args: &[Arg::required("timestamp", ArgType::Num)],
        help: help_texts::SETMOCKTIME,
        handler: setmocktime,
    },
];

/// The latest mock time Core takes: `std::chrono::nanoseconds::max()` in seconds.
const MAX_MOCKTIME: i64 = i64::MAX / 1_000_000_000;

fn setmocktime(ctx: &NodeContext, req: &Request) -> RpcResult {
    if ctx.params.chain != umkoin_interfaces::chain::ChainType::Regtest {
        return Err(RpcError::new(
            code::MISC_ERROR,
            "setmocktime is for regression testing (-regtest mode) only",
        ));
    }
    let time = super::blockchain::get_int64(req.param(0))?;
    if !(0..=MAX_MOCKTIME).contains(&time) {
        return Err(RpcError::new(
            code::INVALID_PARAMETER,
            format!("Mocktime must be in the range [0, {MAX_MOCKTIME}], not {time}."),
        ));
    }
    ctx.set_mocktime(time);
    Ok(Value::Null)
}

fn echoipc(ctx: &NodeContext, req: &Request) -> RpcResult {
    let arg = req.param(0).as_str().unwrap_or_default().to_owned();
    let echoed = if ctx.multiprocess {
        echo_through_child(arg)
    } else {
        EchoImpl.echo(arg).map_err(|e| e.to_string())
    };
    echoed
        .map(Value::String)
        .map_err(|e| RpcError::new(code::MISC_ERROR, e))
}

/// Spawns `umkoin-node -ipcfd <fd>` beside this executable, asks it for an `Echo` and
/// echoes through it; dropping the proxies closes the connection and the child exits.
fn echo_through_child(arg: String) -> Result<String, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find this executable: {e}"))?;
    let program = exe.with_file_name("umkoin-node");
    let spawned = umkoin_ipc::spawn("umkoin-node", &program).map_err(|e| e.to_string())?;
    let echo = spawned
        .connection
        .init
        .make_echo()
        .map_err(|e| e.to_string())?;
    let result = echo.echo(arg).map_err(|e| e.to_string());
    drop(echo);
    drop(spawned);
    result
}

/// The `Init` a spawned `umkoin-node -ipcfd` child serves.
pub fn spawned_init() -> std::sync::Arc<dyn umkoin_interfaces::ipc::umkoin::UmkoinInit> {
    std::sync::Arc::new(NodeInit)
}
