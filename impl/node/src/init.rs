//! Start-up and shutdown of `umkoind` and `umkoin-node`, in Umkoin Core's order: parse
//! the command line, read the config, select the chain, refuse what this node cannot
//! do, daemonise, lock the datadir, open the log, start JSON-RPC behind the warm-up
//! gate, load the chain, serve until `stop` or a signal, then shut down cleanly.

use std::io::Write;
use std::os::fd::{FromRawFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;

use umkoin_common::args::{ArgsManager, ChainArg, ConfigError};
use umkoin_common::datadir::{self, DirLock};
use umkoin_common::help::help_message;
use umkoin_common::log::{self, LogConfig};
use umkoin_common::options::Bins;
use umkoin_interfaces::chain::ChainType;

use crate::chain::Chain;
use crate::chainparams::ChainParams;
use crate::chainstate::{ChainStore, OpenError, Rebuild};
use crate::context::{NodeContext, Shutdown, TipWatch};
use crate::policy::MempoolOptions;
use crate::rpc::RpcTable;
use crate::rpc::auth::Auth;
use crate::rpc::server::{HttpServer, ServerError};

/// Which node binary is running.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavor {
    /// `umkoind`: node and wallet in one process, no IPC options.
    Daemon,
    /// `umkoin-node`: the multiprocess node, which takes the IPC options.
    Node,
}

impl Flavor {
    fn bins(self) -> Bins {
        match self {
            Flavor::Daemon => Bins::DAEMON,
            Flavor::Node => Bins::NODE,
        }
    }

    fn exe(self) -> &'static str {
        match self {
            Flavor::Daemon => "umkoind",
            Flavor::Node => "umkoin-node",
        }
    }
}

/// The version line `-version` and `debug.log` print.
pub fn version_string() -> String {
    umkoin_common::version::FULL_VERSION.to_owned()
}

/// A start-up failure: printed as `Error: <text>` on stderr and logged.
#[derive(Debug)]
struct InitError(String);

impl<E: std::fmt::Display> From<E> for InitError {
    fn from(e: E) -> Self {
        InitError(e.to_string())
    }
}

fn report_init_error(e: &InitError) {
    tracing::error!("{}", e.0);
    log::flush();
    eprintln!("Error: {}", e.0);
}

/// Run the node binary with `argv` (program name first); the process exit code.
pub fn main(flavor: Flavor, argv: Vec<String>) -> i32 {
    // As Core: files this process creates are private to its user.
    // SAFETY: umask only changes this process's file-creation mask.
    unsafe { libc::umask(0o077) };
    // Blocked before anything else, so a signal during start-up waits for the signal
    // thread instead of killing the process half-initialised. Forks inherit the mask.
    let sigset = block_signals();
    // A child spawned by another process (`umkoin-node -ipcfd <fd>`): checked before any
    // option is parsed, as Core checks it. It serves `Init` on that fd until the parent
    // goes away, and logs nothing of its own.
    if flavor == Flavor::Node {
        let os_args: Vec<std::ffi::OsString> = argv.iter().map(Into::into).collect();
        match umkoin_ipc::spawned_fd(&os_args) {
            Some(Ok(fd)) => {
                return match umkoin_ipc::serve_fd(flavor.exe(), fd, crate::rpc::spawned_init()) {
                    Ok(()) => 0,
                    Err(e) => {
                        eprintln!("Error: {e}");
                        1
                    }
                };
            }
            Some(Err(e)) => {
                eprintln!("Error: {e}");
                return 1;
            }
            None => {}
        }
    }
    log::install();
    let mut args = ArgsManager::new(flavor.bins());
    // `umkoind` and `umkoin-node` act as servers unless told otherwise.
    if let Err(e) = args.parse_parameters(argv.get(1..).unwrap_or(&[])) {
        eprintln!("Error: Error parsing command line arguments: {e}");
        return 1;
    }
    if let Err(e) = init_config(&mut args) {
        eprintln!("Error: {}", e.0);
        return 1;
    }
    if let Some(token) = args.command().first() {
        eprintln!(
            "Error: Command line contains unexpected token '{token}', see {} -h for a list of options.",
            flavor.exe()
        );
        return 1;
    }
    // As Core's `HelpRequested`; `-version` wins over help when both are given.
    let help = ["-?", "-h", "-help", "-help-debug"]
        .iter()
        .any(|o| args.is_arg_set(o));
    let version = args.get_bool_arg("-version", false);
    if help || version {
        print!("{}", usage(flavor, &args, !version));
        return 0;
    }
    match app_init(flavor, args, sigset) {
        Ok(code) => code,
        Err(e) => {
            report_init_error(&e);
            1
        }
    }
}

