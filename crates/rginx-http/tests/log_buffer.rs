//! `access_log ... buffer= flush= gzip`: lines wait in the buffer until it
//! is full or its flush time comes, and compressed logs are gzip members.

mod common;
use common::{exchange, serve};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_default()
}

fn get(port: u16, uri: &str) {
    let request = format!("GET {uri} HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
    let response = exchange(port, request.as_bytes());
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
}

/// Waits until `path` is not empty.
fn wait_written(path: &Path, within: Duration) -> Vec<u8> {
    let deadline = Instant::now() + within;
    loop {
        let bytes = read(path);
        if !bytes.is_empty() || Instant::now() > deadline {
            return bytes;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn gunzip(data: &[u8]) -> Vec<u8> {
    let mut child = Command::new("gzip")
        .arg("-dc")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("gzip(1) is installed");
    child.stdin.take().unwrap().write_all(data).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "not gzip data: {data:?}");
    output.stdout
}

const CONF: &str = r#"
events {}
http {
    log_format s "$uri $status";
    server {
        listen 127.0.0.1:19930;
        location /b/ { access_log {PREFIX}/size.log s buffer=100; return 200 x; }
        location /t { access_log {PREFIX}/timed.log s buffer=64k flush=300ms; return 200 x; }
        location /g { access_log {PREFIX}/gz.log s gzip=5 flush=300ms; return 200 x; }
    }
}
"#;

#[test]
fn buffers_are_written_when_full_or_on_time() {
    let prefix = serve(CONF, &[]);
    let size_log = prefix.join("size.log");
    // 43-byte lines: two fit in 100 bytes, the third sends them out.
    let uri = |n: char| format!("/b/{}", n.to_string().repeat(35));
    get(19930, &uri('a'));
    get(19930, &uri('b'));
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(read(&size_log), b"");
    get(19930, &uri('c'));
    let written = wait_written(&size_log, Duration::from_secs(2));
    assert_eq!(
        String::from_utf8_lossy(&written),
        format!("{} 200\n{} 200\n", uri('a'), uri('b'))
    );

    let timed = prefix.join("timed.log");
    let start = Instant::now();
    get(19930, "/t");
    get(19930, "/t2");
    assert_eq!(read(&timed), b"");
    let written = wait_written(&timed, Duration::from_secs(3));
    let waited = start.elapsed();
    assert_eq!(written, b"/t 200\n/t2 200\n");
    assert!(waited >= Duration::from_millis(250), "{waited:?}");

    get(19930, "/g");
    let compressed = wait_written(&prefix.join("gz.log"), Duration::from_secs(3));
    assert_eq!(&compressed[..2], [0x1f, 0x8b]);
    assert_eq!(gunzip(&compressed), b"/g 200\n");
    get(19930, "/g2");
    std::thread::sleep(Duration::from_millis(700));
    // Each flushed buffer is one more member of the same file.
    assert_eq!(gunzip(&read(&prefix.join("gz.log"))), b"/g 200\n/g2 200\n");
}
