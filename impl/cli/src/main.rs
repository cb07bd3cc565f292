//! `umkoin-cli`: Umkoin Core's JSON-RPC command-line client. It reads the same options
//! and `umkoin.conf` as Core's, sends the same HTTP requests, prints results and errors
//! in the same form and exits with the same codes (the absolute value of an RPC error's
//! code, 1 for other failures), so scripts and test frameworks written for Core's
//! client work with this one.

mod convert;
mod handlers;
mod http;
/// Core's UniValue, shared with the node.
pub(crate) use umkoin_common::univalue as json;

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use base64::Engine as _;
use umkoin_common::args::{ArgsManager, ChainArg};
use umkoin_common::help::{format_paragraph, help_message};
use umkoin_common::options::{Bins, Category, OPTIONS};
use umkoin_interfaces::chain::ChainType;
use umkoin_interfaces::rpc::{code, http as status};

use handlers::{
    AddrInfo, CLIENT_NAME, CLIENT_VERSION, Default, Failure, GenerateToAddress, GetInfo, NetInfo,
    RequestHandler,
};
use json::Value;

/// Core's `DEFAULT_RPCCONNECT`.
const DEFAULT_RPCCONNECT: &str = "127.0.0.1";
/// Core's `DEFAULT_HTTP_CLIENT_TIMEOUT`, in seconds.
const DEFAULT_HTTP_CLIENT_TIMEOUT: i64 = 900;
/// Core's `DEFAULT_WAIT_CLIENT_TIMEOUT`, in seconds (0: wait for ever).
const DEFAULT_WAIT_CLIENT_TIMEOUT: i64 = 0;
/// Core's `DEFAULT_COLOR_SETTING`.
const DEFAULT_COLOR_SETTING: &str = "auto";
/// The cookie file's name in the chain's folder.
const COOKIEAUTH_FILE: &str = ".cookie";

use umkoin_common::version::LICENSE_INFO;

/// A failure of a call, as Core's exceptions: `Connection` ones are retried with
/// `-rpcwait`; both end the client with `error: <text>` and exit code 1.
#[derive(Debug)]
enum CallError {
    /// Core's `CConnectionFailed`.
    Connection(String),
    /// Any other `std::runtime_error`.
    Other(String),
}

impl From<Failure> for CallError {
    fn from(f: Failure) -> Self {
        CallError::Other(f.0)
    }
}

impl From<json::JsonError> for CallError {
    fn from(e: json::JsonError) -> Self {
        CallError::Other(e.0)
    }
}

impl CallError {
    fn message(self) -> String {
        match self {
            CallError::Connection(m) | CallError::Other(m) => m,
        }
    }
}

fn main() {
    let argv: Vec<String> = std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let code = run(&argv);
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    std::process::exit(code);
}

/// The whole client: the exit code.
fn run(argv: &[String]) -> i32 {
    let mut args = ArgsManager::new(Bins::CLI);
    let chain = match app_init(argv, &mut args) {
        Ok(chain) => chain,
        Err(code) => return code,
    };
    let mut cli = Cli {
        args,
        chain,
        stdin: None,
    };
    cli.command_line_rpc(argv)
}

