//! RPC credentials as Umkoin Core checks them: the `.cookie` file (user `__cookie__`,
//! written atomically, removed at shutdown), `-rpcuser`/`-rpcpassword`, and `-rpcauth`
//! entries `user:salt$hmac` where hmac = HMAC-SHA256(key = salt, message = password).

use std::fs;
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use base64::Engine;
use bitcoin::hashes::{Hash, HashEngine, hmac, sha256};
use bitcoin::hex::DisplayHex;
use umkoin_common::args::ArgsManager;

/// The user name in the cookie file.
pub const COOKIE_USER: &str = "__cookie__";

/// One accepted credential: user, salt and the hex HMAC of the password.
#[derive(Clone, Debug)]
struct Credential {
    user: String,
    salt: String,
    hmac_hex: String,
}

/// The credentials the server accepts, and the cookie file it wrote (to remove it).
#[derive(Debug, Default)]
pub struct Auth {
    credentials: Vec<Credential>,
    cookie_path: Option<PathBuf>,
}

/// Why the credentials could not be set up; texts as Core logs them.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// `-rpccookieperms` is not one of Core's words.
    #[error("Invalid -rpccookieperms={0}; must be one of 'owner', 'group', or 'all'.")]
    BadPerms(String),
    /// The cookie file cannot be written.
    #[error("Unable to open cookie authentication file {} for writing", .0.display())]
    CookieWrite(PathBuf),
    /// The cookie file cannot be moved into place.
    #[error("Unable to rename cookie authentication file {} to {}", .0.display(), .1.display())]
    CookieRename(PathBuf, PathBuf),
    /// A `-rpcauth` value is not `user:salt$hash`.
    #[error("Invalid -rpcauth argument.")]
    BadRpcAuth,
}

/// HMAC-SHA256 of `message` keyed with `key`, as lower-case hex.
pub fn hmac_sha256_hex(key: &[u8], message: &[u8]) -> String {
    let mut engine = hmac::HmacEngine::<sha256::Hash>::new(key);
    engine.input(message);
    hmac::Hmac::<sha256::Hash>::from_engine(engine)
        .to_byte_array()
        .to_lower_hex_string()
}

fn timing_resistant_eq(a: &[u8], b: &[u8]) -> bool {
    if b.is_empty() {
        return a.is_empty();
    }
    let mut acc = a.len() ^ b.len();
    for (i, x) in a.iter().enumerate() {
        acc |= usize::from(x ^ b[i % b.len()]);
    }
    acc == 0
}

fn random_hex(n: usize) -> String {
    let mut buf = vec![0u8; n];
    getrandom::fill(&mut buf).expect("the OS random source is available");
    buf.to_lower_hex_string()
}

fn cookie_mode(perms: Option<&str>) -> Result<u32, AuthError> {
    match perms {
        None | Some("owner") => Ok(0o600),
        Some("group") => Ok(0o640),
        Some("all") => Ok(0o644),
        Some(other) => Err(AuthError::BadPerms(other.to_owned())),
    }
}

/// The cookie file's path (`-rpccookiefile`, relative to the chain folder), or none
/// with `-norpccookiefile`.
pub fn cookie_path(args: &ArgsManager) -> Option<PathBuf> {
    if args.is_arg_negated("-rpccookiefile") {
        return None;
    }
    let arg = args.get_path_arg("-rpccookiefile");
    let name = if arg.as_os_str().is_empty() {
        PathBuf::from(".cookie")
    } else {
        arg
    };
    Some(args.abs_path_for_config_val(&name, true))
}

fn write_cookie(path: &Path, mode: u32) -> Result<String, AuthError> {
    let pass = random_hex(32);
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(mode)
        .open(&tmp)
        .map_err(|_| AuthError::CookieWrite(tmp.clone()))?;
    f.write_all(format!("{COOKIE_USER}:{pass}").as_bytes())
        .map_err(|_| AuthError::CookieWrite(tmp.clone()))?;
    drop(f);
    fs::set_permissions(&tmp, fs::Permissions::from_mode(mode))
        .map_err(|_| AuthError::CookieWrite(tmp.clone()))?;
    fs::rename(&tmp, path).map_err(|_| AuthError::CookieRename(tmp, path.to_owned()))?;
    Ok(pass)
}

