//! `umkoin-cli` against Umkoin Core's C++ `umkoind` (from the folder `UMKOIN_CORE_BIN`,
//! default the reference build in `../shared/reference/core-v31/bin` beside the checkout), compared with Core's own `umkoin-cli` where the output must be
//! byte for byte the same, and against a scripted HTTP server for the replies a node
//! rarely gives.

// Test code: helpers outside `#[test]` functions fail the test the same way.
#![allow(clippy::unwrap_used)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

const REGTEST_GENESIS: &str = "60b48405c3efa2bd7aa6a8bc206e3369e58d15f60cba7a915769e9669758cb6d";
const OUR_CLI: &str = env!("CARGO_BIN_EXE_umkoin-cli");

/// The folder holding Umkoin Core's binaries these tests compare against.
fn core_bin_dir() -> PathBuf {
    std::env::var_os("UMKOIN_CORE_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reference/core-v31/bin")
        })
}

fn umkoind() -> PathBuf {
    let path = core_bin_dir().join("umkoind");
    assert!(
        path.is_file(),
        "Umkoin Core's umkoind not found at {}: these tests compare against it; set UMKOIN_CORE_BIN to the folder of Core's binaries",
        path.display()
    );
    path
}

/// Core's `umkoin-cli`, beside the `umkoind` in use.
fn core_cli() -> PathBuf {
    let path = umkoind().with_file_name("umkoin-cli");
    assert!(
        path.is_file(),
        "Umkoin Core's umkoin-cli not found at {} (it is compared against; see UMKOIN_CORE_BIN)",
        path.display()
    );
    path
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[derive(Debug)]
struct Run {
    stdout: String,
    stderr: String,
    code: i32,
}

fn run(out: Output) -> Run {
    Run {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code().expect("not killed by a signal"),
    }
}

fn cli_with_stdin(exe: &Path, args: &[String], stdin: &str) -> Run {
    let mut child = Command::new(exe)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    run(child.wait_with_output().unwrap())
}

fn cli(exe: &Path, args: &[String]) -> Run {
    run(Command::new(exe)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap())
}

fn strings(a: &[&str]) -> Vec<String> {
    a.iter().map(|s| s.to_string()).collect()
}

/// A running `umkoind -regtest` on its own datadir and RPC port.
struct Node {
    child: Option<Child>,
    datadir: tempfile::TempDir,
    port: u16,
}

impl Node {
    fn spawn(datadir: tempfile::TempDir, port: u16) -> Node {
        let child = Command::new(umkoind())
            .arg("-regtest")
            .arg(format!("-datadir={}", datadir.path().display()))
            .arg(format!("-rpcport={port}"))
            .args(["-listen=0", "-printtoconsole=0", "-server"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("umkoind starts");
        Node {
            child: Some(child),
            datadir,
            port,
        }
    }

    fn start() -> Node {
        let mut node = Node::spawn(tempfile::tempdir().unwrap(), free_port());
        node.wait_ready();
        node
    }

    /// The options that reach this node.
    fn opts(&self) -> Vec<String> {
        vec![
            "-regtest".into(),
            format!("-datadir={}", self.datadir.path().display()),
            format!("-rpcport={}", self.port),
        ]
    }

    fn with(&self, args: &[&str]) -> Vec<String> {
        let mut v = self.opts();
        v.extend(strings(args));
        v
    }

    fn ours(&self, args: &[&str]) -> Run {
        cli(Path::new(OUR_CLI), &self.with(args))
    }

    fn cores(&self, args: &[&str]) -> Run {
        cli(&core_cli(), &self.with(args))
    }

    /// Poll until the cookie is written and RPC answers (after warm-up).
    fn wait_ready(&mut self) {
        let cookie = self.datadir.path().join("regtest/.cookie");
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            if let Some(status) = self.child.as_mut().unwrap().try_wait().unwrap() {
                panic!("umkoind exited early: {status}");
            }
            if cookie.is_file() {
                let r = self.ours(&["-rpcclienttimeout=5", "getblockcount"]);
                if r.code == 0 {
                    return;
                }
            }
            assert!(
                Instant::now() < deadline,
                "umkoind did not answer RPC within 120 s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn stop(mut self) {
        let r = self.ours(&["stop"]);
        assert_eq!(r.code, 0, "stop failed: {}", r.stderr);
        assert_eq!(r.stdout, "Umkoin Core stopping\n");
        let status = self.child.take().unwrap().wait().unwrap();
        assert!(status.success(), "umkoind exited with {status}");
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn mask_line(text: &str, key: &str) -> String {
    text.lines()
        .map(|l| if l.contains(key) { "<masked>" } else { l })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn against_core_node() {
    let node = Node::start();

    let r = node.ours(&["getblockcount"]);
    assert_eq!(
        (r.stdout.as_str(), r.stderr.as_str(), r.code),
        ("0\n", "", 0)
    );

    let r = node.ours(&["getblockhash", "0"]);
    assert_eq!(r.stdout, format!("{REGTEST_GENESIS}\n"));
    assert_eq!(r.code, 0);

    // Byte for byte as Core's client prints it; only the time-dependent estimate differs.
    for args in [
        &["getblockchaininfo"][..],
        &[
            "echojson",
            "[]",
            "{}",
            "[[],{}]",
            r#"{"a":{"b":[1,2.50,-3e-7]}}"#,
            r#""x\u007fy\u0001é/""#,
            "null",
            "true",
        ],
        &["echo", "a", "", "b=c"],
        &["help", "getblockhash"],
        &["-getinfo"],
        &["-getinfo", "-color=always"],
        &["-netinfo", "4"],
        &["getblockheader", REGTEST_GENESIS],
        &["getblockheader", REGTEST_GENESIS, "false"],
        &["getmempoolinfo"],
        &["uptime", "extra"],
        &["nosuchmethod"],
        &["-named", "echo", "a", "b=1", "args=2"],
        &["-named", "echojson", "arg0=1", "2", "3"],
        &["-rpcwallet=a b/é", "getblockcount"],
        &["getblockhash", "x"],
        &["-getinfo", "-netinfo"],
    ] {
        let ours = node.ours(args);
        let cores = node.cores(args);
        // Masked: the progress (time-dependent) and -netinfo's header, where each
        // client names itself.
        let masked = |s: &str| mask_line(&mask_line(s, "erification"), " - server ");
        assert_eq!(
            masked(&ours.stdout),
            masked(&cores.stdout),
            "stdout of {args:?}"
        );
        assert_eq!(ours.stderr, cores.stderr, "stderr of {args:?}");
        assert_eq!(ours.code, cores.code, "exit code of {args:?}");
    }

    let r = node.ours(&["getblockhash", "1"]);
    assert_eq!(r.stdout, "");
    assert_eq!(
        r.stderr,
        "error code: -8\nerror message:\nBlock height out of range\n"
    );
    assert_eq!(r.code, 8);

    let r = node.ours(&["-named", "getblockhash", "height=0"]);
    assert_eq!((r.stdout, r.code), (format!("{REGTEST_GENESIS}\n"), 0));
    let r = node.ours(&["-named", "echo", "x=1", "y"]);
    assert_eq!(
        r.code, 8,
        "named and positional arguments mixed: {}",
        r.stderr
    );

    let r = cli_with_stdin(
        Path::new(OUR_CLI),
        &node.with(&["-stdin", "echojson"]),
        "[1]\n{}\n",
    );
    assert_eq!(r.stdout, "[\n  [\n    1\n  ],\n  {\n  }\n]\n");

    let cookie = std::fs::read_to_string(node.datadir.path().join("regtest/.cookie")).unwrap();
    let (user, pass) = cookie.trim_end().split_once(':').unwrap();
    let r = cli_with_stdin(
        Path::new(OUR_CLI),
        &node.with(&[
            &format!("-rpcuser={user}"),
            "-stdinrpcpass",
            "-stdin",
            "echo",
        ]),
        &format!("{pass}\nline two\n"),
    );
    assert_eq!(r.stdout, "[\n  \"line two\"\n]\n", "{}", r.stderr);

    let r = node.ours(&["-rpcpassword=wrong", "getblockcount"]);
    assert_eq!(
        (r.stdout.as_str(), r.stderr.as_str(), r.code),
        (
            "",
            "error: Authorization failed: Incorrect rpcuser or rpcpassword\n",
            1
        )
    );

    let r = node.ours(&["-rpccookiefile=no-such-cookie", "getblockcount"]);
    assert_eq!(
        r.stderr,
        format!(
            "error: Could not locate RPC credentials. No authentication cookie could be found, and RPC password is not set.  See -rpcpassword and -stdinrpcpass.  Configuration file: ({})\n",
            node.datadir.path().join("umkoin.conf").display()
        )
    );
    assert_eq!(r.code, 1);

    // The config file's [regtest] section supplies the port.
    std::fs::write(
        node.datadir.path().join("umkoin.conf"),
        format!("regtest=1\nrpcport=1\n[regtest]\nrpcport={}\n", node.port),
    )
    .unwrap();
    let r = cli(
        Path::new(OUR_CLI),
        &[
            format!("-datadir={}", node.datadir.path().display()),
            "getblockcount".into(),
        ],
    );
    assert_eq!((r.stdout.as_str(), r.code), ("0\n", 0), "{}", r.stderr);

    node.stop();
}

#[test]
fn rpcwait_waits_for_a_node_started_later() {
    let datadir = tempfile::tempdir().unwrap();
    let port = free_port();
    let args = vec![
        "-regtest".to_owned(),
        format!("-datadir={}", datadir.path().display()),
        format!("-rpcport={port}"),
        "-rpcwait".to_owned(),
        "-rpcwaittimeout=60".to_owned(),
        "getblockcount".to_owned(),
    ];
    // Hold the port until the client's first attempt arrives, and close that
    // connection unanswered: the client has seen a failed connection and must keep
    // trying until the node, started only now, answers.
    let listener = TcpListener::bind(("127.0.0.1", port)).unwrap();
    let waiting = std::thread::spawn(move || cli(Path::new(OUR_CLI), &args));
    let (first_attempt, _) = listener.accept().unwrap();
    drop(first_attempt);
    drop(listener);
    let mut node = Node::spawn(datadir, port);
    let r = waiting.join().unwrap();
    assert_eq!(
        (r.stdout.as_str(), r.stderr.as_str(), r.code),
        ("0\n", "", 0)
    );
    node.wait_ready();
    node.stop();
}

fn refused_text(port: u16) -> String {
    format!(
        "error: timeout on transient error: Could not connect to the server 127.0.0.1:{port}\n\n\
         Make sure the umkoind server is running and that you are connecting to the correct RPC port.\n\
         Use \"umkoin-cli -help\" for more info.\n"
    )
}

#[test]
fn connection_refused() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let base = [
        "-regtest".to_owned(),
        format!("-datadir={}", dir.path().display()),
        format!("-rpcport={port}"),
    ];
    let r = cli(
        Path::new(OUR_CLI),
        &[&base[..], &strings(&["getblockcount"])].concat(),
    );
    assert_eq!((r.stdout.as_str(), r.code), ("", 1));
    assert_eq!(r.stderr, refused_text(port));

    let start = Instant::now();
    let r = cli(
        Path::new(OUR_CLI),
        &[
            &base[..],
            &strings(&["-rpcwait", "-rpcwaittimeout=1", "getblockcount"]),
        ]
        .concat(),
    );
    assert!(
        start.elapsed() >= Duration::from_secs(1),
        "waited for the timeout"
    );
    assert_eq!((r.stderr, r.code), (refused_text(port), 1));
}

#[test]
fn version_help_and_usage_errors() {
    let r = cli(Path::new(OUR_CLI), &strings(&["-version"]));
    assert_eq!(r.code, 0);
    assert!(r.stdout.starts_with(
        "Umkoin RPC client version v0.1.0 (umkoin-rs, Umkoin Core v31.0 compatible)\numkoin-rs: "
    ));
    for help in ["-help", "-h", "-?"] {
        let r = cli(Path::new(OUR_CLI), &strings(&[help]));
        assert_eq!(r.code, 0);
        assert!(
            r.stdout
                .starts_with("Umkoin RPC client version v0.1.0 (umkoin-rs, Umkoin Core v31.0 compatible)\n\nThe umkoin-cli utility")
        );
        assert!(r.stdout.contains("\nOptions:\n\n  -color=<when>\n"));
        assert!(r.stdout.contains("\nCLI Commands:\n\n  -addrinfo\n"));
    }
    let r = cli(Path::new(OUR_CLI), &[]);
    assert_eq!(
        (r.stderr.as_str(), r.code),
        ("Error: too few parameters\n", 1)
    );
    let r = cli(Path::new(OUR_CLI), &strings(&["-foo"]));
    assert_eq!(
        (r.stdout.as_str(), r.stderr.as_str(), r.code),
        (
            "",
            "Error parsing command line arguments: Invalid parameter -foo\n",
            1
        )
    );
    let r = cli(
        Path::new(OUR_CLI),
        &strings(&["-datadir=/no/such/dir", "getblockcount"]),
    );
    assert_eq!(
        (r.stderr.as_str(), r.code),
        (
            "Error: Specified data directory \"/no/such/dir\" does not exist.\n",
            1
        )
    );
    let r = cli(
        Path::new(OUR_CLI),
        &strings(&["-regtest", "-testnet", "getblockcount"]),
    );
    assert_eq!(
        (r.stderr.as_str(), r.code),
        (
            "Error: Invalid combination of -regtest, -signet, -testnet, -testnet4 and -chain. Can use at most one.\n",
            1
        )
    );
    // Core's help and usage texts match ours exactly after the version line, which
    // names this implementation.
    for args in [&["-help"][..], &[]] {
        let ours = cli(Path::new(OUR_CLI), &strings(args));
        let cores = cli(&core_cli(), &strings(args));
        let after_first = |s: &str| s.split_once('\n').map(|(_, r)| r.to_owned());
        assert_eq!(
            after_first(&ours.stdout),
            after_first(&cores.stdout),
            "{args:?}"
        );
        assert_eq!(ours.stderr, cores.stderr, "{args:?}");
        assert_eq!(ours.code, cores.code, "{args:?}");
    }
}

/// One scripted HTTP exchange: answers the first request with `response` and hands
/// back the request's bytes.
fn fake_server(response: &'static [u8]) -> (u16, JoinHandle<Vec<u8>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let request = read_request(&mut stream);
        stream.write_all(response).unwrap();
        request
    });
    (port, handle)
}

fn read_request(stream: &mut TcpStream) -> Vec<u8> {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        if let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&data[..end]).to_string();
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("Content-Length: "))
                .map_or(0, |v| v.parse().unwrap());
            if data.len() >= end + 4 + len {
                return data;
            }
        }
        let n = stream.read(&mut buf).unwrap();
        if n == 0 {
            return data;
        }
        data.extend_from_slice(&buf[..n]);
    }
}

