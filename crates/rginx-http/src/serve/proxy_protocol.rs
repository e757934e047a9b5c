//! The PROXY protocol on `listen ... proxy_protocol` (nginx's
//! `ngx_proxy_protocol_read` and its callers in `ngx_http_request.c`): a
//! connection must start with a PROXY header, v1 text or v2 binary, read
//! before anything else (before the TLS handshake too). The header's
//! addresses become `$proxy_protocol_addr` and friends and, behind a trusted
//! peer, the client address (`real_ip_header proxy_protocol`).
//!
//! As nginx 1.22 does:
//! - v1: `PROXY TCP4|TCP6 SRC DST SPORT DPORT\r\n`, addresses made of hex
//!   digits, `.` and `:` (kept as sent, not checked as addresses), ports
//!   0-65535; `PROXY UNKNOWN...\r\n` carries no addresses;
//! - v2: the 12-byte signature, version 2, any command but PROXY (LOCAL)
//!   and any transport but STREAM or family but INET/INET6 carry no
//!   addresses; TLVs are skipped;
//! - a broken header is logged at the error level (`broken header:
//!   "BYTES"` with every byte read, `unknown PROXY protocol version: N`,
//!   `header is too large`; a v2 address block shorter than its family
//!   needs is closed silently) and the connection closes without an answer;
//! - the header is read within `client_header_timeout` (http has no
//!   `proxy_protocol_timeout` in nginx 1.22: that one is stream's), into
//!   `client_header_buffer_size` bytes on a plain port and 108 on a TLS
//!   port (nginx peeks that much there), beyond which a v2 header is "too
//!   large"; a TLS port leaves a broken header's bytes unread, so its close
//!   is a reset, as nginx's.
//!
//! One deliberate difference: nginx parses the header from its first read
//! only, so a header split across TCP segments is "broken" there; rginx
//! waits for the rest (up to 107 bytes for v1, the announced length for
//! v2), still within the timeout.

use super::handler::{ConnInfo, Shared};
use crate::core_main::LogLevel;
use std::future::Future;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::os::fd::{AsRawFd, RawFd};
use std::time::Duration;

/// The v2 signature.
const SIGNATURE: &[u8; 12] = b"\r\n\r\n\0\r\nQUIT\n";

/// The longest v1 header of the specification: rginx waits for the end of
/// a v1 line only this long (nginx takes a longer one that came whole).
pub const V1_MAX_HEADER: usize = 107;

/// What nginx 1.22 peeks at on a TLS port (its
/// `NGX_PROXY_PROTOCOL_MAX_HEADER` plus one): a header, v2 TLVs included,
/// must fit. A plain port reads into
/// `client_header_buffer_size`, as nginx reads the header into the
/// request's first buffer.
pub const TLS_PEEK: usize = V1_MAX_HEADER + 1;

/// The most [`parse`] allows for a v2 header.
pub const MAX_HEADER: usize = 4096;

/// What nginx's log context says while the header is read.
const ACTION: &str = "reading PROXY protocol";

/// The addresses of a PROXY header, as nginx keeps them
/// (`ngx_proxy_protocol_t`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProxyAddrs {
    /// `$proxy_protocol_addr`: v1's text as sent, v2's address as nginx
    /// prints it.
    pub src_addr: Vec<u8>,
    pub src_port: u16,
    /// `$proxy_protocol_server_addr`.
    pub dst_addr: Vec<u8>,
    pub dst_port: u16,
}

/// What the bytes read so far make.
#[derive(Debug, PartialEq, Eq)]
pub enum Parsed {
    /// A whole header of `len` bytes; `addrs` is `None` when it names no
    /// addresses (v1 UNKNOWN, v2 LOCAL, another transport or family).
    Header {
        len: usize,
        addrs: Option<ProxyAddrs>,
    },
    /// A good start: more bytes are needed.
    Partial,
    /// Broken: close the connection, after logging this message at the
    /// error level (`None`: nginx closes without a word).
    Broken(Option<Vec<u8>>),
}

/// Parses the start of a connection. `Partial` only while the bytes are a
/// possible start of a header and fewer than the header may have.
pub fn parse(buf: &[u8]) -> Parsed {
    parse_within(buf, MAX_HEADER)
}

