//! Snapshots of RPC result shapes, reviewed like code (`cargo insta review`). The same
//! snapshot must hold for umkoind, `umkoin -m` and Umkoin Core: a difference is either a
//! bug here or a known difference redacted, with its reason, in the harness's one
//! settings helper.

use serde_json::{Value, json};
use umkoin_harness::TestFramework;

const GENESIS: &str = "60b48405c3efa2bd7aa6a8bc206e3369e58d15f60cba7a915769e9669758cb6d";

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).expect("a JSON value serialises")
}

#[test]
fn rpc_result_shapes() {
    TestFramework::new("rpc_result_shapes")
        .num_nodes(1)
        .setup_clean_chain(true)
        .run(|t| {
            let n = t.node(0);
            let mut text = String::new();
            for (method, params) in [
                ("getblockchaininfo", json!([])),
                ("getmempoolinfo", json!([])),
                ("getblockheader", json!([GENESIS])),
                ("getblockheader", json!([GENESIS, false])),
                ("logging", json!([])),
            ] {
                let v = n.call(method, params.clone())?;
                text.push_str(&format!("$ {method} {params}\n{}\n\n", pretty(&v)));
            }
            let help = n.call("help", json!(["getblockchaininfo"]))?;
            text.push_str(&format!(
                "$ help getblockchaininfo\n{}\n",
                help.as_str().unwrap_or_default()
            ));
            umkoin_harness::snapshot::settings().bind(|| {
                insta::assert_snapshot!("rpc_result_shapes", text);
            });
            Ok(())
        });
}
