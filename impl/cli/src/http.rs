//! One HTTP/1.1 POST over a TCP connection, sent and read the way Umkoin Core's client
//! (libevent's `evhttp`) does: the same headers in the same order, `Connection: close`,
//! a body read by `Content-Length`, chunks or to the end, and failures classified with
//! libevent's request error codes, which Core prints.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::time::Duration;

/// A response.
#[derive(Debug)]
pub struct Reply {
    /// The status code.
    pub status: u16,
    /// The body, as bytes.
    pub body: Vec<u8>,
}

/// libevent's `evhttp_request_error`, for the ways a request fails after the attempt
/// to connect was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestError {
    /// `EVREQ_HTTP_TIMEOUT`.
    Timeout = 0,
    /// `EVREQ_HTTP_EOF`.
    Eof = 1,
    /// `EVREQ_HTTP_INVALID_HEADER`.
    InvalidHeader = 2,
    /// `EVREQ_HTTP_BUFFER_ERROR`.
    BufferError = 3,
}

impl RequestError {
    /// Core's `http_errorstring`.
    pub fn text(self) -> &'static str {
        match self {
            RequestError::Timeout => "timeout reached",
            RequestError::Eof => "EOF reached",
            RequestError::InvalidHeader => "error while reading header, or invalid header",
            RequestError::BufferError => "error encountered while reading or writing",
        }
    }
}

/// No response: `None` when no error code is reported (a refused connection, as
/// libevent reports it), else the code.
#[derive(Debug)]
pub struct Failed(pub Option<RequestError>);

fn io_error(e: &std::io::Error) -> RequestError {
    match e.kind() {
        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut => RequestError::Timeout,
        std::io::ErrorKind::UnexpectedEof
        | std::io::ErrorKind::ConnectionReset
        | std::io::ErrorKind::ConnectionAborted
        | std::io::ErrorKind::BrokenPipe => RequestError::Eof,
        _ => RequestError::BufferError,
    }
}

/// POST `body` to `path` on `host:port` with the given headers (besides `Host`,
/// `Connection` and `Content-Length`, which are set here as libevent sets them).
/// `timeout` bounds connecting and each read or write; `None` waits for ever.
pub fn post(
    host: &str,
    port: u16,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
    timeout: Option<Duration>,
) -> Result<Reply, Failed> {
    // libevent resolves the name and connects to the first address only; a name that
    // does not resolve ends the request with EOF.
    let addr: SocketAddr = (host, port)
        .to_socket_addrs()
        .ok()
        .and_then(|mut a| a.next())
        .ok_or(Failed(Some(RequestError::Eof)))?;
    let stream = match timeout {
        Some(t) => TcpStream::connect_timeout(&addr, t),
        None => TcpStream::connect(addr),
    };
    let mut stream = stream.map_err(|e| match e.kind() {
        std::io::ErrorKind::TimedOut => Failed(Some(RequestError::Timeout)),
        _ => Failed(None),
    })?;
    // Setting a timeout on a connected socket only fails for a zero duration.
    let _ = stream.set_read_timeout(timeout);
    let _ = stream.set_write_timeout(timeout);

    let mut request = format!("POST {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n");
    for (k, v) in headers {
        request.push_str(k);
        request.push_str(": ");
        request.push_str(v);
        request.push_str("\r\n");
    }
    request.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    let mut out = request.into_bytes();
    out.extend_from_slice(body);
    stream
        .write_all(&out)
        .and_then(|()| stream.flush())
        .map_err(|e| Failed(Some(io_error(&e))))?;

    read_reply(BufReader::new(stream)).map_err(|e| Failed(Some(e)))
}

fn read_line<R: BufRead>(r: &mut R) -> Result<Option<String>, RequestError> {
    let mut line = Vec::new();
    let n = r.read_until(b'\n', &mut line).map_err(|e| io_error(&e))?;
    if n == 0 {
        return Ok(None);
    }
    if line.last() != Some(&b'\n') {
        return Err(RequestError::Eof);
    }
    line.pop();
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    String::from_utf8(line)
        .map(Some)
        .map_err(|_| RequestError::InvalidHeader)
}

