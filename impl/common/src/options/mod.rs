//! The option table: every option Umkoin Core's binaries take, with its argument, help
//! text, default, help category, the binaries that take it, Core's parsing flags, and
//! what this implementation does with it. `-help` is printed from it and the argument
//! parser validates against it, so a command line or config file written for Core loads.

mod table;

pub use table::OPTIONS;

/// The binaries an option belongs to, as a bit set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bins(pub u8);

impl Bins {
    /// `umkoind`, the monolithic node.
    pub const DAEMON: Bins = Bins(1);
    /// `umkoin-node`, the multiprocess node.
    pub const NODE: Bins = Bins(2);
    /// `umkoin-gui` (and Core's `umkoin-qt`).
    pub const GUI: Bins = Bins(4);
    /// `umkoin-cli`.
    pub const CLI: Bins = Bins(8);
    /// `umkoin-wallet`, the wallet tool (and the multiprocess wallet).
    pub const WALLET: Bins = Bins(16);
    /// The node binaries, which share Core's `SetupServerArgs`.
    pub const SERVER: Bins = Bins(1 | 2 | 4);

    /// Both sets together.
    pub const fn or(self, other: Bins) -> Bins {
        Bins(self.0 | other.0)
    }

    /// Whether `self` holds every binary of `other`.
    pub const fn contains(self, other: Bins) -> bool {
        self.0 & other.0 == other.0
    }
}

/// Core's `ArgsManager::Flags`, the parsing rules of an option.
pub mod flags {
    /// No validation of the value.
    pub const ALLOW_ANY: u32 = 0x01;
    /// `-nofoo` is an error.
    pub const DISALLOW_NEGATION: u32 = 0x20;
    /// `-foo` without `=value` is an error.
    pub const DISALLOW_ELISION: u32 = 0x40;
    /// Shown only by `-help-debug`.
    pub const DEBUG_ONLY: u32 = 0x100;
    /// In a config file, only read from the selected chain's section (or the top for main).
    pub const NETWORK_ONLY: u32 = 0x200;
    /// The value is secret (a password): never logged.
    pub const SENSITIVE: u32 = 0x400;
    /// A command name (wallet tool), not an option.
    pub const COMMAND: u32 = 0x800;
}

/// Where `-help` lists an option, as Core's `OptionsCategory`, in Core's print order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Category {
    /// "Options:"
    Options,
    /// "Connection options:"
    Connection,
    /// "Wallet options:"
    Wallet,
    /// "Wallet debugging/testing options:"
    WalletDebugTest,
    /// "ZeroMQ notification options:"
    Zmq,
    /// "Debugging/Testing options:"
    DebugTest,
    /// "Chain selection options:"
    ChainParams,
    /// "Node relay options:"
    NodeRelay,
    /// "Block creation options:"
    BlockCreation,
    /// "RPC server options:"
    Rpc,
    /// "UI Options:"
    Gui,
    /// "Commands:"
    Commands,
    /// "Register Commands:"
    RegisterCommands,
    /// "CLI Commands:"
    CliCommands,
    /// "IPC interprocess connection options:"
    Ipc,
    /// Accepted but never listed.
    Hidden,
}

impl Category {
    /// The heading `-help` prints above the category, as Core prints it.
    pub fn heading(self) -> &'static str {
        match self {
            Category::Options => "Options:",
            Category::Connection => "Connection options:",
            Category::Wallet => "Wallet options:",
            Category::WalletDebugTest => "Wallet debugging/testing options:",
            Category::Zmq => "ZeroMQ notification options:",
            Category::DebugTest => "Debugging/Testing options:",
            Category::ChainParams => "Chain selection options:",
            Category::NodeRelay => "Node relay options:",
            Category::BlockCreation => "Block creation options:",
            Category::Rpc => "RPC server options:",
            Category::Gui => "UI Options:",
            Category::Commands => "Commands:",
            Category::RegisterCommands => "Register Commands:",
            Category::CliCommands => "CLI Commands:",
            Category::Ipc => "IPC interprocess connection options:",
            Category::Hidden => "",
        }
    }
}

/// What this implementation does with an option when it is set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Support {
    /// Implemented: the option does what Core's does.
    Acted,
    /// Tunes something (a timeout, a cache, a thread count, a relay policy) or names a
    /// feature this implementation lacks in a way that cannot mislead; any value Core
    /// accepts is accepted, and the option is named once in `debug.log` as not acted on.
    Tune,
    /// Turns on a feature this implementation lacks. Set to off (`-nofoo`, `-foo=0`) it
    /// is accepted and named in `debug.log` like [`Support::Tune`]; set to anything
    /// else, start-up fails with an error that names it.
    OffOnly,
}

/// One option.
#[derive(Clone, Copy, Debug)]
pub struct OptSpec {
    /// The name without the dash, as `datadir`.
    pub name: &'static str,
    /// The argument as `-help` shows it after the name, as `=<dir>`; empty for a flag.
    pub arg: &'static str,
    /// The help text as Core prints it, defaults included, unwrapped.
    pub help: &'static str,
    /// The default, when Core states one (the `(default: ...)` of the help text).
    pub default: Option<&'static str>,
    /// The help category.
    pub category: Category,
    /// Core's parsing flags, from [`flags`].
    pub flags: u32,
    /// The binaries that take it.
    pub bins: Bins,
    /// What this implementation does with it.
    pub support: Support,
}

/// The option `name` (without the dash) as `bin` takes it, if `bin` takes it.
pub fn find(name: &str, bin: Bins) -> Option<&'static OptSpec> {
    OPTIONS
        .iter()
        .find(|o| o.name == name && o.bins.contains(bin))
}
