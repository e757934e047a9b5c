//! `proxy_read_timeout` on kept upstream connections, from outside: a
//! cached connection keeps one timer for its life, armed for an earlier
//! read, and every read must still time out when its own deadline passes,
//! no sooner (the timer fired for an earlier read is moved on) and no later
//! (a timer armed for a longer timeout is moved back).
//!
//! A connection that cannot be made times out at `proxy_connect_timeout`
//! (its timer then serves its reads).
//!
//! The real binary runs on 127.0.0.1:21611 and 21613 (a backend of this
//! test on 21610, a listener that never accepts on 21612), single-process,
//! every wait is bounded, and only the processes this test started are
//! stopped.

mod common;

use common::{Rginx, WAIT};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const BACKEND: u16 = 21610;
const PORT: u16 = 21611;
/// Listens but never accepts: once its queue is full, connections to it
/// wait.
const STUCK: u16 = 21612;
const STUCK_PORT: u16 = 21613;

/// Answers each request on a connection by its path: `/…/fast` at once,
/// `/…/delay/MS` after MS milliseconds, `/…/stall` with half of its body,
/// the rest 1.5 s later.
fn backend(connections: Arc<AtomicUsize>) {
    let listener = TcpListener::bind(("127.0.0.1", BACKEND)).expect("bind the backend");
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            connections.fetch_add(1, Ordering::SeqCst);
            std::thread::spawn(move || serve_connection(stream));
        }
    });
}

fn serve_connection(mut stream: TcpStream) {
    let _ = stream.set_read_timeout(Some(WAIT));
    let mut pending = Vec::new();
    loop {
        let end = loop {
            if let Some(end) = pending.windows(4).position(|w| w == b"\r\n\r\n") {
                break end + 4;
            }
            let mut chunk = [0u8; 4096];
            match stream.read(&mut chunk) {
                Ok(0) | Err(_) => return,
                Ok(n) => pending.extend_from_slice(&chunk[..n]),
            }
        };
        let head = String::from_utf8_lossy(&pending[..end]).into_owned();
        pending.drain(..end);
        let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
        let reply = |body: &str| {
            format!(
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            )
        };
        let sent = if let Some(ms) = path.split("/delay/").nth(1) {
            std::thread::sleep(Duration::from_millis(ms.parse().unwrap_or(0)));
            stream.write_all(reply("late").as_bytes())
        } else if path.ends_with("/stall") {
            let whole = reply("0123456789abcdefghij");
            let (first, rest) = whole.split_at(whole.len() - 10);
            stream.write_all(first.as_bytes()).and_then(|()| {
                std::thread::sleep(Duration::from_millis(1500));
                stream.write_all(rest.as_bytes())
            })
        } else {
            stream.write_all(reply("fast").as_bytes())
        };
        if sent.is_err() {
            return;
        }
    }
}

/// rginx, single-process, proxying to the backend and to the listener that
/// never accepts.
fn start(port: u16, name: &str) -> Rginx {
    let mut rginx = Rginx::prefix(&format!("proxy-timers-{name}"), port, &[]);
    rginx.start(
        &format!(
            "daemon off;\nmaster_process off;\nerror_log logs/error.log;\n\
             pid logs/nginx.pid;\nevents {{}}\nhttp {{\n    access_log off;\n    \
             upstream backend {{ server 127.0.0.1:{BACKEND}; keepalive 1; }}\n    \
             server {{\n        listen 127.0.0.1:{port};\n        \
             proxy_http_version 1.1;\n        proxy_set_header Connection \"\";\n        \
             location /short/ {{ proxy_pass http://backend; proxy_read_timeout 600ms; }}\n        \
             location /long/ {{ proxy_pass http://backend; proxy_read_timeout 30s; }}\n        \
             location /stuck/ {{ proxy_pass http://127.0.0.1:{STUCK}; \
             proxy_connect_timeout 300ms; }}\n    \
             }}\n}}\n"
        ),
        false,
    );
    rginx
}

/// Status and body of a GET.
fn get(port: u16, path: &str) -> (u16, Vec<u8>) {
    let response = common::request(port, "GET", path, "");
    (response.status, response.body)
}

#[test]
fn reads_on_a_kept_connection_time_out_at_their_own_deadline() {
    let connections = Arc::new(AtomicUsize::new(0));
    backend(connections.clone());
    let rginx = start(PORT, "reads");

    // A read that waited armed the connection's timer 30 s ahead; a read
    // allowed 600 ms on the same connection must not wait for it.
    assert_eq!(get(PORT, "/long/fast"), (200, b"fast".to_vec()));
    let started = Instant::now();
    let (status, _) = get(PORT, "/short/delay/1500");
    assert_eq!(status, 504, "{}", rginx.error_log());
    assert!(started.elapsed() < Duration::from_millis(1400));
    assert_eq!(connections.load(Ordering::SeqCst), 1);

    // The timer armed for one read fires while the next waits, before that
    // one's own deadline: the read goes on.
    assert_eq!(get(PORT, "/short/fast"), (200, b"fast".to_vec()));
    std::thread::sleep(Duration::from_millis(400));
    assert_eq!(
        get(PORT, "/short/delay/400"),
        (200, b"late".to_vec()),
        "{}",
        rginx.error_log()
    );
    // The timed-out connection was closed, the next one kept.
    assert_eq!(connections.load(Ordering::SeqCst), 2);

    // Between reads of a body too.
    let (status, body) = get(PORT, "/short/stall");
    assert_eq!((status, body.len()), (200, 10), "{}", rginx.error_log());

    let log = rginx.error_log();
    let header_timeouts = log
        .matches("upstream timed out (110: Connection timed out) while reading response header from upstream")
        .count();
    let body_timeouts = log
        .matches("upstream timed out (110: Connection timed out) while reading upstream")
        .count();
    assert_eq!((header_timeouts, body_timeouts), (1, 1), "{log}");
}

#[test]
fn a_connect_that_waits_times_out_at_proxy_connect_timeout() {
    let listener = TcpListener::bind(("127.0.0.1", STUCK)).expect("bind the stuck listener");
    // Fill its accept queue: the kernel then drops the SYNs of further
    // connections, which wait.
    let mut queued = Vec::new();
    let deadline = Instant::now() + WAIT;
    loop {
        assert!(Instant::now() < deadline, "the accept queue never filled");
        match TcpStream::connect_timeout(
            &std::net::SocketAddr::from(([127, 0, 0, 1], STUCK)),
            Duration::from_millis(200),
        ) {
            Ok(stream) => queued.push(stream),
            Err(_) => break,
        }
    }
    let rginx = start(STUCK_PORT, "stuck");
    let started = Instant::now();
    let (status, _) = get(STUCK_PORT, "/stuck/");
    assert_eq!(status, 504, "{}", rginx.error_log());
    assert!(started.elapsed() < Duration::from_secs(3));
    assert!(
        rginx.error_log().contains(
            "upstream timed out (110: Connection timed out) while connecting to upstream"
        ),
        "{}",
        rginx.error_log()
    );
    drop(listener);
}
