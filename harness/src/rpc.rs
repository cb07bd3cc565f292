//! A JSON-RPC client for a node's HTTP server, with typed errors, plus raw HTTP and raw
//! TCP access for tests of malformed requests.
//!
//! Requests are JSON-RPC 1.0 style by default (`{"method", "params", "id"}`, no
//! `"jsonrpc"` member, as `umkoin-cli` sends them); [`JsonRpcVersion::V2`] adds
//! `"jsonrpc": "2.0"` as Core's Python framework does. HTTP/1.1 keep-alive: one client
//! (and its clones from [`RpcClient::with_path`]) reuses its connections. HTTP error
//! statuses are answers, not transport failures: a JSON body with an `error` object
//! becomes [`RpcError::Rpc`], anything else non-200 [`RpcError::Http`].

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use anyhow::{Context, bail};
use base64::Engine;
use serde_json::{Value, json};

/// How a response body may grow before reading it fails (Core's replies stay far below).
const MAX_RESPONSE_BYTES: u64 = 1 << 30;

/// The JSON-RPC dialect of requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum JsonRpcVersion {
    /// No `"jsonrpc"` member: errors come with HTTP 500 (or 404 for unknown methods).
    #[default]
    V1,
    /// `"jsonrpc": "2.0"`: every reply is HTTP 200, errors in the body.
    V2,
}

/// Why a call did not return a result.
#[derive(Debug, Clone, thiserror::Error)]
pub enum RpcError {
    /// The server answered with a JSON-RPC error object.
    #[error("RPC error {code}: {message} (HTTP {http_status})")]
    Rpc {
        /// `error.code`.
        code: i64,
        /// `error.message`.
        message: String,
        /// The HTTP status of the reply.
        http_status: u16,
    },
    /// The server answered with a non-200 status and no JSON-RPC error object (e.g. 401
    /// with an empty body, 403, 405, 503 "Work queue depth exceeded").
    #[error("HTTP {status}: {body:?}")]
    Http {
        /// The HTTP status.
        status: u16,
        /// The body, as text.
        body: String,
    },
    /// No answer: connection refused or reset, timeout, malformed HTTP.
    #[error("transport error: {message}")]
    Transport {
        /// The I/O error kind, when there was one.
        kind: Option<std::io::ErrorKind>,
        /// What happened.
        message: String,
    },
    /// A 200 reply whose body is not a JSON-RPC response.
    #[error("invalid JSON-RPC response (HTTP {status}): {message}")]
    InvalidResponse {
        /// The HTTP status.
        status: u16,
        /// What is wrong, with the body.
        message: String,
    },
    /// `umkoin-cli` failed without printing an RPC error.
    #[error("umkoin-cli exited with {code:?}: {stderr}")]
    Cli {
        /// Its exit code (`None` when killed by a signal).
        code: Option<i32>,
        /// Its standard error.
        stderr: String,
    },
}

impl RpcError {
    /// The JSON-RPC error code, for [`RpcError::Rpc`].
    pub fn code(&self) -> Option<i64> {
        match self {
            RpcError::Rpc { code, .. } => Some(*code),
            _ => None,
        }
    }

    /// The JSON-RPC error message, for [`RpcError::Rpc`].
    pub fn message(&self) -> Option<&str> {
        match self {
            RpcError::Rpc { message, .. } => Some(message),
            _ => None,
        }
    }

    fn transport(e: impl std::fmt::Display, kind: Option<std::io::ErrorKind>) -> Self {
        RpcError::Transport {
            kind,
            message: e.to_string(),
        }
    }
}

impl From<ureq::Error> for RpcError {
    fn from(e: ureq::Error) -> Self {
        let kind = match &e {
            ureq::Error::Io(io) => Some(io.kind()),
            ureq::Error::Timeout(_) => Some(std::io::ErrorKind::TimedOut),
            _ => None,
        };
        RpcError::transport(e, kind)
    }
}

/// User and password for HTTP Basic authentication.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The user (`__cookie__` for cookie authentication).
    pub user: String,
    /// The password.
    pub password: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Credentials({}:***)", self.user)
    }
}

impl Credentials {
    /// Credentials from a user and a password.
    pub fn new(user: impl Into<String>, password: impl Into<String>) -> Self {
        Credentials {
            user: user.into(),
            password: password.into(),
        }
    }

    /// Reads a cookie file (`<user>:<password>`, normally `__cookie__:<hex>`).
    pub fn from_cookie_file(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading cookie {}", path.display()))?;
        let text = text.trim_end_matches(['\r', '\n']);
        let Some((user, password)) = text.split_once(':') else {
            bail!("cookie {} has no ':'", path.display());
        };
        Ok(Credentials::new(user, password))
    }

    /// The value of an `Authorization` header.
    pub fn basic_header(&self) -> String {
        let pair = format!("{}:{}", self.user, self.password);
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(pair)
        )
    }
}