fn http(status: &str, body: &str) -> &'static [u8] {
    format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
    .leak()
}

fn against_fake(response: &'static [u8], args: &[&str]) -> (Run, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    let (port, server) = fake_server(response);
    let mut all = vec![
        "-regtest".to_owned(),
        format!("-datadir={}", dir.path().display()),
        format!("-rpcport={port}"),
        "-rpcuser=u".to_owned(),
        "-rpcpassword=p".to_owned(),
    ];
    all.extend(strings(args));
    let r = cli(Path::new(OUR_CLI), &all);
    (r, server.join().unwrap())
}

#[test]
fn request_bytes_are_cores() {
    let (r, request) = against_fake(
        http("200 OK", r#"{"result":null,"error":null,"id":1}"#),
        &["-rpcwallet=a b/é", "-named", "echo", "x=1", "y"],
    );
    assert_eq!((r.stdout.as_str(), r.stderr.as_str(), r.code), ("", "", 0));
    let body = "{\"method\":\"echo\",\"params\":{\"x\":\"1\",\"args\":[\"y\"]},\"id\":1,\"jsonrpc\":\"2.0\"}\n";
    assert_eq!(
        String::from_utf8(request).unwrap(),
        format!(
            "POST /wallet/a%20b%2F%C3%A9 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\nAuthorization: Basic dTpw\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
    );
    let (_, request) = against_fake(
        http("200 OK", r#"{"result":null,"error":null,"id":1}"#),
        &["getblockhash", "0"],
    );
    assert!(String::from_utf8(request).unwrap().ends_with(
        "\r\n\r\n{\"method\":\"getblockhash\",\"params\":[0],\"id\":1,\"jsonrpc\":\"2.0\"}\n"
    ));
}

#[test]
fn http_failures_print_cores_messages() {
    let cases: [(&'static [u8], &str, i32); 8] = [
        (
            http("503 Service Unavailable", "Work queue depth exceeded"),
            "error: Server response: Work queue depth exceeded\n",
            1,
        ),
        (
            http("403 Forbidden", ""),
            "error: server returned HTTP error 403\n",
            1,
        ),
        (
            http("404 Not Found", ""),
            "error: no response from server\n",
            1,
        ),
        (
            http("200 OK", "not json"),
            "error: couldn't parse reply from server\n",
            1,
        ),
        (
            http("200 OK", "{}"),
            "error: expected reply to have result, error and id properties\n",
            1,
        ),
        (
            http("200 OK", "[]"),
            "error: JSON value of type array is not of expected type object\n",
            1,
        ),
        (
            http(
                "500 Internal Server Error",
                r#"{"result":null,"error":{"code":-32601,"message":"Method not found"},"id":1}"#,
            ),
            "error code: -32601\nerror message:\nMethod not found\n",
            32601 & 0xff,
        ),
        (
            b"hello\r\n\r\n",
            "error: timeout on transient error: Could not connect to the server 127.0.0.1:PORT (error code 2 - \"error while reading header, or invalid header\")\n\nMake sure the umkoind server is running and that you are connecting to the correct RPC port.\nUse \"umkoin-cli -help\" for more info.\n",
            1,
        ),
    ];
    for (response, stderr, code) in cases {
        let (r, request) = against_fake(response, &["getblockcount"]);
        assert!(request.starts_with(b"POST / HTTP/1.1\r\n"));
        let stderr_norm = r
            .stderr
            .split("127.0.0.1:")
            .enumerate()
            .map(|(i, part)| {
                if i == 0 {
                    part.to_owned()
                } else {
                    let digits = part.bytes().take_while(u8::is_ascii_digit).count();
                    format!("127.0.0.1:PORT{}", &part[digits..])
                }
            })
            .collect::<String>();
        assert_eq!((stderr_norm.as_str(), r.code), (stderr, code));
        assert_eq!(r.stdout, "");
    }
}

#[test]
fn getinfo_reports_a_node_without_getnetworkinfo() {
    // What a node answers when it lacks getnetworkinfo: Core's client passes the error
    // on; so does ours.
    let (r, request) = against_fake(
        http(
            "200 OK",
            r#"[{"jsonrpc":"2.0","error":{"code":-32601,"message":"Method not found"},"id":0},
                {"jsonrpc":"2.0","result":{"chain":"regtest","blocks":0},"id":1},
                {"jsonrpc":"2.0","error":{"code":-32601,"message":"Method not found"},"id":2},
                {"jsonrpc":"2.0","error":{"code":-32601,"message":"Method not found"},"id":3}]"#,
        ),
        &["-getinfo"],
    );
    let request = String::from_utf8(request).unwrap();
    assert!(request.ends_with(
        "[{\"method\":\"getnetworkinfo\",\"params\":null,\"id\":0,\"jsonrpc\":\"2.0\"},{\"method\":\"getblockchaininfo\",\"params\":null,\"id\":1,\"jsonrpc\":\"2.0\"},{\"method\":\"getwalletinfo\",\"params\":null,\"id\":2,\"jsonrpc\":\"2.0\"},{\"method\":\"getbalances\",\"params\":null,\"id\":3,\"jsonrpc\":\"2.0\"}]\n"
    ));
    assert_eq!(
        (r.stdout.as_str(), r.stderr.as_str(), r.code),
        (
            "",
            "error code: -32601\nerror message:\nMethod not found\n",
            32601 & 0xff
        )
    );
}

/// A server that claims more body than it sends (or a chunk larger than memory) is a
/// connection that ended early, as Core reports it: no allocation of the claimed size,
/// no crash.
#[test]
fn oversized_claims_end_as_eof() {
    for response in [
        &b"HTTP/1.1 200 OK\r\nContent-Length: 99999999999999\r\n\r\n{}"[..],
        &b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffff\r\nab"[..],
    ] {
        let (r, _) = against_fake(response, &["getblockcount"]);
        assert_eq!(r.code, 1, "{r:?}");
        assert!(
            r.stderr.contains("(error code 1 - \"EOF reached\")"),
            "{r:?}"
        );
    }
}

/// `-rpcwaittimeout` beyond what a clock can hold is no deadline, not a crash.
#[test]
fn huge_rpcwaittimeout_does_not_crash() {
    let dir = tempfile::tempdir().unwrap();
    let r = cli(
        Path::new(OUR_CLI),
        &strings(&[
            "-regtest",
            &format!("-datadir={}", dir.path().display()),
            &format!("-rpcport={}", free_port()),
            "-rpcuser=u",
            "-rpcpassword=p",
            "-rpcwaittimeout=9223372036854775807",
            "getblockcount",
        ]),
    );
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stderr.contains("Could not connect to the server"),
        "{r:?}"
    );
}
