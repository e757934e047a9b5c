//! A deliberately dumb HTTP/1.x client: it writes the case's bytes as they
//! are and reads back whatever the server sends, delimiting responses the way
//! RFC 9112 says (HEAD/1xx/204/304 bodiless, chunked, Content-Length, else
//! until close). Every wait is bounded so that a server that hangs fails a
//! case instead of the suite.
//!
//! A request marked `tls` goes over TLS (rustls, any certificate accepted,
//! with the request's SNI name or none): the bytes inside are the same.

use crate::http::case::{Mode, Request, Tls};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, ClientConnection, DigitallySignedStruct, SignatureScheme, StreamOwned};
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

/// How long one response may take to arrive completely.
pub const RESPONSE_TIMEOUT: Duration = Duration::from_secs(5);
/// How long to wait for the close a response announced.
const CLOSE_WAIT: Duration = Duration::from_secs(2);
/// How long a connection must stay open after a keep-alive response to count
/// as kept alive.
const OPEN_WAIT: Duration = Duration::from_millis(150);
const MAX_HEAD: usize = 64 * 1024;
const MAX_BODY: usize = 16 * 1024 * 1024;

/// One response as received.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Response {
    /// The status line, without its line ending.
    pub status_line: Vec<u8>,
    pub status: u16,
    /// Header lines as sent, without line endings (`bare_lf` marks lines
    /// that ended in a lone LF).
    pub headers: Vec<HeaderLine>,
    pub body: Vec<u8>,
    pub chunked: bool,
    pub trailers: Vec<HeaderLine>,
    /// Framing trouble (truncated body, bad chunk size...).
    pub framing_error: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HeaderLine {
    pub raw: Vec<u8>,
    pub bare_lf: bool,
}

impl HeaderLine {
    pub fn name(&self) -> &[u8] {
        match self.raw.iter().position(|&b| b == b':') {
            Some(colon) => &self.raw[..colon],
            None => &self.raw,
        }
    }

    pub fn value(&self) -> &[u8] {
        match self.raw.iter().position(|&b| b == b':') {
            Some(colon) => self.raw[colon + 1..].trim_ascii(),
            None => b"",
        }
    }
}

impl Response {
    /// The first header of that name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&[u8]> {
        self.headers
            .iter()
            .find(|h| h.name().eq_ignore_ascii_case(name.as_bytes()))
            .map(HeaderLine::value)
    }

    /// Whether the server said it closes the connection after this response.
    pub fn announces_close(&self) -> bool {
        let connection = self.header("Connection").unwrap_or_default();
        if connection.eq_ignore_ascii_case(b"close") {
            return true;
        }
        self.status_line.starts_with(b"HTTP/1.0") && !connection.eq_ignore_ascii_case(b"keep-alive")
    }
}

/// The state of the connection once a request's exchange is over.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum After {
    /// The response was followed by more requests on the same connection:
    /// nothing was checked.
    Continued,
    /// The connection was still open after the wait.
    Open,
    /// The server closed (FIN or reset).
    Closed,
    /// The server sent bytes nobody asked for.
    Extra(Vec<u8>),
}

/// Everything one request got back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exchange {
    /// 1xx interim responses, then the final one.
    pub responses: Vec<Response>,
    /// Set when no (complete) final response came.
    pub failure: Option<Failure>,
    pub after: After,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// Closed (or reset) before a response; the bytes received, if any.
    Closed(Vec<u8>),
    TimedOut(Vec<u8>),
    /// The request could not even be sent (connection refused or reset).
    NotSent(String),
    /// Bytes that are no HTTP response.
    Garbage(Vec<u8>),
}

impl Exchange {
    pub fn final_response(&self) -> Option<&Response> {
        self.responses.last().filter(|r| r.status >= 200)
    }

    fn failed(failure: Failure) -> Exchange {
        Exchange {
            responses: Vec::new(),
            failure: Some(failure),
            after: After::Closed,
        }
    }
}