impl Auth {
    /// Set up credentials from the options, writing the cookie when no password is set,
    /// as Core's `InitRPCAuthentication`.
    pub fn init(args: &ArgsManager) -> Result<Auth, AuthError> {
        let mut auth = Auth::default();
        let password = args.get_arg("-rpcpassword").unwrap_or_default();
        let (user, pass) = if password.is_empty() {
            let mode = cookie_mode(args.get_arg("-rpccookieperms").as_deref())?;
            match cookie_path(args) {
                None => {
                    tracing::info!("RPC authentication cookie file generation is disabled.");
                    (String::new(), String::new())
                }
                Some(path) => {
                    let pass = write_cookie(&path, mode)?;
                    tracing::info!("Generated RPC authentication cookie {}", path.display());
                    tracing::info!("Permissions used for cookie: {}", symbolic(mode));
                    auth.cookie_path = Some(path);
                    tracing::info!("Using random cookie authentication.");
                    (COOKIE_USER.to_owned(), pass)
                }
            }
        } else {
            tracing::info!("Using rpcuser/rpcpassword authentication.");
            tracing::warn!(
                "The use of rpcuser/rpcpassword is less secure, because credentials are configured in plain text. It is recommended that locally-run instances switch to cookie-based auth, or otherwise to use hashed rpcauth credentials. See share/rpcauth in the source directory for more information."
            );
            (args.get_arg("-rpcuser").unwrap_or_default(), password)
        };
        if !user.is_empty() || !pass.is_empty() {
            let salt = random_hex(16);
            let hmac_hex = hmac_sha256_hex(salt.as_bytes(), pass.as_bytes());
            auth.credentials.push(Credential {
                user,
                salt,
                hmac_hex,
            });
        }
        let rpcauth = args.get_args("-rpcauth");
        if !rpcauth.is_empty() {
            tracing::info!("Using rpcauth authentication.");
        }
        for entry in rpcauth {
            let fields: Vec<&str> = entry.split(':').collect();
            let last = fields.last().copied().unwrap_or_default();
            let salt_hmac: Vec<&str> = last.split('$').collect();
            if fields.len() != 2 || salt_hmac.len() != 2 {
                tracing::warn!("Invalid -rpcauth argument.");
                return Err(AuthError::BadRpcAuth);
            }
            auth.credentials.push(Credential {
                user: fields[0].to_owned(),
                salt: salt_hmac[0].to_owned(),
                hmac_hex: salt_hmac[1].to_owned(),
            });
        }
        Ok(auth)
    }

    /// Check an `Authorization` header; the user name when it is right.
    pub fn check_header(&self, header: &str) -> Result<String, Option<String>> {
        let Some(b64) = header.strip_prefix("Basic ") else {
            return Err(None);
        };
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(b64.trim())
            .map_err(|_| None)?;
        let text = String::from_utf8_lossy(&decoded).into_owned();
        let Some((user, pass)) = text.split_once(':') else {
            return Err(None);
        };
        if self.check(user, pass) {
            Ok(user.to_owned())
        } else {
            Err(Some(user.to_owned()))
        }
    }

    /// Whether `user`/`pass` matches a credential.
    pub fn check(&self, user: &str, pass: &str) -> bool {
        self.credentials.iter().any(|c| {
            timing_resistant_eq(c.user.as_bytes(), user.as_bytes())
                && timing_resistant_eq(
                    hmac_sha256_hex(c.salt.as_bytes(), pass.as_bytes()).as_bytes(),
                    c.hmac_hex.as_bytes(),
                )
        })
    }

    /// Remove the cookie file this server wrote, if any.
    pub fn delete_cookie(&self) {
        if let Some(p) = &self.cookie_path {
            let _ = fs::remove_file(p);
        }
    }
}

fn symbolic(mode: u32) -> String {
    let mut s = String::new();
    for shift in [6, 3, 0] {
        let bits = (mode >> shift) & 7;
        s.push(if bits & 4 != 0 { 'r' } else { '-' });
        s.push(if bits & 2 != 0 { 'w' } else { '-' });
        s.push(if bits & 1 != 0 { 'x' } else { '-' });
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rpcauth_entry_from_core_script_checks() {
        // Written by Core's share/rpcauth/rpcauth.py for user "alice", password "secret".
        let salt = "cb77f0957de88ff388cf817ddbc7273";
        let entry = format!(
            "alice:{salt}${}",
            hmac_sha256_hex(salt.as_bytes(), b"secret")
        );
        let mut args = ArgsManager::new(umkoin_common::options::Bins::DAEMON);
        args.parse_parameters(&[format!("-rpcauth={entry}"), "-norpccookiefile".into()])
            .unwrap();
        let auth = Auth::init(&args).unwrap();
        assert!(auth.check("alice", "secret"));
        assert!(!auth.check("alice", "wrong"));
        assert!(!auth.check("bob", "secret"));
        let header = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode("alice:secret")
        );
        assert_eq!(auth.check_header(&header), Ok("alice".into()));
        assert_eq!(auth.check_header("Bearer x"), Err(None));
    }

    #[test]
    fn hmac_matches_rfc4231_case_2() {
        assert_eq!(
            hmac_sha256_hex(b"Jefe", b"what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn malformed_rpcauth_is_refused() {
        let mut args = ArgsManager::new(umkoin_common::options::Bins::DAEMON);
        args.parse_parameters(&["-rpcauth=nosalt", "-norpccookiefile"])
            .unwrap();
        assert!(matches!(Auth::init(&args), Err(AuthError::BadRpcAuth)));
    }
}
