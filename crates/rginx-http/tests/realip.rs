//! The realip module through a real socket: trusted and untrusted
//! proxies, X-Forwarded-For with and without recursion, X-Real-IP and
//! custom headers, and the replaced address where nginx uses it (allow/deny,
//! geo, `$proxy_add_x_forwarded_for`, the access and error logs), with the
//! location-level settings applied before the access phase only. Expected
//! values were checked against nginx 1.22.1 with the same requests.

mod common;
use common::{body, exchange, serve};
use std::path::Path;
use std::time::{Duration, Instant};

fn get(port: u16, path: &str, headers: &str) -> String {
    let request = format!("GET {path} HTTP/1.0\r\n{headers}\r\n");
    exchange(port, request.as_bytes())
}

fn status(response: &str) -> u16 {
    response
        .get(9..12)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("no status in {response:?}"))
}

/// The body of a `return` that prints variables, the connection's own
/// (changing) port replaced by PORT.
fn vars(port: u16, headers: &str) -> String {
    let response = get(port, "/", headers);
    body(&response).trim_end().to_string()
}

fn without_port(text: &str, port_field: usize) -> String {
    text.split('|')
        .enumerate()
        .map(|(i, field)| {
            if i == port_field && field.chars().all(|c| c.is_ascii_digit()) && !field.is_empty() {
                "PORT"
            } else {
                field
            }
        })
        .collect::<Vec<_>>()
        .join("|")
}

const FORWARDED: &str = r#"
events {}
http {
    access_log off;
    server {
        listen 127.0.0.1:20830;
        set_real_ip_from 127.0.0.1;
        set_real_ip_from 10.0.0.0/8;
        real_ip_header X-Forwarded-For;
        location / {
            return 200 "$remote_addr|$remote_port|$realip_remote_addr|$realip_remote_port|$proxy_add_x_forwarded_for\n";
        }
    }
    server {
        listen 127.0.0.1:20831;
        set_real_ip_from 127.0.0.1;
        set_real_ip_from 10.0.0.0/8;
        real_ip_header X-Forwarded-For;
        real_ip_recursive on;
        location / { return 200 "$remote_addr|$remote_port\n"; }
    }
    server {
        listen 127.0.0.1:20832;
        # 127.0.0.1, where the requests come from, is not trusted here.
        set_real_ip_from 127.0.0.2;
        set_real_ip_from 10.0.0.0/8;
        real_ip_header X-Forwarded-For;
        real_ip_recursive on;
        location / { return 200 "$remote_addr|$remote_port\n"; }
    }
}
"#;

