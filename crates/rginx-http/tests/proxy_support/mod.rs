//! Helpers for the proxy tests: small HTTP/1.x backends on std threads that
//! record what they receive and answer as told, an HTTP/1.1 client that
//! reads responses by their framing, and a way to run the real nginx on
//! the same configuration for differential checks.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A request as a backend received it.
#[derive(Clone, Debug, Default)]
pub struct Received {
    /// The request line.
    pub line: String,
    /// Header lines as sent (name and value).
    pub headers: Vec<(String, String)>,
    /// The body, de-chunked.
    pub body: Vec<u8>,
    /// The body was chunked on the wire.
    pub chunked: bool,
    /// Which connection of this backend it came on (0-based).
    pub connection: usize,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The request head lines after the request line, `Name: value` each.
    pub fn header_lines(&self) -> Vec<String> {
        self.headers
            .iter()
            .map(|(n, v)| format!("{n}: {v}"))
            .collect()
    }
}

/// What a handler answers: raw bytes, and whether to close afterwards.
pub struct Reply {
    pub bytes: Vec<u8>,
    pub close: bool,
    /// Wait before answering.
    pub delay: Duration,
}

impl Reply {
    /// A 200 with a body and Content-Length, keep-alive.
    pub fn ok(body: &[u8]) -> Reply {
        Reply::with_status(200, &[], body)
    }

    pub fn with_status(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Reply {
        // The canonical reason: rginx answers with nginx's phrase for the
        // status rather than the upstream's own.
        let reason = match status {
            200 => "OK",
            301 => "Moved Permanently",
            302 => "Found",
            404 => "Not Found",
            500 => "Internal Server Error",
            502 => "Bad Gateway",
            503 => "Service Unavailable",
            _ => "Whatever",
        };
        let mut bytes = format!("HTTP/1.1 {status} {reason}\r\n").into_bytes();
        for (name, value) in headers {
            bytes.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
        }
        bytes.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
        bytes.extend_from_slice(body);
        Reply {
            bytes,
            close: false,
            delay: Duration::ZERO,
        }
    }

    pub fn raw(bytes: &[u8], close: bool) -> Reply {
        Reply {
            bytes: bytes.to_vec(),
            close,
            delay: Duration::ZERO,
        }
    }
}

type Handler = dyn Fn(&Received) -> Reply + Send + Sync;

/// A backend listening on 127.0.0.1:port.
pub struct Backend {
    pub port: u16,
    pub received: Arc<Mutex<Vec<Received>>>,
    pub connections: Arc<AtomicUsize>,
    /// The most requests it handled at once.
    pub peak: Arc<AtomicUsize>,
    shared: Arc<Shared>,
}

impl Backend {
    /// Connections the other side closed.
    pub fn closed(&self) -> usize {
        self.shared.closed.load(Ordering::SeqCst)
    }
}

#[derive(Default)]
struct Shared {
    stopped: std::sync::atomic::AtomicBool,
    active: AtomicUsize,
    closed: AtomicUsize,
    streams: Mutex<Vec<TcpStream>>,
}

impl Backend {
    /// Answers every request with the handler's reply, keeping connections
    /// open unless the request or reply says otherwise.
    pub fn start(
        port: u16,
        handler: impl Fn(&Received) -> Reply + Send + Sync + 'static,
    ) -> Backend {
        let listener = TcpListener::bind(("127.0.0.1", port)).expect("backend port free");
        let received = Arc::new(Mutex::new(Vec::new()));
        let connections = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        let shared = Arc::new(Shared::default());
        let handler: Arc<Handler> = Arc::new(handler);
        {
            let received = received.clone();
            let connections = connections.clone();
            let peak = peak.clone();
            let shared = shared.clone();
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if shared.stopped.load(Ordering::SeqCst) {
                        return;
                    }
                    let Ok(stream) = stream else { continue };
                    if let Ok(clone) = stream.try_clone() {
                        shared.streams.lock().unwrap().push(clone);
                    }
                    let id = connections.fetch_add(1, Ordering::SeqCst);
                    let received = received.clone();
                    let handler = handler.clone();
                    let peak = peak.clone();
                    let shared = shared.clone();
                    std::thread::spawn(move || {
                        serve_connection(stream, id, &received, &*handler, &shared, &peak)
                    });
                }
            });
        }
        Backend {
            port,
            received,
            connections,
            peak,
            shared,
        }
    }

    /// Stops listening and closes every open connection (a backend that
    /// died).
    pub fn kill(&self) {
        self.shared.stopped.store(true, Ordering::SeqCst);
        for stream in self.shared.streams.lock().unwrap().drain(..) {
            let _ = stream.shutdown(Shutdown::Both);
        }
        // Wake the accept loop so that it drops the listener.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        let deadline = Instant::now() + Duration::from_secs(5);
        while TcpStream::connect(("127.0.0.1", self.port)).is_ok() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// A backend that answers `NAME` (and echoes nothing else).
    pub fn named(port: u16, name: &'static str) -> Backend {
        Backend::start(port, move |_| Reply::ok(name.as_bytes()))
    }

    /// A backend that answers with the request it got: line, headers and
    /// body, as text.
    pub fn echo(port: u16) -> Backend {
        Backend::start(port, |r| {
            let mut body = format!("{}\n", r.line);
            for line in r.header_lines() {
                body.push_str(&line);
                body.push('\n');
            }
            body.push('\n');
            let mut bytes = body.into_bytes();
            bytes.extend_from_slice(&r.body);
            Reply::ok(&bytes)
        })
    }

    pub fn requests(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    pub fn count(&self) -> usize {
        self.received.lock().unwrap().len()
    }
}

fn read_line(reader: &mut BufReader<TcpStream>) -> Option<String> {
    let mut line = Vec::new();
    match reader.read_until(b'\n', &mut line) {
        Ok(0) | Err(_) => None,
        Ok(_) => {
            while line.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
                line.pop();
            }
            Some(String::from_utf8_lossy(&line).into_owned())
        }
    }
}

