//! The JSON-RPC server as Umkoin Core's: credentials (cookie, rpcuser/rpcpassword,
//! rpcauth, wrong ones), JSON-RPC 1.0 and 2.0 rules, batches, malformed and oversized
//! bodies, methods and paths, and the work queue.

use serde_json::json;
use umkoin_harness::rpc::RawAuth;
use umkoin_harness::{
    Credentials, JsonRpcVersion, RawRequest, RpcClient, RpcError, TestFramework,
    assert_raises_rpc_error, send_raw_tcp,
};
use umkoin_interfaces::rpc::{code, http};

fn one_node(
    name: &str,
    args: &[&str],
    body: impl FnOnce(&mut umkoin_harness::TestContext) -> anyhow::Result<()>,
) {
    TestFramework::new(name)
        .num_nodes(1)
        .setup_clean_chain(true)
        .extra_args([args.iter().map(|s| s.to_string()).collect::<Vec<_>>()])
        .run(body);
}

#[test]
fn cookie_auth() {
    one_node("cookie_auth", &[], |t| {
        let node = t.node(0);
        let cookie = std::fs::read_to_string(node.cookie_path())?;
        let (user, pass) = cookie.split_once(':').expect("user:password");
        assert_eq!(user, "__cookie__");
        assert_eq!(pass.len(), 64, "32 random bytes in hex");
        let rpc = node.rpc();
        assert_eq!(rpc.call("getblockcount", json!([]))?, json!(0));
        let wrong = rpc.with_credentials(Some(Credentials::new("__cookie__", "00")));
        let err = wrong.call("getblockcount", json!([])).unwrap_err();
        assert!(matches!(err, RpcError::Http { status: 401, .. }), "{err:?}");
        Ok(())
    });
}