/// Core's `AppInitRPC`: options, `-help`/`-version`, the config file and the chain.
/// `Err` holds the exit code when the client is done.
fn app_init(argv: &[String], args: &mut ArgsManager) -> Result<ChainType, i32> {
    // Core stops reading options at a lone `-` (what follows is the command).
    let options_end = argv
        .iter()
        .skip(1)
        .position(|a| !a.starts_with('-') || a == "-")
        .map_or(argv.len(), |p| p + 1);
    let parse_end = if argv.get(options_end).is_some_and(|a| a == "-") {
        options_end
    } else {
        argv.len()
    };
    if let Err(e) = args.parse_parameters(&argv[1.min(parse_end)..parse_end]) {
        eprintln!("Error parsing command line arguments: {e}");
        return Err(1);
    }
    let help_requested = ["-?", "-h", "-help", "-help-debug"]
        .iter()
        .any(|o| args.is_arg_set(o));
    let version = args.get_bool_arg("-version", false);
    if argv.len() < 2 || help_requested || version {
        let mut usage = format!("{CLIENT_NAME} RPC client version {CLIENT_VERSION}\n");
        if version {
            usage += &format_paragraph(LICENSE_INFO, 79, 0);
        } else {
            usage += concat!(
                "\n",
                "The umkoin-cli utility provides a command line interface to interact with a Umkoin Core RPC server.\n",
                "\nIt can be used to query network information, manage wallets, create or broadcast transactions, and control the Umkoin Core server.\n",
                "\nUse the \"help\" command to list all commands. Use \"help <command>\" to show help for that command.\n",
                "The -named option allows you to specify parameters using the key=value format, eliminating the need to pass unused positional parameters.\n",
                "\n",
                "Usage: umkoin-cli [options] <command> [params]\n",
                "or:    umkoin-cli [options] -named <command> [name=value]...\n",
                "or:    umkoin-cli [options] help\n",
                "or:    umkoin-cli [options] help <command>\n",
                "\n",
            );
            usage += "\n";
            usage += &help_message(Bins::CLI, false);
        }
        print!("{usage}");
        if argv.len() < 2 {
            eprintln!("Error: too few parameters");
            return Err(1);
        }
        return Err(0);
    }
    if !args.check_datadir_option() {
        eprintln!(
            "Error: Specified data directory \"{}\" does not exist.",
            args.get_arg("-datadir").unwrap_or_default()
        );
        return Err(1);
    }
    if let Err(e) = args.read_config_files(true) {
        eprintln!("Error reading configuration file: {e}");
        return Err(1);
    }
    let chain = match args.chain_arg() {
        Ok(ChainArg::Known(c)) => c,
        Ok(ChainArg::Unknown(name)) => {
            eprintln!("Error: Unknown chain {name}.");
            return Err(1);
        }
        Err(e) => {
            eprintln!("Error: {e}");
            return Err(1);
        }
    };
    args.select_config_network(chain);
    Ok(chain)
}

/// Core's `SplitHostPort`: the host (without brackets) and a port, if one is given
/// after the last colon of a bracketed or single-colon address; `None` when that port
/// is not a number from 1 to 65535.
fn split_host_port(input: &str) -> (Option<u16>, String) {
    let mut valid = false;
    let mut port = 0u16;
    let mut rest = input;
    let colon = input.rfind(':');
    if let Some(c) = colon {
        let bracketed = input.starts_with('[') && c > 0 && input.as_bytes()[c - 1] == b']';
        let multi_colon = c != 0 && input[..c].contains(':');
        if c == 0 || bracketed || !multi_colon {
            if let Some(n) = to_u16(&input[c + 1..]) {
                rest = &input[..c];
                port = n;
                valid = n != 0;
            }
        } else {
            valid = true;
        }
    } else {
        valid = true;
    }
    let host = if rest.len() >= 2 && rest.starts_with('[') && rest.ends_with(']') {
        rest[1..rest.len() - 1].to_owned()
    } else {
        rest.to_owned()
    };
    (valid.then_some(port), host)
}

/// Core's `ToIntegral<uint16_t>`: digits only, in range.
fn to_u16(s: &str) -> Option<u16> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Core's `std::getline`: a line without its `\n`, or `None` at the end of input.
fn getline(r: &mut impl BufRead) -> Option<String> {
    let mut buf = Vec::new();
    match r.read_until(b'\n', &mut buf) {
        Ok(0) | Err(_) => None,
        Ok(_) => {
            if buf.last() == Some(&b'\n') {
                buf.pop();
            }
            Some(String::from_utf8_lossy(&buf).into_owned())
        }
    }
}

fn stdin_terminal() -> bool {
    std::io::stdin().is_terminal()
}

/// Core's `StdinReady`: not a terminal, or a terminal with input waiting.
fn stdin_ready() -> bool {
    if !stdin_terminal() {
        return true;
    }
    let mut fds = libc::pollfd {
        fd: libc::STDIN_FILENO,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd, no wait.
    unsafe { libc::poll(&mut fds, 1, 0) == 1 }
}

/// Turns terminal echo off while it lives (Core's `NO_STDIN_ECHO`).
struct NoEcho;

fn set_stdin_echo(enable: bool) {
    if !stdin_terminal() {
        return;
    }
    // SAFETY: a zeroed termios is valid storage for tcgetattr to fill.
    let mut tty: libc::termios = unsafe { std::mem::zeroed() };
    // SAFETY: fd 0 is a terminal (checked above); tty is valid storage.
    if unsafe { libc::tcgetattr(libc::STDIN_FILENO, &mut tty) } != 0 {
        eprintln!("tcgetattr failed");
        return;
    }
    if enable {
        tty.c_lflag |= libc::ECHO;
    } else {
        tty.c_lflag &= !libc::ECHO;
    }
    // SAFETY: as above; tty holds the settings just read, changed in one flag.
    if unsafe { libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &tty) } != 0 {
        eprintln!("tcsetattr failed");
    }
}