fn usage(flavor: Flavor, args: &ArgsManager, help: bool) -> String {
    let mut s = format!(
        "Umkoin daemon version {} {}\n",
        version_string(),
        flavor.exe()
    );
    if !help {
        s.push_str(&umkoin_common::help::format_paragraph(
            umkoin_common::version::LICENSE_INFO,
            79,
            0,
        ));
        return s;
    }
    s.push_str("\nThe Umkoin daemon runs a node of the Umkoin network and answers JSON-RPC.\n");
    if flavor == Flavor::Node {
        s.push_str("umkoin-node is the multiprocess node: it takes the -ipc options and runs its wallet and GUI in other processes.\n");
    }
    s.push_str(&format!("\nUsage: {} [options]\n\n", flavor.exe()));
    s.push_str(&help_message(
        flavor.bins(),
        args.get_bool_arg("-help-debug", false),
    ));
    s
}

/// Core's `InitConfig`: datadir check, config files, chain selection, datadir creation.
fn init_config(args: &mut ArgsManager) -> Result<(), InitError> {
    if !args.check_datadir_option() {
        return Err(InitError(format!(
            "Specified data directory \"{}\" does not exist.",
            args.get_arg("-datadir").unwrap_or_default()
        )));
    }
    let orig_datadir = args.datadir_base();
    let orig_config = args.config_file_path();
    args.read_config_files(true).map_err(|e| match e {
        ConfigError::DataDirMissing(_) => {
            InitError(format!("Error reading configuration file: {e}"))
        }
        ConfigError::Read(msg) => InitError(format!("Error reading configuration file: {msg}")),
    })?;
    let chain = match args.chain_arg().map_err(InitError)? {
        ChainArg::Known(c) => c,
        ChainArg::Unknown(name) => {
            return Err(InitError(format!("Unknown chain {name}.")));
        }
    };
    let Some(mut params) = ChainParams::for_chain(chain) else {
        return Err(InitError(format!(
            "-chain={} (also -{}) is not supported by this node yet: only main, test and regtest are",
            chain.name(),
            chain.name()
        )));
    };
    // Core reads the regtest-only chain options as it selects the chain parameters.
    if chain == ChainType::Regtest {
        params
            .set_test_activation_heights(&args.get_args("-testactivationheight"))
            .map_err(InitError)?;
        params
            .set_version_bits_params(&args.get_args("-vbparams"))
            .map_err(InitError)?;
        params.fast_prune = args.get_bool_arg("-fastprune", false);
    }
    params.blocks_xor = args.get_bool_arg("-blocksxor", true);
    args.select_config_network(chain);
    let base = args.datadir_base();
    let net = args.datadir_net();
    datadir::create_datadirs(&base, &net).map_err(|e| {
        InitError(format!(
            "Error creating data directory {}: {e}",
            net.display()
        ))
    })?;
    let base_config = base.join(umkoin_common::args::CONFIG_FILENAME);
    if base_config.exists()
        && !orig_config.as_os_str().is_empty()
        && !same_file(&orig_config, &base_config)
        && !args.get_bool_arg("-allowignoredconf", false)
    {
        let source = match args.get_arg("-conf") {
            Some(c) if !c.is_empty() => format!("command line argument \"-conf={c}\""),
            _ => format!("data directory \"{}\"", orig_datadir.display()),
        };
        return Err(InitError(format!(
            "Data directory \"{}\" contains a \"umkoin.conf\" file which is ignored, because a different configuration file \"{}\" from {source} is being used instead. Possible ways to address this would be to:\n- Delete or rename the \"umkoin.conf\" file in data directory \"{}\".\n- Change datadir= or conf= options to specify one configuration file, not two, and use includeconf= to include any other configuration files.\n- Set allowignoredconf=1 option to treat this condition as a warning, not an error.",
            base.display(),
            orig_config.display(),
            base.display()
        )));
    }
    // settings.json: read, then written back at once, as Core does at start-up.
    args.read_settings_file()
        .map_err(|e| InitError(format!("Settings file could not be read:\n- {e}")))?;
    args.write_settings_file(umkoin_common::version::CORE_CLIENT_NAME)
        .map_err(|e| InitError(format!("Settings file could not be written:\n- {e}")))?;
    Ok(())
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

/// Checks Core makes before daemonising (`AppInitParameterInteraction`), and this
/// node's refusals of features it lacks.
fn parameter_interaction(args: &mut ArgsManager, chain: ChainType) -> Result<(), InitError> {
    let unsuitable = args.unsuitable_section_only_args();
    if !unsuitable.is_empty() {
        let text: String = unsuitable
            .iter()
            .map(|a| {
                format!(
                    "Config setting for -{a} only applied on {c} network when in [{c}] section.\n",
                    c = chain.name()
                )
            })
            .collect();
        return Err(InitError(text));
    }
    let sections = args.unrecognized_sections();
    if !sections.is_empty() {
        let text: String = sections
            .iter()
            .map(|s| {
                format!(
                    "{}:{} Section [{}] is not recognized.\n",
                    s.file, s.line, s.name
                )
            })
            .collect();
        eprintln!("Warning: {text}");
        tracing::warn!("{}", text.trim_end());
    }
    for (name, refused) in args.unsupported_options() {
        if refused {
            return Err(InitError(format!(
                "-{name} is not supported by this node yet: it would ask for a feature that umkoin-rs does not have. Remove it, or set -no{name}."
            )));
        }
    }
    for opt in ["-port", "-rpcport"] {
        if let Some(p) = args.get_arg(opt)
            && !crate::rpc::server::valid_port(&p)
        {
            return Err(InitError(format!("Invalid port specified in {opt}: '{p}'")));
        }
    }
    for (opt, suffix_allowed) in [("-bind", true), ("-rpcbind", false)] {
        for v in args.get_args(opt) {
            let hostport = match v.rfind('=') {
                Some(i) if suffix_allowed => &v[..i],
                _ => v.as_str(),
            };
            if crate::rpc::server::split_host_port(hostport, 0).is_none() {
                return Err(InitError(format!("Invalid port specified in {opt}: '{v}'")));
            }
        }
    }
    log::apply_args(args).map_err(|e| InitError(e.0))?;
    // Checked here, before daemonising, so the user sees the error; read again below.
    MempoolOptions::from_args_for(args, chain != ChainType::Main).map_err(InitError)?;
    Ok(())
}

fn log_config(args: &ArgsManager) -> LogConfig {
    let file = if args.is_arg_negated("-debuglogfile") {
        None
    } else {
        let p = args.get_path_arg("-debuglogfile");
        let p = if p.as_os_str().is_empty() {
            PathBuf::from("debug.log")
        } else {
            p
        };
        Some(args.abs_path_for_config_val(&p, true))
    };
    LogConfig {
        file,
        // Core: on the console unless daemonised.
        console: args.get_bool_arg("-printtoconsole", !args.get_bool_arg("-daemon", false)),
        timestamps: args.get_bool_arg("-logtimestamps", true),
        micros: args.get_bool_arg("-logtimemicros", false),
        thread_names: args.get_bool_arg("-logthreadnames", false),
        source_locations: args.get_bool_arg("-logsourcelocations", false),
        shrink: args.get_bool_arg("-shrinkdebugfile", !log::any_category_enabled()),
        always_level: args.get_bool_arg("-loglevelalways", false),
    }
}

/// The pipe a daemonised child reports its start-up result through.
struct DaemonToken(Option<OwnedFd>);

impl DaemonToken {
    fn send(&mut self, ok: bool) {
        if let Some(fd) = self.0.take() {
            let mut f = std::fs::File::from(fd);
            let _ = f.write_all(&[u8::from(ok)]);
        }
    }
}

/// Fork into the background as Core's `fork_daemon` (no chdir, standard streams to
/// /dev/null). Returns in the child; the parent exits with the child's verdict.
fn daemonize() -> Result<DaemonToken, InitError> {
    println!("Umkoin Core starting");
    let _ = std::io::stdout().flush();
    let mut fds = [0i32; 2];
    // SAFETY: pipe writes two fds into the array we own.
    if unsafe { libc::pipe(fds.as_mut_ptr()) } != 0 {
        return Err(InitError(format!(
            "fork_daemon() failed: {}",
            std::io::Error::last_os_error()
        )));
    }
    // SAFETY: both fds were just created by pipe and are owned only here.
    let (read_end, write_end) =
        unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    // SAFETY: no other thread runs yet (the HTTP and signal threads start after this),
    // so the child is a faithful copy.
    match unsafe { libc::fork() } {
        -1 => Err(InitError(format!(
            "fork_daemon() failed: {}",
            std::io::Error::last_os_error()
        ))),
        0 => {
            drop(read_end);
            // SAFETY: setsid and the dup2s act on this process's own descriptors.
            unsafe {
                libc::setsid();
                let devnull = libc::open(c"/dev/null".as_ptr(), libc::O_RDWR);
                if devnull >= 0 {
                    libc::dup2(devnull, 0);
                    libc::dup2(devnull, 1);
                    libc::dup2(devnull, 2);
                    if devnull > 2 {
                        libc::close(devnull);
                    }
                }
            }
            Ok(DaemonToken(Some(write_end)))
        }
        _ => {
            drop(write_end);
            let mut f = std::fs::File::from(read_end);
            let mut b = [0u8; 1];
            let ok = std::io::Read::read_exact(&mut f, &mut b).is_ok() && b[0] == 1;
            if ok {
                std::process::exit(0);
            }
            eprintln!("Error during initialization - check debug.log for details");
            std::process::exit(1);
        }
    }
}

/// Block SIGINT, SIGTERM and SIGHUP in every thread and handle them on one thread
/// with `sigwait`, so no handler runs at an arbitrary point.
fn block_signals() -> libc::sigset_t {
    // SAFETY: sigset manipulation on a local set; pthread_sigmask on this thread.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, libc::SIGINT);
        libc::sigaddset(&mut set, libc::SIGTERM);
        libc::sigaddset(&mut set, libc::SIGHUP);
        libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
        // Writes to a closed socket must be errors, not deaths.
        libc::signal(libc::SIGPIPE, libc::SIG_IGN);
        set
    }
}

