//! Runs a worker in-process on a config given as text, for request-path
//! tests that need no master: the worker thread serves on 127.0.0.1 ports
//! the test picks, and requests are sent as raw bytes.

use rginx_conf::parse_bytes;
use rginx_http::serve::{ListenSocket, Listener, WorkerContext, run_worker};
use rginx_http::{CompileOptions, compile};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// Compiles `conf` (with `{PREFIX}` replaced by a fresh directory), binds
/// every address it listens on, and serves it from a background thread.
pub fn serve(conf: &str, files: &[(&str, &[u8])]) -> PathBuf {
    let prefix = std::env::temp_dir().join(format!(
        "rginx-http-test-{}-{}",
        std::process::id(),
        unique()
    ));
    // A directory left by an earlier run whose pid this one reuses would
    // mix its logs into this test's.
    let _ = std::fs::remove_dir_all(&prefix);
    std::fs::create_dir_all(&prefix).unwrap();
    for (path, bytes) in files {
        let path = prefix.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    let text = conf.replace("{PREFIX}", &prefix.display().to_string());
    let conf_path = prefix.join("nginx.conf");
    std::fs::write(&conf_path, &text).unwrap();
    let parsed = parse_bytes(text.as_bytes(), &conf_path);
    let options = CompileOptions {
        prefix: prefix.clone(),
        conf_file: conf_path.clone(),
        conf_prefix: prefix.clone(),
        is_root: true,
    };
    let config = match compile(&parsed, None, options) {
        Ok(config) => Arc::new(config),
        Err(failure) => panic!("config does not compile: {}", failure.error),
    };
    let mut listeners = Vec::new();
    for address in &config.http.as_ref().unwrap().addresses {
        if let rginx_http::http_core::listen::ListenAddr::Inet(addr) = &address.entry.addr {
            let socket = std::net::TcpListener::bind(addr).unwrap();
            listeners.push(Listener {
                addr: address.entry.addr.clone(),
                socket: ListenSocket::Tcp(socket),
            });
        }
    }
    let context = WorkerContext {
        config,
        listeners,
        worker_index: 0,
    };
    std::thread::spawn(move || run_worker(context));
    prefix
}

fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// Sends raw bytes and reads until the server closes or goes quiet.
#[allow(dead_code)]
pub fn exchange(port: u16, request: &[u8]) -> String {
    let mut stream = connect(port);
    stream.write_all(request).unwrap();
    let mut response = Vec::new();
    let mut buf = [0u8; 65536];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => response.extend_from_slice(&buf[..n]),
            Err(_) => break,
        }
    }
    String::from_utf8_lossy(&response).into_owned()
}

#[allow(dead_code)]
fn connect(port: u16) -> TcpStream {
    for _ in 0..200 {
        if let Ok(stream) = TcpStream::connect(("127.0.0.1", port)) {
            stream
                .set_read_timeout(Some(Duration::from_millis(500)))
                .unwrap();
            return stream;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("nothing listens on 127.0.0.1:{port}");
}

/// Status line and headers of a response, without Date (which moves).
#[allow(dead_code)]
pub fn head_without_date(response: &str) -> String {
    let head = response.split("\r\n\r\n").next().unwrap_or_default();
    head.lines()
        .filter(|line| !line.starts_with("Date: "))
        .collect::<Vec<_>>()
        .join("\n")
}

#[allow(dead_code)]
pub fn body(response: &str) -> &str {
    response.split_once("\r\n\r\n").map_or("", |(_, body)| body)
}

#[allow(dead_code)]
pub fn exists(path: &Path) -> bool {
    path.exists()
}
