//! Command-line and config-file parsing with Umkoin Core's semantics: `-foo=bar`,
//! `--foo`, `-nofoo`, repeated options, `umkoin.conf` with `[main]`/`[test]`/`[regtest]`
//! sections and `regtest.foo=` keys, `includeconf`, and the precedence rules of Core's
//! `ArgsManager` (command line over the chain's section over the top of the file; the
//! first value in a config file, the last on the command line).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use umkoin_interfaces::chain::ChainType;

use crate::options::{self, Bins, OptSpec, Support, flags};

/// The name of the config file in the datadir.
pub const CONFIG_FILENAME: &str = "umkoin.conf";

/// One setting as parsed: a string, or `false` from a negation (`-nofoo`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// `-nofoo`, `nofoo=1`, `-nofoo=1`.
    Negated,
    /// `-foo=bar` (or `-foo`, which is the empty string).
    Str(String),
}

/// A command-line error; its text is Core's, printed after `Error parsing command line arguments: `.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ParseError(pub String);

/// A config-file error; its text is Core's, printed after `Error reading configuration file: `
/// (or on its own, for a missing datadir).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// `-datadir` names no directory.
    #[error("specified data directory \"{0}\" does not exist.")]
    DataDirMissing(String),
    /// The config file, or one it includes, is malformed or unreadable.
    #[error("{0}")]
    Read(String),
}

/// The chain the settings select.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChainArg {
    /// A chain Core knows.
    Known(ChainType),
    /// A `-chain=` value that names no known chain (Core treats it as a custom signet
    /// name; here it is an error at start-up).
    Unknown(String),
}

/// Where a config section came from, for Core's "not recognized" warning.
#[derive(Clone, Debug)]
pub struct SectionInfo {
    /// The section name.
    pub name: String,
    /// The file it appeared in.
    pub file: String,
    /// The line number.
    pub line: usize,
}

/// The settings of one binary: the command line and the config files, read against the
/// option table for that binary.
#[derive(Clone, Debug)]
pub struct ArgsManager {
    bin: Bins,
    command_line: HashMap<String, Vec<Value>>,
    /// `settings.json`: name → values, between the command line and the config file.
    rw_settings: BTreeMap<String, serde_json::Value>,
    /// section ("" for the top of the file) → name → values, in file order.
    config: HashMap<String, HashMap<String, Vec<Value>>>,
    sections: Vec<SectionInfo>,
    network: Option<String>,
    command: Vec<String>,
    accept_any_command: bool,
    warnings: Vec<String>,
}

/// Core's `InterpretBool`: the empty string is true, otherwise a number other than 0.
pub fn interpret_bool(s: &str) -> bool {
    s.is_empty() || atoi64(s) != 0
}

/// Core's `LocaleIndependentAtoi<int64_t>`: leading white space and one `+` or `-`, then
/// as many digits as there are; 0 when there are none; saturating on overflow.
pub fn atoi64(s: &str) -> i64 {
    let s = s.trim_matches(|c: char| " \x0c\n\r\t\x0b".contains(c));
    let (neg, digits) = if let Some(rest) = s.strip_prefix('+') {
        if rest.starts_with('-') {
            return 0;
        }
        (false, rest)
    } else if let Some(rest) = s.strip_prefix('-') {
        (true, rest)
    } else {
        (false, s)
    };
    let digits: &str = &digits[..digits
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(digits.len())];
    if digits.is_empty() {
        return 0;
    }
    let mut acc: i64 = 0;
    for d in digits.bytes() {
        let v = i64::from(d - b'0');
        acc = match acc.checked_mul(10).and_then(|a| {
            if neg {
                a.checked_sub(v)
            } else {
                a.checked_add(v)
            }
        }) {
            Some(a) => a,
            None => return if neg { i64::MIN } else { i64::MAX },
        };
    }
    acc
}

struct KeyInfo {
    name: String,
    section: String,
    negated: bool,
}

fn interpret_key(key: &str) -> KeyInfo {
    let (section, key) = match key.find('.') {
        Some(i) => (key[..i].to_owned(), &key[i + 1..]),
        None => (String::new(), key),
    };
    match key.strip_prefix("no") {
        Some(rest) => KeyInfo {
            name: rest.to_owned(),
            section,
            negated: true,
        },
        None => KeyInfo {
            name: key.to_owned(),
            section,
            negated: false,
        },
    }
}

/// Core's `InterpretValue`; `Ok(None)` never happens, errors carry Core's text.
fn interpret_value(
    key: &KeyInfo,
    value: Option<&str>,
    flags: u32,
    warnings: &mut Vec<String>,
) -> Result<Value, String> {
    if key.negated {
        if flags & flags::DISALLOW_NEGATION != 0 {
            return Err(format!(
                "Negating of -{} is meaningless and therefore forbidden",
                key.name
            ));
        }
        if let Some(v) = value
            && !interpret_bool(v)
        {
            warnings.push(format!(
                "Parsed potentially confusing double-negative -{}={}",
                key.name, v
            ));
            // Core stores `true`, which reads as "1" and 1.
            return Ok(Value::Str("1".to_owned()));
        }
        return Ok(Value::Negated);
    }
    if value.is_none() && flags & flags::DISALLOW_ELISION != 0 {
        return Err(format!(
            "Can not set -{} with no value. Please specify value with -{}=value.",
            key.name, key.name
        ));
    }
    Ok(Value::Str(value.unwrap_or_default().to_owned()))
}

