//! `proxy_pass https://...` (verification, SNI, client certificates,
//! keep-alive) and client-certificate verification on a TLS port
//! (`ssl_verify_client`, `$ssl_client_verify`, `$ssl_client_s_dn`).
//!
//! The upstreams are TLS servers run by the test (rustls, blocking); each
//! answers with what it saw: the SNI name, whether a client certificate
//! came, and which of its connections carried the request.

mod common;
mod tls_common;

use common::{exchange, serve};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tls_common::{
    IssuedCert, body, client_config, client_config_with_cert, get, make_ca, self_signed,
    tls_exchange,
};

/// Runs a TLS upstream on `port` with `cert`; with `client_ca`, it asks
/// for (but does not require) a client certificate issued by that CA.
fn tls_upstream(port: u16, cert: &IssuedCert, client_ca: Option<&str>) {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let builder = rustls::ServerConfig::builder_with_provider(provider.clone())
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
        .unwrap();
    let builder = match client_ca {
        Some(pem) => {
            let mut roots = rustls::RootCertStore::empty();
            roots.add(CertificateDer::from(pem_der(pem))).unwrap();
            let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
                Arc::new(roots),
                provider,
            )
            .allow_unauthenticated()
            .build()
            .unwrap();
            builder.with_client_cert_verifier(verifier)
        }
        None => builder.with_no_client_auth(),
    };
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(cert.key_der.clone()));
    let config = Arc::new(
        builder
            .with_single_cert(vec![CertificateDer::from(cert.der.clone())], key)
            .unwrap(),
    );
    let listener = TcpListener::bind(("127.0.0.1", port)).unwrap();
    std::thread::spawn(move || {
        let connections = AtomicU64::new(0);
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let id = connections.fetch_add(1, Ordering::Relaxed) + 1;
            let config = config.clone();
            std::thread::spawn(move || serve_tls(stream, config, id));
        }
    });
}

/// One upstream connection: requests answered until `Connection: close`
/// or the end.
fn serve_tls(stream: std::net::TcpStream, config: Arc<rustls::ServerConfig>, id: u64) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let Ok(connection) = rustls::ServerConnection::new(config) else {
        return;
    };
    let mut tls = rustls::StreamOwned::new(connection, stream);
    let mut pending = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let end = loop {
            if let Some(end) = pending.windows(4).position(|w| w == b"\r\n\r\n") {
                break end + 4;
            }
            match tls.read(&mut buf) {
                Ok(0) | Err(_) => return,
                Ok(n) => pending.extend_from_slice(&buf[..n]),
            }
        };
        let head = String::from_utf8_lossy(&pending[..end]).to_ascii_lowercase();
        pending.drain(..end);
        if head.contains("upgrade: websocket") {
            // A tunnel: 101, then every byte echoed.
            let switching =
                b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n";
            if tls.write_all(switching).is_err() || tls.flush().is_err() {
                return;
            }
            if !pending.is_empty() && tls.write_all(&pending).is_err() {
                return;
            }
            loop {
                match tls.read(&mut buf) {
                    Ok(0) | Err(_) => return,
                    Ok(n) => {
                        if tls.write_all(&buf[..n]).is_err() || tls.flush().is_err() {
                            return;
                        }
                    }
                }
            }
        }
        let sni = tls.conn.server_name().unwrap_or("-").to_string();
        let client = match tls.conn.peer_certificates() {
            Some(chain) if !chain.is_empty() => "yes",
            _ => "no",
        };
        let resumed = tls.conn.handshake_kind() == Some(rustls::HandshakeKind::Resumed);
        let body = format!("sni={sni} conn={id} client={client} resumed={resumed}\n");
        let close = head.contains("connection: close");
        let response = format!(
            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\n{}\r\n{body}",
            body.len(),
            if close { "Connection: close\r\n" } else { "" }
        );
        if tls.write_all(response.as_bytes()).is_err() || tls.flush().is_err() {
            return;
        }
        if close {
            tls.conn.send_close_notify();
            let _ = tls.flush();
            return;
        }
    }
}

