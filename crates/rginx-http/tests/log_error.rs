//! Request-time error log lines (`error_log` at http, server and location
//! level), compared with the lines nginx 1.22.1 writes for the same
//! configuration and requests; only the time and pid differ between runs.

mod common;
use common::{exchange, serve};
use std::path::Path;
use std::time::{Duration, Instant};

/// The file's lines, time and pid replaced, once it has `count` of them.
fn lines(path: &Path, count: usize) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(3);
    let text = loop {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        if text.lines().count() >= count || Instant::now() > deadline {
            break text;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let pid = std::process::id();
    text.lines()
        .map(|line| {
            let (time, rest) = line.split_at(19);
            let t = time.as_bytes();
            assert_eq!(
                (t[4], t[7], t[10], t[13], t[16]),
                (b'/', b'/', b' ', b':', b':'),
                "{line}"
            );
            format!(
                "TIME{}",
                rest.replace(&format!(" {pid}#{pid}: "), " PID#TID: ")
            )
        })
        .collect()
}

const CONF: &str = r#"
events {}
http {
    error_log {PREFIX}/http-error.log info;
    access_log off;
    server {
        listen 127.0.0.1:19910;
        server_name example.com www.example.com;
        error_log {PREFIX}/server-error.log;
        location /loop { rewrite ^ /loop last; }
        location /big {
            client_max_body_size 10;
            error_log {PREFIX}/loc-error.log warn;
            error_log {PREFIX}/loc-crit.log crit;
            return 200;
        }
    }
    server {
        listen 127.0.0.1:19910;
        server_name other;
        location /loop { rewrite ^ /loop last; }
    }
}
"#;

#[test]
fn error_lines_match_nginx_at_every_level() {
    let prefix = serve(CONF, &[]);
    let requests: [(&[u8], &str); 4] = [
        (
            b"GET /loop?x=1 HTTP/1.1\r\nHost: Example.com\r\nReferer: http://ref/\"q\r\nConnection: close\r\n\r\n",
            " 500 ",
        ),
        (
            b"POST /big HTTP/1.1\r\nHost: www.example.com\r\nContent-Length: 20\r\nConnection: close\r\n\r\n01234567890123456789",
            " 413 ",
        ),
        (b"GET /loop HTTP/1.0\r\nHost: other\r\n\r\n", " 500 "),
        (b"GET /loop HTTP/1.0\r\n\r\n", " 500 "),
    ];
    for (request, status) in requests {
        let response = exchange(19910, request);
        assert!(response.contains(status), "{response}");
    }
    assert_eq!(
        lines(&prefix.join("server-error.log"), 2),
        [
            "TIME [error] PID#TID: *1 rewrite or internal redirection cycle while processing \"/loop\", client: 127.0.0.1, server: example.com, request: \"GET /loop?x=1 HTTP/1.1\", host: \"Example.com\", referrer: \"http://ref/\"q\"",
            "TIME [error] PID#TID: *4 rewrite or internal redirection cycle while processing \"/loop\", client: 127.0.0.1, server: example.com, request: \"GET /loop HTTP/1.0\"",
        ]
    );
    assert_eq!(
        lines(&prefix.join("loc-error.log"), 1),
        [
            "TIME [error] PID#TID: *2 client intended to send too large body: 20 bytes, client: 127.0.0.1, server: example.com, request: \"POST /big HTTP/1.1\", host: \"www.example.com\"",
        ]
    );
    // Below its level: nothing.
    assert!(lines(&prefix.join("loc-crit.log"), 0).is_empty());
    // The second server has none of its own: the http level's.
    assert_eq!(
        lines(&prefix.join("http-error.log"), 1),
        [
            "TIME [error] PID#TID: *3 rewrite or internal redirection cycle while processing \"/loop\", client: 127.0.0.1, server: other, request: \"GET /loop HTTP/1.0\", host: \"other\"",
        ]
    );
}

#[test]
fn without_http_error_logs_the_main_ones_are_used() {
    let conf = "error_log {PREFIX}/main.log warn;\nerror_log {PREFIX}/main-crit.log crit;\n\
                events {}\nhttp {\n access_log off;\n server { listen 127.0.0.1:19911;\n \
                location / { rewrite ^ / last; } }\n}\n";
    let prefix = serve(conf, &[]);
    let response = exchange(
        19911,
        b"GET /a HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
    );
    assert!(response.contains(" 500 "), "{response}");
    assert_eq!(
        lines(&prefix.join("main.log"), 1),
        [
            "TIME [error] PID#TID: *1 rewrite or internal redirection cycle while processing \"/\", client: 127.0.0.1, server: , request: \"GET /a HTTP/1.1\", host: \"h\"",
        ]
    );
    assert!(lines(&prefix.join("main-crit.log"), 0).is_empty());
}
