//! `listen ... proxy_protocol` through a real socket: v1 and v2 headers,
//! the `$proxy_protocol_*` variables, `real_ip_header proxy_protocol`
//! behind trusted and untrusted peers, broken headers (closed without an
//! answer, with nginx's error-log line), the timeout, and a TLS port. The
//! expected bodies and log lines were checked against nginx 1.22.1 with
//! the same bytes.

mod common;
mod tls_common;

use common::{body, serve};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const VARS: &str = r#"return 200 "$proxy_protocol_addr:$proxy_protocol_port $proxy_protocol_server_addr:$proxy_protocol_server_port $remote_addr:$remote_port $realip_remote_addr\n";"#;

const REQUEST: &[u8] = b"GET / HTTP/1.0\r\n\r\n";

fn connect(port: u16) -> TcpStream {
    for _ in 0..300 {
        if let Ok(stream) = TcpStream::connect(("127.0.0.1", port)) {
            stream
                .set_read_timeout(Some(Duration::from_secs(5)))
                .unwrap();
            return stream;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("nothing listens on 127.0.0.1:{port}");
}

/// Sends `chunks` (a pause between them) and reads to the end; `Err` with
/// what was read when the connection was reset.
fn send(port: u16, chunks: &[&[u8]]) -> Result<String, String> {
    let mut stream = connect(port);
    for (i, chunk) in chunks.iter().enumerate() {
        if i > 0 {
            std::thread::sleep(Duration::from_millis(50));
        }
        stream.write_all(chunk).unwrap();
    }
    let mut response = Vec::new();
    let mut buf = [0u8; 16384];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return Ok(String::from_utf8_lossy(&response).into_owned()),
            Ok(n) => response.extend_from_slice(&buf[..n]),
            Err(err) => {
                return Err(format!(
                    "{err} after {:?}",
                    String::from_utf8_lossy(&response)
                ));
            }
        }
    }
}

/// The body of the answer to a header followed by a request.
fn vars(port: u16, header: &[u8]) -> String {
    let request = [header, REQUEST].concat();
    let response = send(port, &[&request[..]]).unwrap();
    assert!(response.starts_with("HTTP/1.1 200 OK\r\n"), "{response}");
    body(&response).trim_end().to_string()
}

