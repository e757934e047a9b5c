//! Client-connection settings through a real socket: keep-alive limits,
//! the Keep-Alive header, idle timeout, 413, and headers with `_`.

mod common;
use common::{body, exchange, serve};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

const CONF: &str = r#"
events {}
http {
  server {
    listen 127.0.0.1:19531;
    keepalive_requests 2;
    keepalive_timeout 300ms 7;
    client_max_body_size 10;
    location / { return 200 "[$http_x_a_b][$http_x_c]"; }
  }
}
"#;

fn start() {
    static START: std::sync::Once = std::sync::Once::new();
    START.call_once(|| {
        serve(CONF, &[]);
    });
}

/// Reads one response with a Content-Length body from a kept-alive stream.
fn read_response(stream: &mut TcpStream) -> String {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let text = String::from_utf8_lossy(&data).into_owned();
        if let Some((head, rest)) = text.split_once("\r\n\r\n") {
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("Content-Length: "))
                .and_then(|v| v.parse::<usize>().ok())
                .unwrap_or(0);
            if rest.len() >= length {
                return text;
            }
        }
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return String::from_utf8_lossy(&data).into_owned(),
            Ok(n) => data.extend_from_slice(&buf[..n]),
        }
    }
}

#[test]
fn keepalive_requests_limit_and_header() {
    start();
    std::thread::sleep(Duration::from_millis(100));
    let mut stream = TcpStream::connect(("127.0.0.1", 19531)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(2)))
        .unwrap();
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")
        .unwrap();
    let first = read_response(&mut stream);
    assert!(
        first.contains("\r\nConnection: keep-alive\r\nKeep-Alive: timeout=7\r\n"),
        "{first}"
    );
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")
        .unwrap();
    let second = read_response(&mut stream);
    assert!(second.contains("\r\nConnection: close\r\n"), "{second}");
    assert!(!second.contains("Keep-Alive:"), "{second}");
}

#[test]
fn idle_keepalive_connections_close_after_the_timeout() {
    start();
    std::thread::sleep(Duration::from_millis(100));
    let mut stream = TcpStream::connect(("127.0.0.1", 19531)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(3)))
        .unwrap();
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")
        .unwrap();
    read_response(&mut stream);
    let idle_started = Instant::now();
    let mut buf = [0u8; 16];
    let n = stream.read(&mut buf).unwrap_or(0);
    assert_eq!(n, 0, "the server closes an idle keep-alive connection");
    let waited = idle_started.elapsed();
    assert!(
        waited >= Duration::from_millis(250),
        "closed too early: {waited:?}"
    );
    assert!(
        waited < Duration::from_secs(2),
        "closed too late: {waited:?}"
    );
}

#[test]
fn declared_body_over_the_limit_is_413() {
    start();
    let response = exchange(
        19531,
        b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n01234567890",
    );
    assert!(
        response.starts_with("HTTP/1.1 413 Request Entity Too Large\r\n"),
        "{response}"
    );
    assert!(response.contains("\r\nConnection: close\r\n"), "{response}");
}

#[test]
fn headers_with_underscores_are_ignored_by_default() {
    start();
    let response = exchange(
        19531,
        b"GET / HTTP/1.1\r\nHost: a\r\nX_A_B: 1\r\nX-C: 2\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(body(&response), "[][2]");
}

#[test]
fn stub_status_counts_connections_and_requests() {
    serve(
        r#"
events {}
http {
  server {
    listen 127.0.0.1:19533;
    location = /status { stub_status; }
    location / { return 200 "$connections_active $connections_writing"; }
  }
}
"#,
        &[],
    );
    let page = |_: ()| {
        let response = exchange(
            19533,
            b"GET /status HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
        );
        assert!(
            response.contains("\r\nContent-Type: text/plain\r\n"),
            "{response}"
        );
        body(&response).to_string()
    };
    let first = page(());
    let requests = |text: &str| -> u64 {
        let line = text.lines().nth(2).unwrap();
        line.split_whitespace().nth(2).unwrap().parse().unwrap()
    };
    assert!(first.starts_with("Active connections: "), "{first}");
    assert_eq!(
        first.lines().nth(1),
        Some("server accepts handled requests")
    );
    assert!(first.lines().nth(3).unwrap().starts_with("Reading: "));
    // This request is being written while it counts itself (other tests
    // of this binary may add their own connections).
    let own = body(&exchange(
        19533,
        b"GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
    ))
    .to_string();
    let counts: Vec<u64> = own.split(' ').map(|n| n.parse().unwrap()).collect();
    assert!(counts[0] >= 1 && counts[1] >= 1, "{own}");
    let second = page(());
    assert!(
        requests(&second) >= requests(&first) + 2,
        "{first}\n{second}"
    );
    let post = exchange(
        19533,
        b"POST /status HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    );
    assert!(post.starts_with("HTTP/1.1 405 "), "{post}");
}
