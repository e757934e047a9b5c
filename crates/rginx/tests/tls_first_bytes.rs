//! A TLS port reads the first bytes of a connection to tell a handshake
//! from plain HTTP and hands them on: a ClientHello must reach the
//! handshake and a plain request the HTTP codec whole, however the client
//! splits them and however long they are.
//!
//! The real binary is started on 127.0.0.1:21700 and 21701 in prefixes of
//! its own; every wait is bounded and only the processes these tests
//! started are stopped. The ClientHello is written by hand (TLS 1.2, ECDHE
//! with ECDSA or RSA, AES-GCM), as this crate has no TLS client.

mod common;

use common::Rginx;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// A self-signed P-256 certificate for `localhost`, valid until 2126.
const CERT: &str = "-----BEGIN CERTIFICATE-----
MIIBfjCCASWgAwIBAgIUOUzm9PjEe2NCK4eW9Rm6wtAtJTkwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTEyMzE1NDIzMFoYDzIxMjYxMDMw
MTU0MjMwWjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAAT6Svj6hCfNjjJo4bUfap4WnAlrm9S5ZITZUEtB1Q90FG2ULS/kBwC1
kZphESQRP+4iBs+sP8sKzQOjqb/Olg8to1MwUTAdBgNVHQ4EFgQU2QzSxQweZiG6
25K7usMb+NZzTEEwHwYDVR0jBBgwFoAU2QzSxQweZiG625K7usMb+NZzTEEwDwYD
VR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNHADBEAiBtznsu28rvxX4seeqhUWeA
bYafzW5DVzcV9Jos+xBOQAIgfojzMy58Rogu6vq/xhxBORXKZG9Rpa/fHBXpng1F
FuY=
-----END CERTIFICATE-----
";

const KEY: &str = "-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgXZQUG7Gb2eUToKtz
ObavFz2JAeatCyC/8YAuhed2GJahRANCAAT6Svj6hCfNjjJo4bUfap4WnAlrm9S5
ZITZUEtB1Q90FG2ULS/kBwC1kZphESQRP+4iBs+sP8sKzQOjqb/Olg8t
-----END PRIVATE KEY-----
";

/// rginx serving `return 200` on a TLS port, from a prefix of its own.
struct Server {
    /// Held for its drop, which stops the server.
    _rginx: Rginx,
    port: u16,
}

impl Server {
    fn start(port: u16) -> Server {
        let mut rginx = Rginx::prefix(&format!("tls-first-bytes-{port}"), port, &[]);
        std::fs::write(rginx.dir.join("cert.pem"), CERT).unwrap();
        std::fs::write(rginx.dir.join("key.pem"), KEY).unwrap();
        rginx.start(
            &format!(
                "daemon off;\nworker_processes 1;\nerror_log logs/error.log;\n\
                 pid logs/nginx.pid;\nevents {{}}\nhttp {{\n    server {{\n        \
                 listen 127.0.0.1:{port} ssl;\n        ssl_certificate cert.pem;\n        \
                 ssl_certificate_key key.pem;\n        return 200 \"ok\\n\";\n    }}\n}}\n"
            ),
            true,
        );
        Server {
            _rginx: rginx,
            port,
        }
    }

    /// Sends `pieces` with a pause between them, then reads what comes back
    /// until `enough` says it is enough, the server closes, or 5 s pass.
    fn exchange(&self, pieces: &[&[u8]], enough: impl Fn(&[u8]) -> bool) -> Vec<u8> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        for (index, piece) in pieces.iter().enumerate() {
            if index > 0 {
                std::thread::sleep(Duration::from_millis(150));
            }
            stream.write_all(piece).unwrap();
        }
        let mut got = Vec::new();
        let mut buf = [0u8; 4096];
        while !enough(&got) {
            match stream.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
        got
    }
}

fn extension(kind: u16, data: &[u8]) -> Vec<u8> {
    let mut out = kind.to_be_bytes().to_vec();
    out.extend_from_slice(&(data.len() as u16).to_be_bytes());
    out.extend_from_slice(data);
    out
}