/// Authentication of a [`RawRequest`].
#[derive(Debug, Clone, Default)]
pub enum RawAuth {
    /// The client's own credentials.
    #[default]
    Client,
    /// No `Authorization` header.
    None,
    /// Basic authentication with these credentials.
    Basic(Credentials),
    /// This exact `Authorization` header value.
    Header(String),
}

/// An arbitrary HTTP request to the node's RPC port.
#[derive(Debug, Clone)]
pub struct RawRequest {
    /// The HTTP method (any token; `POST` by default).
    pub method: String,
    /// The path; the client's path (normally `/`) when `None`.
    pub path: Option<String>,
    /// Extra headers (sent in addition to `Host` and `Content-Length`).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
    /// How to authenticate.
    pub auth: RawAuth,
}

impl RawRequest {
    /// A POST of `body` with `Content-Type: application/json` and the client's credentials.
    pub fn post(body: impl Into<Vec<u8>>) -> Self {
        RawRequest {
            method: "POST".into(),
            path: None,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.into(),
            auth: RawAuth::Client,
        }
    }

    /// Sets the HTTP method.
    pub fn method(mut self, method: &str) -> Self {
        self.method = method.into();
        self
    }

    /// Sets the path.
    pub fn path(mut self, path: &str) -> Self {
        self.path = Some(path.into());
        self
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sets the authentication.
    pub fn auth(mut self, auth: RawAuth) -> Self {
        self.auth = auth;
        self
    }
}

/// The answer to a [`RawRequest`].
#[derive(Debug, Clone)]
pub struct RawResponse {
    /// The HTTP status.
    pub status: u16,
    /// The headers, in order, names in lower case.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl RawResponse {
    /// The body as (lossy) UTF-8.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body parsed as JSON.
    pub fn json(&self) -> anyhow::Result<Value> {
        serde_json::from_slice(&self.body)
            .with_context(|| format!("HTTP {} body is not JSON: {:?}", self.status, self.text()))
    }

    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A JSON-RPC client of one node (or one wallet endpoint of it).
#[derive(Clone)]
pub struct RpcClient {
    agent: ureq::Agent,
    host: String,
    port: u16,
    path: String,
    credentials: Option<Credentials>,
    version: JsonRpcVersion,
    next_id: Arc<AtomicU64>,
}

impl std::fmt::Debug for RpcClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RpcClient")
            .field("url", &self.url())
            .field("credentials", &self.credentials)
            .field("version", &self.version)
            .finish()
    }
}

fn make_agent(timeout: Duration) -> ureq::Agent {
    let config = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .allow_non_standard_methods(true)
        .max_redirects(0)
        .user_agent("umkoin-harness")
        .timeout_global(Some(timeout))
        .build();
    ureq::Agent::new_with_config(config)
}

impl RpcClient {
    /// A client of `http://<host>:<port>/`, with a 30 s per-request timeout (Core's
    /// `HTTP_TIMEOUT`; use [`RpcClient::with_timeout`] to change it).
    pub fn new(host: &str, port: u16, credentials: Option<Credentials>) -> Self {
        RpcClient {
            agent: make_agent(crate::util::scaled(Duration::from_secs(30))),
            host: host.to_owned(),
            port,
            path: "/".to_owned(),
            credentials,
            version: JsonRpcVersion::V1,
            next_id: Arc::new(AtomicU64::new(1)),
        }
    }