/// [`parse`] where at most `max` bytes can be read for the header.
pub fn parse_within(buf: &[u8], max: usize) -> Parsed {
    let signature = &SIGNATURE[..buf.len().min(SIGNATURE.len())];
    if !buf.is_empty() && buf.starts_with(signature) {
        return v2(buf, max);
    }
    match v1(buf) {
        Ok((len, addrs)) => Parsed::Header { len, addrs },
        Err(Stop::Partial) if buf.len() < V1_MAX_HEADER => Parsed::Partial,
        Err(_) => Parsed::Broken(Some(broken_header(buf))),
    }
}

/// What nginx says of the bytes a client sent before closing (or of the
/// most a header may have): a header still incomplete is broken.
pub fn parse_final(buf: &[u8]) -> Parsed {
    match parse_within(buf, MAX_HEADER.max(buf.len())) {
        Parsed::Partial if buf.len() >= 16 && buf.starts_with(SIGNATURE) => {
            Parsed::Broken(Some(b"header is too large".to_vec()))
        }
        Parsed::Partial => Parsed::Broken(Some(broken_header(buf))),
        other => other,
    }
}

/// nginx 1.22's `broken header: "%*s"`: every byte read, as is.
fn broken_header(buf: &[u8]) -> Vec<u8> {
    let mut message = b"broken header: \"".to_vec();
    message.extend_from_slice(buf);
    message.push(b'"');
    message
}

/// Why a v1 header stopped parsing.
#[derive(Debug, PartialEq, Eq)]
enum Stop {
    /// The bytes ran out first.
    Partial,
    /// A byte no header can have there.
    Invalid,
}

/// `want` at `at`, or as much of it as there is.
fn expect(buf: &[u8], at: usize, want: &[u8]) -> Result<usize, Stop> {
    let have = buf.get(at..).unwrap_or_default();
    let n = have.len().min(want.len());
    if have[..n] != want[..n] {
        Err(Stop::Invalid)
    } else if n < want.len() {
        Err(Stop::Partial)
    } else {
        Ok(at + want.len())
    }
}

/// The v1 text header: its length and addresses.
fn v1(buf: &[u8]) -> Result<(usize, Option<ProxyAddrs>), Stop> {
    let mut at = expect(buf, 0, b"PROXY ")?;
    let rest = &buf[at..];
    if rest.starts_with(b"UNKNOWN") {
        // Anything up to the first CR LF.
        at += 7;
        return match buf[at..].windows(2).position(|pair| pair == b"\r\n") {
            Some(end) => Ok((at + end + 2, None)),
            None => Err(Stop::Partial),
        };
    }
    if rest.len() < 7 && b"UNKNOWN".starts_with(rest) {
        return Err(Stop::Partial);
    }
    at = expect(buf, at, b"TCP")?;
    match buf.get(at) {
        None => return Err(Stop::Partial),
        Some(b'4' | b'6') => at += 1,
        Some(_) => return Err(Stop::Invalid),
    }
    at = expect(buf, at, b" ")?;
    let (src_addr, at) = v1_addr(buf, at)?;
    let (dst_addr, at) = v1_addr(buf, at)?;
    let (src_port, at) = v1_port(buf, at, b' ')?;
    let (dst_port, at) = v1_port(buf, at, b'\r')?;
    match buf.get(at) {
        None => Err(Stop::Partial),
        Some(b'\n') => Ok((
            at + 1,
            Some(ProxyAddrs {
                src_addr,
                src_port,
                dst_addr,
                dst_port,
            }),
        )),
        Some(_) => Err(Stop::Invalid),
    }
}

/// An address up to its space: hex digits, `.` and `:` (possibly none),
/// as `ngx_proxy_protocol_read_addr`.
fn v1_addr(buf: &[u8], start: usize) -> Result<(Vec<u8>, usize), Stop> {
    for (i, &c) in buf.iter().enumerate().skip(start) {
        match c {
            b' ' => return Ok((buf[start..i].to_vec(), i + 1)),
            b':' | b'.' | b'a'..=b'f' | b'A'..=b'F' | b'0'..=b'9' => {}
            _ => return Err(Stop::Invalid),
        }
    }
    Err(Stop::Partial)
}