/// Sends the requests to `ports` (request `port` n is `ports[n - 1]`) as
/// `mode` says, and returns one exchange per request.
pub fn run(requests: &[Request], mode: Mode, ports: &[u16]) -> Vec<Exchange> {
    let addr = |request: &Request| -> Option<SocketAddr> {
        let port = *ports.get(request.port - 1)?;
        Some(SocketAddr::from(([127, 0, 0, 1], port)))
    };
    match mode {
        Mode::Separate => requests
            .iter()
            .map(|request| match addr(request) {
                Some(addr) => one_connection(addr, std::slice::from_ref(request), false)
                    .pop()
                    .unwrap_or_else(|| Exchange::failed(Failure::NotSent("no result".into()))),
                None => Exchange::failed(Failure::NotSent("no such port".into())),
            })
            .collect(),
        Mode::KeepAlive | Mode::Pipeline => match requests.first().and_then(addr) {
            Some(addr) => one_connection(addr, requests, mode == Mode::Pipeline),
            None => vec![Exchange::failed(Failure::NotSent("no such port".into())); requests.len()],
        },
    }
}

/// All `requests` on one connection, one after another or pipelined.
fn one_connection(addr: SocketAddr, requests: &[Request], pipeline: bool) -> Vec<Exchange> {
    let mut results = Vec::new();
    let tls = requests.first().and_then(|r| r.tls.as_ref());
    let mut conn = match Conn::connect(addr, tls) {
        Ok(conn) => conn,
        Err(e) => {
            let failure = Failure::NotSent(format!("connect: {}", e.kind()));
            return vec![Exchange::failed(failure); requests.len()];
        }
    };
    if pipeline {
        let all: Vec<u8> = requests.iter().flat_map(|r| r.bytes.clone()).collect();
        if let Err(e) = conn.send(&all) {
            // The server may answer and close before reading everything; what
            // it answered is still readable, so go on.
            conn.send_error = Some(e.kind());
        }
    }
    for (index, request) in requests.iter().enumerate() {
        if conn.closed && conn.buf.is_empty() {
            results.push(Exchange::failed(Failure::Closed(Vec::new())));
            continue;
        }
        if !pipeline && let Err(e) = conn.send(&request.bytes) {
            conn.send_error = Some(e.kind());
        }
        let mut exchange = conn.read_exchange(request.is_head());
        if exchange.after == After::Continued && conn.closed && conn.buf.is_empty() {
            // A body delimited by the close: the close was seen.
            exchange.after = After::Closed;
        }
        let last = index + 1 == requests.len();
        if exchange.failure.is_none() && last {
            let announced = exchange
                .final_response()
                .is_some_and(Response::announces_close);
            exchange.after = conn.probe(announced);
        }
        results.push(exchange);
    }
    results
}

/// The bytes of a connection: plain TCP or TLS over it.
enum Stream {
    Plain(TcpStream),
    Tls(Box<StreamOwned<ClientConnection, TcpStream>>),
}

impl Stream {
    fn tcp(&self) -> &TcpStream {
        match self {
            Stream::Plain(tcp) => tcp,
            Stream::Tls(tls) => tls.get_ref(),
        }
    }
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Stream::Plain(tcp) => tcp.read(buf),
            Stream::Tls(tls) => tls.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Stream::Plain(tcp) => tcp.write(buf),
            Stream::Tls(tls) => tls.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Stream::Plain(tcp) => tcp.flush(),
            Stream::Tls(tls) => tls.flush(),
        }
    }
}

/// Accepts every certificate: the cases test servers, not their
/// certificates.
#[derive(Debug)]
struct AnyCertificate(Vec<SignatureScheme>);

impl ServerCertVerifier for AnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        _message: &[u8],
        _cert: &CertificateDer<'_>,
        _dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        Ok(HandshakeSignatureValid::assertion())
    }

    fn verify_tls13_signature(
        &self,
        _message: &[u8],
        _cert: &CertificateDer<'_>,
        _dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        Ok(HandshakeSignatureValid::assertion())
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.clone()
    }
}