/// A TLS 1.2 ClientHello, `padding` bytes of padding extension making it as
/// long as wanted.
fn client_hello(padding: usize) -> Vec<u8> {
    let mut extensions = Vec::new();
    // supported_groups: x25519, secp256r1.
    extensions.extend(extension(0x000a, &[0, 4, 0x00, 0x1d, 0x00, 0x17]));
    // ec_point_formats: uncompressed.
    extensions.extend(extension(0x000b, &[1, 0]));
    // signature_algorithms: ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256,
    // rsa_pkcs1_sha256.
    extensions.extend(extension(
        0x000d,
        &[0, 6, 0x04, 0x03, 0x08, 0x04, 0x04, 0x01],
    ));
    // extended_master_secret.
    extensions.extend(extension(0x0017, &[]));
    if padding > 0 {
        extensions.extend(extension(0x0015, &vec![0u8; padding]));
    }
    let mut body = vec![0x03, 0x03];
    body.extend((0u8..32).collect::<Vec<u8>>());
    // No session id; ECDHE-ECDSA-AES128-GCM-SHA256, ECDHE-RSA-AES128-GCM-SHA256;
    // no compression.
    body.extend_from_slice(&[0, 0, 4, 0xc0, 0x2b, 0xc0, 0x2f, 1, 0]);
    body.extend_from_slice(&(extensions.len() as u16).to_be_bytes());
    body.extend(extensions);
    let mut handshake = vec![1];
    handshake.extend_from_slice(&(body.len() as u32).to_be_bytes()[1..]);
    handshake.extend(body);
    let mut record = vec![0x16, 0x03, 0x01];
    record.extend_from_slice(&(handshake.len() as u16).to_be_bytes());
    record.extend(handshake);
    record
}

/// The first record is a ServerHello.
fn server_hello(got: &[u8]) -> bool {
    got.len() >= 6 && got[0] == 0x16 && got[1] == 0x03 && got[2] == 0x03 && got[5] == 0x02
}

#[test]
fn a_client_hello_reaches_the_handshake_however_it_is_split() {
    let server = Server::start(21700);
    let short = client_hello(0);
    // Longer than one read of the first bytes: the rest comes from the
    // socket after what was read.
    let long = client_hello(6000);
    for (name, hello) in [("short", &short), ("long", &long)] {
        let at = |n: usize| n.min(hello.len());
        let splits: Vec<Vec<&[u8]>> = vec![
            vec![&hello[..]],
            vec![&hello[..1], &hello[1..]],
            vec![&hello[..1], &hello[1..at(9)], &hello[at(9)..]],
            vec![&hello[..at(4096)], &hello[at(4096)..]],
            vec![&hello[..at(5000)], &hello[at(5000)..]],
        ];
        for pieces in splits {
            let sizes: Vec<usize> = pieces.iter().map(|p| p.len()).collect();
            let got = server.exchange(&pieces, |got| got.len() >= 6);
            assert!(
                server_hello(&got),
                "{name} ClientHello in pieces {sizes:?}: got {:02x?}",
                &got[..got.len().min(16)]
            );
        }
    }
}

#[test]
fn plain_http_on_the_tls_port_gets_the_400_page_however_it_is_split() {
    let server = Server::start(21701);
    let short = b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".to_vec();
    // A head longer than one read of the first bytes.
    let long = format!(
        "GET / HTTP/1.1\r\nHost: localhost\r\nX-Long: {}\r\n\r\n",
        "a".repeat(6000)
    )
    .into_bytes();
    for (name, request) in [("short", &short), ("long", &long)] {
        let at = |n: usize| n.min(request.len());
        let splits: Vec<Vec<&[u8]>> = vec![
            vec![&request[..]],
            vec![&request[..1], &request[1..]],
            vec![&request[..at(4096)], &request[at(4096)..]],
        ];
        for pieces in splits {
            let sizes: Vec<usize> = pieces.iter().map(|p| p.len()).collect();
            let got = server.exchange(&pieces, |got| got.ends_with(b"</html>\r\n"));
            let text = String::from_utf8_lossy(&got);
            assert!(
                text.starts_with("HTTP/1.1 400 Bad Request\r\n")
                    && text.contains("The plain HTTP request was sent to HTTPS port"),
                "{name} request in pieces {sizes:?}: {text}"
            );
        }
    }
}