fn spawn_signal_thread(set: libc::sigset_t, ctx: Arc<NodeContext>) {
    let spawned = std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            loop {
                let mut sig = 0;
                // SAFETY: sigwait reads the set we own and writes one int.
                if unsafe { libc::sigwait(&set, &mut sig) } != 0 {
                    continue;
                }
                if sig == libc::SIGHUP {
                    log::request_reopen();
                } else {
                    ctx.request_shutdown();
                }
            }
        });
    if spawned.is_err() {
        tracing::warn!("could not start the signal thread; SIGTERM will not stop the node");
    }
}

struct Running {
    _locks: Vec<DirLock>,
    pid_file: Option<PathBuf>,
}

/// `-ipcbind`: listen on each address, in order, and serve the node's `Init` there.
fn listen_ipc(ctx: &NodeContext) -> Result<(), InitError> {
    let net = ctx.args.datadir_net();
    for address in ctx.args.get_args("-ipcbind") {
        let (listener, address) =
            umkoin_ipc::bind(&address, &net).map_err(|e| InitError(e.to_string()))?;
        umkoin_ipc::serve_listener(
            Flavor::Node.exe(),
            listener,
            Arc::new(crate::node_init::NodeInit),
        )
        .map_err(|e| InitError(format!("Unable to bind to IPC address '{address}'. {e}")))?;
        tracing::info!("Listening for IPC requests on address {address}");
    }
    Ok(())
}

