//! The runner's HTTP echo backends: what a case's `{BACKENDn}` placeholders
//! point at, so that proxy cases see exactly what a server sent upstream.
//!
//! Each server run of a case gets fresh backends on the same ports (so
//! nginx and rginx meet identical backends at identical addresses, and no
//! port needs normalising). A backend answers every request with
//! `200 OK`, `Content-Type: text/plain` and a Content-Length body that
//! reports what it received:
//!
//! ```text
//! backend 1
//! GET /x HTTP/1.0\r
//! Host: 127.0.0.1:20001\r
//! Connection: close\r
//! \r
//! [body: 3 bytes]
//! abc
//! ```
//!
//! that is its number, the request line and header lines exactly as they
//! arrived (order, case and line endings kept), and the body bytes as they
//! arrived (a chunked body with its chunk framing). It keeps a connection
//! alive as HTTP/1.1 does, and closes after an HTTP/1.0 request or
//! `Connection: close`.
//!
//! Path segments starting with `__` in the request target provoke proxy
//! behaviour:
//!
//! - `__status/CODE` answers CODE (reason phrase from the usual table,
//!   `Custom Reason` for codes outside it);
//! - `__close` closes without answering;
//! - `__slow/MS` waits MS milliseconds before answering;
//! - `__redirect/PATH...` answers 302 with `Location:` and `Refresh:`
//!   naming `http://127.0.0.1:PORT/PATH...` (this backend's address and
//!   the rest of the path);
//! - `__cookie` adds `Set-Cookie: id=1; Domain=127.0.0.1; Path=/b/; HttpOnly`;
//! - `__headers` adds `X-Secret`, `X-Pad`, `X-Powered-By` and
//!   `X-Accel-Expires` headers;
//! - `__chunked` sends the body chunked (to an HTTP/1.1 request; to 1.0 it
//!   is delimited by the close);
//! - `__nolength` sends no Content-Length and closes after the body;
//! - `__onN` makes the next special segment apply to backend N only (e.g.
//!   `/__on1/__status/502/x`: backend 1 answers 502, the others 200).
//!
//! Every response also carries `Server: echo-backend`, `X-Backend: N` and
//! `x-lower-case: as-sent` (a name a proxy must pass on as spelled).

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// How long a backend waits for the rest of a request.
const READ_TIMEOUT: Duration = Duration::from_secs(10);
const MAX_HEAD: usize = 64 * 1024;
const MAX_BODY: usize = 16 * 1024 * 1024;

/// Running backends; `stop` (or drop) ends them.
pub struct Backends {
    running: Vec<Backend>,
}

/// A backend's open connections (a handle to shut each down) and threads.
type Connections = Arc<Mutex<Vec<(TcpStream, JoinHandle<()>)>>>;

struct Backend {
    port: u16,
    stopping: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
    connections: Connections,
}

/// Starts backend n (1-based) on `ports[n - 1]` of 127.0.0.1. An error
/// (e.g. `AddrInUse`) leaves nothing running.
pub fn start(ports: &[u16]) -> io::Result<Backends> {
    let mut backends = Backends {
        running: Vec::new(),
    };
    for (index, &port) in ports.iter().enumerate() {
        backends.running.push(Backend::start(index + 1, port)?);
    }
    Ok(backends)
}

impl Backends {
    /// Stops accepting, closes every connection, waits for every thread.
    pub fn stop(mut self) {
        self.stop_all();
    }

    fn stop_all(&mut self) {
        for backend in &mut self.running {
            backend.stop();
        }
        self.running.clear();
    }
}

impl Drop for Backends {
    fn drop(&mut self) {
        self.stop_all();
    }
}