const CONF_TRIM: &[char] = &[' ', '\t', '\r', '\n'];

/// Where a span of values was read from, in Core's precedence order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Source {
    CommandLine,
    SettingsFile,
    NetworkSection,
    DefaultSection,
}

/// How many leading values a negation cancels: up to and including the last `Negated`.
fn negated_prefix(span: &[Value]) -> usize {
    span.iter()
        .rposition(|v| matches!(v, Value::Negated))
        .map_or(0, |p| p + 1)
}

impl ArgsManager {
    /// Settings for `bin`, which decides which options exist.
    pub fn new(bin: Bins) -> Self {
        ArgsManager {
            bin,
            command_line: HashMap::new(),
            rw_settings: BTreeMap::new(),
            config: HashMap::new(),
            sections: Vec::new(),
            network: None,
            command: Vec::new(),
            accept_any_command: true,
            warnings: Vec::new(),
        }
    }

    /// The binary these settings are for.
    pub fn bin(&self) -> Bins {
        self.bin
    }

    /// Refuse positional words that are not registered commands (the wallet tool).
    pub fn set_accept_any_command(&mut self, accept: bool) {
        self.accept_any_command = accept;
    }

    fn spec(&self, name: &str) -> Option<&'static OptSpec> {
        options::find(name, self.bin)
    }

    /// Parse the command line (without the program name), as Core's `ParseParameters`.
    pub fn parse_parameters<S: AsRef<str>>(&mut self, argv: &[S]) -> Result<(), ParseError> {
        self.command_line.clear();
        self.command.clear();
        let mut i = 0;
        while i < argv.len() {
            let arg = argv[i].as_ref();
            let (mut key, val) = match arg.find('=') {
                Some(p) => (&arg[..p], Some(&arg[p + 1..])),
                None => (arg, None),
            };
            if !key.starts_with('-') {
                if !self.accept_any_command && self.command.is_empty() {
                    let is_command = self
                        .spec(key)
                        .is_some_and(|s| s.flags & flags::COMMAND != 0);
                    if !is_command {
                        return Err(ParseError(format!("Invalid command '{arg}'")));
                    }
                }
                self.command
                    .extend(argv[i..].iter().map(|a| a.as_ref().to_owned()));
                break;
            }
            // A lone `-` ends the options (Core: stdin follows, for umkoin-tx).
            if key == "-" {
                break;
            }
            if key.len() > 1 && key.as_bytes()[1] == b'-' {
                key = &key[1..];
            }
            let keyinfo = interpret_key(&key[1..]);
            let spec = self.spec(&keyinfo.name);
            let Some(spec) = spec.filter(|_| keyinfo.section.is_empty()) else {
                return Err(ParseError(format!("Invalid parameter {arg}")));
            };
            let value = interpret_value(&keyinfo, val, spec.flags, &mut self.warnings)
                .map_err(ParseError)?;
            self.command_line
                .entry(keyinfo.name)
                .or_default()
                .push(value);
            i += 1;
        }
        if let Some(values) = self.command_line.get("includeconf")
            && let Some(Value::Str(first)) = values.iter().find(|v| matches!(v, Value::Str(_)))
        {
            return Err(ParseError(format!(
                "-includeconf cannot be used from commandline; -includeconf=\"{first}\""
            )));
        }
        Ok(())
    }

    /// Positional words after the options (`umkoin-cli getblockcount`), in order.
    pub fn command(&self) -> &[String] {
        &self.command
    }

    /// Warnings collected while parsing (double negatives, ignored sections), each once.
    pub fn take_warnings(&mut self) -> Vec<String> {
        std::mem::take(&mut self.warnings)
    }

    fn log_lines(
        &self,
        prefix: &str,
        section: &str,
        map: &HashMap<String, Vec<Value>>,
    ) -> Vec<String> {
        let section_str = if section.is_empty() {
            String::new()
        } else {
            format!("[{section}] ")
        };
        let mut names: Vec<&String> = map.keys().collect();
        names.sort();
        let mut out = Vec::new();
        for name in names {
            let Some(spec) = self.spec(name) else {
                continue;
            };
            for v in &map[name] {
                let shown = match v {
                    _ if spec.flags & flags::SENSITIVE != 0 => "****".to_owned(),
                    Value::Negated => "false".to_owned(),
                    Value::Str(s) => json_string(s),
                };
                out.push(format!("{prefix} {section_str}{name}={shown}"));
            }
        }
        out
    }

    /// The settings as Core's `LogArgs` writes them to `debug.log`: config files by
    /// section (`Config file arg: [regtest] rpcport="7"`), then the command line
    /// (`Command-line arg: listen=false`); secret values masked.
    pub fn log_lines_all(&self) -> Vec<String> {
        let mut sections: Vec<&String> = self.config.keys().collect();
        sections.sort();
        let mut out = Vec::new();
        for section in sections {
            out.extend(self.log_lines("Config file arg:", section, &self.config[section]));
        }
        out.extend(self.settings_log_lines());
        out.extend(self.log_lines("Command-line arg:", "", &self.command_line));
        out
    }

    // ---- lookups -------------------------------------------------------------

    fn use_default_section(&self, name: &str) -> bool {
        match self.network.as_deref() {
            None | Some("main") => true,
            Some(_) => self
                .spec(name)
                .is_none_or(|s| s.flags & flags::NETWORK_ONLY == 0),
        }
    }

    /// The spans of values for `name`, highest precedence first, with their source.
    fn spans(&self, name: &str, chain_type: bool) -> Vec<(std::borrow::Cow<'_, [Value]>, Source)> {
        use std::borrow::Cow;
        let mut out: Vec<(Cow<'_, [Value]>, Source)> = Vec::new();
        if let Some(v) = self.command_line.get(name) {
            out.push((Cow::Borrowed(v.as_slice()), Source::CommandLine));
        }
        if let Some(v) = self.rw_settings.get(name) {
            out.push((Cow::Owned(settings_values(v)), Source::SettingsFile));
        }
        let section = if chain_type {
            None
        } else {
            self.network.as_deref()
        };
        if let Some(section) = section
            && let Some(v) = self.config.get(section).and_then(|m| m.get(name))
        {
            out.push((Cow::Borrowed(v.as_slice()), Source::NetworkSection));
        }
        if let Some(v) = self.config.get("").and_then(|m| m.get(name)) {
            out.push((Cow::Borrowed(v.as_slice()), Source::DefaultSection));
        }
        out
    }

    /// Core's `GetSetting`: the one value in force for `name`, or none.
    fn setting(&self, name: &str, chain_type: bool) -> Option<Value> {
        let ignore_default = !chain_type && !self.use_default_section(name);
        for (span, source) in self.spans(name, chain_type) {
            let span: &[Value] = &span;
            let last_negated = matches!(span.last(), Some(Value::Negated));
            if ignore_default && source == Source::DefaultSection && !last_negated {
                continue;
            }
            if chain_type && source == Source::CommandLine && last_negated {
                continue;
            }
            let live = &span[negated_prefix(span)..];
            if !live.is_empty() {
                let from_file = matches!(source, Source::NetworkSection | Source::DefaultSection);
                let reverse = from_file && !chain_type;
                return if reverse { live.first() } else { live.last() }.cloned();
            } else if last_negated {
                return Some(Value::Negated);
            }
        }
        None
    }

    /// Core's `GetSettingsList`: every value in force for a repeatable option.
    fn settings_list(&self, name: &str) -> Vec<String> {
        let ignore_default = !self.use_default_section(name);
        let mut result: Vec<String> = Vec::new();
        let mut done = false;
        let mut prev_negated_empty = false;
        for (span, source) in self.spans(name, false) {
            let span: &[Value] = &span;
            let from_file = matches!(source, Source::NetworkSection | Source::DefaultSection);
            let zombie = from_file && !prev_negated_empty;
            if ignore_default && source == Source::DefaultSection {
                continue;
            }
            let negated_upto = negated_prefix(span);
            if !done || zombie {
                for v in &span[negated_upto..] {
                    if let Value::Str(s) = v {
                        result.push(s.clone());
                    }
                }
            }
            done |= negated_upto > 0;
            prev_negated_empty |= matches!(span.last(), Some(Value::Negated)) && result.is_empty();
        }
        result
    }

    fn key(name: &str) -> &str {
        name.strip_prefix('-').unwrap_or(name)
    }

    /// Whether `name` (as `-foo`) is set anywhere, negated or not.
    pub fn is_arg_set(&self, name: &str) -> bool {
        self.setting(Self::key(name), false).is_some()
    }

    /// Whether the value in force for `name` is a negation.
    pub fn is_arg_negated(&self, name: &str) -> bool {
        self.setting(Self::key(name), false) == Some(Value::Negated)
    }

    /// The string value of `name`; a negation reads as `"0"`, as in Core.
    pub fn get_arg(&self, name: &str) -> Option<String> {
        self.setting(Self::key(name), false).map(|v| match v {
            Value::Negated => "0".to_owned(),
            Value::Str(s) => s,
        })
    }

    /// Every value of a repeatable option, in Core's order.
    pub fn get_args(&self, name: &str) -> Vec<String> {
        self.settings_list(Self::key(name))
    }

    /// The value of `name` read as a boolean, as Core's `GetBoolArg`.
    pub fn get_bool_arg(&self, name: &str, default: bool) -> bool {
        match self.setting(Self::key(name), false) {
            None => default,
            Some(Value::Negated) => false,
            Some(Value::Str(s)) => interpret_bool(&s),
        }
    }

    /// The value of `name` read as an integer, as Core's `GetIntArg`.
    pub fn get_int_arg(&self, name: &str, default: i64) -> i64 {
        match self.setting(Self::key(name), false) {
            None => default,
            Some(Value::Negated) => 0,
            Some(Value::Str(s)) => atoi64(&s),
        }
    }

    /// The value of `name` as a path, normalised, without a trailing slash; empty when
    /// unset or negated.
    pub fn get_path_arg(&self, name: &str) -> PathBuf {
        if self.is_arg_negated(name) {
            return PathBuf::new();
        }
        match self.get_arg(name) {
            Some(s) if !s.is_empty() => normalize(Path::new(&s)),
            _ => PathBuf::new(),
        }
    }

    /// Force a value, as Core's `SoftSetArg`/`ForceSetArg` do for derived settings.
    pub fn force_set_arg(&mut self, name: &str, value: &str) {
        self.command_line.insert(
            Self::key(name).to_owned(),
            vec![Value::Str(value.to_owned())],
        );
    }

    // ---- chain ---------------------------------------------------------------

    /// The chain selected by `-chain`, `-regtest`, `-testnet`, `-testnet4`, `-signet`,
    /// as Core's `GetChainArg`; the error is Core's text.
    pub fn chain_arg(&self) -> Result<ChainArg, String> {
        let get_net = |name: &str| match self.setting(name, true) {
            None => false,
            Some(Value::Negated) => false,
            Some(Value::Str(s)) => interpret_bool(&s),
        };
        let regtest = get_net("regtest");
        let signet = get_net("signet");
        let testnet = get_net("testnet");
        let testnet4 = get_net("testnet4");
        let chain = self.get_arg("-chain");
        let count = usize::from(chain.is_some())
            + usize::from(regtest)
            + usize::from(signet)
            + usize::from(testnet)
            + usize::from(testnet4);
        if count > 1 {
            return Err("Invalid combination of -regtest, -signet, -testnet, -testnet4 and -chain. Can use at most one.".to_owned());
        }
        if let Some(c) = chain {
            return Ok(match c.parse::<ChainType>() {
                Ok(t) => ChainArg::Known(t),
                Err(_) => ChainArg::Unknown(c),
            });
        }
        Ok(ChainArg::Known(if regtest {
            ChainType::Regtest
        } else if signet {
            ChainType::Signet
        } else if testnet {
            ChainType::Testnet
        } else if testnet4 {
            ChainType::Testnet4
        } else {
            ChainType::Main
        }))
    }

    /// Select the chain whose config section applies from now on.
    pub fn select_config_network(&mut self, chain: ChainType) {
        self.network = Some(chain.name().to_owned());
    }

    // ---- datadir and config files ------------------------------------------

    /// The datadir: `-datadir` made absolute, else `$HOME/.umkoin`.
    pub fn datadir_base(&self) -> PathBuf {
        let d = self.get_path_arg("-datadir");
        if !d.as_os_str().is_empty() {
            return absolute(&d);
        }
        default_datadir()
    }

    /// The chain's folder in the datadir (the datadir itself for main).
    pub fn datadir_net(&self) -> PathBuf {
        let base = self.datadir_base();
        match self
            .network
            .as_deref()
            .and_then(|n| n.parse::<ChainType>().ok())
        {
            Some(c) if !c.subdir().is_empty() => base.join(c.subdir()),
            _ => base,
        }
    }

    /// `path` made absolute against the datadir (or the chain folder), as Core's
    /// `AbsPathForConfigVal`.
    pub fn abs_path_for_config_val(&self, path: &Path, net_specific: bool) -> PathBuf {
        if path.is_absolute() || path.as_os_str().is_empty() {
            return path.to_owned();
        }
        let base = if net_specific {
            self.datadir_net()
        } else {
            self.datadir_base()
        };
        base.join(path)
    }

    /// Whether `-datadir`, if given, names an existing directory.
    pub fn check_datadir_option(&self) -> bool {
        let d = self.get_path_arg("-datadir");
        d.as_os_str().is_empty() || absolute(&d).is_dir()
    }

    /// The config file in use; empty with `-noconf`.
    pub fn config_file_path(&self) -> PathBuf {
        if self.is_arg_negated("-conf") {
            return PathBuf::new();
        }
        let conf = self.get_path_arg("-conf");
        let conf = if conf.as_os_str().is_empty() {
            PathBuf::from(CONFIG_FILENAME)
        } else {
            conf
        };
        self.abs_path_for_config_val(&conf, false)
    }

    /// Read the config file and the files it includes, as Core's `ReadConfigFiles`.
    pub fn read_config_files(&mut self, ignore_invalid_keys: bool) -> Result<(), ConfigError> {
        self.config.clear();
        self.sections.clear();
        let conf_path = self.config_file_path();
        if !conf_path.as_os_str().is_empty() {
            if conf_path.is_dir() {
                return Err(ConfigError::Read(format!(
                    "Config file \"{}\" is a directory.",
                    conf_path.display()
                )));
            }
            match std::fs::read(&conf_path) {
                Ok(bytes) => {
                    let text = String::from_utf8_lossy(&bytes).into_owned();
                    self.read_config_stream(
                        &text,
                        &conf_path.display().to_string(),
                        ignore_invalid_keys,
                    )
                    .map_err(ConfigError::Read)?;
                    self.read_includes(ignore_invalid_keys)?;
                }
                Err(_) if self.is_arg_set("-conf") => {
                    return Err(ConfigError::Read(format!(
                        "specified config file \"{}\" could not be opened.",
                        conf_path.display()
                    )));
                }
                Err(_) => {}
            }
        }
        if !self.check_datadir_option() {
            return Err(ConfigError::DataDirMissing(
                self.get_arg("-datadir").unwrap_or_default(),
            ));
        }
        Ok(())
    }

    fn chain_name_for_includes(&self) -> String {
        match self.chain_arg() {
            Ok(ChainArg::Known(c)) => c.name().to_owned(),
            Ok(ChainArg::Unknown(s)) => s,
            Err(_) => String::new(),
        }
    }

    fn include_values(&self, section: &str, skip: usize) -> (Vec<String>, usize) {
        let Some(values) = self.config.get(section).and_then(|m| m.get("includeconf")) else {
            return (Vec::new(), 0);
        };
        let negated_upto = negated_prefix(values);
        let names = values
            .iter()
            .enumerate()
            .skip(skip.max(negated_upto))
            .filter_map(|(_, v)| match v {
                Value::Str(s) => Some(s.clone()),
                Value::Negated => None,
            })
            .collect();
        (names, values.len())
    }

    fn read_includes(&mut self, ignore_invalid_keys: bool) -> Result<(), ConfigError> {
        if self.command_line.contains_key("includeconf") {
            // Only `-noincludeconf` gets past `parse_parameters`: use no included files.
            return Ok(());
        }
        let chain_id = self.chain_name_for_includes();
        let (mut names, chain_count) = self.include_values(&chain_id, 0);
        let (default_names, default_count) = self.include_values("", 0);
        names.extend(default_names);
        for name in &names {
            let path = self.abs_path_for_config_val(Path::new(name), false);
            if path.is_dir() {
                return Err(ConfigError::Read(format!(
                    "Included config file \"{}\" is a directory.",
                    path.display()
                )));
            }
            let text = std::fs::read(&path).map_err(|_| {
                ConfigError::Read(format!("Failed to include configuration file {name}"))
            })?;
            let text = String::from_utf8_lossy(&text).into_owned();
            self.read_config_stream(&text, name, ignore_invalid_keys)
                .map_err(ConfigError::Read)?;
            tracing::info!("Included configuration file {name}");
        }
        // Includes inside included files are not followed: warn, as Core does.
        let (mut late, _) = self.include_values(&chain_id, chain_count);
        late.extend(self.include_values("", default_count).0);
        let final_chain = self.chain_name_for_includes();
        if final_chain != chain_id {
            late.extend(self.include_values(&final_chain, 0).0);
        }
        for name in late {
            eprintln!(
                "warning: -includeconf cannot be used from included files; ignoring -includeconf={name}"
            );
        }
        Ok(())
    }

    /// Parse one config file's text into the settings.
    pub fn read_config_stream(
        &mut self,
        text: &str,
        file: &str,
        ignore_invalid_keys: bool,
    ) -> Result<(), String> {
        let mut prefix = String::new();
        let mut options: Vec<(String, String)> = Vec::new();
        for (idx, raw) in text.split('\n').enumerate() {
            let linenr = idx + 1;
            let (line, used_hash) = match raw.find('#') {
                Some(p) => (&raw[..p], true),
                None => (raw, false),
            };
            let line = line.trim_matches(CONF_TRIM);
            if line.is_empty() {
                continue;
            }
            if line.starts_with('[') && line.ends_with(']') && line.len() >= 2 {
                let section = &line[1..line.len() - 1];
                self.sections.push(SectionInfo {
                    name: section.to_owned(),
                    file: file.to_owned(),
                    line: linenr,
                });
                prefix = format!("{section}.");
            } else if line.starts_with('-') {
                return Err(format!(
                    "parse error on line {linenr}: {line}, options in configuration file must be specified without leading -"
                ));
            } else if let Some(p) = line.find('=') {
                let name = format!("{prefix}{}", line[..p].trim_matches(CONF_TRIM));
                let value = line[p + 1..].trim_matches(CONF_TRIM).to_owned();
                if used_hash && name.contains("rpcpassword") {
                    return Err(format!(
                        "parse error on line {linenr}, using # in rpcpassword can be ambiguous and should be avoided"
                    ));
                }
                if let Some(dot) = name.rfind('.')
                    && prefix.len() <= dot
                {
                    self.sections.push(SectionInfo {
                        name: name[..dot].to_owned(),
                        file: file.to_owned(),
                        line: linenr,
                    });
                }
                options.push((name, value));
            } else {
                let mut e = format!("parse error on line {linenr}: {line}");
                if line.len() >= 2 && line.starts_with("no") {
                    e += &format!(
                        ", if you intended to specify a negated option, use {line}=1 instead"
                    );
                }
                return Err(e);
            }
        }
        for (full, value) in options {
            let key = interpret_key(&full);
            if key.name == "conf" {
                return Err("conf cannot be set in the configuration file; use includeconf= if you want to include additional config files".to_owned());
            }
            match self.spec(&key.name) {
                Some(spec) => {
                    let v = interpret_value(&key, Some(&value), spec.flags, &mut self.warnings)?;
                    self.config
                        .entry(key.section)
                        .or_default()
                        .entry(key.name)
                        .or_default()
                        .push(v);
                }
                None if ignore_invalid_keys => {
                    self.warnings
                        .push(format!("Ignoring unknown configuration value {full}"));
                }
                None => return Err(format!("Invalid configuration value {full}")),
            }
        }
        Ok(())
    }

    /// `settings.json`'s path in the chain folder (`-settings`), or none with `-nosettings`.
    pub fn settings_path(&self) -> Option<PathBuf> {
        if self.is_arg_negated("-settings") {
            return None;
        }
        let p = self.get_path_arg("-settings");
        let p = if p.as_os_str().is_empty() {
            PathBuf::from("settings.json")
        } else {
            p
        };
        Some(self.abs_path_for_config_val(&p, true))
    }

    /// Read `settings.json` (a missing file is no settings), as Core's `ReadSettingsFile`.
    pub fn read_settings_file(&mut self) -> Result<(), SettingsError> {
        self.rw_settings.clear();
        let Some(path) = self.settings_path() else {
            return Ok(());
        };
        let text = match std::fs::read(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(_) => {
                return Err(SettingsError::Read(format!(
                    "{}. Please check permissions.",
                    path.display()
                )));
            }
        };
        // Read as Core reads it (UniValue), so a key given twice is seen and refused.
        let Some(value) = crate::univalue::Value::parse(&text) else {
            return Err(SettingsError::Read(format!(
                "Settings file {} does not contain valid JSON. This is probably caused by disk corruption or a crash, and can be fixed by removing the file, which will reset settings to default values.",
                path.display()
            )));
        };
        let crate::univalue::Value::Obj(pairs) = value else {
            return Err(SettingsError::Read(format!(
                "Found non-object value {} in settings file {}",
                value.write(),
                path.display()
            )));
        };
        let mut seen = BTreeSet::new();
        if let Some((dup, _)) = pairs.iter().find(|(k, _)| !seen.insert(k.clone())) {
            return Err(SettingsError::Read(format!(
                "Found duplicate key {dup} in settings file {}",
                path.display()
            )));
        }
        for (k, v) in pairs {
            let v: serde_json::Value = serde_json::from_str(&v.write())
                .expect("UniValue writes JSON that serde_json reads");
            if k == SETTINGS_WARN_MSG_KEY {
                continue;
            }
            let name = interpret_key(&k).name;
            if self.spec(&name).is_none() {
                self.warnings
                    .push(format!("Ignoring unknown rw_settings value {k}"));
            }
            self.rw_settings.insert(k, v);
        }
        Ok(())
    }

    /// Write `settings.json` back (atomically, through `.tmp`), as Core's
    /// `WriteSettingsFile`; `client_name` signs the do-not-edit notice.
    pub fn write_settings_file(&self, client_name: &str) -> Result<(), SettingsError> {
        let Some(path) = self.settings_path() else {
            return Ok(());
        };
        let mut out = serde_json::Map::new();
        out.insert(
            SETTINGS_WARN_MSG_KEY.to_owned(),
            serde_json::Value::String(format!(
                "This file is automatically generated and updated by {client_name}. Please do not edit this file while the node is running, as any changes might be ignored or overwritten."
            )),
        );
        for (k, v) in &self.rw_settings {
            out.insert(k.clone(), v.clone());
        }
        let mut text = pretty4(&serde_json::Value::Object(out));
        text.push('\n');
        let mut tmp = path.clone().into_os_string();
        tmp.push(".tmp");
        let tmp = PathBuf::from(tmp);
        std::fs::write(&tmp, text).map_err(|_| {
            SettingsError::Write(format!(
                "Error: Unable to open settings file {} for writing",
                tmp.display()
            ))
        })?;
        std::fs::rename(&tmp, &path).map_err(|_| {
            SettingsError::Write(format!(
                "Failed renaming settings file {} to {}\n",
                tmp.display(),
                path.display()
            ))
        })
    }

    /// The `Setting file arg: name = value` lines of `debug.log`.
    pub fn settings_log_lines(&self) -> Vec<String> {
        self.rw_settings
            .iter()
            .map(|(k, v)| format!("Setting file arg: {k} = {v}"))
            .collect()
    }

    /// Config sections that name no chain, as Core's `GetUnrecognizedSections`.
    pub fn unrecognized_sections(&self) -> Vec<SectionInfo> {
        self.sections
            .iter()
            .filter(|s| s.name.parse::<ChainType>().is_err())
            .cloned()
            .collect()
    }

    /// Network-only options set only at the top of the config file while a chain other
    /// than main is selected: Core warns that they are ignored there.
    pub fn unsuitable_section_only_args(&self) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let Some(net) = self.network.as_deref() else {
            return out;
        };
        if net == "main" {
            return out;
        }
        if let Some(top) = self.config.get("") {
            for (name, values) in top {
                let network_only = self
                    .spec(name)
                    .is_some_and(|s| s.flags & flags::NETWORK_ONLY != 0);
                let live = !values.is_empty() && !matches!(values.last(), Some(Value::Negated));
                let elsewhere = self.command_line.get(name).is_some_and(|v| !v.is_empty())
                    || self
                        .config
                        .get(net)
                        .and_then(|m| m.get(name))
                        .is_some_and(|v| !v.is_empty());
                if network_only && live && !elsewhere {
                    out.insert(name.clone());
                }
            }
        }
        out
    }

    /// Every option set (on the command line or in the section in force) with its
    /// table entry, for the start-up checks of [`Support`].
    pub fn set_options(&self) -> BTreeMap<String, &'static OptSpec> {
        let mut out = BTreeMap::new();
        let mut consider = |name: &String| {
            if let Some(spec) = self.spec(name)
                && self.is_arg_set(name)
            {
                out.insert(name.clone(), spec);
            }
        };
        self.command_line.keys().for_each(&mut consider);
        self.rw_settings.keys().for_each(&mut consider);
        if let Some(m) = self.config.get("") {
            m.keys().for_each(&mut consider);
        }
        if let Some(net) = self.network.as_deref()
            && let Some(m) = self.config.get(net)
        {
            m.keys().for_each(&mut consider);
        }
        out
    }

    /// Whether the value in force for `name` turns its feature off: a negation, or a
    /// value that is a number equal to 0 (`-listen=0`, `-prune=0`, `-connect=0`).
    pub fn is_off(&self, name: &str) -> bool {
        match self.setting(Self::key(name), false) {
            None => true,
            Some(Value::Negated) => true,
            Some(Value::Str(s)) => {
                let t = s.trim();
                !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) && atoi64(t) == 0
            }
        }
    }

    /// The options set that this implementation does not act on: (name, is a request
    /// for a missing feature). The first kind is logged, the second refused.
    pub fn unsupported_options(&self) -> Vec<(String, bool)> {
        self.set_options()
            .into_iter()
            .filter_map(|(name, spec)| match spec.support {
                Support::Acted => None,
                Support::Tune => Some((name, false)),
                Support::OffOnly => {
                    let refused = !self.is_off(&name);
                    Some((name, refused))
                }
            })
            .collect()
    }
}