    /// The same client with a per-request timeout of `timeout` (not scaled) and fresh
    /// connections.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.agent = make_agent(timeout);
        self
    }

    /// The same client speaking `version`.
    pub fn with_version(mut self, version: JsonRpcVersion) -> Self {
        self.version = version;
        self
    }

    /// A client of another path (e.g. `/wallet/<name>`) sharing this one's connections.
    pub fn with_path(&self, path: &str) -> Self {
        let mut c = self.clone();
        c.path = if path.starts_with('/') {
            path.to_owned()
        } else {
            format!("/{path}")
        };
        c
    }

    /// The same client with other credentials (or none).
    pub fn with_credentials(&self, credentials: Option<Credentials>) -> Self {
        let mut c = self.clone();
        c.credentials = credentials;
        c
    }

    /// `http://host:port/path`.
    pub fn url(&self) -> String {
        format!("http://{}:{}{}", self.host, self.port, self.path)
    }

    /// The credentials this client sends.
    pub fn credentials(&self) -> Option<&Credentials> {
        self.credentials.as_ref()
    }

    /// Calls `method` with `params` (an array for positional, an object for named
    /// parameters; `null` sends `[]`).
    pub fn call(&self, method: &str, params: Value) -> Result<Value, RpcError> {
        let params = if params.is_null() { json!([]) } else { params };
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let mut request = json!({ "method": method, "params": params, "id": id });
        if self.version == JsonRpcVersion::V2 {
            request["jsonrpc"] = json!("2.0");
        }
        let response = self.request(&RawRequest::post(request.to_string()))?;
        parse_reply(&response)
    }

    /// Sends a batch (a JSON array of requests built from `calls`) and returns the reply
    /// array as it came, one response object per request.
    pub fn batch(&self, calls: &[(&str, Value)]) -> Result<Vec<Value>, RpcError> {
        let requests: Vec<Value> = calls
            .iter()
            .map(|(method, params)| {
                let id = self.next_id.fetch_add(1, Ordering::Relaxed);
                let mut r = json!({ "method": method, "params": params, "id": id });
                if self.version == JsonRpcVersion::V2 {
                    r["jsonrpc"] = json!("2.0");
                }
                r
            })
            .collect();
        let response = self.request(&RawRequest::post(Value::Array(requests).to_string()))?;
        let value: Value = serde_json::from_slice(&response.body).map_err(|e| {
            if response.status != 200 {
                RpcError::Http {
                    status: response.status,
                    body: response.text(),
                }
            } else {
                RpcError::InvalidResponse {
                    status: response.status,
                    message: format!("{e}: {:?}", response.text()),
                }
            }
        })?;
        match value {
            Value::Array(items) => Ok(items),
            other => match parse_reply_value(response.status, other) {
                Err(e) => Err(e),
                Ok(v) => Err(RpcError::InvalidResponse {
                    status: response.status,
                    message: format!("batch reply is not an array: {v}"),
                }),
            },
        }
    }

    /// POSTs `body` as it is (with the client's credentials and a JSON content type).
    pub fn post(&self, body: impl Into<Vec<u8>>) -> Result<RawResponse, RpcError> {
        self.request(&RawRequest::post(body))
    }

    /// Sends an arbitrary HTTP request and returns the answer, whatever its status.
    pub fn request(&self, req: &RawRequest) -> Result<RawResponse, RpcError> {
        let path = req.path.as_deref().unwrap_or(&self.path);
        let url = format!("http://{}:{}{}", self.host, self.port, path);
        let method = ureq::http::Method::from_bytes(req.method.as_bytes())
            .map_err(|e| RpcError::transport(format!("bad method {:?}: {e}", req.method), None))?;
        let mut builder = ureq::http::Request::builder().method(method).uri(&url);
        let auth = match &req.auth {
            RawAuth::Client => self.credentials.as_ref().map(Credentials::basic_header),
            RawAuth::None => None,
            RawAuth::Basic(c) => Some(c.basic_header()),
            RawAuth::Header(h) => Some(h.clone()),
        };
        if let Some(auth) = auth {
            builder = builder.header("Authorization", auth);
        }
        for (name, value) in &req.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        let result = if req.body.is_empty() && req.method != "POST" {
            let request = builder
                .body(())
                .map_err(|e| RpcError::transport(format!("building request: {e}"), None))?;
            self.agent.run(request)
        } else {
            let request = builder
                .body(req.body.as_slice())
                .map_err(|e| RpcError::transport(format!("building request: {e}"), None))?;
            self.agent.run(request)
        };
        let response = result?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let body = response
            .into_body()
            .into_with_config()
            .limit(MAX_RESPONSE_BYTES)
            .read_to_vec()?;
        Ok(RawResponse {
            status,
            headers,
            body,
        })
    }

    /// The node's address as a socket address (for [`send_raw_tcp`]).
    pub fn socket_addr(&self) -> anyhow::Result<SocketAddr> {
        use std::net::ToSocketAddrs;
        (self.host.as_str(), self.port)
            .to_socket_addrs()?
            .next()
            .with_context(|| format!("no address for {}", self.host))
    }
}

fn parse_reply(response: &RawResponse) -> Result<Value, RpcError> {
    match serde_json::from_slice::<Value>(&response.body) {
        Ok(v) => parse_reply_value(response.status, v),
        Err(_) if response.status != 200 => Err(RpcError::Http {
            status: response.status,
            body: response.text(),
        }),
        Err(e) => Err(RpcError::InvalidResponse {
            status: response.status,
            message: format!("{e}: {:?}", response.text()),
        }),
    }
}

fn parse_reply_value(status: u16, mut value: Value) -> Result<Value, RpcError> {
    let Some(obj) = value.as_object_mut() else {
        return Err(if status != 200 {
            RpcError::Http {
                status,
                body: value.to_string(),
            }
        } else {
            RpcError::InvalidResponse {
                status,
                message: format!("not an object: {value}"),
            }
        });
    };
    match obj.get("error") {
        Some(Value::Null) | None => {}
        Some(err) => {
            let code = err.get("code").and_then(Value::as_i64);
            let message = err.get("message").and_then(Value::as_str);
            return match (code, message) {
                (Some(code), Some(message)) => Err(RpcError::Rpc {
                    code,
                    message: message.to_owned(),
                    http_status: status,
                }),
                _ => Err(RpcError::InvalidResponse {
                    status,
                    message: format!("malformed error object: {err}"),
                }),
            };
        }
    }
    if status != 200 {
        return Err(RpcError::Http {
            status,
            body: value.to_string(),
        });
    }
    match obj.remove("result") {
        Some(result) => Ok(result),
        None => Err(RpcError::InvalidResponse {
            status,
            message: format!("neither result nor error: {value}"),
        }),
    }
}