/// Core's `AppInit` and `AppInitMain`, then wait and shut down. `Ok` carries the exit code.
fn app_init(
    flavor: Flavor,
    mut args: ArgsManager,
    sigset: libc::sigset_t,
) -> Result<i32, InitError> {
    let started = Instant::now();
    let chain = match args.chain_arg().map_err(InitError)? {
        ChainArg::Known(c) => c,
        ChainArg::Unknown(n) => return Err(InitError(format!("Unknown chain {n}."))),
    };
    let mut params = ChainParams::for_chain(chain).ok_or_else(|| {
        InitError(format!(
            "-chain={} is not supported by this node yet",
            chain.name()
        ))
    })?;
    if chain == ChainType::Regtest {
        params
            .set_test_activation_heights(&args.get_args("-testactivationheight"))
            .map_err(InitError)?;
        params
            .set_version_bits_params(&args.get_args("-vbparams"))
            .map_err(InitError)?;
        params.fast_prune = args.get_bool_arg("-fastprune", false);
    }
    params.blocks_xor = args.get_bool_arg("-blocksxor", true);
    parameter_interaction(&mut args, chain)?;
    let net = args.datadir_net();
    let blocks_dir = net.join("blocks");
    std::fs::create_dir_all(&blocks_dir)
        .map_err(|e| InitError(format!("Cannot create {}: {e}", blocks_dir.display())))?;
    // Probe the lock before forking so the user sees the error on the console.
    datadir::lock_directory(&net, true)?;
    let daemon = args.get_bool_arg("-daemon", false) || args.get_bool_arg("-daemonwait", false);
    let mut token = if daemon {
        let mut t = daemonize()?;
        if !args.get_bool_arg("-daemonwait", false) {
            t.send(true);
        }
        t
    } else {
        DaemonToken(None)
    };
    let result = run(flavor, args, params, started, &mut token, sigset);
    token.send(matches!(result, Ok(0)));
    result
}