/// The DER of the first PEM block.
fn pem_der(pem: &str) -> Vec<u8> {
    use base64::Engine;
    let text: String = pem
        .lines()
        .filter(|line| !line.starts_with("-----"))
        .collect();
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .unwrap()
}

/// Waits (boundedly) for `needle` in the file.
fn log_contains(path: &Path, needle: &str) -> bool {
    let deadline = Instant::now() + Duration::from_secs(3);
    loop {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        if text.contains(needle) {
            return true;
        }
        if Instant::now() > deadline {
            eprintln!("{}:\n{text}", path.display());
            return false;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn request(path: &str) -> Vec<u8> {
    format!("GET {path} HTTP/1.1\r\nHost: front\r\nConnection: close\r\n\r\n").into_bytes()
}

#[test]
fn https_upstream_verification_and_sni() {
    let ca = make_ca("Upstream CA");
    let other_ca = make_ca("Other CA");
    let upstream = ca.issue(&["backend.internal"], "backend.internal", "Backend");
    tls_upstream(20551, &upstream, None);
    let lone = self_signed(&["localhost"], "localhost", "Lone");
    tls_upstream(20552, &lone, None);
    let conf = r#"
events {}
http {
    error_log {PREFIX}/error.log info;
    access_log off;
    server {
        listen 127.0.0.1:20550;
        # proxy_ssl_verify off (the default): any certificate.
        location /self-signed { proxy_pass https://127.0.0.1:20552; }
        location /good {
            proxy_pass https://127.0.0.1:20551;
            proxy_ssl_verify on;
            proxy_ssl_trusted_certificate ca.pem;
            proxy_ssl_name backend.internal;
            proxy_ssl_server_name on;
        }
        location /no-reuse {
            proxy_pass https://127.0.0.1:20551;
            proxy_ssl_session_reuse off;
        }
        location /no-sni {
            proxy_pass https://127.0.0.1:20551;
            proxy_ssl_verify on;
            proxy_ssl_trusted_certificate ca.pem;
            proxy_ssl_name backend.internal;
        }
        location /wrong-ca {
            proxy_pass https://127.0.0.1:20551;
            proxy_ssl_verify on;
            proxy_ssl_trusted_certificate other-ca.pem;
            proxy_ssl_name backend.internal;
        }
        location /wrong-name {
            proxy_pass https://127.0.0.1:20551;
            proxy_ssl_verify on;
            proxy_ssl_trusted_certificate ca.pem;
            proxy_ssl_name elsewhere.internal;
        }
        location /tls13 {
            proxy_pass https://127.0.0.1:20551;
            proxy_ssl_protocols TLSv1.3;
            proxy_ssl_server_name on;
            proxy_ssl_name tls13.internal;
        }
    }
}
"#;
    let prefix = serve(
        conf,
        &[
            ("ca.pem", ca.cert_pem.as_bytes()),
            ("other-ca.pem", other_ca.cert_pem.as_bytes()),
        ],
    );
    let log = prefix.join("error.log");

    let response = exchange(20550, &request("/self-signed"));
    assert!(response.starts_with("HTTP/1.1 200 "), "{response}");
    assert!(body(&response).starts_with("sni=- "), "{response}");

    let response = exchange(20550, &request("/good"));
    assert!(response.starts_with("HTTP/1.1 200 "), "{response}");
    assert!(
        body(&response).starts_with("sni=backend.internal "),
        "{response}"
    );

    // proxy_ssl_session_reuse on (the default): the next connection
    // resumes the session.
    let response = exchange(20550, &request("/good"));
    assert!(body(&response).contains("resumed=true"), "{response}");

    for _ in 0..2 {
        let response = exchange(20550, &request("/no-reuse"));
        assert!(body(&response).contains("resumed=false"), "{response}");
    }

    // proxy_ssl_server_name off: verified by name, but no SNI sent.
    let response = exchange(20550, &request("/no-sni"));
    assert!(response.starts_with("HTTP/1.1 200 "), "{response}");
    assert!(body(&response).starts_with("sni=- "), "{response}");

    let response = exchange(20550, &request("/tls13"));
    assert!(response.starts_with("HTTP/1.1 200 "), "{response}");
    assert!(
        body(&response).starts_with("sni=tls13.internal "),
        "{response}"
    );

    let response = exchange(20550, &request("/wrong-ca"));
    assert!(response.starts_with("HTTP/1.1 502 "), "{response}");
    assert!(log_contains(
        &log,
        "upstream SSL certificate verify error: (21:unable to verify the first certificate) \
         while SSL handshaking to upstream"
    ));

    let response = exchange(20550, &request("/wrong-name"));
    assert!(response.starts_with("HTTP/1.1 502 "), "{response}");
    assert!(log_contains(
        &log,
        "upstream SSL certificate does not match \"elsewhere.internal\" while SSL handshaking to upstream"
    ));
}

#[test]
fn https_upstream_keepalive_and_client_certificate() {
    let ca = make_ca("Pool CA");
    let upstream = ca.issue(&["pool.internal"], "pool.internal", "Pool");
    let client_ca = make_ca("Client CA");
    let proxy_cert = client_ca.issue(&["proxy.internal"], "proxy", "Proxy");
    tls_upstream(20556, &upstream, Some(&client_ca.cert_pem));
    let conf = r#"
events {}
http {
    access_log off;
    upstream pool {
        server 127.0.0.1:20556;
        keepalive 4;
    }
    server {
        listen 127.0.0.1:20555;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        location /a {
            proxy_pass https://pool;
            proxy_ssl_server_name on;
            proxy_ssl_name a.internal;
        }
        location /b {
            proxy_pass https://pool;
            proxy_ssl_server_name on;
            proxy_ssl_name b.internal;
        }
        location /ws {
            proxy_pass https://pool;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
        }
        location /cert {
            proxy_pass https://pool;
            proxy_ssl_certificate proxy.pem;
            proxy_ssl_certificate_key proxy.key;
        }
    }
}
"#;
    serve(
        conf,
        &[
            ("proxy.pem", proxy_cert.cert_pem.as_bytes()),
            ("proxy.key", proxy_cert.key_pem.as_bytes()),
        ],
    );
    let conn_of = |response: &str| -> String {
        assert!(response.starts_with("HTTP/1.1 200 "), "{response}");
        body(response)
            .split_whitespace()
            .find(|part| part.starts_with("conn="))
            .unwrap_or_default()
            .to_string()
    };
    let first = exchange(20555, &request("/a"));
    assert!(body(&first).starts_with("sni=a.internal "), "{first}");
    assert!(body(&first).contains("client=no"), "{first}");
    let second = exchange(20555, &request("/a"));
    // The TLS connection went back to the pool and was used again.
    assert_eq!(conn_of(&first), conn_of(&second), "{first}{second}");
    // Another name is another TLS configuration: not that connection.
    let other = exchange(20555, &request("/b"));
    assert!(body(&other).starts_with("sni=b.internal "), "{other}");
    assert_ne!(conn_of(&first), conn_of(&other), "{first}{other}");
    let third = exchange(20555, &request("/a"));
    assert_eq!(conn_of(&first), conn_of(&third), "{first}{third}");

    let with_cert = exchange(20555, &request("/cert"));
    assert!(body(&with_cert).contains("client=yes"), "{with_cert}");

    // WebSocket over the TLS upstream: the tunnel relays both ways.
    let mut client = std::net::TcpStream::connect(("127.0.0.1", 20555)).unwrap();
    client
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    client
        .write_all(
            b"GET /ws HTTP/1.1\r\nHost: front\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
        )
        .unwrap();
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        assert_eq!(client.read(&mut byte).unwrap(), 1, "{head:?}");
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head);
    assert!(head.starts_with("HTTP/1.1 101 "), "{head}");
    client.write_all(b"through the tunnel").unwrap();
    let mut echoed = [0u8; 18];
    client.read_exact(&mut echoed).unwrap();
    assert_eq!(&echoed, b"through the tunnel");
}

#[test]
fn client_certificates_optional_and_required() {
    let ca = make_ca("Client CA");
    let server = self_signed(&["mtls.test"], "mtls.test", "Front");
    let good = ca.issue(&["client.test"], "client, one", "Test Org");
    let stranger = self_signed(&["stranger.test"], "stranger", "Nobody");
    let conf = r#"
events {}
http {
    error_log {PREFIX}/error.log info;
    access_log off;
    server {
        listen 127.0.0.1:20560 ssl;
        ssl_certificate server.pem;
        ssl_certificate_key server.key;
        ssl_client_certificate ca.pem;
        ssl_verify_client optional;
        ssl_verify_depth 2;
        location / { return 200 "$ssl_client_verify|$ssl_client_s_dn|$ssl_client_i_dn\n"; }
    }
    server {
        listen 127.0.0.1:20561 ssl;
        ssl_certificate server.pem;
        ssl_certificate_key server.key;
        ssl_client_certificate ca.pem;
        ssl_verify_client on;
        location / { return 200 "$ssl_client_verify\n"; }
    }
    server {
        listen 127.0.0.1:20562 ssl;
        ssl_certificate server.pem;
        ssl_certificate_key server.key;
        ssl_verify_client optional_no_ca;
        location / { return 200 "$ssl_client_verify|$ssl_client_s_dn\n"; }
    }
}
"#;
    let prefix = serve(
        conf,
        &[
            ("server.pem", server.cert_pem.as_bytes()),
            ("server.key", server.key_pem.as_bytes()),
            ("ca.pem", ca.cert_pem.as_bytes()),
        ],
    );
    let anonymous = client_config(&[], &[], tls_common::Recorder::new(Vec::new()));

    let none = tls_exchange(20560, "mtls.test", anonymous.clone(), &get("mtls.test")).unwrap();
    assert!(
        none.response.starts_with("HTTP/1.1 200 "),
        "{}",
        none.response
    );
    assert_eq!(body(&none.response), "NONE||\n");

    let ok = tls_exchange(
        20560,
        "mtls.test",
        client_config_with_cert(&good),
        &get("mtls.test"),
    )
    .unwrap();
    assert_eq!(
        body(&ok.response),
        "SUCCESS|CN=client\\, one,O=Test Org|CN=Client CA\n",
        "{}",
        ok.response
    );

    // optional: a certificate that does not verify refuses the request.
    let bad = tls_exchange(
        20560,
        "mtls.test",
        client_config_with_cert(&stranger),
        &get("mtls.test"),
    )
    .unwrap();
    assert!(
        bad.response.starts_with("HTTP/1.1 400 "),
        "{}",
        bad.response
    );
    assert!(
        bad.response.contains("The SSL certificate error"),
        "{}",
        bad.response
    );
    assert!(log_contains(
        &prefix.join("error.log"),
        "client SSL certificate verify error: (18:self-signed certificate)"
    ));

    // on: the handshake completes, the request is refused as nginx does.
    let missing = tls_exchange(20561, "mtls.test", anonymous.clone(), &get("mtls.test")).unwrap();
    assert!(
        missing.response.starts_with("HTTP/1.1 400 "),
        "{}",
        missing.response
    );
    assert!(
        missing
            .response
            .contains("No required SSL certificate was sent"),
        "{}",
        missing.response
    );
    assert!(log_contains(
        &prefix.join("error.log"),
        "client sent no required SSL certificate"
    ));
    let required = tls_exchange(
        20561,
        "mtls.test",
        client_config_with_cert(&good),
        &get("mtls.test"),
    )
    .unwrap();
    assert_eq!(
        body(&required.response),
        "SUCCESS\n",
        "{}",
        required.response
    );

    // optional_no_ca: an unknown issuer is let through, reported FAILED.
    let no_ca = tls_exchange(
        20562,
        "mtls.test",
        client_config_with_cert(&stranger),
        &get("mtls.test"),
    )
    .unwrap();
    assert_eq!(
        body(&no_ca.response),
        "FAILED:self-signed certificate|CN=stranger,O=Nobody\n",
        "{}",
        no_ca.response
    );
}
