//! Bounded fuzzing of the whole HTTP/1 path through a real socket: mutated
//! and random requests (request lines, header lines, body framing, Host
//! values, raw bytes) must never panic the worker or wedge it; every
//! exchange ends with an answer, a close, or the client giving up, and the
//! server still answers a well-formed request afterwards.

mod common;
use common::serve;
use proptest::prelude::*;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

const PORT: u16 = 21401;

static PANICKED: AtomicBool = AtomicBool::new(false);

fn start() {
    static STARTED: std::sync::Once = std::sync::Once::new();
    STARTED.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            PANICKED.store(true, Ordering::SeqCst);
            previous(info);
        }));
        serve(
            &format!(
                "events {{}}\nhttp {{ access_log off; client_header_timeout 1s; \
                 client_body_timeout 1s; client_max_body_size 64;\n\
                 large_client_header_buffers 2 256;\n\
                 server {{ listen 127.0.0.1:{PORT}; server_name fuzz.test;\n\
                 location / {{ return 200 \"ok $uri $args $host $content_length\\n\"; }}\n\
                 location /static/ {{ root html; }}\n\
                 location ~ ^/re/(?<x>[a-z]+) {{ return 200 \"$x\"; }} }} }}\n"
            ),
            &[("html/static/f.txt", b"file\n")],
        );
    });
}

/// Sends `request`, reads until the server closes or is quiet for `quiet`.
fn exchange(request: &[u8], quiet: Duration) -> Vec<u8> {
    let mut stream = None;
    for _ in 0..100 {
        if let Ok(s) = TcpStream::connect(("127.0.0.1", PORT)) {
            stream = Some(s);
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let mut stream = stream.expect("the fuzz server listens");
    stream
        .set_read_timeout(Some(quiet))
        .expect("a read timeout");
    // The server may close before reading everything: that is an answer.
    let _ = stream.write_all(request);
    let mut response = Vec::new();
    let mut buf = [0u8; 4096];
    while let Ok(n) = stream.read(&mut buf) {
        if n == 0 {
            break;
        }
        response.extend_from_slice(&buf[..n]);
    }
    response
}

fn token() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(b"GET".to_vec()),
        Just(b"HEAD".to_vec()),
        Just(b"POST".to_vec()),
        Just(b"get".to_vec()),
        Just(b"PROPFIND".to_vec()),
        proptest::collection::vec(any::<u8>(), 0..12),
    ]
}

fn target() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(b"/".to_vec()),
        Just(b"/static/f.txt".to_vec()),
        Just(b"/re/abc?x=1".to_vec()),
        Just(b"http://fuzz.test/a%2F..%2Fb".to_vec()),
        Just(b"*".to_vec()),
        proptest::collection::vec(
            prop_oneof![
                Just(b'/'),
                Just(b'.'),
                Just(b'%'),
                Just(b'?'),
                Just(b'#'),
                Just(b'a'),
                Just(b' '),
                Just(b'\0'),
                Just(0xff),
                Just(b'2'),
            ],
            0..40
        ),
    ]
}

fn version() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(b" HTTP/1.1".to_vec()),
        Just(b" HTTP/1.0".to_vec()),
        Just(b" HTTP/1.10".to_vec()),
        Just(b" HTTP/2.0".to_vec()),
        Just(b" HTTP/0.9".to_vec()),
        Just(Vec::new()),
        proptest::collection::vec(any::<u8>(), 0..10),
    ]
}

fn header() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(b"Host: fuzz.test".to_vec()),
        Just(b"Host: [::1]:80".to_vec()),
        Just(b"Host: a..b".to_vec()),
        Just(b"Content-Length: 5".to_vec()),
        Just(b"Content-Length: -1".to_vec()),
        Just(b"Content-Length: 99999999999999999999".to_vec()),
        Just(b"Transfer-Encoding: chunked".to_vec()),
        Just(b"Transfer-Encoding: gzip, chunked".to_vec()),
        Just(b"Expect: 100-continue".to_vec()),
        Just(b"Connection: close".to_vec()),
        Just(b"Connection: upgrade".to_vec()),
        Just(b"Upgrade: websocket".to_vec()),
        Just(b"If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT".to_vec()),
        Just(b"Range: bytes=0-1,-2,3-".to_vec()),
        Just(b"X_Under: 1".to_vec()),
        Just(b" folded".to_vec()),
        proptest::collection::vec(any::<u8>(), 0..40),
    ]
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(Vec::new()),
        Just(b"hello".to_vec()),
        Just(b"5\r\nhello\r\n0\r\n\r\n".to_vec()),
        Just(b"zz\r\nhello\r\n0\r\n\r\n".to_vec()),
        Just(b"ffffffffffffffffff\r\n".to_vec()),
        proptest::collection::vec(any::<u8>(), 0..64),
    ]
}

fn request() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => (
            token(),
            target(),
            version(),
            proptest::collection::vec(header(), 0..6),
            prop_oneof![Just(b"\r\n".to_vec()), Just(b"\n".to_vec())],
            body()
        )
            .prop_map(|(method, target, version, headers, eol, body)| {
                let mut out = method;
                out.push(b' ');
                out.extend_from_slice(&target);
                out.extend_from_slice(&version);
                out.extend_from_slice(&eol);
                for header in headers {
                    out.extend_from_slice(&header);
                    out.extend_from_slice(&eol);
                }
                out.extend_from_slice(&eol);
                out.extend_from_slice(&body);
                out
            }),
        1 => proptest::collection::vec(any::<u8>(), 0..200),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 160, ..ProptestConfig::default() })]

    #[test]
    fn no_request_panics_or_wedges_the_server(request in request()) {
        start();
        // A request the server waits on (an unfinished head or body) is
        // given up after a short quiet time.
        let _ = exchange(&request, Duration::from_millis(150));
        prop_assert!(!PANICKED.load(Ordering::SeqCst), "a panic on {:?}", String::from_utf8_lossy(&request));
        // Still serving.
        // The server closes after this one: a long quiet time only matters
        // on a loaded machine.
        let response = exchange(
            b"GET /x?y=1 HTTP/1.1\r\nHost: fuzz.test\r\nConnection: close\r\n\r\n",
            Duration::from_secs(10),
        );
        prop_assert!(
            response.starts_with(b"HTTP/1.1 200 OK\r\n"),
            "after {:?}: {:?}",
            String::from_utf8_lossy(&request),
            String::from_utf8_lossy(&response)
        );
    }
}