fn run(
    flavor: Flavor,
    args: ArgsManager,
    params: ChainParams,
    started: Instant,
    token: &mut DaemonToken,
    sigset: libc::sigset_t,
) -> Result<i32, InitError> {
    let net = args.datadir_net();
    let locks = vec![
        datadir::lock_directory(&net, false)?.expect("not a probe"),
        datadir::lock_directory(&net.join("blocks"), false)?.expect("not a probe"),
    ];
    let mut args = args;
    let warnings = args.take_warnings();
    let log_cfg = log_config(&args);
    let log_path = log_cfg.file.clone().unwrap_or_default();
    log::start(log_cfg)?;
    tracing::info!("Umkoin version {} ({})", version_string(), flavor.exe());
    for w in warnings {
        tracing::warn!("{w}");
    }
    tracing::info!(
        "Default data directory {}",
        umkoin_common::args::default_datadir().display()
    );
    tracing::info!("Using data directory {}", net.display());
    let conf = args.config_file_path();
    if conf.as_os_str().is_empty() {
        tracing::info!("Config file: <disabled>");
    } else if conf.exists() {
        tracing::info!("Config file: {}", conf.display());
    } else {
        tracing::info!("Config file: {} (not found, skipping)", conf.display());
    }
    for line in args.log_lines_all() {
        tracing::info!("{line}");
    }
    for (name, _) in args.unsupported_options() {
        tracing::info!(
            "Option -{name} is set but not acted on: this node does not have its feature yet."
        );
    }
    let mut running = Running {
        _locks: locks,
        pid_file: None,
    };
    if !args.is_arg_negated("-pid") {
        let p = args.get_path_arg("-pid");
        let p = if p.as_os_str().is_empty() {
            PathBuf::from("umkoind.pid")
        } else {
            p
        };
        let path = args.abs_path_for_config_val(&p, true);
        std::fs::write(&path, format!("{}\n", std::process::id())).map_err(|e| {
            InitError(format!(
                "Unable to create the PID file '{}': {e}",
                path.display()
            ))
        })?;
        running.pid_file = Some(path);
    }
    let mempool =
        MempoolOptions::from_args_for(&args, params.chain != ChainType::Main).map_err(InitError)?;
    // Core's `-mocktime`: the clock starts at that time (0: the system clock).
    let mocktime = args.get_int_arg("-mocktime", 0);
    if mocktime < 0 {
        // Core asserts here and aborts; a clear error is kinder.
        return Err(InitError(format!(
            "-mocktime must not be negative, not {mocktime}"
        )));
    }
    let ctx = Arc::new(NodeContext {
        pool: Mutex::new(crate::mempool::Mempool::new(mempool.clone())),
        mempool,
        multiprocess: flavor == Flavor::Node,
        chain: RwLock::new(Chain::genesis_only(&params)),
        store: Mutex::new(None),
        mocktime: std::sync::atomic::AtomicI64::new(mocktime),
        tip: TipWatch::new(params.genesis.block_hash(), 0),
        left_ibd: Default::default(),
        assembled_block: Default::default(),
        params,
        started,
        shutdown: Shutdown::default(),
        rpc: RpcTable::new(),
        log_path,
        args,
    });
    spawn_signal_thread(sigset, ctx.clone());
    let mut server = None;
    let mut auth = None;
    let outcome = (|| -> Result<(), InitError> {
        if ctx.args.get_bool_arg("-server", true) {
            let a = Arc::new(Auth::init(&ctx.args).map_err(|e| {
                // Core logs why and tells the user only that the server did not start.
                tracing::error!("{e}");
                InitError("Unable to start HTTP server. See debug log for details.".into())
            })?);
            auth = Some(a.clone());
            server = Some(HttpServer::start(ctx.clone(), a).map_err(|e| {
                if let ServerError::BadAllowIp(_) = e {
                    // Core shows this one to the user as well as logging it.
                    report_init_error(&InitError(e.to_string()));
                }
                // Logged where it happened; the user gets Core's summary.
                InitError("Unable to start HTTP server. See debug log for details.".into())
            })?);
        }
        if flavor == Flavor::Node {
            listen_ipc(&ctx)?;
        }
        tracing::info!("init message: Loading block index…");
        ctx.rpc.set_warmup_status("Loading block index…");
        let rebuild = if ctx.args.get_bool_arg("-reindex", false) {
            Rebuild::Reindex
        } else if ctx.args.get_bool_arg("-reindex-chainstate", false) {
            Rebuild::Chainstate
        } else {
            Rebuild::No
        };
        let (store, chain) =
            ChainStore::open(&net, &ctx.params, rebuild, ctx.now()).map_err(|e| {
                tracing::error!("{e}");
                // Core's two start-up failures of its block storage, and their advice.
                let what = match e {
                    OpenError::BlocksXor(why) => {
                        return InitError(format!("Failed to initialize ChainstateManager: {why}"));
                    }
                    OpenError::Verify { .. } => "Corrupted block database detected",
                    _ => "Error opening block database",
                };
                InitError(format!(
                    "{what}.\nPlease restart with -reindex or -reindex-chainstate to recover."
                ))
            })?;
        tracing::info!(
            "Loaded best chain: hashBestChain={} height={}",
            chain.tip().hash,
            chain.height()
        );
        let mut store = store;
        store.set_dbcache_mib(ctx.args.get_int_arg("-dbcache", 450));
        if ctx.args.get_bool_arg("-txindex", false) {
            let dir = net.join("indexes").join("txindex");
            store
                .enable_txindex(&chain, &dir, rebuild == Rebuild::Reindex)
                .map_err(|e| {
                    tracing::error!("{e}");
                    InitError(format!("Failed to build the transaction index: {e}"))
                })?;
        }
        ctx.tip.set(chain.tip().hash, chain.height());
        *ctx.chain.write().expect("the chain lock is never poisoned") = chain;
        let created = store.created();
        *ctx.store.lock().expect("the store lock is never poisoned") = Some(store);
        if created {
            // Core connects the genesis block at its first start: a new tip.
            ctx.pool
                .lock()
                .expect("the mempool lock is never poisoned")
                .add_transactions_updated(1);
        }
        if ctx.args.get_bool_arg("-persistmempool", true) {
            load_mempool(&ctx, &net.join("mempool.dat"));
        }
        ctx.pool
            .lock()
            .expect("the mempool lock is never poisoned")
            .set_load_tried();
        ctx.rpc.set_warmup_finished();
        tracing::info!("init message: Done loading");
        Ok(())
    })();
    let code = match outcome {
        Ok(()) => {
            token.send(true);
            ctx.shutdown.wait();
            i32::from(ctx.shutdown.is_fatal())
        }
        Err(e) => {
            report_init_error(&e);
            1
        }
    };
    tracing::info!("Shutdown in progress...");
    if let Some(s) = server {
        s.stop();
    }
    if ctx.args.get_bool_arg("-persistmempool", true)
        && ctx
            .pool
            .lock()
            .expect("the mempool lock is never poisoned")
            .load_tried()
    {
        dump_mempool(&ctx, &ctx.args.datadir_net().join("mempool.dat"));
    }
    if let Some(a) = auth {
        a.delete_cookie();
    }
    if let Some(p) = &running.pid_file {
        let _ = std::fs::remove_file(p);
    }
    tracing::info!("Shutdown done");
    log::flush();
    drop(running);
    Ok(code)
}

