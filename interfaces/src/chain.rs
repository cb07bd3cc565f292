//! The chains Umkoin Core knows, by the names `-chain=` takes and the data-directory
//! subfolders they live in. Parameters (genesis, ports, rules) belong to the node; these
//! names are what a client needs to find a node's files.

use std::fmt;
use std::str::FromStr;

/// A chain, as named by `-chain=<name>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChainType {
    /// The main network.
    Main,
    /// testnet3.
    Testnet,
    /// testnet4.
    Testnet4,
    /// The default signet.
    Signet,
    /// Regression test mode: a private chain with trivial proof of work.
    Regtest,
}

impl ChainType {
    /// Every chain, in Core's order.
    pub const ALL: [ChainType; 5] = [
        ChainType::Main,
        ChainType::Testnet,
        ChainType::Testnet4,
        ChainType::Signet,
        ChainType::Regtest,
    ];

    /// The name `-chain=` takes and `getblockchaininfo` reports.
    pub fn name(self) -> &'static str {
        match self {
            ChainType::Main => "main",
            ChainType::Testnet => "test",
            ChainType::Testnet4 => "testnet4",
            ChainType::Signet => "signet",
            ChainType::Regtest => "regtest",
        }
    }

    /// The folder under the datadir that holds this chain's files; empty for main.
    pub fn subdir(self) -> &'static str {
        match self {
            ChainType::Main => "",
            ChainType::Testnet => "testnet3",
            ChainType::Testnet4 => "testnet4",
            ChainType::Signet => "signet",
            ChainType::Regtest => "regtest",
        }
    }

    /// The default JSON-RPC port.
    pub fn default_rpc_port(self) -> u16 {
        match self {
            ChainType::Main => 6332,
            ChainType::Testnet => 16332,
            ChainType::Testnet4 => 46332,
            ChainType::Signet => 36332,
            ChainType::Regtest => 16443,
        }
    }

    /// The default P2P port.
    pub fn default_p2p_port(self) -> u16 {
        match self {
            ChainType::Main => 6333,
            ChainType::Testnet => 16333,
            ChainType::Testnet4 => 46333,
            ChainType::Signet => 36333,
            ChainType::Regtest => 16444,
        }
    }
}

impl fmt::Display for ChainType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A `-chain=` value that names no chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownChain(pub String);

impl fmt::Display for UnknownChain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown chain {:?}", self.0)
    }
}

impl std::error::Error for UnknownChain {}

impl FromStr for ChainType {
    type Err = UnknownChain;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ChainType::ALL
            .into_iter()
            .find(|c| c.name() == s)
            .ok_or_else(|| UnknownChain(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for c in ChainType::ALL {
            assert_eq!(c.name().parse::<ChainType>(), Ok(c));
        }
        assert!("testnet3".parse::<ChainType>().is_err());
    }
}