impl Backend {
    fn start(number: usize, port: u16) -> io::Result<Backend> {
        let listener = TcpListener::bind(("127.0.0.1", port))?;
        let stopping = Arc::new(AtomicBool::new(false));
        let connections: Connections = Arc::new(Mutex::new(Vec::new()));
        let accept = {
            let stopping = Arc::clone(&stopping);
            let connections = Arc::clone(&connections);
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stopping.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else {
                        continue;
                    };
                    let Ok(handle) = stream.try_clone() else {
                        continue;
                    };
                    let thread = std::thread::spawn(move || serve_connection(number, port, stream));
                    connections
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push((handle, thread));
                }
            })
        };
        Ok(Backend {
            port,
            stopping,
            accept: Some(accept),
            connections,
        })
    }

    fn stop(&mut self) {
        self.stopping.store(true, Ordering::SeqCst);
        // Wakes the accept loop, which then sees the flag.
        let addr = SocketAddr::from(([127, 0, 0, 1], self.port));
        let _ = TcpStream::connect_timeout(&addr, Duration::from_secs(1));
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
        let connections =
            std::mem::take(&mut *self.connections.lock().unwrap_or_else(|e| e.into_inner()));
        for (stream, thread) in connections {
            let _ = stream.shutdown(Shutdown::Both);
            let _ = thread.join();
        }
    }
}

/// One request as received.
#[derive(Debug, PartialEq, Eq)]
struct Received {
    /// Request line and header lines, up to and including the empty line.
    head: Vec<u8>,
    method: Vec<u8>,
    target: Vec<u8>,
    version: Vec<u8>,
    /// (name, value) of each header line.
    headers: Vec<(Vec<u8>, Vec<u8>)>,
    /// The body bytes as they arrived.
    body: Vec<u8>,
}

impl Received {
    fn header(&self, name: &str) -> Option<&[u8]> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name.as_bytes()))
            .map(|(_, v)| v.as_slice())
    }

    fn keep_alive(&self) -> bool {
        let connection = self.header("Connection").unwrap_or_default();
        let has = |token: &[u8]| {
            connection
                .split(|&b| b == b',')
                .any(|t| t.trim_ascii().eq_ignore_ascii_case(token))
        };
        if self.version == b"HTTP/1.1" {
            !has(b"close")
        } else {
            has(b"keep-alive")
        }
    }
}

fn serve_connection(number: usize, port: u16, mut stream: TcpStream) {
    let _ = stream.set_read_timeout(Some(READ_TIMEOUT));
    let _ = stream.set_nodelay(true);
    let mut buf = Vec::new();
    loop {
        let request = match read_request(&mut stream, &mut buf) {
            Ok(Some(request)) => request,
            Ok(None) | Err(_) => return,
        };
        let plan = Plan::of(&request.target, number);
        if plan.close {
            let _ = stream.shutdown(Shutdown::Both);
            return;
        }
        if let Some(wait) = plan.slow {
            std::thread::sleep(wait);
        }
        let keep_alive = request.keep_alive() && !plan.no_length;
        let response = respond(number, port, &request, &plan, keep_alive);
        if stream.write_all(&response).is_err() || !keep_alive {
            let _ = stream.shutdown(Shutdown::Write);
            // Drain what the client still sends so that the close is a FIN,
            // not a reset that could eat the response.
            let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
            let mut sink = [0u8; 4096];
            while matches!(stream.read(&mut sink), Ok(n) if n > 0) {}
            return;
        }
    }
}

