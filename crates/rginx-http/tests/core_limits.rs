//! The core module's limits through a real socket: `limit_rate`,
//! `limit_rate_after`, `$limit_rate`, `reset_timedout_connection`,
//! `send_timeout`, `lingering_close`, request-body spooling
//! (`client_body_buffer_size`, `client_body_in_file_only`,
//! `client_body_temp_path`), and the resolver `proxy_pass` with variables
//! uses. Ports 21200-21299.

mod common;
mod proxy_support;

use common::serve;
use proxy_support::{Backend, Client, Reply, get};
use std::io::{ErrorKind, Read, Write};
use std::net::{TcpStream, UdpSocket};
use std::path::Path;
use std::time::{Duration, Instant};

const BIG: usize = 200 * 1024;

const CONF: &str = r#"
events {}
http {
  error_log {PREFIX}/error.log;
  server {
    listen 127.0.0.1:21201;
    root {PREFIX}/html;
    location /slow/ { limit_rate 100k; }
    location /after/ { limit_rate 100k; limit_rate_after 300k; }
    location = /var { limit_rate 10k; return 200 "[$limit_rate]"; }
    location = /none { return 200 "[$limit_rate]"; }
  }
  server {
    listen 127.0.0.1:21202;
    client_header_timeout 300ms;
    reset_timedout_connection on;
    location = /drop { return 444; }
  }
  server {
    listen 127.0.0.1:21203;
    client_header_timeout 300ms;
    location = /drop { return 444; }
  }
  server {
    listen 127.0.0.1:21204;
    root {PREFIX}/html;
    send_timeout 200ms;
  }
  server {
    listen 127.0.0.1:21205;
    keepalive_timeout 0;
    lingering_close always;
    lingering_timeout 1s;
    location / { return 200 "bye"; }
  }
  server {
    listen 127.0.0.1:21206;
    keepalive_timeout 0;
    lingering_close off;
    location / { return 200 "bye"; }
  }
  server {
    listen 127.0.0.1:21207;
    client_body_temp_path {PREFIX}/body 1 2;
    location /keep/ {
      client_body_in_file_only on;
      proxy_pass http://127.0.0.1:21250;
    }
    location /clean/ {
      client_body_in_file_only clean;
      proxy_pass http://127.0.0.1:21250;
    }
    location /small/ {
      client_body_buffer_size 1k;
      proxy_pass http://127.0.0.1:21250;
    }
  }
  server {
    listen 127.0.0.1:21208;
    location /dns/ {
      resolver 127.0.0.1:21253 valid=1s ipv6=off;
      resolver_timeout 2s;
      set $backend "backend.test";
      proxy_pass http://$backend:21251;
    }
    location /nxdomain/ {
      resolver 127.0.0.1:21253;
      set $backend "missing.test";
      proxy_pass http://$backend:21251;
    }
    location /silent/ {
      resolver 127.0.0.1:21254;
      resolver_timeout 300ms;
      set $backend "backend.test";
      proxy_pass http://$backend:21251;
    }
    location /none/ {
      set $backend "backend.test";
      proxy_pass http://$backend:21251;
    }
  }
}
"#;

fn start() -> &'static Path {
    static PREFIX: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    PREFIX.get_or_init(|| {
        let big = vec![b'x'; BIG];
        let huge = vec![b'y'; 64 * 1024 * 1024];
        let prefix = serve(
            CONF,
            &[
                ("html/slow/big", &big),
                ("html/after/big", &big),
                ("html/huge", &huge),
            ],
        );
        // The backend of the body tests: it answers with what it got.
        let backend = Backend::start(21250, |r| Reply::ok(format!("{}", r.body.len()).as_bytes()));
        std::mem::forget(backend);
        let named = Backend::named(21251, "resolved");
        std::mem::forget(named);
        dns_server(21253);
        prefix
    })
}

/// A name server that knows `backend.test` (127.0.0.1) and nothing else.
fn dns_server(port: u16) {
    let socket = UdpSocket::bind(("127.0.0.1", port)).unwrap();
    std::thread::spawn(move || {
        let mut buf = [0u8; 512];
        while let Ok((n, from)) = socket.recv_from(&mut buf) {
            let query = &buf[..n];
            let mut at = 12;
            let mut name = Vec::new();
            while at < n && query[at] != 0 {
                let len = query[at] as usize;
                if !name.is_empty() {
                    name.push(b'.');
                }
                name.extend_from_slice(&query[at + 1..at + 1 + len]);
                at += 1 + len;
            }
            let question_end = at + 5;
            let qtype = u16::from_be_bytes([query[at + 1], query[at + 2]]);
            let mut reply = query[..question_end].to_vec();
            reply[2] = 0x81;
            reply[3] = 0x80;
            if name == b"backend.test" {
                if qtype == 1 {
                    reply[7] = 1;
                    reply.extend_from_slice(&[
                        0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 127, 0, 0, 1,
                    ]);
                }
            } else {
                reply[3] |= 3;
            }
            let _ = socket.send_to(&reply, from);
        }
    });
}