/// Reads one request; `None` at the end of the connection.
pub fn read_request(reader: &mut BufReader<TcpStream>, connection: usize) -> Option<Received> {
    let line = read_line(reader)?;
    let mut request = Received {
        line,
        connection,
        ..Received::default()
    };
    loop {
        let header = read_line(reader)?;
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':').unwrap_or((&header, ""));
        request
            .headers
            .push((name.to_string(), value.trim().to_string()));
    }
    if request
        .header("transfer-encoding")
        .is_some_and(|v| v.eq_ignore_ascii_case("chunked"))
    {
        request.chunked = true;
        loop {
            let size = read_line(reader)?;
            let size = usize::from_str_radix(size.split(';').next()?.trim(), 16).ok()?;
            if size == 0 {
                while !read_line(reader)?.is_empty() {}
                break;
            }
            let mut chunk = vec![0; size];
            reader.read_exact(&mut chunk).ok()?;
            request.body.extend_from_slice(&chunk);
            read_line(reader)?;
        }
    } else if let Some(length) = request.header("content-length") {
        let length: usize = length.parse().ok()?;
        request.body = vec![0; length];
        reader.read_exact(&mut request.body).ok()?;
    }
    Some(request)
}

fn serve_connection(
    stream: TcpStream,
    id: usize,
    received: &Mutex<Vec<Received>>,
    handler: &Handler,
    shared: &Shared,
    peak: &AtomicUsize,
) {
    let mut writer = stream.try_clone().expect("clone");
    let mut reader = BufReader::new(stream);
    loop {
        let Some(request) = read_request(&mut reader, id) else {
            shared.closed.fetch_add(1, Ordering::SeqCst);
            return;
        };
        if shared.stopped.load(Ordering::SeqCst) {
            return;
        }
        received.lock().unwrap().push(request.clone());
        let active = shared.active.fetch_add(1, Ordering::SeqCst) + 1;
        peak.fetch_max(active, Ordering::SeqCst);
        let reply = handler(&request);
        if !reply.delay.is_zero() {
            std::thread::sleep(reply.delay);
        }
        shared.active.fetch_sub(1, Ordering::SeqCst);
        if writer.write_all(&reply.bytes).is_err() {
            return;
        }
        let wants_close = request
            .header("connection")
            .is_some_and(|v| v.eq_ignore_ascii_case("close"))
            || request.line.ends_with("HTTP/1.0");
        if reply.close || wants_close {
            let _ = writer.shutdown(Shutdown::Both);
            return;
        }
    }
}

/// A response as the client got it.
#[derive(Clone, Debug, Default)]
pub struct Response {
    pub status: u16,
    pub status_line: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn headers_named(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// A client connection.
pub struct Client {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

pub fn connect(port: u16) -> TcpStream {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        match TcpStream::connect(("127.0.0.1", port)) {
            Ok(stream) => {
                stream
                    .set_read_timeout(Some(Duration::from_secs(20)))
                    .unwrap();
                return stream;
            }
            Err(_) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(10)),
            Err(err) => panic!("nothing listens on 127.0.0.1:{port}: {err}"),
        }
    }
}

impl Client {
    pub fn new(port: u16) -> Client {
        Client::from_stream(connect(port))
    }

    pub fn from_stream(stream: TcpStream) -> Client {
        Client {
            writer: stream.try_clone().unwrap(),
            reader: BufReader::new(stream),
        }
    }