/// A `settings.json` value as the settings it stands for: `false` a negation, `true`
/// "1", numbers and strings their text, arrays one value per element.
fn settings_values(v: &serde_json::Value) -> Vec<Value> {
    match v {
        serde_json::Value::Bool(false) => vec![Value::Negated],
        serde_json::Value::Bool(true) => vec![Value::Str("1".to_owned())],
        serde_json::Value::Number(n) => vec![Value::Str(n.to_string())],
        serde_json::Value::String(s) => vec![Value::Str(s.clone())],
        serde_json::Value::Array(a) => a.iter().flat_map(settings_values).collect(),
        serde_json::Value::Null | serde_json::Value::Object(_) => Vec::new(),
    }
}

/// The key `settings.json` reserves for its do-not-edit notice.
const SETTINGS_WARN_MSG_KEY: &str = "_warning_";

/// Why `settings.json` could not be read or written; texts as Core's details.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    /// Reading failed (the node says "Settings file could not be read").
    #[error("{0}")]
    Read(String),
    /// Writing failed (the node says "Settings file could not be written").
    #[error("{0}")]
    Write(String),
}

/// A string as a JSON string literal, as UniValue's `write()` quotes it.
fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `v` indented by four spaces per level, as UniValue's `write(4)`.
fn pretty4(v: &serde_json::Value) -> String {
    use serde::Serialize;
    let mut out = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut out, fmt);
    v.serialize(&mut ser)
        .expect("writing a JSON value to memory cannot fail");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// `$HOME/.umkoin`, Core's default datadir on Unix.
