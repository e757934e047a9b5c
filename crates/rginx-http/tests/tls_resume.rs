//! TLS session resumption: tickets (the default), the session-id cache
//! with tickets off, and no resumption with both off.

#[allow(dead_code)]
mod common;
mod tls_common;

use tls_common::{Recorder, body, client_config, get, make_cert, tls_exchange};

#[test]
fn sessions_resume_as_configured() {
    let cert = make_cert(&["r.test"], false);
    let vars = r#"return 200 "reused=$ssl_session_reused $ssl_protocol\n";"#;
    let server = |port: u16, extra: &str| {
        format!(
            "server {{ listen 127.0.0.1:{port} ssl; ssl_certificate r.crt; ssl_certificate_key r.key; ssl_protocols TLSv1.2 TLSv1.3; {extra} {vars} }}\n"
        )
    };
    let conf = format!(
        "events {{}}\nhttp {{\n{}{}{}{}}}\n",
        server(20420, ""),
        server(
            20421,
            "ssl_session_tickets off; ssl_session_cache shared:SSL:1m;"
        ),
        server(20422, "ssl_session_tickets off; ssl_session_cache off;"),
        server(
            20423,
            "ssl_session_tickets off; ssl_session_cache builtin:1000 shared:T:1m; ssl_session_timeout 1s;"
        ),
    );
    let (cert_pem, key_pem) = (cert.cert_pem.clone(), cert.key_pem.clone());
    common::serve(
        &conf,
        &[
            ("r.crt", cert_pem.as_bytes()),
            ("r.key", key_pem.as_bytes()),
        ],
    );
    for (port, resumes) in [(20420, true), (20421, true), (20422, false)] {
        for versions in [vec![&rustls::version::TLS12], vec![&rustls::version::TLS13]] {
            // One client configuration keeps its session store across
            // connections, as a browser does.
            let config = client_config(&versions, &[], Recorder::new(Vec::new()));
            let first = tls_exchange(port, "r.test", config.clone(), &get("r.test")).unwrap();
            assert!(!first.resumed);
            assert!(
                body(&first.response).starts_with("reused=. "),
                "{}",
                first.response
            );
            let second = tls_exchange(port, "r.test", config.clone(), &get("r.test")).unwrap();
            assert_eq!(second.resumed, resumes, "port {port} {versions:?}");
            let expected = if resumes { "reused=r " } else { "reused=. " };
            assert!(
                body(&second.response).starts_with(expected),
                "port {port}: {}",
                second.response
            );
        }
    }
    // ssl_session_timeout: a cached session past its time is not resumed.
    let config = client_config(&[&rustls::version::TLS12], &[], Recorder::new(Vec::new()));
    tls_exchange(20423, "r.test", config.clone(), &get("r.test")).unwrap();
    let soon = tls_exchange(20423, "r.test", config.clone(), &get("r.test")).unwrap();
    assert!(soon.resumed);
    std::thread::sleep(std::time::Duration::from_millis(1300));
    let late = tls_exchange(20423, "r.test", config, &get("r.test")).unwrap();
    assert!(!late.resumed);
}

#[test]
fn ticket_key_files_are_shared_between_configurations() {
    let cert = make_cert(&["k.test"], false);
    let key: Vec<u8> = (0u8..80).collect();
    let conf = |port: u16| {
        format!(
            "events {{}}\nhttp {{ server {{ listen 127.0.0.1:{port} ssl; ssl_certificate k.crt; ssl_certificate_key k.key; ssl_session_ticket_key t.key; return 200 \"$ssl_session_reused\"; }} }}\n"
        )
    };
    let files = [
        ("k.crt", cert.cert_pem.as_bytes()),
        ("k.key", cert.key_pem.as_bytes()),
        ("t.key", key.as_slice()),
    ];
    // Two separately compiled configurations (as two machines, or a
    // reload) with the same key file open each other's tickets.
    common::serve(&conf(20424), &files);
    common::serve(&conf(20425), &files);
    let config = client_config(&[&rustls::version::TLS12], &[], Recorder::new(Vec::new()));
    let first = tls_exchange(20424, "k.test", config.clone(), &get("k.test")).unwrap();
    assert!(!first.resumed);
    let other = tls_exchange(20425, "k.test", config, &get("k.test")).unwrap();
    assert!(other.resumed);
    assert_eq!(body(&other.response), "r");
}