    pub fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).unwrap();
    }

    /// Reads one response (`head` for a HEAD request: no body).
    pub fn read(&mut self, head: bool) -> Option<Response> {
        let status_line = read_line(&mut self.reader)?;
        let status = status_line.split(' ').nth(1)?.parse().ok()?;
        let mut response = Response {
            status,
            status_line,
            ..Response::default()
        };
        loop {
            let header = read_line(&mut self.reader)?;
            if header.is_empty() {
                break;
            }
            let (name, value) = header.split_once(':')?;
            response
                .headers
                .push((name.to_string(), value.trim().to_string()));
        }
        if head || matches!(status, 101 | 204 | 304) {
            return Some(response);
        }
        if response
            .header("transfer-encoding")
            .is_some_and(|v| v.contains("chunked"))
        {
            loop {
                let size = read_line(&mut self.reader)?;
                let size = usize::from_str_radix(size.trim(), 16).ok()?;
                if size == 0 {
                    while !read_line(&mut self.reader)?.is_empty() {}
                    break;
                }
                let mut chunk = vec![0; size];
                self.reader.read_exact(&mut chunk).ok()?;
                response.body.extend_from_slice(&chunk);
                read_line(&mut self.reader)?;
            }
        } else if let Some(length) = response.header("content-length") {
            let length: usize = length.parse().ok()?;
            response.body = vec![0; length];
            self.reader.read_exact(&mut response.body).ok()?;
        } else {
            self.reader.read_to_end(&mut response.body).ok()?;
        }
        Some(response)
    }

    pub fn request(&mut self, bytes: &[u8]) -> Response {
        self.send(bytes);
        let head = bytes.starts_with(b"HEAD ");
        self.read(head).expect("a response")
    }

    /// The underlying stream (after an upgrade).
    pub fn into_parts(self) -> (BufReader<TcpStream>, TcpStream) {
        (self.reader, self.writer)
    }
}

/// One request on a new connection.
pub fn get(port: u16, path: &str) -> Response {
    Client::new(port).request(
        format!("GET {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n").as_bytes(),
    )
}

/// Waits until `check` holds (for things that happen after a response).
pub fn eventually(mut check: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if check() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    check()
}

/// The real nginx, run on a configuration in a temporary prefix (for
/// differential checks); stopped when dropped.
pub struct Nginx {
    child: std::process::Child,
    pub prefix: std::path::PathBuf,
}

impl Nginx {
    /// `None` when nginx is not installed here.
    pub fn start(conf: &str, port: u16) -> Option<Nginx> {
        let binary = std::path::Path::new("/usr/sbin/nginx");
        if !binary.exists() {
            return None;
        }
        use std::os::unix::fs::PermissionsExt;
        let prefix =
            std::env::temp_dir().join(format!("rginx-proxy-nginx-{}-{port}", std::process::id()));
        std::fs::create_dir_all(prefix.join("logs")).unwrap();
        std::fs::set_permissions(&prefix, std::fs::Permissions::from_mode(0o755)).unwrap();
        let text = format!(
            "user root; daemon off; master_process off; worker_processes 1;\n\
             error_log logs/error.log info; pid logs/nginx.pid;\nevents {{}}\n{conf}"
        );
        let conf_path = prefix.join("nginx.conf");
        std::fs::write(&conf_path, text).unwrap();
        let child = std::process::Command::new(binary)
            .arg("-p")
            .arg(format!("{}/", prefix.display()))
            .arg("-c")
            .arg(&conf_path)
            .arg("-e")
            .arg(prefix.join("logs/error.log"))
            .stderr(std::process::Stdio::null())
            .spawn()
            .ok()?;
        let deadline = Instant::now() + Duration::from_secs(5);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Some(Nginx { child, prefix })
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A client socket bound to a chosen loopback address (ip_hash tests).
pub fn connect_from(local: [u8; 4], port: u16) -> TcpStream {
    use nix::libc;
    use std::os::fd::FromRawFd;
    let sockaddr = |ip: [u8; 4], port: u16| libc::sockaddr_in {
        sin_family: libc::AF_INET as libc::sa_family_t,
        sin_port: port.to_be(),
        sin_addr: libc::in_addr {
            s_addr: u32::from_be_bytes(ip).to_be(),
        },
        sin_zero: [0; 8],
    };
    let len = std::mem::size_of::<libc::sockaddr_in>() as libc::socklen_t;
    // SAFETY: plain socket calls on a descriptor this function owns; the
    // addresses are valid sockaddr_in values of the given length.
    unsafe {
        let fd = libc::socket(libc::AF_INET, libc::SOCK_STREAM, 0);
        assert!(fd >= 0, "socket()");
        let from = sockaddr(local, 0);
        assert_eq!(
            libc::bind(fd, &from as *const _ as *const libc::sockaddr, len),
            0,
            "bind() to {local:?}"
        );
        let to = sockaddr([127, 0, 0, 1], port);
        assert_eq!(
            libc::connect(fd, &to as *const _ as *const libc::sockaddr, len),
            0,
            "connect()"
        );
        let stream = TcpStream::from_raw_fd(fd);
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        stream
    }
}