/// Read a response: status line, headers, body.
pub fn read_reply<R: BufRead>(mut r: R) -> Result<Reply, RequestError> {
    let status_line = read_line(&mut r)?.ok_or(RequestError::Eof)?;
    let mut parts = status_line.splitn(3, ' ');
    let version = parts.next().unwrap_or_default();
    if version != "HTTP/1.0" && version != "HTTP/1.1" {
        return Err(RequestError::InvalidHeader);
    }
    let status: u16 = parts
        .next()
        .and_then(|c| c.parse().ok())
        .ok_or(RequestError::InvalidHeader)?;
    let mut content_length: Option<usize> = None;
    let mut chunked = false;
    loop {
        let line = read_line(&mut r)?.ok_or(RequestError::Eof)?;
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':').ok_or(RequestError::InvalidHeader)?;
        let value = value.trim();
        if name.eq_ignore_ascii_case("content-length") {
            content_length = Some(value.parse().map_err(|_| RequestError::InvalidHeader)?);
        } else if name.eq_ignore_ascii_case("transfer-encoding")
            && value.eq_ignore_ascii_case("chunked")
        {
            chunked = true;
        }
    }
    let mut body = Vec::new();
    if status == 204 || status == 304 || (100..200).contains(&status) {
        // No body.
    } else if chunked {
        loop {
            let size_line = read_line(&mut r)?.ok_or(RequestError::Eof)?;
            let size_hex = size_line.split(';').next().unwrap_or_default().trim();
            let size =
                usize::from_str_radix(size_hex, 16).map_err(|_| RequestError::InvalidHeader)?;
            if size == 0 {
                // Trailers, up to the empty line (or the end).
                while let Some(l) = read_line(&mut r)? {
                    if l.is_empty() {
                        break;
                    }
                }
                break;
            }
            // Read what arrives rather than allocate what the server claims: a short
            // chunk is the end of the stream, as libevent reports it.
            let got = (&mut r)
                .take(size as u64)
                .read_to_end(&mut body)
                .map_err(|e| io_error(&e))?;
            if got < size {
                return Err(RequestError::Eof);
            }
            read_line(&mut r)?.ok_or(RequestError::Eof)?;
        }
    } else if let Some(n) = content_length {
        let got = (&mut r)
            .take(n as u64)
            .read_to_end(&mut body)
            .map_err(|e| io_error(&e))?;
        if got < n {
            return Err(RequestError::Eof);
        }
    } else {
        r.read_to_end(&mut body).map_err(|e| io_error(&e))?;
    }
    Ok(Reply { status, body })
}

/// Percent-encode as libevent's `evhttp_uriencode` (spaces as `%20`): everything but
/// letters, digits and `-._~`.
pub fn uri_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_like_libevent() {
        assert_eq!(uri_encode("a b/é~_.-"), "a%20b%2F%C3%A9~_.-");
    }

    #[test]
    fn reads_replies() {
        let r = read_reply(&b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcdef"[..]).unwrap();
        assert_eq!((r.status, r.body.as_slice()), (200, &b"abc"[..]));
        let r = read_reply(
            &b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n1\r\nc\r\n0\r\n\r\n"
                [..],
        )
        .unwrap();
        assert_eq!(r.body, b"abc");
        let r = read_reply(&b"HTTP/1.0 404 Not Found\r\n\r\nrest"[..]).unwrap();
        assert_eq!((r.status, r.body.as_slice()), (404, &b"rest"[..]));
        assert_eq!(
            read_reply(&b"hello world\r\n\r\n"[..]).unwrap_err(),
            RequestError::InvalidHeader
        );
        assert_eq!(read_reply(&b""[..]).unwrap_err(), RequestError::Eof);
        assert_eq!(
            read_reply(&b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nabc"[..]).unwrap_err(),
            RequestError::Eof
        );
    }
}