/// Writes `bytes` to a fresh TCP connection to `addr`, closes the write side, and reads
/// until the server closes the connection or `timeout` passes without data. For HTTP
/// requests no client library would send (bad request lines, lying `Content-Length`).
pub fn send_raw_tcp(addr: SocketAddr, bytes: &[u8], timeout: Duration) -> std::io::Result<Vec<u8>> {
    let mut stream = TcpStream::connect_timeout(&addr, timeout)?;
    stream.set_read_timeout(Some(timeout))?;
    stream.set_write_timeout(Some(timeout))?;
    stream.write_all(bytes)?;
    // The server may already have closed its side; a failed shutdown changes nothing.
    let _ = stream.shutdown(std::net::Shutdown::Write);
    let mut out = Vec::new();
    match stream.read_to_end(&mut out) {
        Ok(_) => Ok(out),
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::WouldBlock
                    | std::io::ErrorKind::TimedOut
                    | std::io::ErrorKind::ConnectionReset
            ) =>
        {
            Ok(out)
        }
        Err(e) => Err(e),
    }
}

/// Fails unless `call` returns an RPC error with code `code` whose message contains
/// `message` (Core's `assert_raises_rpc_error`: the message is a substring check; an
/// empty `message` matches any).
pub fn assert_raises_rpc_error<T: std::fmt::Debug>(
    code: i64,
    message: &str,
    call: impl FnOnce() -> Result<T, RpcError>,
) -> anyhow::Result<()> {
    match call() {
        Ok(v) => {
            bail!("no exception raised: expected RPC error {code} {message:?}, got result {v:?}")
        }
        Err(RpcError::Rpc {
            code: got_code,
            message: got_message,
            ..
        }) => {
            if !got_message.contains(message) {
                bail!(
                    "expected substring not found in error message:\nsubstring: {message:?}\nerror message: {got_message:?}"
                );
            }
            if got_code != code {
                bail!(
                    "unexpected JSON-RPC error code {got_code} (expected {code}): {got_message:?}"
                );
            }
            Ok(())
        }
        Err(other) => bail!("unexpected error (expected RPC error {code} {message:?}): {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(status: u16, body: &str) -> RawResponse {
        RawResponse {
            status,
            headers: vec![],
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn replies_are_classified() {
        assert_eq!(
            parse_reply(&reply(200, r#"{"result":3,"error":null,"id":1}"#)).unwrap(),
            json!(3)
        );
        let e = parse_reply(&reply(
            500,
            r#"{"result":null,"error":{"code":-8,"message":"Block height out of range"},"id":1}"#,
        ))
        .unwrap_err();
        assert_eq!(e.code(), Some(-8));
        let e = parse_reply(&reply(401, "")).unwrap_err();
        assert!(matches!(e, RpcError::Http { status: 401, .. }), "{e:?}");
        let e = parse_reply(&reply(200, "nonsense")).unwrap_err();
        assert!(matches!(e, RpcError::InvalidResponse { .. }), "{e:?}");
        let e = parse_reply(&reply(
            200,
            r#"{"jsonrpc":"2.0","error":{"code":-32601,"message":"Method not found"},"id":1}"#,
        ))
        .unwrap_err();
        assert_eq!(e.code(), Some(-32601));
    }

    #[test]
    fn assert_raises_checks_code_and_substring() {
        let err = || -> Result<Value, RpcError> {
            Err(RpcError::Rpc {
                code: -8,
                message: "Block height out of range".into(),
                http_status: 500,
            })
        };
        assert_raises_rpc_error(-8, "out of range", err).unwrap();
        assert!(assert_raises_rpc_error(-5, "out of range", err).is_err());
        assert!(assert_raises_rpc_error(-8, "nope", err).is_err());
        assert!(assert_raises_rpc_error(-8, "", || Ok::<_, RpcError>(json!(1))).is_err());
    }

    #[test]
    fn cookie_is_parsed() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(".cookie");
        std::fs::write(&p, "__cookie__:abcd").unwrap();
        let c = Credentials::from_cookie_file(&p).unwrap();
        assert_eq!(c, Credentials::new("__cookie__", "abcd"));
        assert_eq!(c.basic_header(), "Basic X19jb29raWVfXzphYmNk");
    }
}