fn read_all(stream: &mut TcpStream) -> std::io::Result<Vec<u8>> {
    stream.set_read_timeout(Some(Duration::from_secs(4)))?;
    let mut data = Vec::new();
    stream.read_to_end(&mut data)?;
    Ok(data)
}

fn connect(port: u16) -> TcpStream {
    proxy_support::connect(port)
}

#[test]
fn limit_rate_paces_the_response_and_sends_it_whole() {
    start();
    let began = Instant::now();
    let response = get(21201, "/slow/big");
    let took = began.elapsed();
    assert_eq!(response.status, 200);
    assert_eq!(response.body.len(), BIG);
    // 200 KiB at 100 KiB/s, the first second's worth at once: about a
    // second (a generous lower bound).
    assert!(took >= Duration::from_millis(800), "took {took:?}");
}

#[test]
fn limit_rate_after_lets_the_first_bytes_through() {
    start();
    let response = get(21201, "/after/big");
    assert_eq!(response.status, 200);
    assert_eq!(response.body.len(), BIG);
}

#[test]
fn limit_rate_variable_shows_the_limit() {
    start();
    assert_eq!(get(21201, "/var").text(), "[10240]");
    assert_eq!(get(21201, "/none").text(), "[0]");
}

#[test]
fn reset_timedout_connection_resets_a_header_timeout() {
    start();
    let mut stream = connect(21202);
    stream.write_all(b"GET / HTTP/1.1\r\nHost: a\r\n").unwrap();
    let read = read_all(&mut stream);
    assert_eq!(
        read.map_err(|e| e.kind()),
        Err(ErrorKind::ConnectionReset),
        "a timed-out connection is reset"
    );
    // Without it, the close is orderly.
    let mut stream = connect(21203);
    stream.write_all(b"GET / HTTP/1.1\r\nHost: a\r\n").unwrap();
    assert_eq!(read_all(&mut stream).unwrap(), b"");
}

#[test]
fn reset_timedout_connection_resets_return_444() {
    start();
    let mut stream = connect(21202);
    stream
        .write_all(b"GET /drop HTTP/1.1\r\nHost: a\r\n\r\n")
        .unwrap();
    assert_eq!(
        read_all(&mut stream).map_err(|e| e.kind()),
        Err(ErrorKind::ConnectionReset)
    );
    let mut stream = connect(21203);
    stream
        .write_all(b"GET /drop HTTP/1.1\r\nHost: a\r\n\r\n")
        .unwrap();
    assert_eq!(read_all(&mut stream).unwrap(), b"");
}

#[test]
fn send_timeout_closes_a_stalled_response() {
    start();
    let mut stream = connect(21204);
    stream
        .write_all(b"GET /huge HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
        .unwrap();
    // The client reads nothing for a while: the server's writes stall for
    // longer than send_timeout and it gives up.
    std::thread::sleep(Duration::from_millis(1500));
    let mut got = 0usize;
    let mut buf = vec![0u8; 1 << 20];
    stream
        .set_read_timeout(Some(Duration::from_secs(3)))
        .unwrap();
    loop {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => got += n,
        }
    }
    assert!(got < 64 * 1024 * 1024, "the whole response came: {got}");
}

/// Writes after the response: `true` when every write went through.
fn writes_after_response(port: u16) -> bool {
    let mut stream = connect(port);
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")
        .unwrap();
    let response = read_all(&mut stream).unwrap();
    assert!(response.ends_with(b"bye"));
    for _ in 0..8 {
        std::thread::sleep(Duration::from_millis(60));
        if stream.write_all(b"more bytes").is_err() {
            return false;
        }
    }
    true
}

#[test]
fn lingering_close_always_reads_what_follows_the_response() {
    start();
    assert!(writes_after_response(21205));
}

#[test]
fn lingering_close_off_closes_at_once() {
    start();
    // The first write after the close draws a reset, a later one fails.
    assert!(!writes_after_response(21206));
}

