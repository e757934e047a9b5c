//! TLS termination end to end: handshakes against a served configuration,
//! certificate choice by SNI, protocol limits, cipher order, rejected
//! handshakes, and plain HTTP on a TLS port.

mod common;
mod tls_common;

use rustls::SignatureScheme;
use tls_common::{Recorder, TestCert, body, client_config, get, make_cert, tls_exchange};

fn files<'a>(certs: &'a [(&'a str, &'a TestCert)]) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for (name, cert) in certs {
        out.push((format!("{name}.crt"), cert.cert_pem.clone().into_bytes()));
        out.push((format!("{name}.key"), cert.key_pem.clone().into_bytes()));
    }
    out
}

fn serve_with(conf: &str, certs: &[(&str, &TestCert)]) {
    let owned = files(certs);
    let borrowed: Vec<(&str, &[u8])> = owned
        .iter()
        .map(|(name, bytes)| (name.as_str(), bytes.as_slice()))
        .collect();
    common::serve(conf, &borrowed);
}

const VARS: &str = r#"return 200 "$server_name $ssl_protocol $ssl_cipher sni=$ssl_server_name https=$https scheme=$scheme\n";"#;

#[test]
fn sni_picks_the_certificate_among_three_servers() {
    let a = make_cert(&["a.test"], false);
    let b = make_cert(&["b.test"], true);
    let c = make_cert(&["c.test"], false);
    let conf = format!(
        "events {{}}\nhttp {{\n\
         server {{ listen 127.0.0.1:20401 ssl; server_name a.test; ssl_certificate a.crt; ssl_certificate_key a.key; {VARS} }}\n\
         server {{ listen 127.0.0.1:20401 ssl; server_name b.test; ssl_certificate b.crt; ssl_certificate_key b.key; {VARS} }}\n\
         server {{ listen 127.0.0.1:20401 ssl; server_name c.test *.c.test; ssl_certificate c.crt; ssl_certificate_key c.key; {VARS} }}\n\
         }}\n"
    );
    serve_with(&conf, &[("a", &a), ("b", &b), ("c", &c)]);
    for (sni, expected, server) in [
        ("a.test", &a, "a.test"),
        ("b.test", &b, "b.test"),
        ("c.test", &c, "c.test"),
        ("www.c.test", &c, "c.test"),
        // No server of that name: the default server's certificate.
        ("other.test", &a, "a.test"),
        ("", &a, "a.test"),
    ] {
        let recorder = Recorder::new(Vec::new());
        let config = client_config(&[], &[], recorder.clone());
        let host = if sni.is_empty() { "a.test" } else { sni };
        let exchange = tls_exchange(20401, sni, config, &get(host)).unwrap();
        let seen = recorder.seen.lock().unwrap().clone().unwrap();
        assert_eq!(seen, expected.der, "certificate for SNI {sni:?}");
        assert!(
            exchange.response.starts_with("HTTP/1.1 200 OK\r\n"),
            "{}",
            exchange.response
        );
        let line = body(&exchange.response);
        // nginx 1.22's default protocols stop at TLS 1.2.
        assert!(
            line.starts_with(&format!("{server} TLSv1.2 ECDHE-")),
            "{line}"
        );
        assert!(
            line.ends_with(&format!("sni={sni} https=on scheme=https\n")),
            "{line}"
        );
    }
}

