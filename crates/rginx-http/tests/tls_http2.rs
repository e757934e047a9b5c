//! HTTP/2: over TLS when ALPN picks `h2` on `listen ... ssl http2`, HTTP/1.1
//! on the same port for clients without it, and h2c (prior knowledge) on a
//! plain `listen ... http2`.

#[allow(dead_code)]
mod common;
mod tls_common;

use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper_util::rt::{TokioExecutor, TokioIo};
use std::sync::Arc;
use tls_common::{Recorder, body, client_config, get, make_cert, tls_exchange};

/// Sends `paths` as concurrent HTTP/2 requests on one connection; returns
/// (status, body) of each.
async fn h2_requests<IO>(io: IO, authority: &str, paths: &[&str]) -> Vec<(u16, String)>
where
    IO: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let (sender, connection) =
        hyper::client::conn::http2::handshake(TokioExecutor::new(), TokioIo::new(io))
            .await
            .unwrap();
    tokio::spawn(connection);
    let mut tasks = Vec::new();
    for path in paths {
        let mut sender = sender.clone();
        let request = http::Request::builder()
            .uri(format!("https://{authority}{path}"))
            .body(Empty::<Bytes>::new())
            .unwrap();
        tasks.push(tokio::spawn(async move {
            let response = sender.send_request(request).await.unwrap();
            let status = response.status().as_u16();
            let bytes = response.into_body().collect().await.unwrap().to_bytes();
            (status, String::from_utf8_lossy(&bytes).into_owned())
        }));
    }
    let mut out = Vec::new();
    for task in tasks {
        out.push(task.await.unwrap());
    }
    out
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn h2_over_tls_by_alpn_and_h1_for_others() {
    let cert = make_cert(&["h2.test"], false);
    let conf = r#"events {}
http {
    server {
        listen 127.0.0.1:20440 ssl http2;
        server_name h2.test;
        ssl_certificate h2.crt; ssl_certificate_key h2.key;
        location / { root {PREFIX}/html; }
        location /v { return 200 "$server_protocol $http2 $ssl_alpn_protocol $scheme $request\n"; }
    }
    server {
        listen 127.0.0.1:20441 ssl;
        ssl_certificate h2.crt; ssl_certificate_key h2.key;
        return 200 "$server_protocol\n";
    }
}
"#;
    let page = "x".repeat(100_000);
    common::serve(
        conf,
        &[
            ("h2.crt", cert.cert_pem.as_bytes()),
            ("h2.key", cert.key_pem.as_bytes()),
            ("html/big.txt", page.as_bytes()),
        ],
    );
    let config = client_config(&[], &[b"h2", b"http/1.1"], Recorder::new(Vec::new()));
    let results = runtime().block_on(async {
        let tcp = loop {
            match tokio::net::TcpStream::connect("127.0.0.1:20440").await {
                Ok(tcp) => break tcp,
                Err(_) => tokio::time::sleep(std::time::Duration::from_millis(10)).await,
            }
        };
        let connector = tokio_rustls::TlsConnector::from(config.clone());
        let name = rustls::pki_types::ServerName::try_from("h2.test").unwrap();
        let tls = connector.connect(name, tcp).await.unwrap();
        assert_eq!(tls.get_ref().1.alpn_protocol(), Some(&b"h2"[..]));
        h2_requests(tls, "h2.test", &["/v?a=1", "/big.txt", "/missing", "/v"]).await
    });
    assert_eq!(results[0].0, 200);
    assert_eq!(results[0].1, "HTTP/2.0 h2 h2 https GET /v?a=1 HTTP/2.0\n");
    assert_eq!(results[1], (200, page.clone()));
    assert_eq!(results[2].0, 404);
    assert!(results[2].1.contains("<title>404 Not Found</title>"));
    assert_eq!(results[3].0, 200);
    // A client without ALPN h2 gets HTTP/1.1 on the same port.
    let h1 = tls_exchange(
        20440,
        "h2.test",
        client_config(&[], &[b"http/1.1"], Recorder::new(Vec::new())),
        &get("h2.test"),
    )
    .unwrap();
    assert_eq!(h1.alpn.as_deref(), Some(&b"http/1.1"[..]));
    let h1 = tls_exchange(
        20440,
        "h2.test",
        client_config(&[], &[], Recorder::new(Vec::new())),
        b"GET /v HTTP/1.1\r\nHost: h2.test\r\nConnection: close\r\n\r\n",
    )
    .unwrap();
    // No ALPN: $ssl_alpn_protocol and $http2 are empty.
    assert_eq!(body(&h1.response), "HTTP/1.1   https GET /v HTTP/1.1\n");
    // A port without http2 does not offer h2.
    let plain = tls_exchange(
        20441,
        "h2.test",
        client_config(&[], &[b"h2", b"http/1.1"], Recorder::new(Vec::new())),
        &get("h2.test"),
    )
    .unwrap();
    assert_eq!(plain.alpn.as_deref(), Some(&b"http/1.1"[..]));
    assert_eq!(body(&plain.response), "HTTP/1.1\n");
}

#[test]
fn h2c_with_prior_knowledge() {
    let conf = r#"events {}
http {
    server {
        listen 127.0.0.1:20442 http2;
        return 200 "$server_protocol $http2 $scheme\n";
    }
}
"#;
    common::serve(conf, &[]);
    let results = runtime().block_on(async {
        let tcp = loop {
            match tokio::net::TcpStream::connect("127.0.0.1:20442").await {
                Ok(tcp) => break tcp,
                Err(_) => tokio::time::sleep(std::time::Duration::from_millis(10)).await,
            }
        };
        h2_requests(tcp, "localhost", &["/"]).await
    });
    assert_eq!(results, vec![(200, "HTTP/2.0 h2c http\n".to_string())]);
    let _ = Arc::new(());
}
