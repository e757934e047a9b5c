//! The upstream keep-alive cache: connections are reused (and only with
//! `keepalive`), limited by `keepalive_requests`, closed after
//! `keepalive_timeout`, checked for closure before reuse, and a request
//! that meets a cached connection the upstream closed is retried on a new
//! one unless it is not idempotent.

mod common;
mod proxy_support;

use proxy_support::{Backend, Client, Reply, eventually};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

fn conf(port: u16, upstream: &str, location_extra: &str) -> String {
    format!(
        "events {{}}\nhttp {{ access_log off; error_log {{PREFIX}}/error.log;\n\
         upstream u {{ {upstream} }}\n\
         server {{ listen 127.0.0.1:{port};\n\
         location / {{ proxy_pass http://u; proxy_http_version 1.1; \
         proxy_set_header Connection \"\"; {location_extra} }} }} }}"
    )
}

fn requests(port: u16, n: usize) {
    let mut client = Client::new(port);
    for i in 0..n {
        let response = client.request(b"GET /k HTTP/1.1\r\nHost: t\r\n\r\n");
        assert_eq!(response.status, 200, "request {i}");
    }
}

#[test]
fn connections_are_reused_with_keepalive_only() {
    let with = Backend::named(20120, "w");
    let without = Backend::named(20121, "wo");
    common::serve(
        &conf(20122, "server 127.0.0.1:20120; keepalive 4;", ""),
        &[],
    );
    common::serve(&conf(20123, "server 127.0.0.1:20121;", ""), &[]);
    requests(20122, 30);
    requests(20123, 30);
    assert_eq!(with.count(), 30);
    assert_eq!(
        with.connections.load(std::sync::atomic::Ordering::SeqCst),
        1
    );
    assert_eq!(
        without
            .connections
            .load(std::sync::atomic::Ordering::SeqCst),
        30
    );
}

#[test]
fn keepalive_requests_and_timeout_limit_a_connection() {
    let backend = Backend::named(20124, "k");
    common::serve(
        &conf(
            20125,
            "server 127.0.0.1:20124; keepalive 2; keepalive_requests 5; keepalive_timeout 300ms;",
            "",
        ),
        &[],
    );
    requests(20125, 20);
    assert_eq!(
        backend
            .connections
            .load(std::sync::atomic::Ordering::SeqCst),
        4
    );
    // The last connection goes idle and is closed by rginx after 300ms.
    assert!(
        eventually(|| backend.closed() == 4),
        "closed: {}",
        backend.closed()
    );
}

#[test]
fn a_connection_closed_by_the_upstream_is_not_reused() {
    // The backend closes each connection shortly after answering, without
    // saying so in the response.
    let backend = Backend::start(20126, |_| {
        let mut reply = Reply::ok(b"once");
        reply.close = true;
        reply
    });
    let prefix = common::serve(
        &conf(20127, "server 127.0.0.1:20126; keepalive 4;", ""),
        &[],
    );
    let mut client = Client::new(20127);
    for _ in 0..5 {
        assert_eq!(
            client.request(b"GET / HTTP/1.1\r\nHost: t\r\n\r\n").text(),
            "once"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        backend
            .connections
            .load(std::sync::atomic::Ordering::SeqCst),
        5
    );
    let log = std::fs::read_to_string(prefix.join("error.log")).unwrap_or_default();
    assert!(!log.contains("[error]"), "{log}");
}

#[test]
fn a_request_on_a_dead_cached_connection_is_retried_if_idempotent() {
    // The backend drops the second request of every connection without an
    // answer (it closed the connection as the request arrived).
    let seen: Mutex<HashMap<usize, usize>> = Mutex::new(HashMap::new());
    let backend = Backend::start(20128, move |r| {
        let mut seen = seen.lock().unwrap();
        let n = seen.entry(r.connection).or_insert(0);
        *n += 1;
        if *n == 2 {
            Reply::raw(b"", true)
        } else {
            Reply::ok(b"fine")
        }
    });
    let prefix = common::serve(
        &conf(20129, "server 127.0.0.1:20128; keepalive 4;", ""),
        &[],
    );
    let mut client = Client::new(20129);
    let get = b"GET / HTTP/1.1\r\nHost: t\r\n\r\n";
    assert_eq!(client.request(get).text(), "fine");
    // Cached connection, dropped: retried on a new connection.
    let second = client.request(get);
    assert_eq!((second.status, second.text().as_str()), (200, "fine"));
    assert_eq!(
        backend
            .connections
            .load(std::sync::atomic::Ordering::SeqCst),
        2
    );
    // A POST meeting the same fate is not retried.
    let post = client.request(b"POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\n\r\nx");
    assert_eq!(post.status, 502);
    let log = std::fs::read_to_string(prefix.join("error.log")).unwrap();
    assert_eq!(
        log.matches("upstream prematurely closed connection while reading response header")
            .count(),
        2,
        "{log}"
    );
}

#[test]
fn concurrent_requests_share_a_bounded_pool() {
    let backend = Backend::start(20130, |_| {
        let mut reply = Reply::ok(b"c");
        reply.delay = Duration::from_millis(5);
        reply
    });
    common::serve(
        &conf(20131, "server 127.0.0.1:20130; keepalive 8;", ""),
        &[],
    );
    let workers: Vec<_> = (0..8)
        .map(|_| std::thread::spawn(|| requests(20131, 25)))
        .collect();
    for worker in workers {
        worker.join().unwrap();
    }
    assert_eq!(backend.count(), 200);
    let connections = backend
        .connections
        .load(std::sync::atomic::Ordering::SeqCst);
    assert!(connections <= 16, "{connections} connections for 8 clients");
}
