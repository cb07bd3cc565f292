//! `umkoin`: the wrapper of Umkoin Core's `src/umkoin.cpp`. `umkoin [-m|-M] COMMAND
//! [ARGS]` picks the executable for COMMAND (`node` runs `umkoind`, or `umkoin-node`
//! with `-m` or when ARGS or the config file ask for IPC; `rpc` runs `umkoin-cli
//! -named`; ...), finds it in `../libexec/` when the wrapper sits in a `bin/` folder,
//! else beside the wrapper, else (only when the wrapper itself was found through
//! `PATH`) on `PATH`, and replaces itself with it, as Core's wrapper does.

use std::ffi::{CStr, CString, OsStr, OsString};
use std::io::Write;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Component, Path, PathBuf};

use umkoin_common::args::{ArgsManager, ChainArg};
use umkoin_common::help::format_paragraph;
use umkoin_common::options::{self, Bins};

use umkoin_common::version::{CLIENT_NAME, FULL_VERSION as CLIENT_VERSION, LICENSE_INFO};

const HELP_USAGE: &str = "Usage: {exe} [OPTIONS] COMMAND...

Options:
  -m, --multiprocess     Run multiprocess binaries umkoin-node, umkoin-gui.
  -M, --monolithic       Run monolithic binaries umkoind, umkoin-qt. (Default behavior)
  -v, --version          Show version information
  -h, --help             Show full help message

Commands:
  gui [ARGS]     Start GUI, equivalent to running 'umkoin-qt [ARGS]' or 'umkoin-gui [ARGS]'.
  node [ARGS]    Start node, equivalent to running 'umkoind [ARGS]' or 'umkoin-node [ARGS]'.
  rpc [ARGS]     Call RPC method, equivalent to running 'umkoin-cli -named [ARGS]'.
  wallet [ARGS]  Call wallet command, equivalent to running 'umkoin-wallet [ARGS]'.
  tx [ARGS]      Manipulate hex-encoded transactions, equivalent to running 'umkoin-tx [ARGS]'.
  help           Show full help message.
";

const HELP_FULL: &str = "
Additional less commonly used commands:
  bench [ARGS]      Run bench command, equivalent to running 'bench_umkoin [ARGS]'.
  chainstate [ARGS] Run umkoin kernel chainstate util, equivalent to running 'umkoin-chainstate [ARGS]'.
  test [ARGS]       Run unit tests, equivalent to running 'test_umkoin [ARGS]'.
  test-gui [ARGS]   Run GUI unit tests, equivalent to running 'test_umkoin-qt [ARGS]'.
";

const HELP_SHORT: &str = "
Run '{exe} help' to see additional commands (e.g. for testing and debugging).
";

/// The IPC options that make `node` and `gui` run the multiprocess binaries.
const IPC_OPTIONS: [&str; 3] = ["ipcbind", "ipcconnect", "ipcfd"];

/// The options that decide which config file is read and which of its sections apply.
const CONFIG_OPTIONS: [&str; 8] = [
    "datadir",
    "conf",
    "includeconf",
    "chain",
    "regtest",
    "testnet",
    "testnet4",
    "signet",
];

/// The wrapper's own command line, as Core's `CommandLine`.
#[derive(Debug, Default, PartialEq)]
struct CommandLine {
    use_multiprocess: Option<bool>,
    show_version: bool,
    show_help: bool,
    command: Option<String>,
    args: Vec<OsString>,
}

/// Core's `ParseCommandLine`: the wrapper's options up to the command, then the
/// command's arguments untouched. The error is Core's text.
fn parse_command_line(argv: &[OsString]) -> Result<CommandLine, String> {
    let mut cmd = CommandLine::default();
    for raw in argv.iter().skip(1) {
        if cmd.command.is_some() {
            cmd.args.push(raw.clone());
            continue;
        }
        let arg = raw.to_string_lossy();
        match arg.as_ref() {
            "-m" | "--multiprocess" => cmd.use_multiprocess = Some(true),
            "-M" | "--monolithic" => cmd.use_multiprocess = Some(false),
            "-v" | "--version" => cmd.show_version = true,
            "-h" | "--help" | "help" => cmd.show_help = true,
            a if a.starts_with('-') => return Err(format!("Unknown option: {a}")),
            "" => {}
            a => cmd.command = Some(a.to_owned()),
        }
    }
    Ok(cmd)
}

/// The option name an argument sets, as Core's `ParseParameters` reads it: without
/// dashes, value or `no` prefix. `None` for a word that is not an option.
fn option_name(arg: &str) -> Option<&str> {
    let key = arg.split('=').next().unwrap_or_default();
    let key = key.strip_prefix('-')?;
    let key = key.strip_prefix('-').unwrap_or(key);
    Some(key.strip_prefix("no").unwrap_or(key))
}