/// A port up to `sep`: decimal digits (leading zeros allowed), 0-65535, as
/// `ngx_proxy_protocol_read_port` with `ngx_atoi`.
fn v1_port(buf: &[u8], start: usize, sep: u8) -> Result<(u16, usize), Stop> {
    let mut value: u32 = 0;
    for (i, &c) in buf.iter().enumerate().skip(start) {
        if c == sep {
            if i == start {
                return Err(Stop::Invalid);
            }
            return Ok((value as u16, i + 1));
        }
        if !c.is_ascii_digit() {
            return Err(Stop::Invalid);
        }
        value = value * 10 + u32::from(c - b'0');
        if value > 65535 {
            return Err(Stop::Invalid);
        }
    }
    Err(Stop::Partial)
}

/// The v2 binary header (`buf` starts with as much of the signature as
/// it has), of at most `max` bytes.
fn v2(buf: &[u8], max: usize) -> Parsed {
    if buf.len() < 16 {
        return Parsed::Partial;
    }
    let version = buf[12] >> 4;
    if version != 2 {
        return Parsed::Broken(Some(
            format!("unknown PROXY protocol version: {version}").into_bytes(),
        ));
    }
    let len = 16 + usize::from(u16::from_be_bytes([buf[14], buf[15]]));
    if len > max {
        return Parsed::Broken(Some(b"header is too large".to_vec()));
    }
    if buf.len() < len {
        return Parsed::Partial;
    }
    let body = &buf[16..len];
    let command = buf[12] & 0x0f;
    let transport = buf[13] & 0x0f;
    if command != 1 || transport != 1 {
        return Parsed::Header { len, addrs: None };
    }
    let port = |at: usize| u16::from_be_bytes([body[at], body[at + 1]]);
    let addrs = match buf[13] >> 4 {
        1 if body.len() < 12 => return Parsed::Broken(None),
        1 => {
            let src = Ipv4Addr::new(body[0], body[1], body[2], body[3]);
            let dst = Ipv4Addr::new(body[4], body[5], body[6], body[7]);
            (IpAddr::V4(src), IpAddr::V4(dst), port(8), port(10))
        }
        2 if body.len() < 36 => return Parsed::Broken(None),
        2 => {
            let mut src = [0u8; 16];
            let mut dst = [0u8; 16];
            src.copy_from_slice(&body[..16]);
            dst.copy_from_slice(&body[16..32]);
            (
                IpAddr::V6(Ipv6Addr::from(src)),
                IpAddr::V6(Ipv6Addr::from(dst)),
                port(32),
                port(34),
            )
        }
        _ => return Parsed::Header { len, addrs: None },
    };
    let (src, dst, src_port, dst_port) = addrs;
    Parsed::Header {
        len,
        addrs: Some(ProxyAddrs {
            src_addr: crate::realip::addr_text(src).into_bytes(),
            src_port,
            dst_addr: crate::realip::addr_text(dst).into_bytes(),
            dst_port,
        }),
    }
}

// ---------------------------------------------------------------------------
// Reading from a socket.

/// A socket the header is read from: peeked, then exactly the header's
/// bytes are taken, so whatever follows (a request, a TLS handshake) stays
/// in the socket for the code that comes next.
pub trait PeekSocket: AsRawFd {
    fn wait_readable(&self) -> impl Future<Output = io::Result<()>> + Send;
    /// `f` with the socket's read readiness cleared on `WouldBlock`.
    fn try_read_io<R>(&self, f: impl FnOnce() -> io::Result<R>) -> io::Result<R>;
}

impl PeekSocket for tokio::net::TcpStream {
    fn wait_readable(&self) -> impl Future<Output = io::Result<()>> + Send {
        self.readable()
    }

    fn try_read_io<R>(&self, f: impl FnOnce() -> io::Result<R>) -> io::Result<R> {
        self.try_io(tokio::io::Interest::READABLE, f)
    }
}

impl PeekSocket for tokio::net::UnixStream {
    fn wait_readable(&self) -> impl Future<Output = io::Result<()>> + Send {
        self.readable()
    }

    fn try_read_io<R>(&self, f: impl FnOnce() -> io::Result<R>) -> io::Result<R> {
        self.try_io(tokio::io::Interest::READABLE, f)
    }
}

/// One `recv`, peeking or taking.
fn recv(fd: RawFd, buf: &mut [u8], peek: bool) -> io::Result<usize> {
    use nix::sys::socket::MsgFlags;
    let flags = if peek {
        MsgFlags::MSG_PEEK | MsgFlags::MSG_DONTWAIT
    } else {
        MsgFlags::MSG_DONTWAIT
    };
    nix::sys::socket::recv(fd, buf, flags).map_err(io::Error::from)
}