#[test]
fn protocol_limits() {
    let cert = make_cert(&["p.test"], false);
    let conf = format!(
        "events {{}}\nhttp {{\n\
         server {{ listen 127.0.0.1:20402 ssl; ssl_certificate p.crt; ssl_certificate_key p.key; ssl_protocols TLSv1.2; {VARS} }}\n\
         server {{ listen 127.0.0.1:20403 ssl; ssl_certificate p.crt; ssl_certificate_key p.key; ssl_protocols TLSv1.3; {VARS} }}\n\
         server {{ listen 127.0.0.1:20404 ssl; ssl_certificate p.crt; ssl_certificate_key p.key; ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3; {VARS} }}\n\
         }}\n"
    );
    serve_with(&conf, &[("p", &cert)]);
    let tls12 = [&rustls::version::TLS12];
    let tls13 = [&rustls::version::TLS13];
    let cfg = |versions: &[&'static rustls::SupportedProtocolVersion]| {
        client_config(versions, &[], Recorder::new(Vec::new()))
    };
    // TLS 1.2 only.
    let ok = tls_exchange(20402, "p.test", cfg(&tls12), &get("p.test")).unwrap();
    assert_eq!(ok.protocol, Some(rustls::ProtocolVersion::TLSv1_2));
    assert!(
        body(&ok.response).contains(" TLSv1.2 ECDHE-ECDSA-"),
        "{}",
        ok.response
    );
    assert!(tls_exchange(20402, "p.test", cfg(&tls13), &get("p.test")).is_err());
    // TLS 1.3 only.
    let ok = tls_exchange(20403, "p.test", cfg(&tls13), &get("p.test")).unwrap();
    assert_eq!(ok.protocol, Some(rustls::ProtocolVersion::TLSv1_3));
    assert!(
        body(&ok.response).contains(" TLSv1.3 TLS_"),
        "{}",
        ok.response
    );
    assert!(tls_exchange(20403, "p.test", cfg(&tls12), &get("p.test")).is_err());
    // Both: a client that can do 1.3 gets it.
    let ok = tls_exchange(20404, "p.test", cfg(&[]), &get("p.test")).unwrap();
    assert_eq!(ok.protocol, Some(rustls::ProtocolVersion::TLSv1_3));
}

#[test]
fn plain_http_on_a_tls_port_gets_nginx_400_page() {
    let cert = make_cert(&["h.test"], false);
    let conf = "events {}\nhttp {\n\
         server { listen 127.0.0.1:20405 ssl; server_name h.test; ssl_certificate h.crt; ssl_certificate_key h.key; return 200 ok; }\n\
         server { listen 127.0.0.1:20406 ssl; server_name h.test; ssl_certificate h.crt; ssl_certificate_key h.key;\n\
                  error_page 497 =301 https://$host:20406$request_uri; return 200 ok; }\n\
         }\n";
    serve_with(conf, &[("h", &cert)]);
    let response = common::exchange(
        20405,
        b"GET /x HTTP/1.1\r\nHost: h.test\r\n\r\nGET /y HTTP/1.1\r\nHost: h.test\r\n\r\n",
    );
    assert!(
        response.starts_with("HTTP/1.1 400 Bad Request\r\n"),
        "{response}"
    );
    assert!(response.contains("\r\nConnection: close\r\n"), "{response}");
    assert!(
        response.contains(
            "<head><title>400 The plain HTTP request was sent to HTTPS port</title></head>"
        )
    );
    assert!(response.contains("<center>The plain HTTP request was sent to HTTPS port</center>"));
    // One response: the connection closes after it.
    assert_eq!(response.matches("HTTP/1.1 ").count(), 1, "{response}");
    // error_page 497 redirects, as the common "http on https port" fix.
    let response = common::exchange(20406, b"GET /p?q=1 HTTP/1.1\r\nHost: h.test\r\n\r\n");
    assert!(
        response.starts_with("HTTP/1.1 301 Moved Permanently\r\n"),
        "{response}"
    );
    assert!(
        response.contains("\r\nLocation: https://h.test:20406/p?q=1\r\n"),
        "{response}"
    );
}

