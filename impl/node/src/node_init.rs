//! What the node serves over IPC: its `Init` (Core's `Init` and our `UmkoinInit`), and
//! the objects that hands out. Plain Rust implementations of the traits in
//! `umkoin_interfaces::ipc`: the same objects answer in-process calls in `umkoind`
//! and, through the generated servers, other processes' calls in `umkoin-node`.

use std::sync::Arc;

use umkoin_interfaces::ipc::echo::Echo;
use umkoin_interfaces::ipc::init::Init;
use umkoin_interfaces::ipc::mining::Mining;
use umkoin_interfaces::ipc::rpc::Rpc;
use umkoin_interfaces::ipc::umkoin::UmkoinInit;
use umkoin_interfaces::mp;

/// Core's answer to `Init.makeMiningOld2 @2`.
pub const OLD_MINING_ERROR: &str =
    "Old mining interface (@2) not supported. Please update your client!";

/// `Echo`: answers its argument.
#[derive(Debug, Default)]
pub struct EchoImpl;

impl Echo for EchoImpl {
    fn echo(&self, echo: String) -> mp::Result<String> {
        Ok(echo)
    }
}

/// The node's `Init`.
#[derive(Debug, Default)]
pub struct NodeInit;

impl Init for NodeInit {
    fn make_echo(&self) -> mp::Result<Arc<dyn Echo>> {
        Ok(Arc::new(EchoImpl))
    }

    fn make_mining_old2(&self) -> mp::Result<()> {
        Err(mp::Error::failed(OLD_MINING_ERROR))
    }

    fn make_mining(&self) -> mp::Result<Arc<dyn Mining>> {
        Err(mp::Error::failed(
            "Mining interface not available: umkoin-rs does not serve Mining over IPC yet",
        ))
    }

    fn make_rpc(&self) -> mp::Result<Arc<dyn Rpc>> {
        Err(mp::Error::failed(
            "Rpc interface not available: umkoin-rs does not serve Rpc over IPC yet",
        ))
    }
}

impl UmkoinInit for NodeInit {
    fn version(&self) -> mp::Result<String> {
        Ok(umkoin_common::version::FULL_VERSION.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_mining_interface_is_refused_with_cores_text() {
        assert_eq!(
            NodeInit.make_mining_old2(),
            Err(mp::Error::Failed(OLD_MINING_ERROR.to_owned()))
        );
        assert_eq!(
            NodeInit.make_echo().and_then(|e| e.echo("hallo".into())),
            Ok("hallo".to_owned())
        );
    }
}