/// Waits for bytes and receives them.
async fn recv_ready<S: PeekSocket>(socket: &S, buf: &mut [u8], peek: bool) -> io::Result<usize> {
    loop {
        socket.wait_readable().await?;
        match socket.try_read_io(|| recv(socket.as_raw_fd(), buf, peek)) {
            Err(err) if err.kind() == io::ErrorKind::WouldBlock => continue,
            other => return other,
        }
    }
}

/// Takes `buf.len()` bytes already peeked.
async fn take<S: PeekSocket>(socket: &S, buf: &mut [u8]) -> io::Result<()> {
    let mut done = 0;
    while done < buf.len() {
        match recv_ready(socket, &mut buf[done..], false).await? {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            n => done += n,
        }
    }
    Ok(())
}

/// How reading a header ended.
#[derive(Debug)]
enum Read {
    Header(Option<ProxyAddrs>),
    /// Broken, with what to log; `peeked` bytes are still in the socket.
    Broken {
        message: Option<Vec<u8>>,
        peeked: usize,
    },
    /// The client closed before sending a byte.
    Closed,
    Failed(io::Error),
}

/// Reads a header: peeks at what came, takes it when it is only a part of
/// a header, and takes exactly the header once it is whole.
async fn read<S: PeekSocket>(socket: &S, max: usize) -> Read {
    let mut buf = vec![0u8; max];
    let mut have = 0;
    loop {
        let n = match recv_ready(socket, &mut buf[have..], true).await {
            Ok(n) => n,
            Err(err) => return Read::Failed(err),
        };
        if n == 0 {
            if have == 0 {
                return Read::Closed;
            }
            let message = match parse_final(&buf[..have]) {
                Parsed::Broken(message) => message,
                _ => None,
            };
            return Read::Broken { message, peeked: 0 };
        }
        let seen = have + n;
        let parsed = if seen == max {
            parse_final(&buf[..seen])
        } else {
            parse_within(&buf[..seen], max)
        };
        match parsed {
            Parsed::Header { len, addrs } => {
                return match take(socket, &mut buf[have.min(len)..len]).await {
                    Ok(()) => Read::Header(addrs),
                    Err(err) => Read::Failed(err),
                };
            }
            Parsed::Partial => {
                if let Err(err) = take(socket, &mut buf[have..seen]).await {
                    return Read::Failed(err);
                }
                have = seen;
            }
            Parsed::Broken(message) => return Read::Broken { message, peeked: n },
        }
    }
}

/// The PROXY header of a connection accepted on a `proxy_protocol`
/// address, read within `timeout` (the default server's
/// `client_header_timeout`) into `buffer` bytes at most (on a plain port
/// nginx's first request buffer, `client_header_buffer_size`; ignored on
/// a TLS port, where nginx peeks [`TLS_PEEK`]). Returns the connection
/// with its PROXY
/// addresses, or `None` when it is to be closed, after logging what nginx
/// logs. `tls`: a TLS port, where nginx only peeks, so a broken header's
/// bytes stay unread (the close is a reset); on a plain port they are read
/// first, as nginx reads them.
pub async fn accept<S: PeekSocket>(
    socket: &S,
    mut info: ConnInfo,
    shared: &Shared,
    timeout: Duration,
    tls: bool,
    buffer: usize,
) -> Option<ConnInfo> {
    let max = if tls { TLS_PEEK } else { buffer.max(16) };
    let (level, message): (LogLevel, Option<Vec<u8>>) =
        match tokio::time::timeout(timeout, read(socket, max)).await {
            Ok(Read::Header(addrs)) => {
                info.proxy_protocol = addrs;
                return Some(info);
            }
            Ok(Read::Broken { message, peeked }) => {
                if !tls && peeked > 0 {
                    let mut sink = vec![0u8; peeked];
                    let _ = socket.try_read_io(|| recv(socket.as_raw_fd(), &mut sink, false));
                }
                (LogLevel::Error, message)
            }
            // A TLS port peeks: nginx parses the empty read as a header.
            Ok(Read::Closed) if tls => (LogLevel::Error, Some(broken_header(b""))),
            Ok(Read::Closed) => (LogLevel::Info, Some(b"client closed connection".to_vec())),
            Ok(Read::Failed(err)) => (LogLevel::Info, Some(os_error("recv() failed", &err))),
            Err(_) => (
                LogLevel::Info,
                Some(b"client timed out (110: Connection timed out)".to_vec()),
            ),
        };
    if let Some(message) = message {
        let info = info.numbered(shared.next_connection_number());
        crate::log::connection_error(&shared.config, &info, level, &message, ACTION);
    }
    None
}