/// Core's `UseMultiprocess`: `-m`/`-M` if given, else whether the command line or the
/// config file it names sets `-ipcbind`, `-ipcconnect` or `-ipcfd`.
fn use_multiprocess(cmd: &CommandLine) -> Result<bool, String> {
    if let Some(m) = cmd.use_multiprocess {
        return Ok(m);
    }
    let words: Vec<String> = cmd
        .args
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    // Core parses with an option table that accepts every name and value. Here only
    // the options that locate the config file and select its section go through the
    // node's table (so that no other option's rules raise warnings Core would not),
    // and the IPC options are looked for by name, also those the table lacks.
    let mut options_part: Vec<&str> = Vec::new();
    let mut on_command_line = false;
    for w in &words {
        if w == "-" || !w.starts_with('-') {
            break;
        }
        let Some(name) = option_name(w) else { break };
        if IPC_OPTIONS.contains(&name) {
            on_command_line = true;
        }
        if CONFIG_OPTIONS.contains(&name) && options::find(name, Bins::NODE).is_some() {
            options_part.push(w);
        }
    }
    let mut args = ArgsManager::new(Bins::NODE);
    if let Err(e) = args.parse_parameters(&options_part) {
        eprintln!("Warning: failed to parse subcommand command line options: {e}");
    }
    if let Err(e) = args.read_config_files(true) {
        eprintln!("Warning: failed to parse subcommand config: {e}");
    }
    // A conflicting chain selection is Core's error here too, before any exec.
    match args.chain_arg()? {
        ChainArg::Known(c) => args.select_config_network(c),
        // Core selects the section of whatever name was given; a chain it does not
        // know has no section here, so the top of the file applies.
        ChainArg::Unknown(_) => {}
    }
    Ok(on_command_line || IPC_OPTIONS.iter().any(|o| args.is_arg_set(o)))
}

/// Core's `util::GetExePath`: `argv0`, or when it has no slash, the first regular file
/// of that name on `PATH`.
fn get_exe_path(argv0: &OsStr) -> PathBuf {
    let argv0_path = PathBuf::from(argv0);
    if !argv0.as_bytes().contains(&b'/')
        && let Some(path_env) = std::env::var_os("PATH")
    {
        for dir in path_env.as_bytes().split(|&b| b == b':') {
            let candidate = Path::new(OsStr::from_bytes(dir)).join(&argv0_path);
            if candidate.is_file() {
                return candidate;
            }
        }
    }
    argv0_path
}

/// `std::filesystem::weakly_canonical`: the longest existing prefix resolved, the rest
/// appended lexically normalised.
fn weakly_canonical(p: &Path) -> Option<PathBuf> {
    if let Ok(c) = std::fs::canonicalize(p) {
        return Some(c);
    }
    let abs = if p.is_absolute() {
        p.to_owned()
    } else {
        std::env::current_dir().ok()?.join(p)
    };
    let comps: Vec<Component> = abs.components().collect();
    for split in (0..comps.len()).rev() {
        let head: PathBuf = comps[..split].iter().collect();
        if let Ok(mut base) = std::fs::canonicalize(&head) {
            for c in &comps[split..] {
                match c {
                    Component::CurDir => {}
                    Component::ParentDir => {
                        base.pop();
                    }
                    other => base.push(other.as_os_str()),
                }
            }
            return Some(base);
        }
    }
    None
}

/// `strerror(errno)`.
fn strerror(errno: i32) -> String {
    // SAFETY: strerror returns a valid NUL-terminated string for any errno; it is
    // copied before another call could overwrite it.
    unsafe { CStr::from_ptr(libc::strerror(errno)) }
        .to_string_lossy()
        .into_owned()
}

/// Core's `ExecCommand`: replace this process with `args[0]`, looked for relative to
/// the wrapper (`wrapper_argv0`). Returns only on failure (Core's message), or `Ok`
/// when there was nowhere to look, as Core does.
fn exec_command(args: &[OsString], wrapper_argv0: &OsStr) -> Result<(), String> {
    let mut c_args: Vec<CString> = Vec::with_capacity(args.len());
    for a in args {
        c_args.push(
            CString::new(a.clone().into_vec())
                .map_err(|_| "argument contains a NUL byte".to_owned())?,
        );
    }
    let try_exec = |exe: &Path, allow_notfound: bool| -> Result<bool, String> {
        let exe_c = CString::new(exe.as_os_str().as_bytes().to_vec())
            .map_err(|_| "path contains a NUL byte".to_owned())?;
        let mut argv: Vec<*const libc::c_char> = Vec::with_capacity(c_args.len() + 1);
        argv.push(exe_c.as_ptr());
        argv.extend(c_args.iter().skip(1).map(|a| a.as_ptr()));
        argv.push(std::ptr::null());
        let _ = std::io::stdout().flush();
        // SAFETY: exe_c and every argv entry are NUL-terminated strings alive for the
        // call, and argv ends with a null pointer.
        unsafe { libc::execvp(exe_c.as_ptr(), argv.as_ptr()) };
        let errno = std::io::Error::last_os_error().raw_os_error().unwrap_or(0);
        if allow_notfound && errno == libc::ENOENT {
            return Ok(false);
        }
        Err(format!(
            "execvp failed to execute '{}': {}",
            exe.display(),
            strerror(errno)
        ))
    };

    // As Core: where argv[0] leads (no /proc/self/exe fallback, so the same command
    // line finds the same binaries with Core's wrapper and ours).
    let wrapper_path = get_exe_path(wrapper_argv0);
    let wrapper_dir = weakly_canonical(&wrapper_path)
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| wrapper_path.clone());
    let wrapper_dir = wrapper_dir
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let target = Path::new(&args[0]);
    let name = target.file_name().unwrap_or(target.as_os_str());
    // Fall back to PATH only if the wrapper itself was run through PATH, so that a
    // local build never starts system binaries by accident.
    let fallback_os_search = !wrapper_argv0.as_bytes().contains(&b'/');

    if wrapper_dir.file_name() == Some(OsStr::new("bin")) {
        let libexec = wrapper_dir
            .parent()
            .unwrap_or(Path::new(""))
            .join("libexec")
            .join(name);
        if try_exec(&libexec, true)? {
            return Ok(());
        }
    }
    if !wrapper_dir.as_os_str().is_empty() && try_exec(&wrapper_dir.join(name), fallback_os_search)?
    {
        return Ok(());
    }
    if fallback_os_search {
        try_exec(Path::new(name), false)?;
    }
    Ok(())
}