#[test]
fn forwarded_for_from_trusted_proxies() {
    serve(FORWARDED, &[]);
    let xff = |port: u16, values: &[&str]| {
        let headers: String = values
            .iter()
            .map(|v| format!("X-Forwarded-For: {v}\r\n"))
            .collect();
        vars(port, &headers)
    };
    // The connection's own address stays in $realip_remote_*.
    let plain = xff(20830, &["1.2.3.4"]);
    let fields: Vec<&str> = plain.split('|').collect();
    assert_eq!(fields[..3], ["1.2.3.4", "", "127.0.0.1"], "{plain}");
    assert!(fields[3].parse::<u16>().is_ok(), "{plain}");
    assert_eq!(fields[4], "1.2.3.4, 1.2.3.4");

    let cut = |text: String| text.split('|').take(2).collect::<Vec<_>>().join("|");
    // Without recursion: the last address of the last header.
    assert_eq!(cut(xff(20830, &["9.9.9.9, 10.1.1.1"])), "10.1.1.1|");
    assert_eq!(cut(xff(20830, &["8.8.8.8", "7.7.7.7"])), "7.7.7.7|");
    assert_eq!(cut(xff(20830, &["1.2.3.4:8080"])), "1.2.3.4|8080");
    assert_eq!(cut(xff(20830, &["[2001:db8::1]:443"])), "2001:db8::1|443");
    assert_eq!(cut(xff(20830, &["::1.2.3.4"])), "::1.2.3.4|");
    assert_eq!(cut(xff(20830, &["01.002.3.4"])), "1.2.3.4|");
    assert_eq!(cut(xff(20830, &[",, 1.2.3.4 ,, "])), "1.2.3.4|");
    // Not an address: the connection's address stays.
    assert_eq!(
        without_port(&cut(xff(20830, &["bogus"])), 1),
        "127.0.0.1|PORT"
    );
    assert_eq!(
        without_port(&cut(xff(20830, &["1.2.3.4:0"])), 1),
        "127.0.0.1|PORT"
    );
    assert_eq!(
        without_port(&cut(xff(20830, &[",10.1.1.1"])), 1),
        "127.0.0.1|PORT"
    );

    // With recursion: past every trusted address.
    assert_eq!(xff(20831, &["9.9.9.9, 10.1.1.1"]), "9.9.9.9|");
    assert_eq!(xff(20831, &["10.2.2.2, 10.1.1.1"]), "10.2.2.2|");
    assert_eq!(xff(20831, &["8.8.8.8", "10.2.2.2, 10.1.1.1"]), "8.8.8.8|");
    assert_eq!(xff(20831, &["8.8.8.8, bogus", "10.1.1.1"]), "10.1.1.1|");
    assert_eq!(xff(20831, &["8.8.8.8, 10.3.3.3", "10.1.1.1"]), "8.8.8.8|");
    assert_eq!(xff(20831, &["10.1.1.1 10.2.2.2"]), "10.1.1.1|");
    assert_eq!(xff(20831, &["10.1.1.1:55"]), "10.1.1.1|55");

    // An untrusted peer's header is ignored.
    assert_eq!(without_port(&xff(20832, &["1.2.3.4"]), 1), "127.0.0.1|PORT");
    // And none at all changes nothing.
    assert_eq!(
        without_port(&vars(20830, ""), 1).split('|').next(),
        Some("127.0.0.1")
    );
}

#[test]
fn real_ip_and_custom_headers() {
    serve(
        r#"
events {}
http {
    access_log off;
    set_real_ip_from 127.0.0.1;
    server {
        listen 127.0.0.1:20835;
        location / { return 200 "$remote_addr|$remote_port\n"; }
    }
    server {
        listen 127.0.0.1:20836;
        real_ip_header CF-Connecting-IP;
        location / { return 200 "$remote_addr|$remote_port\n"; }
    }
}
"#,
        &[],
    );
    // X-Real-IP is the default; the first of two counts; a port is kept.
    assert_eq!(
        vars(20835, "X-Real-IP: 5.6.7.8:99\r\nX-Real-IP: 6.6.6.6\r\n"),
        "5.6.7.8|99"
    );
    // It is read as a list too: its last address.
    assert_eq!(vars(20835, "X-Real-IP: 5.6.7.8, 6.6.6.6\r\n"), "6.6.6.6|");
    assert_eq!(
        without_port(&vars(20835, "X-Forwarded-For: 5.6.7.8\r\n"), 1),
        "127.0.0.1|PORT"
    );
    assert_eq!(
        vars(20836, "cf-connecting-ip: 2001:db8::7\r\n"),
        "2001:db8::7|"
    );
    assert_eq!(
        without_port(&vars(20836, "X-Real-IP: 5.6.7.8\r\n"), 1),
        "127.0.0.1|PORT"
    );
}