/// The client's TLS configuration: TLS 1.2 and 1.3, no ALPN, any
/// certificate.
fn tls_config() -> io::Result<Arc<ClientConfig>> {
    static CONFIG: OnceLock<Result<Arc<ClientConfig>, String>> = OnceLock::new();
    CONFIG
        .get_or_init(|| {
            let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
            let schemes = provider
                .signature_verification_algorithms
                .supported_schemes();
            let config = ClientConfig::builder_with_provider(provider)
                .with_protocol_versions(rustls::ALL_VERSIONS)
                .map_err(|e| e.to_string())?
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(AnyCertificate(schemes)))
                .with_no_client_auth();
            Ok(Arc::new(config))
        })
        .clone()
        .map_err(io::Error::other)
}

/// A connection with what has been read and not yet used.
struct Conn {
    stream: Stream,
    buf: Vec<u8>,
    closed: bool,
    send_error: Option<io::ErrorKind>,
}

impl Conn {
    fn connect(addr: SocketAddr, tls: Option<&Tls>) -> io::Result<Conn> {
        let tcp = TcpStream::connect_timeout(&addr, RESPONSE_TIMEOUT)?;
        tcp.set_nodelay(true)?;
        // The TLS handshake reads while the first request is written.
        tcp.set_read_timeout(Some(RESPONSE_TIMEOUT))?;
        let stream = match tls {
            None => Stream::Plain(tcp),
            Some(tls) => {
                let name = match &tls.sni {
                    Some(name) => ServerName::try_from(name.clone())
                        .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?,
                    // An address is never sent as SNI.
                    None => ServerName::from(addr.ip()),
                };
                let connection = ClientConnection::new(tls_config()?, name)
                    .map_err(|e| io::Error::other(e.to_string()))?;
                Stream::Tls(Box::new(StreamOwned::new(connection, tcp)))
            }
        };
        Ok(Conn {
            stream,
            buf: Vec::new(),
            closed: false,
            send_error: None,
        })
    }

    fn send(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.stream
            .tcp()
            .set_write_timeout(Some(RESPONSE_TIMEOUT))?;
        self.stream.write_all(bytes)?;
        self.stream.flush()
    }