/// Reads one request; `None` when the connection closes before one starts.
fn read_request(stream: &mut TcpStream, buf: &mut Vec<u8>) -> io::Result<Option<Received>> {
    let head_len = loop {
        if let Some(end) = head_end(buf) {
            break end;
        }
        if buf.len() > MAX_HEAD {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "head too long"));
        }
        if !fill(stream, buf)? {
            return if buf.is_empty() {
                Ok(None)
            } else {
                Err(io::ErrorKind::UnexpectedEof.into())
            };
        }
    };
    let head: Vec<u8> = buf.drain(..head_len).collect();
    let mut lines = head
        .split(|&b| b == b'\n')
        .map(|line| line.strip_suffix(b"\r").unwrap_or(line));
    let request_line = lines.next().unwrap_or_default();
    let mut parts = request_line.split(|&b| b == b' ');
    let method = parts.next().unwrap_or_default().to_vec();
    let target = parts.next().unwrap_or_default().to_vec();
    let version = parts.next().unwrap_or_default().to_vec();
    let headers = lines
        .filter(|line| !line.is_empty())
        .map(|line| match line.iter().position(|&b| b == b':') {
            Some(colon) => (
                line[..colon].to_vec(),
                line[colon + 1..].trim_ascii().to_vec(),
            ),
            None => (line.to_vec(), Vec::new()),
        })
        .collect();
    let mut request = Received {
        head,
        method,
        target,
        version,
        headers,
        body: Vec::new(),
    };
    let chunked = request.header("Transfer-Encoding").is_some_and(|te| {
        te.split(|&b| b == b',')
            .any(|t| t.trim_ascii().eq_ignore_ascii_case(b"chunked"))
    });
    if chunked {
        request.body = read_chunked(stream, buf)?;
    } else if let Some(length) = request
        .header("Content-Length")
        .and_then(|v| std::str::from_utf8(v).ok())
        .and_then(|v| v.parse::<usize>().ok())
    {
        if length > MAX_BODY {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "body too long"));
        }
        need(stream, buf, length)?;
        request.body = buf.drain(..length).collect();
    }
    Ok(Some(request))
}