/// The body with the connection's own (changing) port replaced by PORT.
fn without_port(text: &str) -> String {
    text.split(' ')
        .map(|field| match field.rsplit_once(':') {
            Some((addr, port))
                if addr == "127.0.0.1"
                    && !port.is_empty()
                    && port.bytes().all(|b| b.is_ascii_digit()) =>
            {
                format!("{addr}:PORT")
            }
            _ => field.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

const SIGNATURE: &[u8] = b"\r\n\r\n\0\r\nQUIT\n";

fn v2(version_command: u8, family: u8, body: &[u8]) -> Vec<u8> {
    let mut out = SIGNATURE.to_vec();
    out.push(version_command);
    out.push(family);
    out.extend_from_slice(&(body.len() as u16).to_be_bytes());
    out.extend_from_slice(body);
    out
}

fn v2_inet(src: [u8; 4], dst: [u8; 4], sport: u16, dport: u16, tlvs: &[u8]) -> Vec<u8> {
    let mut body = src.to_vec();
    body.extend_from_slice(&dst);
    body.extend_from_slice(&sport.to_be_bytes());
    body.extend_from_slice(&dport.to_be_bytes());
    body.extend_from_slice(tlvs);
    v2(0x21, 0x11, &body)
}

/// The error log once it has `needle` (time, pid and connection number
/// replaced), or what it has after a few seconds.
fn log_with(path: &Path, needle: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let raw = std::fs::read(path).unwrap_or_default();
        let text = normalise(&String::from_utf8_lossy(&raw));
        if text.contains(needle) || Instant::now() > deadline {
            return text;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// `YYYY/MM/DD HH:MM:SS [level] PID#PID: *N ` becomes `[level] *N `.
fn normalise(text: &str) -> String {
    let pid = std::process::id();
    let mut out = String::new();
    for line in text.split_inclusive('\n') {
        // Lines of a multi-line message have no time.
        let b = line.as_bytes();
        let dated =
            b.len() > 20 && (b[4], b[7], b[10], b[13], b[16]) == (b'/', b'/', b' ', b':', b':');
        let Some(rest) = line.get(20..).filter(|_| dated) else {
            out.push_str(line);
            continue;
        };
        let rest = rest.replacen(&format!(" {pid}#{pid}: *"), " *", 1);
        let (level, after) = rest.split_once(" *").unwrap_or((&rest, ""));
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        out.push_str(&format!("{level} *N{}", &after[digits..]));
    }
    out
}

fn prefix_log(prefix: &Path) -> PathBuf {
    prefix.join("error.log")
}

#[test]
fn v1_and_v2_headers_give_the_variables() {
    let conf = format!(
        "events {{}}\nhttp {{\n    access_log off;\n    server {{ listen 127.0.0.1:21300 proxy_protocol; {VARS} }}\n    server {{ listen 127.0.0.1:21301; {VARS} }}\n}}\n"
    );
    serve(&conf, &[]);
    let port = 21300;
    assert_eq!(
        without_port(&vars(port, b"PROXY TCP4 1.2.3.4 5.6.7.8 111 222\r\n")),
        "1.2.3.4:111 5.6.7.8:222 127.0.0.1:PORT 127.0.0.1"
    );
    assert_eq!(
        without_port(&vars(port, b"PROXY TCP6 2001:db8::1 ::1 111 222\r\n")),
        "2001:db8::1:111 ::1:222 127.0.0.1:PORT 127.0.0.1"
    );
    // As sent, not checked as addresses; port 0 prints as nothing.
    assert_eq!(
        without_port(&vars(port, b"PROXY TCP4 01.2.3.4 ::: 0 0080\r\n")),
        "01.2.3.4: ::::80 127.0.0.1:PORT 127.0.0.1"
    );
    assert_eq!(
        without_port(&vars(port, b"PROXY UNKNOWN\r\n")),
        ": : 127.0.0.1:PORT 127.0.0.1"
    );
    assert_eq!(
        without_port(&vars(port, b"PROXY UNKNOWN 1.2.3.4 5.6.7.8 1 2\r\n")),
        ": : 127.0.0.1:PORT 127.0.0.1"
    );
    assert_eq!(
        without_port(&vars(
            port,
            &v2_inet([1, 2, 3, 4], [5, 6, 7, 8], 111, 222, b"")
        )),
        "1.2.3.4:111 5.6.7.8:222 127.0.0.1:PORT 127.0.0.1"
    );
    // TLVs are skipped.
    assert_eq!(
        without_port(&vars(
            port,
            &v2_inet(
                [10, 0, 0, 1],
                [10, 0, 0, 2],
                1,
                2,
                b"\x04\x00\x02ab\x01\x00\x02h2"
            )
        )),
        "10.0.0.1:1 10.0.0.2:2 127.0.0.1:PORT 127.0.0.1"
    );
    let mut v6 = vec![0u8; 15];
    v6.push(1);
    v6.extend_from_slice(&[0x20, 0x01, 0x0d, 0xb8]);
    v6.extend_from_slice(&[0; 11]);
    v6.push(1);
    v6.extend_from_slice(&[0, 111, 0, 222]);
    assert_eq!(
        without_port(&vars(port, &v2(0x21, 0x21, &v6))),
        "::1:111 2001:db8::1:222 127.0.0.1:PORT 127.0.0.1"
    );
    // LOCAL (health checks) and other families name no addresses.
    assert_eq!(
        without_port(&vars(port, &v2(0x20, 0x00, b""))),
        ": : 127.0.0.1:PORT 127.0.0.1"
    );
    assert_eq!(
        without_port(&vars(port, &v2(0x21, 0x31, &[0; 216]))),
        ": : 127.0.0.1:PORT 127.0.0.1"
    );
    // Without proxy_protocol on the address: empty.
    assert_eq!(
        without_port(&vars(21301, b"")),
        ": : 127.0.0.1:PORT 127.0.0.1"
    );
}

#[test]
fn a_header_may_come_in_pieces() {
    let conf = format!(
        "events {{}}\nhttp {{\n    access_log off;\n    server {{ listen 127.0.0.1:21302 proxy_protocol; {VARS} }}\n}}\n"
    );
    serve(&conf, &[]);
    let whole =
        |response: Result<String, String>| without_port(body(&response.unwrap()).trim_end());
    let expected = "1.2.3.4:111 5.6.7.8:222 127.0.0.1:PORT 127.0.0.1";
    assert_eq!(
        whole(send(
            21302,
            &[
                &b"PROXY TCP4 1.2.3"[..],
                b".4 5.6.7.8 111 222\r\nGET / HTTP/1.0\r\n\r\n"
            ]
        )),
        expected
    );
    assert_eq!(
        whole(send(
            21302,
            &[&b"PROXY TCP4 1.2.3.4 5.6.7.8 111 222\r\n"[..], REQUEST]
        )),
        expected
    );
    let header = v2_inet([1, 2, 3, 4], [5, 6, 7, 8], 111, 222, b"\x04\x00\x01z");
    assert_eq!(
        whole(send(
            21302,
            &[&header[..10], &header[10..20], &header[20..], REQUEST]
        )),
        expected
    );
    // Keep-alive requests after the header see the same addresses.
    let mut stream = connect(21302);
    stream
        .write_all(b"PROXY TCP4 9.9.9.9 5.6.7.8 7 8\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n")
        .unwrap();
    let mut buf = [0u8; 4096];
    let n = stream.read(&mut buf).unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).contains("\r\n\r\n9.9.9.9:7 "));
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut rest = String::new();
    stream.read_to_string(&mut rest).unwrap();
    assert!(rest.contains("\r\n\r\n9.9.9.9:7 "), "{rest}");
}

#[test]
fn realip_takes_the_header_address_from_trusted_peers_only() {
    let conf = format!(
        "events {{}}\nhttp {{\n    log_format pp '$remote_addr $remote_port $realip_remote_addr $proxy_protocol_addr \"$request\"';\n    server {{ listen 127.0.0.1:21303 proxy_protocol; set_real_ip_from 127.0.0.1; real_ip_header proxy_protocol;\n        access_log {{PREFIX}}/access.log pp; {VARS} }}\n    server {{ listen 127.0.0.1:21304 proxy_protocol; set_real_ip_from 10.0.0.0/8; real_ip_header proxy_protocol; access_log off; {VARS} }}\n    server {{ listen 127.0.0.1:21305; set_real_ip_from 127.0.0.1; real_ip_header proxy_protocol; access_log off; {VARS} }}\n}}\n"
    );
    let prefix = serve(&conf, &[]);
    assert_eq!(
        vars(21303, b"PROXY TCP4 1.2.3.4 5.6.7.8 111 222\r\n"),
        "1.2.3.4:111 5.6.7.8:222 1.2.3.4:111 127.0.0.1"
    );
    // nginx parses the text as an address: leading zeros go.
    assert_eq!(
        vars(21303, b"PROXY TCP4 01.2.3.4 ::: 0 1\r\n"),
        "01.2.3.4: ::::1 1.2.3.4: 127.0.0.1"
    );
    assert_eq!(
        vars(21303, &v2_inet([192, 0, 2, 7], [5, 6, 7, 8], 4000, 80, b"")),
        "192.0.2.7:4000 5.6.7.8:80 192.0.2.7:4000 127.0.0.1"
    );
    // No addresses in the header, or none that parses: the peer stays.
    assert_eq!(
        without_port(&vars(21303, b"PROXY UNKNOWN\r\n")),
        ": : 127.0.0.1:PORT 127.0.0.1"
    );
    assert_eq!(
        without_port(&vars(21303, b"PROXY TCP4 ::::: 5.6.7.8 1 2\r\n")),
        "::::::1 5.6.7.8:2 127.0.0.1:PORT 127.0.0.1"
    );
    // An untrusted peer keeps its own address.
    assert_eq!(
        without_port(&vars(21304, b"PROXY TCP4 1.2.3.4 5.6.7.8 111 222\r\n")),
        "1.2.3.4:111 5.6.7.8:222 127.0.0.1:PORT 127.0.0.1"
    );
    // Without proxy_protocol on the address there is nothing to take.
    assert_eq!(
        without_port(&vars(21305, b"")),
        ": : 127.0.0.1:PORT 127.0.0.1"
    );
    // The access log's $remote_addr follows realip.
    let log = prefix.join("access.log");
    let deadline = Instant::now() + Duration::from_secs(5);
    let text = loop {
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        if text.lines().count() >= 5 || Instant::now() > deadline {
            break text;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let lines: Vec<String> = text.lines().map(without_port_field).collect();
    assert_eq!(
        lines,
        [
            "1.2.3.4 111 127.0.0.1 1.2.3.4 \"GET / HTTP/1.0\"",
            "1.2.3.4  127.0.0.1 01.2.3.4 \"GET / HTTP/1.0\"",
            "192.0.2.7 4000 127.0.0.1 192.0.2.7 \"GET / HTTP/1.0\"",
            "127.0.0.1 PORT 127.0.0.1 - \"GET / HTTP/1.0\"",
            "127.0.0.1 PORT 127.0.0.1 ::::: \"GET / HTTP/1.0\"",
        ]
    );
}

/// An access-log line `ADDR PORT ...` with the peer's own port replaced.
fn without_port_field(line: &str) -> String {
    let mut fields: Vec<&str> = line.splitn(3, ' ').collect();
    if fields[0] == "127.0.0.1" && fields.len() == 3 {
        fields[1] = "PORT";
    }
    fields.join(" ")
}

#[test]
fn broken_headers_close_without_an_answer() {
    let conf = format!(
        "events {{}}\nhttp {{\n    access_log off;\n    server {{ listen 127.0.0.1:21306 proxy_protocol; error_log {{PREFIX}}/error.log info; {VARS} }}\n}}\n"
    );
    let prefix = serve(&conf, &[]);
    let log = prefix_log(&prefix);
    // A request without a header is a broken header, as nginx has it:
    // every byte read is logged, nothing is answered.
    assert_eq!(
        send(21306, &[&b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"[..]]),
        Ok(String::new())
    );
    let expected = "[error] *N broken header: \"GET / HTTP/1.1\r\nHost: x\r\n\r\n\" while reading PROXY protocol, client: 127.0.0.1, server: 127.0.0.1:21306\n";
    assert!(
        log_with(&log, expected).contains(expected),
        "{}",
        log_with(&log, expected)
    );
    for (bad, logged) in [
        (
            &b"PROXY TCP4 1.2.3.4 5.6.7.8 65536 1\r\n"[..],
            "broken header: \"PROXY TCP4 1.2.3.4 5.6.7.8 65536 1\r\n\"",
        ),
        (
            b"PROXY TCP5 1.2.3.4 5.6.7.8 1 2\r\n",
            "broken header: \"PROXY TCP5 1.2.3.4 5.6.7.8 1 2\r\n\"",
        ),
        (
            b"\r\n\r\n\0\r\nQUIT\n\x11\x11\x00\x0c\0\0\0\0\0\0\0\0\0\0\0\0",
            "unknown PROXY protocol version: 1",
        ),
        (
            b"\r\n\r\n\0\r\nQUIT\n\x21\x11\x10\x00",
            "header is too large",
        ),
    ] {
        assert_eq!(send(21306, &[bad]), Ok(String::new()));
        let line = format!(
            "[error] *N {logged} while reading PROXY protocol, client: 127.0.0.1, server: 127.0.0.1:21306\n"
        );
        let text = log_with(&log, &line);
        assert!(text.contains(&line), "{text}");
    }
    // A v2 address block too short for its family: closed silently.
    assert_eq!(
        send(21306, &[&v2(0x21, 0x11, &[1, 2, 3, 4])[..]]),
        Ok(String::new())
    );
    // A header cut short by the client: what came is broken.
    let mut stream = connect(21306);
    stream.write_all(b"PROXY TCP4 1.2").unwrap();
    stream.shutdown(std::net::Shutdown::Write).unwrap();
    let mut rest = Vec::new();
    stream.read_to_end(&mut rest).unwrap();
    assert_eq!(rest, b"");
    let line = "[error] *N broken header: \"PROXY TCP4 1.2\" while reading PROXY protocol, client: 127.0.0.1, server: 127.0.0.1:21306\n";
    let text = log_with(&log, line);
    assert!(text.contains(line), "{text}");
    // Closed before a byte: nginx's info line.
    drop(connect(21306));
    let line = "[info] *N client closed connection while reading PROXY protocol, client: 127.0.0.1, server: 127.0.0.1:21306\n";
    let text = log_with(&log, line);
    assert!(text.contains(line), "{text}");
    assert!(!text.contains("[error] *N  while"), "{text}");
}

#[test]
fn the_header_is_waited_for_client_header_timeout() {
    let conf = format!(
        "events {{}}\nhttp {{\n    access_log off;\n    client_header_timeout 1s;\n    server {{ listen 127.0.0.1:21307 proxy_protocol; error_log {{PREFIX}}/error.log info; {VARS} }}\n}}\n"
    );
    let prefix = serve(&conf, &[]);
    let started = Instant::now();
    assert_eq!(send(21307, &[&b"PROXY TCP4 "[..]]), Ok(String::new()));
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(900) && waited < Duration::from_secs(4),
        "{waited:?}"
    );
    let line = "[info] *N client timed out (110: Connection timed out) while reading PROXY protocol, client: 127.0.0.1, server: 127.0.0.1:21307\n";
    let text = log_with(&prefix_log(&prefix), line);
    assert!(text.contains(line), "{text}");
}

#[test]
fn a_tls_port_reads_the_header_before_the_handshake() {
    use rustls::pki_types::ServerName;
    let cert = tls_common::make_cert(&["pp.test"], false);
    let conf = "events {}\nhttp {\n    access_log off;\n    server { listen 127.0.0.1:21308 ssl proxy_protocol; ssl_certificate pp.crt; ssl_certificate_key pp.key;\n        set_real_ip_from 127.0.0.1; real_ip_header proxy_protocol; error_log {PREFIX}/error.log info;\n        return 200 \"$proxy_protocol_addr:$proxy_protocol_port $remote_addr https=$https\\n\"; }\n}\n";
    let prefix = serve(
        conf,
        &[
            ("pp.crt", cert.cert_pem.as_bytes()),
            ("pp.key", cert.key_pem.as_bytes()),
        ],
    );
    let config = tls_common::client_config(&[], &[], tls_common::Recorder::new(Vec::new()));
    let mut socket = connect(21308);
    socket
        .write_all(b"PROXY TCP4 1.2.3.4 5.6.7.8 111 222\r\n")
        .unwrap();
    let connection =
        rustls::ClientConnection::new(config, ServerName::try_from("pp.test").unwrap()).unwrap();
    let mut tls = rustls::StreamOwned::new(connection, socket);
    tls.write_all(b"GET / HTTP/1.1\r\nHost: pp.test\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut response = Vec::new();
    let _ = tls.read_to_end(&mut response);
    let response = String::from_utf8_lossy(&response);
    assert!(response.starts_with("HTTP/1.1 200 OK\r\n"), "{response}");
    assert_eq!(body(&response), "1.2.3.4:111 1.2.3.4 https=on\n");

    // A handshake without a header is a broken header: nginx logs the
    // ClientHello's bytes and closes.
    let config = tls_common::client_config(&[], &[], tls_common::Recorder::new(Vec::new()));
    let outcome = tls_common::tls_exchange(21308, "pp.test", config, b"GET / HTTP/1.0\r\n\r\n");
    assert!(outcome.is_err());
    let text = log_with(
        &prefix_log(&prefix),
        "[error] *N broken header: \"\u{16}\u{3}",
    );
    assert!(
        text.contains("[error] *N broken header: \"\u{16}\u{3}"),
        "{text}"
    );
    assert!(
        text.contains(
            "\" while reading PROXY protocol, client: 127.0.0.1, server: 127.0.0.1:21308\n"
        ),
        "{text}"
    );
}