fn run(argv: &[OsString]) -> Result<i32, String> {
    let cmd = parse_command_line(argv)?;
    if cmd.show_version {
        print!(
            "{CLIENT_NAME} version {CLIENT_VERSION}\n{}",
            format_paragraph(LICENSE_INFO, 79, 0)
        );
        return Ok(0);
    }
    let argv0 = argv.first().cloned().unwrap_or_default();
    let exe_name = Path::new(&argv0)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let Some(command) = cmd.command.as_deref().filter(|_| !cmd.show_help) else {
        print!("{}", HELP_USAGE.replace("{exe}", &exe_name));
        if cmd.show_help {
            print!("{HELP_FULL}");
            return Ok(0);
        }
        print!("{}", HELP_SHORT.replace("{exe}", &exe_name));
        return Ok(1);
    };
    let mut args: Vec<OsString> = match command {
        "gui" => vec![
            if use_multiprocess(&cmd)? {
                "umkoin-gui"
            } else {
                "umkoin-qt"
            }
            .into(),
        ],
        "node" => vec![
            if use_multiprocess(&cmd)? {
                "umkoin-node"
            } else {
                "umkoind"
            }
            .into(),
        ],
        // `umkoin rpc` is new, so it may default to -named: callers can mix named and
        // positional parameters, and -nonamed turns it off.
        "rpc" => vec!["umkoin-cli".into(), "-named".into()],
        "wallet" => vec!["umkoin-wallet".into()],
        "tx" => vec!["umkoin-tx".into()],
        "bench" => vec!["bench_umkoin".into()],
        "chainstate" => vec!["umkoin-chainstate".into()],
        "test" => vec!["test_umkoin".into()],
        "test-gui" => vec!["test_umkoin-qt".into()],
        "util" => vec!["umkoin-util".into()],
        other => return Err(format!("Unrecognized command: '{other}'")),
    };
    args.extend(cmd.args.iter().cloned());
    exec_command(&args, &argv0)?;
    Ok(0)
}

fn main() {
    let argv: Vec<OsString> = std::env::args_os().collect();
    let code = match run(&argv) {
        Ok(code) => code,
        Err(e) => {
            let _ = std::io::stdout().flush();
            eprint!(
                "Error: {e}\nTry '{} --help' for more information.\n",
                argv.first()
                    .map(|a| a.to_string_lossy().into_owned())
                    .unwrap_or_default()
            );
            1
        }
    };
    let _ = std::io::stdout().flush();
    std::process::exit(code);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(v: &[&str]) -> Vec<OsString> {
        v.iter().map(OsString::from).collect()
    }

    #[test]
    fn parses_like_core() {
        let c = parse_command_line(&os(&["umkoin", "-m", "-M", "node", "-m", "x"])).unwrap();
        assert_eq!(c.use_multiprocess, Some(false));
        assert_eq!(c.command.as_deref(), Some("node"));
        assert_eq!(c.args, os(&["-m", "x"]));
        let c = parse_command_line(&os(&["umkoin", "", "help", "rpc"])).unwrap();
        assert!(c.show_help);
        assert_eq!(c.command.as_deref(), Some("rpc"));
        assert_eq!(
            parse_command_line(&os(&["umkoin", "-x"])).unwrap_err(),
            "Unknown option: -x"
        );
    }

    #[test]
    fn option_names() {
        assert_eq!(option_name("--ipcbind=unix"), Some("ipcbind"));
        assert_eq!(option_name("-noipcfd"), Some("ipcfd"));
        assert_eq!(option_name("node"), None);
    }

    #[test]
    fn weakly_canonical_keeps_missing_tail() {
        let dir = std::env::temp_dir();
        let real = std::fs::canonicalize(&dir).unwrap();
        assert_eq!(
            weakly_canonical(&dir.join("no-such-dir-x/./y/../z")).unwrap(),
            real.join("no-such-dir-x/z")
        );
    }
}
