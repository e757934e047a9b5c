//! WebSocket through the proxy: nginx's canonical configuration (HTTP/1.1,
//! `Upgrade` and `Connection` from a map) gives the client the upstream's
//! 101, then a tunnel: 1000 echoed messages both ways, the close
//! handshake, and `proxy_read_timeout` as the tunnel's idle timeout.

mod common;
mod proxy_support;

use proxy_support::{Client, read_request};
use std::io::{BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

/// Reads one frame: (opcode, payload), unmasking if needed.
fn read_frame(reader: &mut impl Read) -> Option<(u8, Vec<u8>)> {
    let mut head = [0u8; 2];
    reader.read_exact(&mut head).ok()?;
    let opcode = head[0] & 0x0f;
    let masked = head[1] & 0x80 != 0;
    let mut len = u64::from(head[1] & 0x7f);
    if len == 126 {
        let mut ext = [0u8; 2];
        reader.read_exact(&mut ext).ok()?;
        len = u64::from(u16::from_be_bytes(ext));
    } else if len == 127 {
        let mut ext = [0u8; 8];
        reader.read_exact(&mut ext).ok()?;
        len = u64::from_be_bytes(ext);
    }
    let mut key = [0u8; 4];
    if masked {
        reader.read_exact(&mut key).ok()?;
    }
    let mut payload = vec![0u8; usize::try_from(len).ok()?];
    reader.read_exact(&mut payload).ok()?;
    if masked {
        for (i, b) in payload.iter_mut().enumerate() {
            *b ^= key[i % 4];
        }
    }
    Some((opcode, payload))
}

fn frame(opcode: u8, payload: &[u8], mask: Option<[u8; 4]>) -> Vec<u8> {
    let mut out = vec![0x80 | opcode];
    let mask_bit = if mask.is_some() { 0x80 } else { 0 };
    match payload.len() {
        n if n < 126 => out.push(mask_bit | n as u8),
        n if n <= 0xffff => {
            out.push(mask_bit | 126);
            out.extend_from_slice(&(n as u16).to_be_bytes());
        }
        n => {
            out.push(mask_bit | 127);
            out.extend_from_slice(&(n as u64).to_be_bytes());
        }
    }
    match mask {
        Some(key) => {
            out.extend_from_slice(&key);
            out.extend(payload.iter().enumerate().map(|(i, b)| b ^ key[i % 4]));
        }
        None => out.extend_from_slice(payload),
    }
    out
}

/// An echo server: answers the upgrade, echoes data frames, answers the
/// close frame and closes.
fn start_echo(port: u16) {
    let listener = TcpListener::bind(("127.0.0.1", port)).unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            std::thread::spawn(move || {
                let mut writer = stream.try_clone().unwrap();
                let mut reader = BufReader::new(stream);
                let Some(request) = read_request(&mut reader, 0) else {
                    return;
                };
                if request.header("upgrade") != Some("websocket") {
                    let _ =
                        writer.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
                    return;
                }
                let _ = writer.write_all(
                    b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\
                      Connection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n",
                );
                while let Some((opcode, payload)) = read_frame(&mut reader) {
                    let _ = writer.write_all(&frame(opcode, &payload, None));
                    if opcode == 8 {
                        let _ = writer.shutdown(std::net::Shutdown::Both);
                        return;
                    }
                }
            });
        }
    });
}

const UPGRADE: &[u8] = b"GET /ws/chat HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\n\
    Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\
    Sec-WebSocket-Version: 13\r\n\r\n";

fn serve(port: u16, backend: u16, read_timeout: &str) {
    common::serve(
        &format!(
            "events {{}}\nhttp {{ access_log off;\n\
             map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}\n\
             upstream ws {{ server 127.0.0.1:{backend}; }}\n\
             server {{ listen 127.0.0.1:{port};\n\
             location /ws/ {{ proxy_pass http://ws; proxy_http_version 1.1;\n\
             proxy_set_header Upgrade $http_upgrade;\n\
             proxy_set_header Connection $connection_upgrade;\n\
             proxy_read_timeout {read_timeout}; }} }} }}"
        ),
        &[],
    );
}

fn upgrade(port: u16) -> (BufReader<TcpStream>, TcpStream) {
    let mut client = Client::new(port);
    client.send(UPGRADE);
    let response = client.read(false).expect("an answer");
    assert_eq!(response.status, 101, "{response:?}");
    assert_eq!(response.header("upgrade"), Some("websocket"));
    assert_eq!(response.header("connection"), Some("upgrade"));
    assert_eq!(
        response.header("sec-websocket-accept"),
        Some("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    );
    client.into_parts()
}

#[test]
fn websocket_echo_through_the_proxy() {
    start_echo(20140);
    serve(20141, 20140, "60s");
    let (mut reader, mut writer) = upgrade(20141);
    let reader_thread = std::thread::spawn(move || {
        let mut got = Vec::new();
        for _ in 0..1000 {
            got.push(read_frame(&mut reader).expect("an echo"));
        }
        (reader, got)
    });
    let mut sent = Vec::new();
    for i in 0..1000usize {
        // Sizes cover the 7-bit, 16-bit and 64-bit length forms.
        let size = match i % 10 {
            0 => 70_000,
            1..=3 => 300 + i,
            _ => i % 120,
        };
        let payload: Vec<u8> = (0..size).map(|j| (i + j) as u8).collect();
        writer
            .write_all(&frame(2, &payload, Some([1, 2, 3, (i % 251) as u8])))
            .unwrap();
        sent.push(payload);
    }
    let (mut reader, got) = reader_thread.join().unwrap();
    for (i, (opcode, payload)) in got.iter().enumerate() {
        assert_eq!(*opcode, 2);
        assert_eq!(payload, &sent[i], "message {i}");
    }
    // Close handshake: the close frame comes back, then the end.
    writer
        .write_all(&frame(8, &1000u16.to_be_bytes(), Some([9, 9, 9, 9])))
        .unwrap();
    let (opcode, payload) = read_frame(&mut reader).expect("the close frame");
    assert_eq!((opcode, payload), (8, 1000u16.to_be_bytes().to_vec()));
    let mut rest = Vec::new();
    assert_eq!(reader.read_to_end(&mut rest).unwrap(), 0);
}

#[test]
fn an_idle_tunnel_closes_after_proxy_read_timeout() {
    start_echo(20142);
    serve(20143, 20142, "300ms");
    let (mut reader, mut writer) = upgrade(20143);
    writer
        .write_all(&frame(1, b"hi", Some([0, 1, 2, 3])))
        .unwrap();
    assert_eq!(read_frame(&mut reader).unwrap(), (1, b"hi".to_vec()));
    let started = Instant::now();
    let mut rest = Vec::new();
    reader
        .get_mut()
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    assert_eq!(reader.read_to_end(&mut rest).unwrap(), 0);
    let idle = started.elapsed();
    assert!(
        idle >= Duration::from_millis(250) && idle < Duration::from_secs(3),
        "{idle:?}"
    );
}

#[test]
fn without_upgrade_headers_no_tunnel() {
    // The default Connection: close and no Upgrade header: the backend
    // sees an ordinary request and refuses it.
    start_echo(20144);
    common::serve(
        "events {}\nhttp { access_log off;\n\
         server { listen 127.0.0.1:20145; location / { proxy_pass http://127.0.0.1:20144; } } }",
        &[],
    );
    let mut client = Client::new(20145);
    let response = client.request(UPGRADE);
    assert_eq!(response.status, 400);
}