/// A chunked body with its framing, up to the end of its trailers.
fn read_chunked(stream: &mut TcpStream, buf: &mut Vec<u8>) -> io::Result<Vec<u8>> {
    let bad = |what: &str| io::Error::new(io::ErrorKind::InvalidData, what.to_string());
    let mut at = 0;
    loop {
        let line_end = loop {
            if let Some(end) = buf[at..].iter().position(|&b| b == b'\n') {
                break at + end + 1;
            }
            if buf.len() - at > 1024 {
                return Err(bad("chunk size line too long"));
            }
            if !fill(stream, buf)? {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
        };
        let line = String::from_utf8_lossy(&buf[at..line_end]).into_owned();
        let size_text = line.trim_end().split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size_text, 16).map_err(|_| bad("bad chunk size"))?;
        at = line_end;
        if size == 0 {
            break;
        }
        if at + size > MAX_BODY {
            return Err(bad("body too long"));
        }
        need(stream, buf, at + size + 2)?;
        at += size + 2;
    }
    // Trailers, up to the empty line.
    loop {
        let line_end = loop {
            if let Some(end) = buf[at..].iter().position(|&b| b == b'\n') {
                break at + end + 1;
            }
            if buf.len() - at > MAX_HEAD {
                return Err(bad("trailers too long"));
            }
            if !fill(stream, buf)? {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
        };
        let empty = matches!(&buf[at..line_end], b"\r\n" | b"\n");
        at = line_end;
        if empty {
            break;
        }
    }
    Ok(buf.drain(..at).collect())
}

/// Reads more; `false` on close.
fn fill(stream: &mut TcpStream, buf: &mut Vec<u8>) -> io::Result<bool> {
    let mut chunk = [0u8; 16 * 1024];
    loop {
        match stream.read(&mut chunk) {
            Ok(0) => return Ok(false),
            Ok(n) => {
                buf.extend_from_slice(&chunk[..n]);
                return Ok(true);
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
}

fn need(stream: &mut TcpStream, buf: &mut Vec<u8>, n: usize) -> io::Result<()> {
    while buf.len() < n {
        if !fill(stream, buf)? {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
    }
    Ok(())
}

/// Where the head ends (after its empty line), CRLF or bare LF.
fn head_end(buf: &[u8]) -> Option<usize> {
    let mut line_start = 0;
    for (i, &b) in buf.iter().enumerate() {
        if b == b'\n' {
            let line = &buf[line_start..i];
            if line.is_empty() || line == b"\r" {
                // Empty lines before a request line are skipped by servers;
                // a proxy never sends them.
                if line_start == 0 {
                    line_start = i + 1;
                    continue;
                }
                return Some(i + 1);
            }
            line_start = i + 1;
        }
    }
    None
}

/// What the special segments of a target ask for.
#[derive(Debug, Default, PartialEq, Eq)]
struct Plan {
    status: Option<u16>,
    close: bool,
    slow: Option<Duration>,
    /// The path after `__redirect`.
    redirect: Option<String>,
    cookie: bool,
    headers: bool,
    chunked: bool,
    no_length: bool,
}

impl Plan {
    fn of(target: &[u8], number: usize) -> Plan {
        let target = String::from_utf8_lossy(target);
        let path = target.split('?').next().unwrap_or_default();
        let segments: Vec<&str> = path.split('/').collect();
        let mut plan = Plan::default();
        let mut only: Option<usize> = None;
        let mut i = 0;
        while i < segments.len() {
            let segment = segments[i];
            i += 1;
            if let Some(n) = segment.strip_prefix("__on") {
                only = n.parse().ok();
                continue;
            }
            let applies = only.is_none_or(|n| n == number);
            if segment.starts_with("__") {
                only = None;
            }
            let next = segments.get(i).copied().unwrap_or_default();
            match segment {
                "__status" => {
                    i += 1;
                    if applies {
                        plan.status = next.parse().ok().filter(|c| (100..1000).contains(c));
                    }
                }
                "__slow" => {
                    i += 1;
                    if applies {
                        plan.slow = next.parse().ok().map(Duration::from_millis);
                    }
                }
                "__redirect" => {
                    if applies {
                        plan.redirect = Some(format!("/{}", segments[i..].join("/")));
                    }
                    break;
                }
                "__close" => plan.close |= applies,
                "__cookie" => plan.cookie |= applies,
                "__headers" => plan.headers |= applies,
                "__chunked" => plan.chunked |= applies,
                "__nolength" => plan.no_length |= applies,
                _ => {}
            }
        }
        plan
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Custom Reason",
    }
}

/// The whole response to `request`.
fn respond(number: usize, port: u16, request: &Received, plan: &Plan, keep_alive: bool) -> Vec<u8> {
    let mut body = format!("backend {number}\n").into_bytes();
    body.extend_from_slice(&request.head);
    body.extend_from_slice(format!("[body: {} bytes]\n", request.body.len()).as_bytes());
    body.extend_from_slice(&request.body);
    if !request.body.is_empty() && !request.body.ends_with(b"\n") {
        body.push(b'\n');
    }
    let status = if plan.redirect.is_some() {
        plan.status.unwrap_or(302)
    } else {
        plan.status.unwrap_or(200)
    };
    let mut head = format!(
        "HTTP/1.1 {status} {}\r\nServer: echo-backend\r\nX-Backend: {number}\r\n\
         x-lower-case: as-sent\r\nContent-Type: text/plain\r\n",
        reason(status)
    );
    if let Some(path) = &plan.redirect {
        head.push_str(&format!(
            "Location: http://127.0.0.1:{port}{path}\r\nRefresh: 5; url=http://127.0.0.1:{port}{path}\r\n"
        ));
    }
    if plan.cookie {
        head.push_str("Set-Cookie: id=1; Domain=127.0.0.1; Path=/b/; HttpOnly\r\n");
    }
    if plan.headers {
        head.push_str(
            "X-Secret: s3cr3t\r\nX-Pad: padding\r\nX-Powered-By: echo\r\nX-Accel-Expires: 60\r\n",
        );
    }
    let bodiless = status < 200 || status == 204 || status == 304;
    let head_request = request.method == b"HEAD";
    let chunked = plan.chunked && request.version == b"HTTP/1.1" && !bodiless;
    let keep_alive = keep_alive && (!plan.chunked || chunked);
    if bodiless {
        body.clear();
    } else if chunked {
        head.push_str("Transfer-Encoding: chunked\r\n");
    } else if !plan.no_length && !plan.chunked {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    if !keep_alive {
        head.push_str("Connection: close\r\n");
    }
    head.push_str("\r\n");
    let mut out = head.into_bytes();
    if head_request || bodiless {
        return out;
    }
    if chunked {
        // Two chunks, to show a proxy's handling of more than one.
        let half = body.len() / 2;
        for part in [&body[..half], &body[half..]] {
            if !part.is_empty() {
                out.extend_from_slice(format!("{:x}\r\n", part.len()).as_bytes());
                out.extend_from_slice(part);
                out.extend_from_slice(b"\r\n");
            }
        }
        out.extend_from_slice(b"0\r\n\r\n");
    } else {
        out.extend_from_slice(&body);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exchange(port: u16, request: &[u8]) -> Vec<u8> {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        stream.write_all(request).unwrap();
        let mut out = Vec::new();
        let _ = stream.read_to_end(&mut out);
        out
    }

    fn free_port() -> u16 {
        TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port()
    }

    #[test]
    fn echoes_what_it_received() {
        let port = free_port();
        let backends = start(&[port]).unwrap();
        let out = exchange(
            port,
            b"POST /a?b HTTP/1.0\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc",
        );
        let text = String::from_utf8(out).unwrap();
        let body = "backend 1\nPOST /a?b HTTP/1.0\r\nHost: x\r\nContent-Length: 3\r\n\r\n\
                    [body: 3 bytes]\nabc\n";
        assert_eq!(
            text,
            format!(
                "HTTP/1.1 200 OK\r\nServer: echo-backend\r\nX-Backend: 1\r\n\
                 x-lower-case: as-sent\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\
                 Connection: close\r\n\r\n{body}",
                body.len()
            )
        );
        // Keep-alive, a chunked body, then a close.
        let out = exchange(
            port,
            b"POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\n\r\n\
              GET /__status/299 HTTP/1.1\r\nConnection: close\r\n\r\n",
        );
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.contains("[body: 12 bytes]\n2\r\nab\r\n0\r\n\r\nHTTP"),
            "{text}"
        );
        assert!(text.contains("HTTP/1.1 299 Custom Reason\r\n"), "{text}");
        assert_eq!(text.matches("HTTP/1.1 ").count(), 2, "{text}");
        backends.stop();
    }

    #[test]
    fn special_paths() {
        assert_eq!(
            Plan::of(b"/x/__on2/__status/502/y?a=/__close", 1),
            Plan::default()
        );
        assert_eq!(
            Plan::of(b"/x/__on2/__status/502/__slow/10", 2),
            Plan {
                status: Some(502),
                slow: Some(Duration::from_millis(10)),
                ..Plan::default()
            }
        );
        assert_eq!(
            Plan::of(b"/b/__redirect/b/c/", 1).redirect.as_deref(),
            Some("/b/c/")
        );
        let port = free_port();
        let backends = start(&[port, free_port()]).unwrap();
        assert!(exchange(port, b"GET /__close HTTP/1.1\r\n\r\n").is_empty());
        let text = String::from_utf8(exchange(
            port,
            b"GET /__chunked HTTP/1.1\r\nConnection: close\r\n\r\n",
        ))
        .unwrap();
        assert!(text.contains("Transfer-Encoding: chunked\r\n"), "{text}");
        assert!(text.ends_with("\r\n0\r\n\r\n"), "{text}");
        let text =
            String::from_utf8(exchange(port, b"GET /__redirect/q HTTP/1.0\r\n\r\n")).unwrap();
        assert!(
            text.contains(&format!("Location: http://127.0.0.1:{port}/q\r\n")),
            "{text}"
        );
        backends.stop();
    }
}