impl NoEcho {
    fn new() -> Self {
        set_stdin_echo(false);
        NoEcho
    }
}

impl Drop for NoEcho {
    fn drop(&mut self) {
        set_stdin_echo(true);
    }
}

/// The client, after start-up.
struct Cli {
    args: ArgsManager,
    chain: ChainType,
    stdin: Option<std::io::StdinLock<'static>>,
}

impl Cli {
    fn stdin(&mut self) -> &mut std::io::StdinLock<'static> {
        self.stdin.get_or_insert_with(|| std::io::stdin().lock())
    }

    /// `-rpcwallet`, unless negated (Core's `RpcWalletName`).
    fn rpc_wallet_name(&self) -> Option<String> {
        if self.args.is_arg_negated("-rpcwallet") {
            return None;
        }
        self.args.get_arg("-rpcwallet")
    }

    /// Core's `CommandLineRPC`: the exit code.
    fn command_line_rpc(&mut self, argv: &[String]) -> i32 {
        let (text, code) = match self.command_line_rpc_inner(argv) {
            Ok(done) => done,
            Err(e) => (format!("error: {}", e.message()), 1),
        };
        if !text.is_empty() {
            if code == 0 {
                println!("{text}");
            } else {
                eprintln!("{text}");
            }
        }
        code
    }

    fn command_line_rpc_inner(&mut self, argv: &[String]) -> Result<(String, i32), CallError> {
        // Skip the options: what follows the first word without a dash is the command.
        let first = argv
            .iter()
            .skip(1)
            .position(|a| !a.starts_with('-'))
            .map_or(argv.len(), |p| p + 1);
        if self.args.get_bool_arg("-stdinrpcpass", false) {
            let _noecho = NoEcho::new();
            if !stdin_ready() {
                eprint!("RPC password> ");
                let _ = std::io::stderr().flush();
            }
            let Some(pass) = getline(self.stdin()) else {
                return Err(CallError::Other(
                    "-stdinrpcpass specified but failed to read from standard input".to_owned(),
                ));
            };
            if stdin_terminal() {
                println!();
            }
            self.args.force_set_arg("-rpcpassword", &pass);
        }
        let mut args: Vec<String> = argv[first..].to_vec();
        if self.args.get_bool_arg("-stdinwalletpassphrase", false) {
            let _noecho = NoEcho::new();
            if args.is_empty() || !args[0].starts_with("walletpassphrase") {
                return Err(CallError::Other(
                    "-stdinwalletpassphrase is only applicable for walletpassphrase(change)"
                        .to_owned(),
                ));
            }
            if !stdin_ready() {
                eprint!("Wallet passphrase> ");
                let _ = std::io::stderr().flush();
            }
            let Some(pass) = getline(self.stdin()) else {
                return Err(CallError::Other(
                    "-stdinwalletpassphrase specified but failed to read from standard input"
                        .to_owned(),
                ));
            };
            if stdin_terminal() {
                println!();
            }
            args.insert(1, pass);
        }
        if self.args.get_bool_arg("-stdin", false) {
            while let Some(line) = getline(self.stdin()) {
                args.push(line);
            }
            if stdin_terminal() {
                println!();
            }
        }
        self.check_multiple_cli_args()?;

        let mut text = String::new();
        let mut code = 0;
        let mut method = String::new();
        let mut handler: Option<Box<dyn RequestHandler>> = None;
        if self.args.get_bool_arg("-getinfo", false) {
            handler = Some(Box::new(GetInfo));
        } else if self.args.get_bool_arg("-netinfo", false) {
            if args.first().is_some_and(|a| a == "h" || a == "help") {
                println!("{}", NetInfo::help_doc());
                return Ok((String::new(), 0));
            }
            handler = Some(Box::new(NetInfo::new(self.chain)));
        } else if self.args.get_bool_arg("-generate", false) {
            let reply = self.get_new_address()?;
            let error = reply.get("error");
            if error.is_null() {
                let address = reply.get("result").get_str()?.to_owned();
                handlers::set_generate_to_address_args(&address, &mut args)?;
                handler = Some(Box::new(GenerateToAddress { address }));
            } else {
                (text, code) = parse_error(error)?;
            }
        } else if self.args.get_bool_arg("-addrinfo", false) {
            handler = Some(Box::new(AddrInfo));
        } else {
            handler = Some(Box::new(Default {
                named: self.args.get_bool_arg("-named", false),
            }));
            if args.is_empty() {
                return Err(CallError::Other(
                    "too few parameters (need at least command)".to_owned(),
                ));
            }
            method = args.remove(0);
        }
        if code == 0
            && let Some(mut rh) = handler
        {
            let wallet_name = self.rpc_wallet_name();
            let reply =
                self.connect_and_call_rpc(rh.as_mut(), &method, &args, wallet_name.as_deref())?;
            let mut result = reply.get("result").clone();
            let error = reply.get("error");
            if error.is_null() {
                if self.args.get_bool_arg("-getinfo", false) {
                    if wallet_name.is_none() {
                        self.get_wallet_balances(&mut result)?;
                    }
                    result = Value::Str(self.format_getinfo(&result)?);
                }
                if !result.is_null() {
                    text = match result {
                        Value::Str(s) => s,
                        other => other.write_pretty(2),
                    };
                }
            } else {
                (text, code) = parse_error(error)?;
            }
        }
        Ok((text, code))
    }

    /// Core's `CheckMultipleCLIArgs`: at most one of the CLI commands.
    fn check_multiple_cli_args(&self) -> Result<(), CallError> {
        let mut cmds: Vec<&str> = OPTIONS
            .iter()
            .filter(|o| o.category == Category::CliCommands && o.bins.contains(Bins::CLI))
            .map(|o| o.name)
            .collect();
        cmds.sort_unstable();
        let found: Vec<String> = cmds
            .into_iter()
            .filter(|c| self.args.is_arg_set(c))
            .map(|c| format!("-{c}"))
            .collect();
        if found.len() > 1 {
            return Err(CallError::Other(format!(
                "Only one of {} may be specified.",
                found.join(", ")
            )));
        }
        Ok(())
    }

    fn get_new_address(&mut self) -> Result<Value, CallError> {
        let mut rh = Default {
            named: self.args.get_bool_arg("-named", false),
        };
        let wallet = self.rpc_wallet_name();
        self.connect_and_call_rpc(&mut rh, "getnewaddress", &[], wallet.as_deref())
    }

    /// Core's `GetWalletBalances`: with several wallets loaded, each one's balance.
    fn get_wallet_balances(&mut self, result: &mut Value) -> Result<(), CallError> {
        let mut rh = Default {
            named: self.args.get_bool_arg("-named", false),
        };
        let listwallets = self.connect_and_call_rpc(&mut rh, "listwallets", &[], None)?;
        if !listwallets.get("error").is_null() {
            return Ok(());
        }
        let wallets = listwallets.get("result");
        if wallets.len() <= 1 {
            return Ok(());
        }
        let mut balances = Value::object();
        for wallet in wallets.values()? {
            let name = wallet.get_str()?.to_owned();
            let reply = self.connect_and_call_rpc(&mut rh, "getbalances", &[], Some(&name))?;
            let balance = reply.get("result").get("mine").get("trusted").clone();
            balances.push_kv(&name, balance);
        }
        result.push_kv("balances", balances);
        Ok(())
    }

    fn format_getinfo(&self, result: &Value) -> Result<String, CallError> {
        let mut colorize = std::io::stdout().is_terminal();
        let color = self
            .args
            .get_arg("-color")
            .unwrap_or_else(|| DEFAULT_COLOR_SETTING.to_owned());
        match color.as_str() {
            "always" => colorize = true,
            "never" => colorize = false,
            "auto" => {}
            _ => {
                return Err(CallError::Other(
                    "Invalid value for -color option. Valid values: always, auto, never."
                        .to_owned(),
                ));
            }
        }
        Ok(handlers::format_getinfo(result, colorize)?)
    }

    /// Core's `ConnectAndCallRPC`: the call, retried while `-rpcwait` allows.
    fn connect_and_call_rpc(
        &mut self,
        rh: &mut dyn RequestHandler,
        method: &str,
        args: &[String],
        wallet: Option<&str>,
    ) -> Result<Value, CallError> {
        let wait = self.args.get_bool_arg("-rpcwait", false);
        let timeout = self
            .args
            .get_int_arg("-rpcwaittimeout", DEFAULT_WAIT_CLIENT_TIMEOUT);
        // Core stores the timeout in an int (the low 32 bits); a deadline past what the
        // clock can hold is no deadline.
        let timeout = i64::from(timeout as i32);
        let deadline =
            Instant::now().checked_add(Duration::from_secs(u64::try_from(timeout).unwrap_or(0)));
        loop {
            let attempt = self
                .call_rpc(rh, method, args, wallet)
                .and_then(|response| {
                    if wait {
                        let error = response.get("error");
                        if !error.is_null()
                            && error.get("code").get_int::<i32>()? == code::IN_WARMUP as i32
                        {
                            return Err(CallError::Connection("server in warmup".to_owned()));
                        }
                    }
                    Ok(response)
                });
            match attempt {
                Ok(response) => return Ok(response),
                Err(CallError::Connection(msg)) => {
                    if wait && (timeout <= 0 || deadline.is_none_or(|d| Instant::now() < d)) {
                        std::thread::sleep(Duration::from_secs(1));
                    } else {
                        return Err(CallError::Connection(format!(
                            "timeout on transient error: {msg}"
                        )));
                    }
                }
                Err(other) => return Err(other),
            }
        }
    }

    /// Where to connect: Core's order is `-rpcport`, then a port in `-rpcconnect`, then
    /// the chain's default.
    fn host_port(&self) -> Result<(String, u16), CallError> {
        let mut port = self.chain.default_rpc_port();
        let rpcconnect = self
            .args
            .get_arg("-rpcconnect")
            .unwrap_or_else(|| DEFAULT_RPCCONNECT.to_owned());
        let (connect_port, host) = split_host_port(&rpcconnect);
        let Some(connect_port) = connect_port else {
            return Err(CallError::Other(format!(
                "Invalid port provided in -rpcconnect: {rpcconnect}"
            )));
        };
        if connect_port != 0 {
            port = connect_port;
        }
        if let Some(rpcport) = self.args.get_arg("-rpcport") {
            let n = to_u16(&rpcport).unwrap_or(0);
            if n == 0 {
                return Err(CallError::Other(format!(
                    "Invalid port provided in -rpcport: {rpcport}"
                )));
            }
            port = n;
            if connect_port != 0 {
                eprintln!(
                    "Warning: Port specified in both -rpcconnect and -rpcport. Using -rpcport {port}"
                );
            }
        }
        Ok((host, port))
    }

    /// The cookie file (`-rpccookiefile`, default `.cookie` in the chain's folder);
    /// `None` with `-norpccookiefile`.
    fn cookie_file(&self) -> Option<PathBuf> {
        if self.args.is_arg_negated("-rpccookiefile") {
            return None;
        }
        let mut path = self.args.get_path_arg("-rpccookiefile");
        if path.as_os_str().is_empty() {
            path = PathBuf::from(COOKIEAUTH_FILE);
        }
        Some(self.args.abs_path_for_config_val(&path, true))
    }

    /// Core's `GetAuthCookie`: the cookie's first line, `Some("")` when cookies are
    /// off, `None` when the file cannot be read.
    fn auth_cookie(&self) -> Option<String> {
        let Some(path) = self.cookie_file() else {
            return Some(String::new());
        };
        let file = std::fs::File::open(path).ok()?;
        Some(getline(&mut std::io::BufReader::new(file)).unwrap_or_default())
    }

    /// Core's `CallRPC`: one request and its reply.
    fn call_rpc(
        &mut self,
        rh: &mut dyn RequestHandler,
        method: &str,
        args: &[String],
        wallet: Option<&str>,
    ) -> Result<Value, CallError> {
        let (host, port) = self.host_port()?;
        let timeout = self
            .args
            .get_int_arg("-rpcclienttimeout", DEFAULT_HTTP_CLIENT_TIMEOUT);
        let timeout = u64::try_from(timeout)
            .ok()
            .filter(|&t| t > 0)
            .map(Duration::from_secs);

        let mut failed_to_get_cookie = false;
        let password = self.args.get_arg("-rpcpassword").unwrap_or_default();
        let user_colon_pass = if password.is_empty() {
            self.auth_cookie().unwrap_or_else(|| {
                failed_to_get_cookie = true;
                String::new()
            })
        } else {
            format!(
                "{}:{}",
                self.args.get_arg("-rpcuser").unwrap_or_default(),
                password
            )
        };
        let authorization = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(user_colon_pass.as_bytes())
        );

        let request = rh.prepare(method, args)?.write() + "\n";
        let endpoint = match wallet {
            Some(w) => format!("/wallet/{}", http::uri_encode(w)),
            None => "/".to_owned(),
        };
        let headers = [
            ("Content-Type", "application/json"),
            ("Authorization", authorization.as_str()),
        ];
        let reply = match http::post(
            &host,
            port,
            &endpoint,
            &headers,
            request.as_bytes(),
            timeout,
        ) {
            Ok(r) => r,
            Err(http::Failed(err)) => {
                let detail = err.map_or(String::new(), |e| {
                    format!(" (error code {} - \"{}\")", e as i32, e.text())
                });
                return Err(CallError::Connection(format!(
                    "Could not connect to the server {host}:{port}{detail}\n\n\
                     Make sure the umkoind server is running and that you are connecting to the correct RPC port.\n\
                     Use \"umkoin-cli -help\" for more info."
                )));
            }
        };
        let st = reply.status;
        if st == status::UNAUTHORIZED {
            if failed_to_get_cookie {
                return Err(CallError::Other(format!(
                    "Could not locate RPC credentials. No authentication cookie could be found, and RPC password is not set.  See -rpcpassword and -stdinrpcpass.  Configuration file: ({})",
                    self.args.config_file_path().display()
                )));
            }
            return Err(CallError::Other(
                "Authorization failed: Incorrect rpcuser or rpcpassword".to_owned(),
            ));
        } else if st == status::SERVICE_UNAVAILABLE {
            return Err(CallError::Other(format!(
                "Server response: {}",
                String::from_utf8_lossy(&reply.body)
            )));
        } else if st >= 400
            && st != status::BAD_REQUEST
            && st != status::NOT_FOUND
            && st != status::INTERNAL_SERVER_ERROR
        {
            return Err(CallError::Other(format!("server returned HTTP error {st}")));
        } else if reply.body.is_empty() {
            return Err(CallError::Other("no response from server".to_owned()));
        }
        let Some(parsed) = Value::parse(&reply.body) else {
            return Err(CallError::Other(
                "couldn't parse reply from server".to_owned(),
            ));
        };
        let reply = rh.process(parsed)?;
        if reply.is_empty() {
            return Err(CallError::Other(
                "expected reply to have result, error and id properties".to_owned(),
            ));
        }
        Ok(reply)
    }
}

