//! rginx's HTTP/1.x codec through a real socket: pipelining, HTTP/1.0 and
//! 0.9, nginx's answers to bad requests, `100 Continue`, request bodies
//! dropped between requests, chunked responses, HEAD, 444, and the header
//! and keep-alive timeouts. What nginx 1.22 does in each case is the
//! expectation (checked against it by the conformance suite as well).

mod common;
use common::serve;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// Serves `server` (the inside of a server block) on `port`.
fn start(port: u16, server: &str) {
    let conf = format!(
        "events {{}}\nerror_log {{PREFIX}}/error.log;\nhttp {{\naccess_log off;\nserver {{\nlisten 127.0.0.1:{port};\n{server}\n}}\n}}\n"
    );
    serve(&conf, &[("html/f.txt", b"file\n")]);
}

struct Client {
    stream: TcpStream,
}

fn connect(port: u16) -> Client {
    for _ in 0..300 {
        if let Ok(stream) = TcpStream::connect(("127.0.0.1", port)) {
            stream
                .set_read_timeout(Some(Duration::from_millis(300)))
                .unwrap();
            return Client { stream };
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("nothing listens on 127.0.0.1:{port}");
}

impl Client {
    fn send(&mut self, bytes: &[u8]) {
        self.stream.write_all(bytes).unwrap();
    }

    /// Reads until the server closes (`true`) or is quiet for a while.
    fn read(&mut self) -> (String, bool) {
        let mut out = Vec::new();
        let mut buf = [0u8; 65536];
        loop {
            match self.stream.read(&mut buf) {
                Ok(0) => return (String::from_utf8_lossy(&out).into_owned(), true),
                Ok(n) => out.extend_from_slice(&buf[..n]),
                Err(err)
                    if matches!(
                        err.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) =>
                {
                    return (String::from_utf8_lossy(&out).into_owned(), false);
                }
                Err(_) => return (String::from_utf8_lossy(&out).into_owned(), true),
            }
        }
    }
}

/// The status lines of a transcript, in order.
fn statuses(transcript: &str) -> Vec<&str> {
    transcript
        .split('\n')
        .map(|line| line.trim_end_matches('\r'))
        .filter(|line| line.starts_with("HTTP/"))
        .collect()
}

#[test]
fn pipelined_requests_are_answered_in_order() {
    start(19700, r#"location / { return 200 "uri=$uri\n"; }"#);
    let mut client = connect(19700);
    client
        .send(b"GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\nGET /c HTTP/1.1\r\nHost: x\r\n\r\n")
        ;
    let (out, closed) = client.read();
    assert!(!closed, "{out}");
    let a = out.find("uri=/a").unwrap();
    let b = out.find("uri=/b").unwrap();
    let c = out.find("uri=/c").unwrap();
    assert!(a < b && b < c, "{out}");
    assert_eq!(statuses(&out), vec!["HTTP/1.1 200 OK"; 3]);
}

#[test]
fn http_1_0_gets_an_http_1_1_status_line_and_a_close() {
    start(19701, r#"location / { return 200 "ok\n"; }"#);
    let mut client = connect(19701);
    client.send(b"GET / HTTP/1.0\r\n\r\n");
    let (out, closed) = client.read();
    assert!(
        out.starts_with("HTTP/1.1 200 OK\r\nServer: rginx/"),
        "{out}"
    );
    assert!(out.contains("\r\nConnection: close\r\n"), "{out}");
    assert!(closed);
}

#[test]
fn http_0_9_gets_the_body_alone() {
    start(19702, r#"location / { return 200 "just this\n"; }"#);
    let mut client = connect(19702);
    client.send(b"GET /\r\n");
    let (out, closed) = client.read();
    assert_eq!(out, "just this\n");
    assert!(closed);
}

#[test]
fn bad_requests_get_nginxs_page_and_a_close() {
    start(19703, r#"location / { return 200 "ok\n"; }"#);
    for (request, status) in [
        (
            &b"get / HTTP/1.1\r\nHost: x\r\n\r\n"[..],
            "HTTP/1.1 400 Bad Request",
        ),
        (
            b"GET / HTTP/2.0\r\nHost: x\r\n\r\n",
            "HTTP/1.1 505 HTTP Version Not Supported",
        ),
        (
            b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n",
            "HTTP/1.1 501 Not Implemented",
        ),
        (b"GET / HTTP/1.1\r\n\r\n", "HTTP/1.1 400 Bad Request"),
        (
            b"TRACE / HTTP/1.1\r\nHost: x\r\n\r\n",
            "HTTP/1.1 405 Not Allowed",
        ),
    ] {
        let mut client = connect(19703);
        client.send(request);
        let (out, closed) = client.read();
        assert!(
            out.starts_with(&format!("{status}\r\nServer: rginx/")),
            "{out}"
        );
        assert!(out.contains("\r\nConnection: close\r\n"), "{out}");
        assert!(out.contains("<center><h1>"), "{out}");
        assert!(closed, "{out}");
    }
}

#[test]
fn requests_nginx_accepts_and_hyper_did_not() {
    start(19704, r#"location / { return 200 "ok $request\n"; }"#);
    for request in [
        &b"GET  / HTTP/1.1\r\nHost: x\r\n\r\n"[..],
        b"GET / HTTP/1.10\r\nHost: x\r\n\r\n",
        b"GET / HTTP/1.1 \r\nHost: x\r\n\r\n",
        b"GET /a\xffb HTTP/1.1\r\nHost: x\r\n\r\n",
    ] {
        let mut client = connect(19704);
        client.send(request);
        let (out, closed) = client.read();
        assert!(out.starts_with("HTTP/1.1 200 OK\r\n"), "{out}");
        assert!(!closed);
        // `$request` is the line as sent.
        let line = &request[..request.iter().position(|&b| b == b'\r').unwrap()];
        assert!(
            out.contains(&String::from_utf8_lossy(line).into_owned()),
            "{out}"
        );
    }
}

#[test]
fn a_uri_too_long_is_414() {
    start(
        19705,
        r#"large_client_header_buffers 2 1k; location / { return 200 "ok\n"; }"#,
    );
    let mut client = connect(19705);
    let mut request = b"GET /".to_vec();
    request.extend(std::iter::repeat_n(b'a', 2000));
    request.extend_from_slice(b" HTTP/1.1\r\nHost: x\r\n\r\n");
    client.send(&request);
    let (out, closed) = client.read();
    assert!(
        out.starts_with("HTTP/1.1 414 Request-URI Too Large\r\n"),
        "{out}"
    );
    assert!(closed);
}

#[test]
fn expect_100_continue_before_a_handler_that_discards_not_before_an_error() {
    start(
        19706,
        r#"location / { return 200 "ok\n"; } location /err { return 404; }"#,
    );
    let mut client = connect(19706);
    client.send(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n");
    let (out, _) = client.read();
    assert!(
        out.starts_with("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n"),
        "{out}"
    );
    // The body follows; it is dropped and the connection goes on.
    client.send(b"abcGET / HTTP/1.1\r\nHost: x\r\n\r\n");
    let (out, closed) = client.read();
    assert!(out.starts_with("HTTP/1.1 200 OK\r\n"), "{out}");
    assert!(!closed);
    let mut client = connect(19706);
    client.send(
        b"POST /err HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\nabc",
    );
    let (out, _) = client.read();
    assert!(out.starts_with("HTTP/1.1 404 Not Found\r\n"), "{out}");
}

#[test]
fn request_bodies_are_dropped_before_the_next_request() {
    start(
        19707,
        r#"location / { return 200 "ok $request_method\n"; }"#,
    );
    let mut client = connect(19707);
    client.send(
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello\
              POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n\
              GET / HTTP/1.1\r\nHost: x\r\n\r\n",
    );
    let (out, closed) = client.read();
    assert_eq!(statuses(&out), vec!["HTTP/1.1 200 OK"; 3], "{out}");
    assert!(out.ends_with("ok GET\n"), "{out}");
    assert!(!closed);
}

#[test]
fn a_broken_chunked_body_is_400() {
    start(19708, r#"location / { return 200 "ok\n"; }"#);
    let mut client = connect(19708);
    client.send(
        b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
    );
    let (out, closed) = client.read();
    assert!(out.starts_with("HTTP/1.1 400 Bad Request\r\n"), "{out}");
    assert!(closed);
}

#[test]
fn bodies_of_unknown_length_are_chunked_on_1_1_and_end_with_the_close_on_1_0() {
    // autoindex streams its listing.
    start(19709, "location / { root html; autoindex on; }");
    let mut client = connect(19709);
    client.send(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    let (out, closed) = client.read();
    assert!(
        out.contains("\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive\r\n"),
        "{out}"
    );
    assert!(out.ends_with("\r\n0\r\n\r\n"), "{out}");
    assert!(!closed);
    let mut client = connect(19709);
    client.send(b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    let (out, closed) = client.read();
    assert!(!out.contains("Transfer-Encoding"), "{out}");
    assert!(out.contains("\r\nConnection: close\r\n"), "{out}");
    assert!(closed);
}

#[test]
fn head_sends_the_length_without_the_body() {
    start(19710, r#"location / { return 200 "twelve bytes"; }"#);
    let mut client = connect(19710);
    client.send(b"HEAD / HTTP/1.1\r\nHost: x\r\n\r\n");
    let (out, _) = client.read();
    assert!(out.contains("\r\nContent-Length: 12\r\n"), "{out}");
    assert!(out.ends_with("\r\n\r\n"), "{out}");
}

#[test]
fn return_444_closes_without_a_response() {
    start(19711, "location / { return 444; }");
    let mut client = connect(19711);
    client.send(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    let (out, closed) = client.read();
    assert_eq!(out, "");
    assert!(closed);
}

#[test]
fn idle_connections_close_after_keepalive_timeout() {
    start(
        19712,
        r#"keepalive_timeout 100ms; location / { return 200 "ok
"; }"#,
    );
    let mut client = connect(19712);
    client.send(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    let (out, closed) = client.read();
    assert!(out.starts_with("HTTP/1.1 200 OK"), "{out}");
    assert!(closed, "the idle connection stayed open");
}

#[test]
fn an_incomplete_head_times_out() {
    start(
        19713,
        r#"client_header_timeout 100ms; location / { return 200 "ok
"; }"#,
    );
    let mut client = connect(19713);
    client.send(b"GET / HTTP/1.1\r\nHost: x\r\n");
    let (out, closed) = client.read();
    assert_eq!(out, "");
    assert!(closed);
}
