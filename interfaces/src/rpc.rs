//! JSON-RPC error codes and HTTP status codes, as Umkoin Core's `rpc/protocol.h` numbers them.

/// An HTTP status code the JSON-RPC server answers with.
pub mod http {
    /// 200: the request was answered (JSON-RPC 1.0 success, and every JSON-RPC 2.0 reply).
    pub const OK: u16 = 200;
    /// 204: a JSON-RPC 2.0 notification was executed; no body.
    pub const NO_CONTENT: u16 = 204;
    /// 400: the body was not a JSON-RPC request.
    pub const BAD_REQUEST: u16 = 400;
    /// 401: missing or wrong credentials.
    pub const UNAUTHORIZED: u16 = 401;
    /// 403: the client address is not allowed by `-rpcallowip`.
    pub const FORBIDDEN: u16 = 403;
    /// 404: unknown path, or a wallet endpoint on a node without wallets.
    pub const NOT_FOUND: u16 = 404;
    /// 405: a method other than POST.
    pub const BAD_METHOD: u16 = 405;
    /// 500: a JSON-RPC 1.0 request whose call failed.
    pub const INTERNAL_SERVER_ERROR: u16 = 500;
    /// 503: the work queue is full or the server is shutting down.
    pub const SERVICE_UNAVAILABLE: u16 = 503;
}

/// A JSON-RPC error code, as Umkoin Core's `RPCErrorCode`.
///
/// Kept as plain `i64` constants so that clients compare them to the `code` field of an
/// error object without a conversion that could fail on codes a newer server adds.
pub mod code {
    /// The request object is not a valid JSON-RPC request.
    pub const INVALID_REQUEST: i64 = -32600;
    /// No such method.
    pub const METHOD_NOT_FOUND: i64 = -32601;
    /// Wrong number of parameters, or an unknown named parameter.
    pub const INVALID_PARAMS: i64 = -32602;
    /// Internal error.
    pub const INTERNAL_ERROR: i64 = -32603;
    /// The body is not valid JSON.
    pub const PARSE_ERROR: i64 = -32700;
    /// A failure in command handling.
    pub const MISC_ERROR: i64 = -1;
    /// Forbidden by safe mode (no longer used by Core, kept for its number).
    pub const FORBIDDEN_BY_SAFE_MODE: i64 = -2;
    /// A parameter has the wrong JSON type.
    pub const TYPE_ERROR: i64 = -3;
    /// Unspecified wallet problem.
    pub const WALLET_ERROR: i64 = -4;
    /// Invalid address or key.
    pub const INVALID_ADDRESS_OR_KEY: i64 = -5;
    /// Not enough funds in the wallet.
    pub const WALLET_INSUFFICIENT_FUNDS: i64 = -6;
    /// Out of memory.
    pub const OUT_OF_MEMORY: i64 = -7;
    /// Invalid, missing or duplicate parameter.
    pub const INVALID_PARAMETER: i64 = -8;
    /// Not connected to the network.
    pub const CLIENT_NOT_CONNECTED: i64 = -9;
    /// Still downloading initial blocks.
    pub const CLIENT_IN_INITIAL_DOWNLOAD: i64 = -10;
    /// Invalid label name.
    pub const WALLET_INVALID_LABEL_NAME: i64 = -11;
    /// Keypool ran out.
    pub const WALLET_KEYPOOL_RAN_OUT: i64 = -12;
    /// The wallet must be unlocked first.
    pub const WALLET_UNLOCK_NEEDED: i64 = -13;
    /// Wrong wallet passphrase.
    pub const WALLET_PASSPHRASE_INCORRECT: i64 = -14;
    /// Wrong wallet encryption state for the command.
    pub const WALLET_WRONG_ENC_STATE: i64 = -15;
    /// Wallet encryption failed.
    pub const WALLET_ENCRYPTION_FAILED: i64 = -16;
    /// The wallet is already unlocked.
    pub const WALLET_ALREADY_UNLOCKED: i64 = -17;
    /// No such wallet.
    pub const WALLET_NOT_FOUND: i64 = -18;
    /// Several wallets are loaded and none was named.
    pub const WALLET_NOT_SPECIFIED: i64 = -19;
    /// Database error.
    pub const DATABASE_ERROR: i64 = -20;
    /// Error parsing or validating a raw structure.
    pub const DESERIALIZATION_ERROR: i64 = -22;
    /// The node is already added.
    pub const CLIENT_NODE_ALREADY_ADDED: i64 = -23;
    /// The node was not added before.
    pub const CLIENT_NODE_NOT_ADDED: i64 = -24;
    /// General error during transaction or block submission.
    pub const VERIFY_ERROR: i64 = -25;
    /// Rejected by network rules.
    pub const VERIFY_REJECTED: i64 = -26;
    /// Transaction already in the UTXO set.
    pub const VERIFY_ALREADY_IN_UTXO_SET: i64 = -27;
    /// The server is still warming up.
    pub const IN_WARMUP: i64 = -28;
    /// The node to disconnect is not connected.
    pub const CLIENT_NODE_NOT_CONNECTED: i64 = -29;
    /// Invalid IP or subnet.
    pub const CLIENT_INVALID_IP_OR_SUBNET: i64 = -30;
    /// P2P is disabled.
    pub const CLIENT_P2P_DISABLED: i64 = -31;
    /// The method is deprecated.
    pub const METHOD_DEPRECATED: i64 = -32;
    /// The mempool is disabled.
    pub const CLIENT_MEMPOOL_DISABLED: i64 = -33;
    /// No more outbound connections can be opened.
    pub const CLIENT_NODE_CAPACITY_REACHED: i64 = -34;
    /// The wallet is already loaded.
    pub const WALLET_ALREADY_LOADED: i64 = -35;
    /// A wallet with that name exists.
    pub const WALLET_ALREADY_EXISTS: i64 = -36;
}