/// Core's `ParseError`: the text for stderr and the exit code.
fn parse_error(error: &Value) -> Result<(String, i32), CallError> {
    let mut text = String::new();
    if error.is_object() {
        let err_code = error.get("code");
        let err_msg = error.get("message");
        if !err_code.is_null() {
            text = format!("error code: {}\n", err_code.val_str());
        }
        if let Value::Str(m) = err_msg {
            text += "error message:\n";
            text += m;
        }
        if err_code.is_num() && err_code.get_int::<i32>()? == code::WALLET_NOT_SPECIFIED as i32 {
            text += " Or for the CLI, specify the \"-rpcwallet=<walletname>\" option before the command";
            text += " (run \"umkoin-cli -h\" for help or \"umkoin-cli listwallets\" to see which wallets are currently loaded).";
        }
    } else {
        text = format!("error: {}", error.write());
    }
    let n = error.get("code").get_int::<i32>()?;
    Ok((text, n.wrapping_abs()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_port_split_as_core() {
        assert_eq!(split_host_port("127.0.0.1"), (Some(0), "127.0.0.1".into()));
        assert_eq!(
            split_host_port("127.0.0.1:80"),
            (Some(80), "127.0.0.1".into())
        );
        assert_eq!(split_host_port("127.0.0.1:0"), (None, "127.0.0.1".into()));
        assert_eq!(split_host_port("h:abc"), (None, "h:abc".into()));
        assert_eq!(split_host_port("::1"), (Some(0), "::1".into()));
        assert_eq!(split_host_port("[::1]:8"), (Some(8), "::1".into()));
        assert_eq!(split_host_port("[::1]"), (Some(0), "::1".into()));
    }

    #[test]
    fn rpc_errors_as_core() {
        let e = Value::parse(br#"{"code":-8,"message":"Block height out of range"}"#).unwrap();
        assert_eq!(
            parse_error(&e).unwrap(),
            (
                "error code: -8\nerror message:\nBlock height out of range".to_owned(),
                8
            )
        );
        let e = Value::parse(br#"{"code":-5}"#).unwrap();
        assert_eq!(parse_error(&e).unwrap(), ("error code: -5\n".to_owned(), 5));
        let e = Value::parse(br#""bad""#).unwrap();
        assert_eq!(
            parse_error(&e).unwrap_err().message(),
            "JSON value of type null is not of expected type number"
        );
        let e = Value::parse(br#"{"code":-3.5,"message":"m"}"#).unwrap();
        assert_eq!(
            parse_error(&e).unwrap_err().message(),
            "JSON integer out of range"
        );
    }
}