fn post(port: u16, path: &str, body: &[u8]) -> proxy_support::Response {
    let mut request = format!(
        "POST {path} HTTP/1.1\r\nHost: a\r\nConnection: close\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(body);
    Client::new(port).request(&request)
}

/// Every file under `dir`, with its level directories.
fn files_under(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return found;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files_under(&path));
        } else {
            found.push(path);
        }
    }
    found
}

#[test]
fn client_body_in_file_only_keeps_clean_removes_and_buffer_size_spools() {
    let prefix = start();
    let body_dir = prefix.join("body");
    // `on`: the body goes to a file in the level layout and stays.
    let response = post(21207, "/keep/", b"kept body");
    assert_eq!(response.text(), "9");
    let kept = files_under(&body_dir);
    assert_eq!(kept.len(), 1, "{kept:?}");
    let file = &kept[0];
    assert_eq!(std::fs::read(file).unwrap(), b"kept body");
    let name = file.file_name().unwrap().to_str().unwrap().to_string();
    assert_eq!(name.len(), 10);
    let level2 = file.parent().unwrap();
    let level1 = level2.parent().unwrap();
    assert_eq!(level1.parent().unwrap(), body_dir);
    assert_eq!(level1.file_name().unwrap().to_str().unwrap(), &name[9..]);
    assert_eq!(level2.file_name().unwrap().to_str().unwrap(), &name[7..9]);
    // `clean`: removed after the request.
    let response = post(21207, "/clean/", b"cleaned body");
    assert_eq!(response.text(), "12");
    assert_eq!(files_under(&body_dir).len(), 1);
    // Over client_body_buffer_size: spooled (and unlinked), sent whole.
    let big = vec![b'b'; 100 * 1024];
    let response = post(21207, "/small/", &big);
    assert_eq!(response.text(), (100 * 1024).to_string());
    assert_eq!(files_under(&body_dir).len(), 1);
}

#[test]
fn resolver_resolves_proxy_pass_variables() {
    start();
    let response = get(21208, "/dns/x");
    assert_eq!(response.status, 200);
    assert_eq!(response.text(), "resolved");
    // From the cache the second time.
    assert_eq!(get(21208, "/dns/y").text(), "resolved");
}

#[test]
fn resolver_failures_answer_502() {
    let prefix = start();
    assert_eq!(get(21208, "/nxdomain/").status, 502);
    let began = Instant::now();
    assert_eq!(get(21208, "/silent/").status, 502);
    assert!(began.elapsed() >= Duration::from_millis(250));
    assert_eq!(get(21208, "/none/").status, 502);
    let log = std::fs::read_to_string(prefix.join("error.log")).unwrap();
    assert!(
        log.contains("missing.test could not be resolved (3: Host not found)"),
        "{log}"
    );
    assert!(log.contains("backend.test could not be resolved (110: Operation timed out)"));
    assert!(log.contains("no resolver defined to resolve backend.test"));
}

#[test]
fn client_body_temp_path_is_made_after_syntax_ok() {
    let prefix = std::env::temp_dir().join(format!("rginx-core-limits-{}", std::process::id()));
    std::fs::create_dir_all(&prefix).unwrap();
    let compile = |conf: &str| {
        let path = prefix.join("nginx.conf");
        let parsed = rginx_conf::parse_bytes(conf.as_bytes(), &path);
        rginx_http::compile(
            &parsed,
            None,
            rginx_http::CompileOptions {
                prefix: prefix.clone(),
                conf_file: path,
                conf_prefix: prefix.clone(),
                is_root: false,
            },
        )
    };
    let ok = compile("events {} http { client_body_temp_path cb 1 2; }");
    assert!(ok.is_ok());
    assert!(prefix.join("cb").is_dir());
    let failure = compile("events {} http { client_body_temp_path nope/x; }").unwrap_err();
    assert!(failure.after_syntax_ok);
    assert!(failure.error.to_string().contains(&format!(
        "mkdir() \"{}\" failed (2: No such file or directory)",
        prefix.join("nope/x").display()
    )));
    let failure = compile("events {} http { client_body_temp_path cb 5 6; }").unwrap_err();
    assert!(!failure.after_syntax_ok);
    assert!(
        failure
            .error
            .to_string()
            .contains("\"client_body_temp_path\" directive invalid value")
    );
    let failure = compile("events {} http { resolver valid=5s; }").unwrap_err();
    assert!(
        failure
            .error
            .to_string()
            .contains("no name servers defined")
    );
    let failure = compile("events {} http { resolver 127.0.0.1 ipv6=maybe; }").unwrap_err();
    assert!(
        failure
            .error
            .to_string()
            .contains("invalid parameter: ipv6=maybe")
    );
}