pub fn default_datadir() -> PathBuf {
    match std::env::var_os("HOME") {
        Some(h) if !h.is_empty() => PathBuf::from(h).join(".umkoin"),
        _ => PathBuf::from("/").join(".umkoin"),
    }
}

fn absolute(p: &Path) -> PathBuf {
    if p.is_absolute() {
        p.to_owned()
    } else {
        std::env::current_dir()
            .map(|cwd| normalize(&cwd.join(p)))
            .unwrap_or_else(|_| p.to_owned())
    }
}

/// Lexical normalisation: drops `.` parts and trailing slashes; keeps `..`.
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    if out.as_os_str().is_empty() && !p.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(args: &[&str], conf: &str) -> ArgsManager {
        let mut a = ArgsManager::new(Bins::DAEMON);
        a.parse_parameters(args).unwrap();
        a.read_config_stream(conf, "umkoin.conf", false).unwrap();
        if let Ok(ChainArg::Known(c)) = a.chain_arg() {
            a.select_config_network(c);
        }
        a
    }

    #[test]
    fn atoi_matches_core() {
        assert_eq!(atoi64("12abc"), 12);
        assert_eq!(atoi64("  -7"), -7);
        assert_eq!(atoi64("+-1"), 0);
        assert_eq!(atoi64("abc"), 0);
        assert_eq!(atoi64("99999999999999999999"), i64::MAX);
        assert_eq!(atoi64("-99999999999999999999"), i64::MIN);
        assert!(interpret_bool(""));
        assert!(!interpret_bool("0"));
        assert!(interpret_bool("2"));
    }

    #[test]
    fn settings_file_sits_between_command_line_and_config() {
        let dir = tempfile::tempdir().unwrap();
        let datadir = format!("-datadir={}", dir.path().display());
        std::fs::create_dir_all(dir.path().join("regtest")).unwrap();
        std::fs::write(
            dir.path().join("regtest/settings.json"),
            r#"{"_warning_": "x", "dbcache": 5, "listen": false, "debug": ["rpc", "http"], "bogus": 1}"#,
        )
        .unwrap();
        let mut a = node(
            &[&datadir, "-regtest", "-dbcache=9"],
            "dbcache=7\nmaxmempool=3\n[regtest]\nlisten=1\n",
        );
        a.read_settings_file().unwrap();
        assert_eq!(a.get_int_arg("-dbcache", 0), 9, "command line first");
        assert!(
            !a.get_bool_arg("-listen", true),
            "settings.json over the config"
        );
        assert_eq!(
            a.get_int_arg("-maxmempool", 0),
            3,
            "the config where settings.json is silent"
        );
        assert_eq!(a.get_args("-debug"), vec!["rpc", "http"]);
        assert_eq!(
            a.take_warnings(),
            vec!["Ignoring unknown rw_settings value bogus"]
        );
        a.write_settings_file("Umkoin").unwrap();
        let written: serde_json::Value = serde_json::from_slice(
            &std::fs::read(dir.path().join("regtest/settings.json")).unwrap(),
        )
        .unwrap();
        assert_eq!(written["dbcache"], 5);
        assert!(written["_warning_"].as_str().unwrap().contains("Umkoin"));
        std::fs::write(dir.path().join("regtest/settings.json"), "{bad").unwrap();
        assert!(
            matches!(a.read_settings_file(), Err(SettingsError::Read(m)) if m.contains("does not contain valid JSON"))
        );
        std::fs::write(dir.path().join("regtest/settings.json"), r#"{"a":1,"a":2}"#).unwrap();
        assert!(
            matches!(a.read_settings_file(), Err(SettingsError::Read(m)) if m.starts_with("Found duplicate key a in settings file"))
        );
        std::fs::write(dir.path().join("regtest/settings.json"), "[]").unwrap();
        assert!(
            matches!(a.read_settings_file(), Err(SettingsError::Read(m)) if m.starts_with("Found non-object value [] in settings file"))
        );
    }

    #[test]
    fn lone_dash_ends_options() {
        let mut a = ArgsManager::new(Bins::CLI);
        a.parse_parameters(&["-named", "-", "-bogus"]).unwrap();
        assert!(a.get_bool_arg("-named", false));
        assert!(a.command().is_empty());
    }

    #[test]
    fn unknown_option_is_core_error() {
        let mut a = ArgsManager::new(Bins::DAEMON);
        let e = a.parse_parameters(&["-foo"]).unwrap_err();
        assert_eq!(e.0, "Invalid parameter -foo");
        let e = a.parse_parameters(&["-regtest.rpcport=1"]).unwrap_err();
        assert_eq!(e.0, "Invalid parameter -regtest.rpcport=1");
    }

    #[test]
    fn negation_and_double_dash() {
        let a = node(&["--printtoconsole", "-nolisten"], "");
        assert!(a.get_bool_arg("-printtoconsole", false));
        assert!(!a.get_bool_arg("-listen", true));
        assert!(a.is_arg_negated("-listen"));
        assert_eq!(a.get_arg("-listen").as_deref(), Some("0"));
        let mut a = ArgsManager::new(Bins::DAEMON);
        let e = a.parse_parameters(&["-nodatadir"]).unwrap_err();
        assert_eq!(
            e.0,
            "Negating of -datadir is meaningless and therefore forbidden"
        );
    }

    #[test]
    fn command_line_last_wins_config_first_wins() {
        let a = node(&["-rpcport=1", "-rpcport=2"], "");
        assert_eq!(a.get_int_arg("-rpcport", 0), 2);
        let a = node(&[], "dbcache=10\ndbcache=20\n");
        assert_eq!(a.get_int_arg("-dbcache", 0), 10);
    }

    #[test]
    fn sections_and_network_only() {
        let conf = "regtest=1\nrpcport=5\n[regtest]\nrpcport=7\n[main]\nrpcport=9\n";
        let a = node(&[], conf);
        assert_eq!(a.chain_arg(), Ok(ChainArg::Known(ChainType::Regtest)));
        assert_eq!(a.get_int_arg("-rpcport", 0), 7);
        // rpcport is network-only: at the top it is ignored for regtest.
        let a = node(&[], "regtest=1\nrpcport=5\n");
        assert_eq!(a.get_int_arg("-rpcport", 0), 0);
        assert!(a.unsuitable_section_only_args().contains("rpcport"));
        // a dotted key sets one chain's value.
        let a = node(&["-regtest"], "regtest.rpcport=8\nmain.rpcport=3\n");
        assert_eq!(a.get_int_arg("-rpcport", 0), 8);
    }

    #[test]
    fn repeated_options_list_and_negation() {
        let a = node(&["-debug=rpc", "-debug=http"], "debug=net\n");
        assert_eq!(a.get_args("-debug"), vec!["rpc", "http", "net"]);
        let a = node(&["-nodebug"], "debug=net\n");
        assert!(a.get_args("-debug").is_empty());
    }

    #[test]
    fn config_file_errors_are_cores() {
        let mut a = ArgsManager::new(Bins::DAEMON);
        assert_eq!(
            a.read_config_stream("-rpcport=1\n", "f", false)
                .unwrap_err(),
            "parse error on line 1: -rpcport=1, options in configuration file must be specified without leading -"
        );
        assert_eq!(
            a.read_config_stream("nolisten\n", "f", false).unwrap_err(),
            "parse error on line 1: nolisten, if you intended to specify a negated option, use nolisten=1 instead"
        );
        assert_eq!(
            a.read_config_stream("rpcpassword=a#b\n", "f", false)
                .unwrap_err(),
            "parse error on line 1, using # in rpcpassword can be ambiguous and should be avoided"
        );
        assert!(
            a.read_config_stream("bogus=1\n", "f", true).is_ok(),
            "unknown keys are warnings when ignored"
        );
        assert_eq!(
            a.read_config_stream("bogus=1\n", "f", false).unwrap_err(),
            "Invalid configuration value bogus"
        );
    }

    #[test]
    fn chain_combinations() {
        let a = node(&["-regtest", "-testnet"], "");
        assert!(a.chain_arg().is_err());
        let a = node(&["-chain=foo"], "");
        assert_eq!(a.chain_arg(), Ok(ChainArg::Unknown("foo".into())));
        // negated -regtest on the command line is skipped, as in Core.
        let a = node(&["-noregtest"], "regtest=1\n");
        assert_eq!(a.chain_arg(), Ok(ChainArg::Known(ChainType::Regtest)));
    }

    #[test]
    fn off_only_options() {
        let a = node(
            &["-prune=0", "-listen=0", "-connect=0", "-coinstatsindex"],
            "",
        );
        let u: BTreeMap<_, _> = a.unsupported_options().into_iter().collect();
        assert_eq!(u.get("prune"), Some(&false));
        assert_eq!(u.get("listen"), Some(&false));
        assert_eq!(u.get("connect"), Some(&false));
        assert_eq!(u.get("coinstatsindex"), Some(&true));
        let a = node(&["-connect=127.0.0.1"], "");
        assert!(!a.is_off("-connect"));
    }
}