#[test]
fn rpcuser_and_rpcpassword() {
    // In the config file, where Core's framework (and ours) reads them from.
    TestFramework::new("rpcuser_and_rpcpassword")
        .num_nodes(1)
        .setup_clean_chain(true)
        .extra_conf([[
            "rpcuser=alice".to_string(),
            "rpcpassword=s3cret".to_string(),
        ]])
        .run(|t| {
            let node = t.node(0);
            assert!(
                !node.cookie_path().exists(),
                "no cookie with a password set"
            );
            let port = node.rpc_port();
            let good = RpcClient::new("127.0.0.1", port, Some(Credentials::new("alice", "s3cret")));
            assert_eq!(good.call("getblockcount", json!([]))?, json!(0));
            let bad = RpcClient::new("127.0.0.1", port, Some(Credentials::new("alice", "wrong")));
            // A wrong password is a 401 and a log line, and the server lives on.
            node.assert_debug_log(
                &["ThreadRPCServer incorrect password attempt from 127.0.0.1"],
                &[],
                |_| {
                    let err = bad.call("getblockcount", json!([])).unwrap_err();
                    assert!(matches!(err, RpcError::Http { status: 401, .. }), "{err:?}");
                    Ok(())
                },
            )?;
            assert_eq!(good.call("getblockcount", json!([]))?, json!(0));
            let resp = good
                .request(&RawRequest::post(r#"{"method":"getblockcount"}"#).auth(RawAuth::None))?;
            assert_eq!(resp.status, http::UNAUTHORIZED);
            assert_eq!(
                resp.header("www-authenticate"),
                Some("Basic realm=\"jsonrpc\"")
            );
            // Stop with the password credentials.
            good.call("stop", json!([]))?;
            node.wait_until_stopped(0, None)
        });
}

#[test]
fn rpcauth_from_core_script() {
    // What share/rpcauth/rpcauth.py prints for user "bob", password "hunter2" and this
    // salt: `bob:<salt>$<HMAC-SHA256(key = salt, msg = password)>`.
    let salt = "4f1a0c0e7e8a4c3b9d2f6a1b0c9d8e7f";
    let entry = format!(
        "-rpcauth=bob:{salt}${}",
        hmac_sha256_hex(salt.as_bytes(), b"hunter2")
    );
    one_node("rpcauth_from_core_script", &[&entry], |t| {
        let node = t.node(0);
        let port = node.rpc_port();
        let bob = RpcClient::new("127.0.0.1", port, Some(Credentials::new("bob", "hunter2")));
        assert_eq!(bob.call("getblockcount", json!([]))?, json!(0));
        let wrong = RpcClient::new("127.0.0.1", port, Some(Credentials::new("bob", "hunter3")));
        assert!(matches!(
            wrong.call("getblockcount", json!([])).unwrap_err(),
            RpcError::Http { status: 401, .. }
        ));
        // The cookie still works next to rpcauth.
        assert_eq!(node.rpc().call("getblockcount", json!([]))?, json!(0));
        Ok(())
    });
}

/// HMAC-SHA256 written out from FIPS 198 over a small SHA-256, so the test does not
/// share code with the node it checks.
fn hmac_sha256_hex(key: &[u8], msg: &[u8]) -> String {
    fn sha256(data: &[u8]) -> [u8; 32] {
        const K: [u32; 64] = [
            0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
            0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
            0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
            0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
            0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
            0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
            0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
            0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
            0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
            0xc67178f2,
        ];
        let mut h: [u32; 8] = [
            0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
            0x5be0cd19,
        ];
        let mut m = data.to_vec();
        m.push(0x80);
        while m.len() % 64 != 56 {
            m.push(0);
        }
        m.extend_from_slice(&((data.len() as u64) * 8).to_be_bytes());
        for chunk in m.chunks(64) {
            let mut w = [0u32; 64];
            for i in 0..16 {
                w[i] = u32::from_be_bytes([
                    chunk[4 * i],
                    chunk[4 * i + 1],
                    chunk[4 * i + 2],
                    chunk[4 * i + 3],
                ]);
            }
            for i in 16..64 {
                let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
                let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
                w[i] = w[i - 16]
                    .wrapping_add(s0)
                    .wrapping_add(w[i - 7])
                    .wrapping_add(s1);
            }
            let mut v = h;
            for i in 0..64 {
                let s1 = v[4].rotate_right(6) ^ v[4].rotate_right(11) ^ v[4].rotate_right(25);
                let ch = (v[4] & v[5]) ^ (!v[4] & v[6]);
                let t1 = v[7]
                    .wrapping_add(s1)
                    .wrapping_add(ch)
                    .wrapping_add(K[i])
                    .wrapping_add(w[i]);
                let s0 = v[0].rotate_right(2) ^ v[0].rotate_right(13) ^ v[0].rotate_right(22);
                let maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
                let t2 = s0.wrapping_add(maj);
                v = [
                    t1.wrapping_add(t2),
                    v[0],
                    v[1],
                    v[2],
                    v[3].wrapping_add(t1),
                    v[4],
                    v[5],
                    v[6],
                ];
            }
            for i in 0..8 {
                h[i] = h[i].wrapping_add(v[i]);
            }
        }
        let mut out = [0u8; 32];
        for (i, x) in h.iter().enumerate() {
            out[4 * i..4 * i + 4].copy_from_slice(&x.to_be_bytes());
        }
        out
    }
    let mut k = [0u8; 64];
    if key.len() > 64 {
        k[..32].copy_from_slice(&sha256(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let inner: Vec<u8> = k
        .iter()
        .map(|b| b ^ 0x36)
        .chain(msg.iter().copied())
        .collect();
    let outer: Vec<u8> = k.iter().map(|b| b ^ 0x5c).chain(sha256(&inner)).collect();
    sha256(&outer).iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn hmac_helper_matches_rfc4231() {
    assert_eq!(
        hmac_sha256_hex(b"Jefe", b"what do ya want for nothing?"),
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    );
}

#[test]
fn jsonrpc_versions_batches_and_malformed_bodies() {
    one_node("jsonrpc_versions_batches_and_malformed_bodies", &[], |t| {
        let rpc = t.node(0).rpc();
        // 1.0: errors are HTTP statuses, both fields present.
        let r = rpc.post(r#"{"method":"getblockcount","params":[],"id":7}"#)?;
        assert_eq!(r.status, http::OK);
        assert_eq!(r.text(), "{\"result\":0,\"error\":null,\"id\":7}\n");
        assert_eq!(r.header("content-type"), Some("application/json"));
        let r = rpc.post(r#"{"method":"nosuch","id":1}"#)?;
        assert_eq!(r.status, http::NOT_FOUND);
        assert_eq!(r.json()?["error"]["code"], json!(code::METHOD_NOT_FOUND));
        let r = rpc.post(r#"{"method":"getblockhash","params":["1"],"id":1}"#)?;
        assert_eq!(r.status, http::INTERNAL_SERVER_ERROR);
        assert_eq!(
            r.json()?["error"]["message"],
            json!(
                "Wrong type passed:\n{\n    \"Position 1 (height)\": \"JSON value of type string is not of expected type number\"\n}"
            )
        );
        // 2.0: HTTP 200, one of result/error, notifications get 204.
        let r = rpc.post(r#"{"jsonrpc":"2.0","method":"nosuch","id":1}"#)?;
        assert_eq!(r.status, http::OK);
        assert_eq!(
            r.text(),
            "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32601,\"message\":\"Method not found\"},\"id\":1}\n"
        );
        let r = rpc.post(r#"{"jsonrpc":"2.0","method":"getblockcount"}"#)?;
        assert_eq!(r.status, http::NO_CONTENT);
        assert!(r.body.is_empty());
        // Malformed requests.
        let cases: &[(&str, u16, &str)] = &[
            (
                "xx",
                500,
                r#"{"result":null,"error":{"code":-32700,"message":"Parse error"},"id":null}"#,
            ),
            (
                "5",
                500,
                r#"{"result":null,"error":{"code":-32700,"message":"Top-level object parse error"},"id":null}"#,
            ),
            (
                r#"{"method":1}"#,
                400,
                r#"{"result":null,"error":{"code":-32600,"message":"Method must be a string"}}"#,
            ),
            (
                r#"{"params":[]}"#,
                400,
                r#"{"result":null,"error":{"code":-32600,"message":"Missing method"}}"#,
            ),
            (
                r#"{"jsonrpc":"3.0","method":"getblockcount","id":1}"#,
                400,
                r#"{"result":null,"error":{"code":-32600,"message":"JSON-RPC version not supported"},"id":1}"#,
            ),
            (
                r#"{"method":"getblockcount","params":5,"id":1}"#,
                400,
                r#"{"result":null,"error":{"code":-32600,"message":"Params must be an array or object"},"id":1}"#,
            ),
        ];
        for (body, status, reply) in cases {
            let r = rpc.post(*body)?;
            assert_eq!(
                (r.status, r.text()),
                (*status, format!("{reply}\n")),
                "body {body}"
            );
        }
        // Batches: per-element errors, notifications left out, an empty batch is [].
        let r = rpc.post(
            r#"[1,{"method":"getblockcount","id":2},{"jsonrpc":"2.0","method":"getblockcount"}]"#,
        )?;
        assert_eq!(r.status, http::OK);
        assert_eq!(
            r.text(),
            "[{\"result\":null,\"error\":{\"code\":-32600,\"message\":\"Invalid Request object\"},\"id\":null},{\"result\":0,\"error\":null,\"id\":2}]\n"
        );
        assert_eq!(rpc.post("[]")?.text(), "[]\n");
        let r = rpc.post(r#"[{"jsonrpc":"2.0","method":"getblockcount"}]"#)?;
        assert_eq!(r.status, http::NO_CONTENT);
        // Wrong number of arguments: Core answers with the help text.
        assert_raises_rpc_error(
            code::MISC_ERROR,
            "getblockcount\n\nReturns the height",
            || rpc.call("getblockcount", json!([1])),
        )?;
        // Named parameters.
        assert_eq!(
            rpc.call("getblockhash", json!({"height": 0}))?,
            json!("60b48405c3efa2bd7aa6a8bc206e3369e58d15f60cba7a915769e9669758cb6d")
        );
        assert_raises_rpc_error(
            code::INVALID_PARAMETER,
            "Unknown named parameter foo",
            || rpc.call("getblockhash", json!({"foo": 1})),
        )?;
        Ok(())
    });
}

#[test]
fn http_methods_paths_and_sizes() {
    one_node("http_methods_paths_and_sizes", &[], |t| {
        let rpc = t.node(0).rpc();
        let r = rpc.request(&RawRequest::post(Vec::new()).method("GET"))?;
        assert_eq!(
            (r.status, r.text().as_str()),
            (405, "JSONRPC server handles only POST requests")
        );
        let r = rpc.request(&RawRequest::post(Vec::new()).method("DELETE"))?;
        assert_eq!(r.status, http::BAD_METHOD);
        let r = rpc.request(&RawRequest::post(r#"{"method":"getblockcount"}"#).path("/nosuch"))?;
        assert_eq!(r.status, http::NOT_FOUND);
        // A body over Core's 32 MiB limit: 413 as soon as the length is known, the
        // connection closed, and the server carries on.
        let head = format!(
            "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {}\r\n\r\n{{\"method\":",
            32 * 1024 * 1024 + 1
        );
        let raw = send_raw_tcp(
            rpc.socket_addr()?,
            head.as_bytes(),
            std::time::Duration::from_secs(10),
        )?;
        let raw = String::from_utf8_lossy(&raw);
        assert!(raw.starts_with("HTTP/1.1 413 "), "{raw:?}");
        // Just under the limit is answered.
        let mut ok = br#"{"method":"echo","params":[""#.to_vec();
        ok.extend(std::iter::repeat_n(b'a', 1024 * 1024));
        ok.extend_from_slice(br#""],"id":1}"#);
        let r = rpc.post(ok)?;
        assert_eq!(r.status, http::OK);
        assert_eq!(
            r.json()?["result"][0].as_str().map(str::len),
            Some(1024 * 1024)
        );
        // Garbage on the socket closes that connection only.
        let raw = send_raw_tcp(
            rpc.socket_addr()?,
            b"NONSENSE\r\n\r\n",
            std::time::Duration::from_secs(10),
        )?;
        assert!(String::from_utf8_lossy(&raw).starts_with("HTTP/1.1 400"));
        assert_eq!(rpc.call("getblockcount", json!([]))?, json!(0));
        Ok(())
    });
}

#[test]
fn json_rpc_2_client() {
    one_node("json_rpc_2_client", &[], |t| {
        let v2 = t.node(0).rpc().clone().with_version(JsonRpcVersion::V2);
        assert_eq!(v2.call("getblockcount", json!([]))?, json!(0));
        let err = v2.call("getblockhash", json!([1])).unwrap_err();
        assert!(
            matches!(
                err,
                RpcError::Rpc {
                    code: -8,
                    http_status: 200,
                    ..
                }
            ),
            "{err:?}"
        );
        Ok(())
    });
}

#[test]
fn rpc_warmup_and_allowip_options() {
    TestFramework::new("rpc_warmup_and_allowip_options")
        .num_nodes(1)
        .setup_clean_chain(true)
        .start_nodes(false)
        .run(|t| {
            let node = t.node(0);
            node.assert_start_raises_init_error(
                &["-rpcallowip=not-an-ip"],
                Some("Error: Invalid -rpcallowip subnet specification: not-an-ip."),
                umkoin_harness::ErrorMatch::Partial,
            )?;
            // -rpcbind without -rpcallowip is ignored with a warning; loopback still works.
            node.start_with_args(&["-rpcbind=127.0.0.1"])?;
            let log = std::fs::read_to_string(node.debug_log_path())?;
            assert!(log.contains("Option -rpcbind was ignored because -rpcallowip was not specified, refusing to allow everyone to connect"));
            assert_eq!(node.call("getblockcount", json!([]))?, json!(0));
            node.stop()
        });
}

/// Request bodies are read as Core's UniValue reads them: the first of duplicate keys
/// counts, a named parameter given twice is an error, nesting goes to 512 levels.
#[test]
fn json_parsing_as_univalue() {
    one_node("json_parsing_as_univalue", &[], |t| {
        let rpc = t.node(0).rpc();
        let r = rpc.post(r#"{"method":"getblockcount","method":"nosuch","id":1}"#)?;
        assert_eq!(r.json()?["result"], json!(0), "{}", r.text());
        let r = rpc.post(r#"{"method":"getblockhash","params":{"height":0,"height":1},"id":1}"#)?;
        assert_eq!(
            r.json()?["error"],
            json!({"code": -8, "message": "Parameter height specified multiple times"})
        );
        let deep = |n: usize| {
            format!(
                r#"{{"method":"echo","params":[{}{}],"id":1}}"#,
                "[".repeat(n),
                "]".repeat(n)
            )
        };
        let r = rpc.post(deep(400))?;
        assert_eq!(r.status, http::OK, "{}", r.text());
        let r = rpc.post(deep(600))?;
        assert_eq!(r.json()?["error"]["code"], json!(code::PARSE_ERROR));
        Ok(())
    });
}