/// Core's `LoadMempool` at start-up: each transaction of `mempool.dat` with its fee
/// delta applied first, accepted at its own entry time unless expired; then the other
/// fee deltas and the transactions waiting for their first broadcast.
fn load_mempool(ctx: &NodeContext, path: &std::path::Path) {
    use crate::mempool_persist::{MempoolDatError, MempoolDatReader};
    let Ok(bytes) = std::fs::read(path) else {
        tracing::info!("Failed to open mempool file. Continuing anyway.");
        return;
    };
    let mut reader = match MempoolDatReader::new(&bytes) {
        Ok(r) => r,
        Err(MempoolDatError::UnknownVersion(_)) => return,
        Err(e) => {
            tracing::info!("Failed to deserialize mempool data on file: {e}. Continuing anyway.");
            return;
        }
    };
    let store = ctx.store.lock().expect("the store lock is never poisoned");
    let Some(store) = store.as_ref() else {
        return;
    };
    let chain = ctx
        .chain
        .read()
        .expect("the chain lock is never poisoned")
        .clone();
    let mut pool = ctx.pool.lock().expect("the mempool lock is never poisoned");
    let now = ctx.now();
    let expiry = pool.options().expiry_secs;
    let total = reader.total_txs();
    tracing::info!("Loading {total} mempool transactions from file...");
    let (mut succeeded, mut failed, mut expired, mut already) = (0u64, 0u64, 0u64, 0u64);
    let mut tenth = 0;
    loop {
        let tried = succeeded + failed + expired + already;
        let percentage = if total == 0 {
            0
        } else {
            (100.0 * tried as f64 / total as f64) as u64
        };
        if percentage / 10 > tenth {
            tenth = percentage / 10;
            tracing::info!(
                "Progress loading mempool transactions from file: {percentage}% (tried {tried}, {} remaining)",
                total - tried
            );
        }
        let next = match reader.next_tx() {
            Ok(Some(t)) => t,
            Ok(None) => break,
            Err(e) => {
                tracing::info!(
                    "Failed to deserialize mempool data on file: {e}. Continuing anyway."
                );
                return;
            }
        };
        let txid = next.tx.compute_txid();
        if next.fee_delta != 0 {
            pool.prioritise(txid, next.fee_delta);
        }
        if next.time > now - expiry {
            match pool.accept_at(store, &chain, next.tx, now, next.time, false) {
                Ok(_) => succeeded += 1,
                Err(_) if pool.contains(&txid) => already += 1,
                Err(_) => failed += 1,
            }
        } else {
            expired += 1;
        }
        if ctx.shutdown.is_requested() {
            return;
        }
    }
    let (deltas, unbroadcast) = match reader.finish() {
        Ok(rest) => rest,
        Err(e) => {
            tracing::info!("Failed to deserialize mempool data on file: {e}. Continuing anyway.");
            return;
        }
    };
    for (txid, delta) in deltas {
        pool.prioritise(txid, delta);
    }
    let waiting = unbroadcast.len();
    for txid in unbroadcast {
        pool.add_unbroadcast(txid);
    }
    tracing::info!(
        "Imported mempool transactions from file: {succeeded} succeeded, {failed} failed, {expired} expired, {already} already there, {waiting} waiting for initial broadcast"
    );
}

/// Core's `DumpMempool`: the mempool to `path` (through `path.new`, renamed over it).
/// Whether it was written.
pub fn dump_mempool(ctx: &NodeContext, path: &std::path::Path) -> bool {
    let started = Instant::now();
    let dat = ctx
        .pool
        .lock()
        .expect("the mempool lock is never poisoned")
        .to_dat();
    let copied = Instant::now();
    tracing::info!("Writing {} mempool transactions to file...", dat.txs.len());
    tracing::info!(
        "Writing {} unbroadcast transactions to file.",
        dat.unbroadcast.len()
    );
    let v1 = ctx.args.get_bool_arg("-persistmempoolv1", false);
    match crate::mempool_persist::dump_to(path, &dat, v1) {
        Ok(size) => {
            tracing::info!(
                "Dumped mempool: {:.3}s to copy, {:.3}s to dump, {size} bytes dumped to file",
                (copied - started).as_secs_f64(),
                copied.elapsed().as_secs_f64()
            );
            true
        }
        Err(e) => {
            tracing::info!("Failed to dump mempool: {e}. Continuing anyway.");
            false
        }
    }
}