fn wait_for(path: &Path, lines: usize) -> String {
    let deadline = Instant::now() + Duration::from_secs(3);
    loop {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        if text.lines().count() >= lines || Instant::now() > deadline {
            return text;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn the_replaced_address_is_the_client_everywhere() {
    let prefix = serve(
        r#"
events {}
http {
    log_format addr '$remote_addr $status';
    geo $where { default elsewhere; 1.2.3.0/24 one-two-three; }
    server {
        listen 127.0.0.1:20837;
        root {PREFIX}/html;
        set_real_ip_from 127.0.0.1;
        error_log {PREFIX}/error.log;
        access_log {PREFIX}/access.log addr;
        location /deny/ { deny 1.2.3.4; }
        location /geo/ { return 200 "$where\n"; }
        location /any/ {
            satisfy any;
            allow 1.2.3.0/24;
            deny all;
            auth_basic "R";
            auth_basic_user_file {PREFIX}/htpasswd;
        }
    }
}
"#,
        &[
            ("html/deny/index.html", b"open\n"),
            ("html/any/index.html", b"any\n"),
            ("htpasswd", b"u:{PLAIN}p\n"),
        ],
    );
    assert_eq!(status(&get(20837, "/deny/", "X-Real-IP: 1.2.3.4\r\n")), 403);
    assert_eq!(status(&get(20837, "/deny/", "X-Real-IP: 1.2.3.5\r\n")), 200);
    assert_eq!(status(&get(20837, "/deny/", "")), 200);
    assert_eq!(
        body(&get(20837, "/geo/", "X-Real-IP: 1.2.3.9\r\n")),
        "one-two-three\n"
    );
    assert_eq!(body(&get(20837, "/geo/", "")), "elsewhere\n");
    assert_eq!(status(&get(20837, "/any/", "X-Real-IP: 1.2.3.9\r\n")), 200);
    assert_eq!(status(&get(20837, "/any/", "X-Real-IP: 9.9.9.9\r\n")), 401);

    let access = wait_for(&prefix.join("access.log"), 7);
    assert_eq!(
        access,
        "1.2.3.4 403\n1.2.3.5 200\n127.0.0.1 200\n1.2.3.9 200\n127.0.0.1 200\n1.2.3.9 200\n9.9.9.9 401\n"
    );
    let errors = wait_for(&prefix.join("error.log"), 1);
    assert!(
        errors.contains(
            "access forbidden by rule, client: 1.2.3.4, server: , request: \"GET /deny/ HTTP/1.0\""
        ),
        "{errors}"
    );
}

#[test]
fn location_settings_apply_before_the_access_phase() {
    serve(
        r#"
events {}
http {
    access_log off;
    server {
        listen 127.0.0.1:20838;
        root {PREFIX}/html;
        location /loc/ {
            set_real_ip_from 127.0.0.1;
            deny 1.2.3.4;
            add_header X-Addr $remote_addr;
        }
        location /ret/ {
            set_real_ip_from 127.0.0.1;
            return 200 "$remote_addr\n";
        }
        location /server-level/ {
            return 200 "$remote_addr\n";
        }
    }
    server {
        listen 127.0.0.1:20839;
        set_real_ip_from 127.0.0.1;
        real_ip_header X-Forwarded-For;
        location /xri/ {
            # The server's header was tried first (post-read); this one
            # only gets its chance before the access phase.
            real_ip_header X-Real-IP;
            return 200 "$remote_addr\n";
        }
    }
}
"#,
        &[("html/loc/index.html", b"loc\n")],
    );
    assert_eq!(status(&get(20838, "/loc/", "X-Real-IP: 1.2.3.4\r\n")), 403);
    let allowed = get(20838, "/loc/", "X-Real-IP: 5.6.7.8\r\n");
    assert_eq!(status(&allowed), 200);
    assert!(allowed.contains("\r\nX-Addr: 5.6.7.8\r\n"), "{allowed}");
    // `return` answers in the rewrite phase, before the location's realip.
    assert_eq!(
        body(&get(20838, "/ret/", "X-Real-IP: 5.6.7.8\r\n")),
        "127.0.0.1\n"
    );
    assert_eq!(
        body(&get(
            20839,
            "/xri/",
            "X-Real-IP: 5.6.7.8\r\nX-Forwarded-For: 7.7.7.7\r\n"
        )),
        "7.7.7.7\n"
    );
    assert_eq!(
        body(&get(20839, "/xri/", "X-Real-IP: 5.6.7.8\r\n")),
        "127.0.0.1\n"
    );
}