/// nginx's `MESSAGE (ERRNO: TEXT)`.
fn os_error(message: &str, err: &io::Error) -> Vec<u8> {
    match err.raw_os_error() {
        Some(code) => format!(
            "{message} ({code}: {})",
            nix::errno::Errno::from_raw(code).desc()
        )
        .into_bytes(),
        None => format!("{message} ({err})").into_bytes(),
    }
}

/// Whether connections on `addr`'s socket may have to start with a PROXY
/// header (some address on its port has `proxy_protocol`), so that other
/// sockets skip the per-connection look-up.
pub fn on_socket(config: &crate::Config, addr: &crate::http_core::listen::ListenAddr) -> bool {
    config.http.as_ref().is_some_and(|http| {
        http.addresses
            .iter()
            .any(|a| a.entry.options.proxy_protocol && a.entry.addr.same_port(addr))
    })
}

/// Whether this connection must start with a PROXY header: its address
/// (the specific one on a wildcard socket) has `proxy_protocol`.
pub fn expected(config: &crate::Config, info: &ConnInfo) -> bool {
    config.http.as_ref().is_some_and(|http| {
        crate::http_core::request::find_address(http, info)
            .is_some_and(|address| address.entry.options.proxy_protocol)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addrs(src: &str, src_port: u16, dst: &str, dst_port: u16) -> Option<ProxyAddrs> {
        Some(ProxyAddrs {
            src_addr: src.as_bytes().to_vec(),
            src_port,
            dst_addr: dst.as_bytes().to_vec(),
            dst_port,
        })
    }

    fn header(buf: &[u8]) -> (usize, Option<ProxyAddrs>) {
        match parse(buf) {
            Parsed::Header { len, addrs } => (len, addrs),
            other => panic!("{:?}: {other:?}", String::from_utf8_lossy(buf)),
        }
    }

    fn broken(buf: &[u8]) -> String {
        match parse(buf) {
            Parsed::Broken(Some(message)) => String::from_utf8_lossy(&message).into_owned(),
            other => panic!("{:?}: {other:?}", String::from_utf8_lossy(buf)),
        }
    }

    fn v2_header(version_command: u8, family: u8, body: &[u8]) -> Vec<u8> {
        let mut out = SIGNATURE.to_vec();
        out.push(version_command);
        out.push(family);
        out.extend_from_slice(&(body.len() as u16).to_be_bytes());
        out.extend_from_slice(body);
        out
    }

    #[test]
    fn v1_headers() {
        let line = b"PROXY TCP4 1.2.3.4 5.6.7.8 111 222\r\n";
        let mut with_request = line.to_vec();
        with_request.extend_from_slice(b"GET / HTTP/1.0\r\n\r\n");
        assert_eq!(
            header(&with_request),
            (line.len(), addrs("1.2.3.4", 111, "5.6.7.8", 222))
        );
        assert_eq!(
            header(b"PROXY TCP6 2001:db8::1 ::1 65535 0\r\n"),
            (36, addrs("2001:db8::1", 65535, "::1", 0))
        );
        // Kept as sent: nginx checks the characters, not the address.
        assert_eq!(
            header(b"PROXY TCP4 01.2.3.4 ::: 0080 1\r\n").1,
            addrs("01.2.3.4", 80, ":::", 1)
        );
        assert_eq!(
            header(b"PROXY TCP4  5.6.7.8 1 2\r\n").1,
            addrs("", 1, "5.6.7.8", 2)
        );
        // A whole line longer than the specification allows, as nginx.
        let long = format!("PROXY TCP4 {} 5.6.7.8 1 2\r\n", "1".repeat(150));
        assert_eq!(header(long.as_bytes()).0, long.len());
    }

    #[test]
    fn v1_unknown() {
        assert_eq!(header(b"PROXY UNKNOWN\r\nGET"), (15, None));
        assert_eq!(header(b"PROXY UNKNOWN 1.2.3.4 5.6.7.8 1 2\r\n"), (35, None));
        assert_eq!(header(b"PROXY UNKNOWNxyz\r\n"), (18, None));
        assert_eq!(parse(b"PROXY UNKNOWN\r"), Parsed::Partial);
        assert_eq!(parse(b"PROXY UNKN"), Parsed::Partial);
    }

    #[test]
    fn v1_broken() {
        assert_eq!(
            broken(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"),
            "broken header: \"GET / HTTP/1.1\r\nHost: x\r\n\r\n\""
        );
        for bad in [
            &b"PROXY TCP5 1.2.3.4 5.6.7.8 111 222\r\n"[..],
            b"PROXY TCP4 1.2.3.x 5.6.7.8 111 222\r\n",
            b"PROXY TCP4 1.2.3.4 5.6.7.8 65536 1\r\n",
            b"PROXY TCP4 1.2.3.4 5.6.7.8 1 \r\n",
            b"PROXY TCP4 1.2.3.4 5.6.7.8 +1 2\r\n",
            b"PROXY TCP4 1.2.3.4 5.6.7.8 111 222\rX",
            b"PROXY tcp4 1.2.3.4 5.6.7.8 111 222\r\n",
            b"PROXY TCP41.2.3.4 5.6.7.8 111 222\r\n",
            b"proxy TCP4 1.2.3.4 5.6.7.8 111 222\r\n",
            b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",
        ] {
            assert_eq!(
                parse(bad),
                Parsed::Broken(Some([&b"broken header: \""[..], bad, b"\""].concat()))
            );
        }
    }

    #[test]
    fn v1_too_long() {
        // Still incomplete at 107 bytes: broken.
        let long = format!("PROXY TCP6 {}", "a".repeat(V1_MAX_HEADER));
        assert!(broken(&long.as_bytes()[..V1_MAX_HEADER]).starts_with("broken header: \"PROXY"));
        assert_eq!(
            parse(&long.as_bytes()[..V1_MAX_HEADER - 1]),
            Parsed::Partial
        );
        let unknown = format!("PROXY UNKNOWN {}", "x".repeat(200));
        assert!(matches!(parse(unknown.as_bytes()), Parsed::Broken(Some(_))));
    }

    #[test]
    fn v1_split_across_reads() {
        let line = b"PROXY TCP4 1.2.3.4 5.6.7.8 111 222\r\n";
        for cut in 0..line.len() {
            assert_eq!(parse(&line[..cut]), Parsed::Partial, "cut at {cut}");
        }
        assert_eq!(header(line).0, line.len());
        // What a client that stops part-way has sent is broken.
        assert_eq!(
            parse_final(b"PROXY TCP4 1.2.3"),
            Parsed::Broken(Some(b"broken header: \"PROXY TCP4 1.2.3\"".to_vec()))
        );
        assert_eq!(
            parse_final(b"PROX"),
            Parsed::Broken(Some(b"broken header: \"PROX\"".to_vec()))
        );
    }

    #[test]
    fn v2_ipv4_and_tlvs() {
        let mut body = vec![1, 2, 3, 4, 5, 6, 7, 8];
        body.extend_from_slice(&111u16.to_be_bytes());
        body.extend_from_slice(&222u16.to_be_bytes());
        let plain = v2_header(0x21, 0x11, &body);
        assert_eq!(header(&plain), (28, addrs("1.2.3.4", 111, "5.6.7.8", 222)));
        // TLVs are skipped; what follows is not part of the header.
        body.extend_from_slice(b"\x04\x00\x02ab");
        let mut with_tlv = v2_header(0x21, 0x11, &body);
        with_tlv.extend_from_slice(b"GET / HTTP/1.0\r\n\r\n");
        assert_eq!(
            header(&with_tlv),
            (33, addrs("1.2.3.4", 111, "5.6.7.8", 222))
        );
    }

    #[test]
    fn v2_ipv6() {
        let src: Ipv6Addr = "2001:db8::1".parse().unwrap();
        let dst: Ipv6Addr = "::ffff:10.0.0.1".parse().unwrap();
        let mut body = src.octets().to_vec();
        body.extend_from_slice(&dst.octets());
        body.extend_from_slice(&[0, 80, 1, 187]);
        assert_eq!(
            header(&v2_header(0x21, 0x21, &body)),
            (52, addrs("2001:db8::1", 80, "::ffff:10.0.0.1", 443))
        );
    }

    #[test]
    fn v2_without_addresses() {
        // LOCAL (a health check), UDP, AF_UNIX, AF_UNSPEC: no addresses.
        assert_eq!(header(&v2_header(0x20, 0x00, b"")), (16, None));
        assert_eq!(header(&v2_header(0x20, 0x11, &[0; 12])), (28, None));
        assert_eq!(header(&v2_header(0x21, 0x12, &[0; 12])), (28, None));
        assert_eq!(header(&v2_header(0x21, 0x31, &[0; 216])), (232, None));
        assert_eq!(header(&v2_header(0x21, 0x01, b"")), (16, None));
    }

    #[test]
    fn v2_broken() {
        assert_eq!(
            broken(&v2_header(0x11, 0x11, &[0; 12])),
            "unknown PROXY protocol version: 1"
        );
        // A block too short for its family: nginx closes silently.
        assert_eq!(
            parse(&v2_header(0x21, 0x11, &[1, 2, 3, 4])),
            Parsed::Broken(None)
        );
        assert_eq!(
            parse(&v2_header(0x21, 0x21, &[0; 32])),
            Parsed::Broken(None)
        );
        let mut huge = SIGNATURE.to_vec();
        huge.extend_from_slice(&[0x21, 0x11, 0x10, 0x00]);
        assert_eq!(broken(&huge), "header is too large");
        // A plain port reads into client_header_buffer_size, as nginx.
        let tlvs = v2_header(0x21, 0x11, &[0; 3000]);
        assert_eq!(parse(&tlvs[..100]), Parsed::Partial);
        assert_eq!(
            parse_within(&tlvs[..100], 1024),
            Parsed::Broken(Some(b"header is too large".to_vec()))
        );
    }

    #[test]
    fn v2_truncated_and_split() {
        let mut body = vec![1, 2, 3, 4, 5, 6, 7, 8, 0, 1, 0, 2];
        body.extend_from_slice(b"\x04\x00\x03abc");
        let whole = v2_header(0x21, 0x11, &body);
        for cut in 1..whole.len() {
            assert_eq!(parse(&whole[..cut]), Parsed::Partial, "cut at {cut}");
        }
        assert_eq!(header(&whole).0, whole.len());
        // Closed part-way: nginx's words for a short v2 header.
        assert_eq!(
            parse_final(&whole[..20]),
            Parsed::Broken(Some(b"header is too large".to_vec()))
        );
        assert_eq!(
            parse_final(&whole[..10]),
            Parsed::Broken(Some(broken_header(&whole[..10])))
        );
    }

    #[tokio::test]
    async fn reads_exactly_the_header_from_a_socket() {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let (mut client, server) = tokio::net::UnixStream::pair().unwrap();
        let writer = tokio::spawn(async move {
            client.write_all(b"PROXY TCP4 1.2.3.4 5.6.7").await.unwrap();
            tokio::time::sleep(Duration::from_millis(30)).await;
            client
                .write_all(b".8 111 222\r\nGET / HTTP/1.0\r\n\r\n")
                .await
                .unwrap();
            client
        });
        match read(&server, MAX_HEADER).await {
            Read::Header(got) => assert_eq!(got, addrs("1.2.3.4", 111, "5.6.7.8", 222)),
            other => panic!("{other:?}"),
        }
        let _client = writer.await.unwrap();
        let mut server = server;
        let mut rest = [0u8; 18];
        server.read_exact(&mut rest).await.unwrap();
        assert_eq!(&rest, b"GET / HTTP/1.0\r\n\r\n");
    }

    #[tokio::test]
    async fn broken_and_closed_sockets() {
        use tokio::io::AsyncWriteExt;
        let (mut client, server) = tokio::net::UnixStream::pair().unwrap();
        client.write_all(b"GET / HTTP/1.0\r\n\r\n").await.unwrap();
        match read(&server, MAX_HEADER).await {
            Read::Broken {
                message: Some(message),
                peeked: 18,
            } => assert_eq!(message, broken_header(b"GET / HTTP/1.0\r\n\r\n")),
            other => panic!("{other:?}"),
        }
        let (client, server) = tokio::net::UnixStream::pair().unwrap();
        drop(client);
        assert!(matches!(read(&server, MAX_HEADER).await, Read::Closed));
        let (mut client, server) = tokio::net::UnixStream::pair().unwrap();
        client.write_all(b"PROXY TCP4 1.2").await.unwrap();
        drop(client);
        match read(&server, MAX_HEADER).await {
            Read::Broken {
                message: Some(message),
                ..
            } => assert_eq!(message, broken_header(b"PROXY TCP4 1.2")),
            other => panic!("{other:?}"),
        }
    }
}