#[test]
fn rsa_and_ecdsa_pairs_in_one_server() {
    let ec = make_cert(&["d.test"], false);
    let rsa = make_cert(&["d.test"], true);
    let conf = format!(
        "events {{}}\nhttp {{\n\
         server {{ listen 127.0.0.1:20407 ssl; ssl_certificate ec.crt; ssl_certificate_key ec.key;\n\
                   ssl_certificate rsa.crt; ssl_certificate_key rsa.key; {VARS} }}\n\
         }}\n"
    );
    serve_with(&conf, &[("ec", &ec), ("rsa", &rsa)]);
    for (schemes, expected, cipher) in [
        (
            vec![SignatureScheme::ECDSA_NISTP256_SHA256],
            &ec,
            "ECDHE-ECDSA-",
        ),
        (
            vec![
                SignatureScheme::RSA_PSS_SHA256,
                SignatureScheme::RSA_PKCS1_SHA256,
            ],
            &rsa,
            "ECDHE-RSA-",
        ),
    ] {
        let recorder = Recorder::new(schemes);
        let config = client_config(&[&rustls::version::TLS12], &[], recorder.clone());
        let exchange = tls_exchange(20407, "d.test", config, &get("d.test")).unwrap();
        assert_eq!(recorder.seen.lock().unwrap().clone().unwrap(), expected.der);
        assert!(
            body(&exchange.response).contains(cipher),
            "{}",
            exchange.response
        );
    }
}

#[test]
fn server_cipher_order_when_preferred() {
    use rustls::crypto::aws_lc_rs::cipher_suite as cs;
    let cert = make_cert(&["o.test"], false);
    let ciphers = "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES128-GCM-SHA256";
    let conf = format!(
        "events {{}}\nhttp {{\n\
         server {{ listen 127.0.0.1:20408 ssl; ssl_certificate o.crt; ssl_certificate_key o.key; ssl_ciphers {ciphers}; ssl_prefer_server_ciphers on; {VARS} }}\n\
         server {{ listen 127.0.0.1:20409 ssl; ssl_certificate o.crt; ssl_certificate_key o.key; ssl_ciphers {ciphers}; {VARS} }}\n\
         }}\n"
    );
    serve_with(&conf, &[("o", &cert)]);
    let client_order = vec![
        cs::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        cs::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        cs::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    ];
    let run = |port| {
        let config = tls_common::client_config_with(
            &[&rustls::version::TLS12],
            &[],
            Recorder::new(Vec::new()),
            Some(client_order.clone()),
        );
        tls_exchange(port, "o.test", config, &get("o.test")).unwrap()
    };
    assert!(body(&run(20408).response).contains(" ECDHE-ECDSA-CHACHA20-POLY1305 "));
    assert!(body(&run(20409).response).contains(" ECDHE-ECDSA-AES128-GCM-SHA256 "));
    // A suite the string leaves out is never chosen.
    let only_aes256 = tls_common::client_config_with(
        &[&rustls::version::TLS12],
        &[],
        Recorder::new(Vec::new()),
        Some(vec![cs::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384]),
    );
    assert!(tls_exchange(20409, "o.test", only_aes256, &get("o.test")).is_err());
}

#[test]
fn rejected_handshakes_and_ssl_on() {
    let cert = make_cert(&["ok.test"], false);
    let conf = format!(
        "events {{}}\nhttp {{\n\
         server {{ listen 127.0.0.1:20410 ssl default_server; ssl_reject_handshake on; }}\n\
         server {{ listen 127.0.0.1:20410 ssl; server_name ok.test; ssl_certificate ok.crt; ssl_certificate_key ok.key; {VARS} }}\n\
         server {{ listen 127.0.0.1:20411; ssl on; ssl_certificate ok.crt; ssl_certificate_key ok.key; {VARS} }}\n\
         }}\n"
    );
    serve_with(&conf, &[("ok", &cert)]);
    let cfg = || client_config(&[], &[], Recorder::new(Vec::new()));
    assert!(tls_exchange(20410, "other.test", cfg(), &get("other.test")).is_err());
    assert!(tls_exchange(20410, "", cfg(), &get("x")).is_err());
    let ok = tls_exchange(20410, "ok.test", cfg(), &get("ok.test")).unwrap();
    assert!(
        body(&ok.response).starts_with("ok.test TLSv1.2 "),
        "{}",
        ok.response
    );
    // The deprecated `ssl on` makes the port TLS.
    let ok = tls_exchange(20411, "ok.test", cfg(), &get("ok.test")).unwrap();
    assert!(body(&ok.response).contains(" https=on "), "{}", ok.response);
}