    /// Reads more bytes before `deadline`. `Ok(false)`: the peer closed.
    fn fill(&mut self, deadline: Instant) -> io::Result<bool> {
        if self.closed {
            return Ok(false);
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::ErrorKind::TimedOut.into());
        }
        self.stream.tcp().set_read_timeout(Some(left))?;
        let mut chunk = [0u8; 16 * 1024];
        loop {
            match self.stream.read(&mut chunk) {
                Ok(0) => {
                    self.closed = true;
                    return Ok(false);
                }
                Ok(n) => {
                    self.buf.extend_from_slice(&chunk[..n]);
                    return Ok(true);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) if is_timeout(&e) => return Err(io::ErrorKind::TimedOut.into()),
                // A reset is the server closing, as far as the wire shows.
                Err(_) => {
                    self.closed = true;
                    return Ok(false);
                }
            }
        }
    }

    /// Makes sure `n` bytes are buffered; `Ok(false)` when the peer closed first.
    fn need(&mut self, n: usize, deadline: Instant) -> io::Result<bool> {
        while self.buf.len() < n {
            if !self.fill(deadline)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Reads up to and including the next CRLF (or LF); `None` on close.
    fn line(&mut self, deadline: Instant, limit: usize) -> io::Result<Option<Vec<u8>>> {
        let mut scanned = 0;
        loop {
            if let Some(at) = self.buf[scanned..].iter().position(|&b| b == b'\n') {
                let line: Vec<u8> = self.buf.drain(..scanned + at + 1).collect();
                return Ok(Some(line));
            }
            scanned = self.buf.len();
            if scanned > limit {
                return Err(io::Error::new(io::ErrorKind::InvalidData, "line too long"));
            }
            if !self.fill(deadline)? {
                return Ok(None);
            }
        }
    }

    /// One request's responses: interim ones, then a final one.
    fn read_exchange(&mut self, head_request: bool) -> Exchange {
        let deadline = Instant::now() + RESPONSE_TIMEOUT;
        let mut responses = Vec::new();
        loop {
            match self.read_response(head_request, deadline) {
                Ok(response) => {
                    let interim = response.status < 200;
                    let broken = response.framing_error.is_some();
                    responses.push(response);
                    if broken {
                        // Where the next response starts is unknown.
                        self.closed = true;
                        self.buf.clear();
                        let _ = self.stream.tcp().shutdown(Shutdown::Both);
                        return Exchange {
                            responses,
                            failure: None,
                            after: After::Closed,
                        };
                    }
                    if !interim {
                        return Exchange {
                            responses,
                            failure: None,
                            after: After::Continued,
                        };
                    }
                }
                Err(failure) => {
                    self.closed = true;
                    self.buf.clear();
                    let _ = self.stream.tcp().shutdown(Shutdown::Both);
                    return Exchange {
                        responses,
                        failure: Some(failure),
                        after: After::Closed,
                    };
                }
            }
        }
    }

    fn read_response(
        &mut self,
        head_request: bool,
        deadline: Instant,
    ) -> Result<Response, Failure> {
        let head = self.read_head(deadline)?;
        let mut lines = split_lines(&head);
        let Some(status_line) = lines.first().cloned() else {
            return Err(Failure::Garbage(head));
        };
        lines.remove(0);
        let status =
            parse_status(&status_line.raw).ok_or_else(|| Failure::Garbage(head.clone()))?;
        let mut response = Response {
            status_line: status_line.raw,
            status,
            headers: lines,
            ..Response::default()
        };
        if status < 200 || status == 204 || status == 304 || head_request {
            return Ok(response);
        }
        let chunked = response.header("Transfer-Encoding").is_some_and(|te| {
            te.split(|&b| b == b',')
                .any(|part| part.trim_ascii().eq_ignore_ascii_case(b"chunked"))
        });
        let result = if chunked {
            response.chunked = true;
            self.read_chunked(&mut response, deadline)
        } else if let Some(length) = response
            .header("Content-Length")
            .and_then(|v| std::str::from_utf8(v).ok())
            .and_then(|v| v.parse::<usize>().ok())
        {
            self.read_length(&mut response, length, deadline)
        } else {
            self.read_to_close(&mut response, deadline)
        };
        if let Err(message) = result {
            response.framing_error = Some(message);
        }
        Ok(response)
    }

    /// Status line and headers, up to the empty line.
    fn read_head(&mut self, deadline: Instant) -> Result<Vec<u8>, Failure> {
        loop {
            if let Some(end) = head_end(&self.buf) {
                return Ok(self.buf.drain(..end).collect());
            }
            if self.buf.len() > MAX_HEAD {
                return Err(Failure::Garbage(std::mem::take(&mut self.buf)));
            }
            match self.fill(deadline) {
                Ok(true) => {}
                Ok(false) => return Err(Failure::Closed(std::mem::take(&mut self.buf))),
                Err(_) => return Err(Failure::TimedOut(std::mem::take(&mut self.buf))),
            }
        }
    }

    fn read_length(
        &mut self,
        response: &mut Response,
        length: usize,
        deadline: Instant,
    ) -> Result<(), String> {
        if length > MAX_BODY {
            return Err(format!(
                "Content-Length {length} is past the client's limit"
            ));
        }
        let complete = self
            .need(length, deadline)
            .map_err(|_| format!("timed out with {} of {length} body bytes", self.buf.len()))?;
        let take = length.min(self.buf.len());
        response.body = self.buf.drain(..take).collect();
        if complete {
            Ok(())
        } else {
            Err(format!("closed after {take} of {length} body bytes"))
        }
    }

    fn read_to_close(&mut self, response: &mut Response, deadline: Instant) -> Result<(), String> {
        loop {
            if self.buf.len() > MAX_BODY {
                return Err("body past the client's limit".to_string());
            }
            match self.fill(deadline) {
                Ok(true) => {}
                Ok(false) => break,
                Err(_) => {
                    response.body = std::mem::take(&mut self.buf);
                    return Err("timed out reading a body delimited by close".to_string());
                }
            }
        }
        response.body = std::mem::take(&mut self.buf);
        Ok(())
    }

    fn read_chunked(&mut self, response: &mut Response, deadline: Instant) -> Result<(), String> {
        let fail = |what: &str| format!("chunked body: {what}");
        loop {
            let line = self
                .line(deadline, 1024)
                .map_err(|_| fail("no chunk size line"))?
                .ok_or_else(|| fail("closed before a chunk size"))?;
            let text = String::from_utf8_lossy(&line);
            let size_text = text.trim_end().split(';').next().unwrap_or_default().trim();
            let size = usize::from_str_radix(size_text, 16)
                .map_err(|_| fail(&format!("bad chunk size {size_text:?}")))?;
            if size == 0 {
                break;
            }
            if response.body.len() + size > MAX_BODY {
                return Err(fail("past the client's limit"));
            }
            let complete = self
                .need(size + 2, deadline)
                .map_err(|_| fail("timed out in a chunk"))?;
            if !complete {
                return Err(fail("closed in a chunk"));
            }
            response.body.extend(self.buf.drain(..size));
            let crlf: Vec<u8> = self.buf.drain(..2).collect();
            if crlf != b"\r\n" {
                return Err(fail("chunk data not followed by CRLF"));
            }
        }
        // Trailers, up to the empty line.
        loop {
            let line = self
                .line(deadline, MAX_HEAD)
                .map_err(|_| fail("timed out in trailers"))?
                .ok_or_else(|| fail("closed in trailers"))?;
            if line == b"\r\n" || line == b"\n" {
                return Ok(());
            }
            response.trailers.extend(split_lines(&line));
        }
    }

    /// After a connection's last response: does the server close it? When
    /// the response announced a close, wait for it; otherwise check that the
    /// connection stays open for a moment.
    fn probe(&mut self, announced_close: bool) -> After {
        if !self.buf.is_empty() {
            return After::Extra(std::mem::take(&mut self.buf));
        }
        if self.closed {
            return After::Closed;
        }
        let wait = if announced_close {
            CLOSE_WAIT
        } else {
            OPEN_WAIT
        };
        match self.fill(Instant::now() + wait) {
            Ok(true) => After::Extra(std::mem::take(&mut self.buf)),
            Ok(false) => After::Closed,
            Err(_) => After::Open,
        }
    }
}

fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

/// Where the header block ends (after its empty line), CRLF or bare LF.
fn head_end(buf: &[u8]) -> Option<usize> {
    let mut line_start = 0;
    for (i, &b) in buf.iter().enumerate() {
        if b == b'\n' {
            let line = &buf[line_start..i];
            if line.is_empty() || line == b"\r" {
                return Some(i + 1);
            }
            line_start = i + 1;
        }
    }
    None
}

/// Splits a header block into lines, dropping the final empty one.
fn split_lines(head: &[u8]) -> Vec<HeaderLine> {
    head.split_inclusive(|&b| b == b'\n')
        .filter_map(|line| {
            let (line, bare_lf) = match line.strip_suffix(b"\r\n") {
                Some(line) => (line, false),
                None => (line.strip_suffix(b"\n").unwrap_or(line), true),
            };
            (!line.is_empty()).then(|| HeaderLine {
                raw: line.to_vec(),
                bare_lf,
            })
        })
        .collect()
}

/// `HTTP/1.1 404 Not Found` -> 404.
fn parse_status(line: &[u8]) -> Option<u16> {
    let rest = line.strip_prefix(b"HTTP/")?;
    let space = rest.iter().position(|&b| b == b' ')?;
    let code = rest.get(space + 1..space + 4)?;
    std::str::from_utf8(code).ok()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::case::Request;
    use std::net::TcpListener;

    /// A one-connection server that reads once, answers `reply` and closes
    /// (or keeps the socket for `hold`).
    fn canned(reply: &'static [u8], hold: Duration) -> u16 {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            let (mut s, _) = listener.accept().unwrap();
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf);
            let _ = s.write_all(reply);
            std::thread::sleep(hold);
        });
        port
    }

    fn request(bytes: &[u8]) -> Request {
        Request {
            bytes: bytes.to_vec(),
            port: 1,
            expect: None,
            tls: None,
        }
    }

    #[test]
    fn pipelined_responses_are_delimited_by_length_and_chunks() {
        let port = canned(
            b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc\
              HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nde\r\n1;x=y\r\nf\r\n0\r\nT: 1\r\n\r\n\
              HTTP/1.1 404 Not Found\r\nContent-Length: 10\r\n\r\n\
              HTTP/1.0 200 OK\r\n\r\nto the end",
            Duration::ZERO,
        );
        let requests = [
            request(b"GET /a HTTP/1.1\r\n\r\n"),
            request(b"GET /b HTTP/1.1\r\n\r\n"),
            request(b"HEAD /c HTTP/1.1\r\n\r\n"),
            request(b"GET /d HTTP/1.1\r\n\r\n"),
            request(b"GET /e HTTP/1.1\r\n\r\n"),
        ];
        let results = run(&requests, Mode::Pipeline, &[port]);
        assert_eq!(results.len(), 5);
        assert_eq!(results[0].responses.len(), 2);
        assert_eq!(results[0].responses[0].status, 100);
        assert_eq!(results[0].responses[1].body, b"abc");
        let chunked = &results[1].responses[0];
        assert!(chunked.chunked);
        assert_eq!(chunked.body, b"def");
        assert_eq!(chunked.trailers[0].raw, b"T: 1");
        assert_eq!(results[2].responses[0].status, 404);
        assert!(results[2].responses[0].body.is_empty());
        assert_eq!(results[3].responses[0].body, b"to the end");
        assert_eq!(results[3].after, After::Closed);
        assert_eq!(results[4].failure, Some(Failure::Closed(Vec::new())));
    }

    #[test]
    fn kept_open_and_truncated_and_silent_connections() {
        let port = canned(
            b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
            Duration::from_secs(2),
        );
        let results = run(
            &[request(b"GET / HTTP/1.1\r\n\r\n")],
            Mode::Separate,
            &[port],
        );
        assert_eq!(results[0].after, After::Open);
        assert_eq!(
            results[0].responses[0].header("content-length"),
            Some(&b"2"[..])
        );

        let port = canned(
            b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nshort",
            Duration::ZERO,
        );
        let results = run(
            &[request(b"GET / HTTP/1.1\r\n\r\n")],
            Mode::Separate,
            &[port],
        );
        assert_eq!(
            results[0].responses[0].framing_error.as_deref(),
            Some("closed after 5 of 9 body bytes")
        );

        let port = canned(b"", Duration::ZERO);
        let results = run(
            &[request(b"GET / HTTP/1.1\r\n\r\n")],
            Mode::Separate,
            &[port],
        );
        assert!(results[0].responses.is_empty());
        assert!(matches!(results[0].failure, Some(Failure::Closed(ref b)) if b.is_empty()));

        let port = canned(b"SSH-2.0-x\r\n\r\n", Duration::ZERO);
        let results = run(
            &[request(b"GET / HTTP/1.1\r\n\r\n")],
            Mode::Separate,
            &[port],
        );
        assert!(matches!(results[0].failure, Some(Failure::Garbage(_))));
    }

    #[test]
    fn header_lines_and_status() {
        let lines = split_lines(b"HTTP/1.1 200 OK\r\nA: 1\nB:2\r\n\r\n");
        assert_eq!(lines.len(), 3);
        assert!(lines[1].bare_lf);
        assert_eq!(lines[2].name(), b"B");
        assert_eq!(lines[2].value(), b"2");
        assert_eq!(parse_status(b"HTTP/1.1 404 Not Found"), Some(404));
        assert_eq!(parse_status(b"HTTP/1.1 4"), None);
        assert_eq!(head_end(b"HTTP/1.1 200 OK\r\n\r\nbody"), Some(19));
        assert_eq!(head_end(b"HTTP/1.1 200 OK\r\n"), None);
    }
}
