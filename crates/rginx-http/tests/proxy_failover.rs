//! Failover as nginx does it: dead peers (connection refused) are skipped
//! and put out for `fail_timeout` after `max_fails`, backups take over when
//! every primary is out, `proxy_next_upstream` decides which answers are
//! retried, "no live upstreams" when nothing is left; the same requests to
//! rginx and nginx give the same statuses, `$upstream_addr`,
//! `$upstream_status` and error-log messages.

mod common;
mod proxy_support;

use proxy_support::{Backend, Client, Nginx, Reply, eventually, get};
use std::time::Duration;

fn http_block(port: u16, logs: &str) -> String {
    format!(
        r#"
http {{
    access_log off;
    error_log {logs}/error.log warn;
    upstream mixed {{
        server 127.0.0.1:20180;
        server 127.0.0.1:20189;
        server 127.0.0.1:20181 weight=2;
        server 127.0.0.1:20182 backup;
    }}
    upstream dead {{
        server 127.0.0.1:20188;
        server 127.0.0.1:20189;
    }}
    upstream dead_backup {{
        server 127.0.0.1:20187 max_fails=2;
        server 127.0.0.1:20182 backup;
    }}
    upstream bad {{
        server 127.0.0.1:20183;
        server 127.0.0.1:20180;
    }}
    server {{
        listen 127.0.0.1:{port};
        add_header X-Up $upstream_addr always;
        add_header X-Status $upstream_status always;
        location /mixed/ {{ proxy_pass http://mixed; }}
        location /dead/ {{ proxy_pass http://dead; }}
        location /backup/ {{ proxy_pass http://dead_backup; }}
        location /next502/ {{
            proxy_pass http://bad;
            proxy_next_upstream error timeout http_502;
        }}
        location /pass502/ {{ proxy_pass http://bad; }}
        location /once/ {{
            proxy_pass http://dead;
            proxy_next_upstream_tries 1;
        }}
    }}
}}
"#
    )
}

fn paths() -> Vec<String> {
    let mut paths = Vec::new();
    paths.extend((0..12).map(|i| format!("/mixed/{i}")));
    paths.extend((0..3).map(|i| format!("/dead/{i}")));
    paths.extend((0..5).map(|i| format!("/backup/{i}")));
    paths.extend((0..6).map(|i| format!("/next502/{i}")));
    paths.extend((0..4).map(|i| format!("/pass502/{i}")));
    paths.extend((0..2).map(|i| format!("/once/{i}")));
    paths
}

fn run(port: u16) -> Vec<(u16, String, String, String)> {
    paths()
        .iter()
        .map(|path| {
            let response = get(port, path);
            (
                response.status,
                response.header("x-up").unwrap_or("").to_string(),
                response.header("x-status").unwrap_or("").to_string(),
                // The built-in error pages name the server; that is rginx's.
                response
                    .text()
                    .replace("rginx/0.1.0", "SERVER")
                    .replace("nginx/1.22.1", "SERVER"),
            )
        })
        .collect()
}

/// The messages of `[error]`/`[warn]` lines, without time, pid and
/// connection number.
fn messages(log: &str) -> Vec<String> {
    log.lines()
        .filter(|line| line.contains("[error]") || line.contains("[warn]"))
        .map(|line| {
            let level = if line.contains("[error]") {
                "error"
            } else {
                "warn"
            };
            let message = line.split_once(": *").map_or(line, |(_, rest)| rest);
            let message = message.split_once(' ').map_or(message, |(_, rest)| rest);
            format!("{level}: {message}")
        })
        .collect()
}

#[test]
fn failover_matches_nginx() {
    let _a = Backend::named(20180, "a");
    let _b = Backend::named(20181, "b");
    let _backup = Backend::named(20182, "backup");
    let _bad = Backend::start(20183, |_| Reply::with_status(502, &[], b"bad"));
    let port = 20184;
    let prefix = common::serve(
        &format!("events {{}}\n{}", http_block(port, "{PREFIX}")),
        &[],
    );
    let ours = run(port);
    // Without nginx: GETs through a dead peer never fail while another
    // peer or a backup can serve.
    for (path, (status, up, _, body)) in paths().iter().zip(&ours) {
        if path.starts_with("/mixed/") || path.starts_with("/backup/") {
            assert_eq!(*status, 200, "{path}: {up}");
            assert!(!body.is_empty());
        }
        if path.starts_with("/dead/") {
            assert_eq!(*status, 502, "{path}");
        }
    }
    assert_eq!(ours[12].1, "127.0.0.1:20188, 127.0.0.1:20189");
    assert_eq!(ours[13].1, "dead", "no live upstreams names the group");
    let our_log = std::fs::read_to_string(prefix.join("error.log")).unwrap_or_default();
    assert!(
        our_log.contains("no live upstreams while connecting to upstream"),
        "{our_log}"
    );

    let nginx_port = 20384;
    let nginx_logs =
        std::env::temp_dir().join(format!("rginx-failover-nginx-{}", std::process::id()));
    std::fs::create_dir_all(&nginx_logs).unwrap();
    let Some(_nginx) = Nginx::start(
        &http_block(nginx_port, &nginx_logs.display().to_string()),
        nginx_port,
    ) else {
        eprintln!("nginx is not installed: differential part skipped");
        return;
    };
    let theirs = run(nginx_port);
    for ((path, ours), theirs) in paths().iter().zip(&ours).zip(&theirs) {
        assert_eq!(ours, theirs, "{path}: rginx and nginx differ");
    }
    let their_log = std::fs::read_to_string(nginx_logs.join("error.log")).unwrap_or_default();
    let (ours, theirs) = (messages(&our_log), messages(&their_log));
    assert_eq!(
        ours.iter()
            .map(|m| m.replace(&port.to_string(), "PORT"))
            .collect::<Vec<_>>(),
        theirs
            .iter()
            .map(|m| m.replace(&nginx_port.to_string(), "PORT"))
            .collect::<Vec<_>>(),
        "error logs differ"
    );
}

#[test]
fn a_backend_killed_mid_run_costs_no_request() {
    let a = Backend::named(20190, "a");
    let _b = Backend::named(20191, "b");
    let port = 20192;
    common::serve(
        &format!(
            "events {{}}\nhttp {{ access_log off;\n\
             upstream u {{ server 127.0.0.1:20190; server 127.0.0.1:20191; keepalive 4; }}\n\
             server {{ listen 127.0.0.1:{port};\n\
             location / {{ proxy_pass http://u; proxy_http_version 1.1; \
             proxy_set_header Connection \"\"; }} }} }}"
        ),
        &[],
    );
    let mut client = Client::new(port);
    let request = b"GET / HTTP/1.1\r\nHost: t\r\n\r\n";
    let mut seen = Vec::new();
    for i in 0..200 {
        if i == 50 {
            a.kill();
        }
        let response = client.request(request);
        assert_eq!(response.status, 200, "request {i} failed");
        seen.push(response.text());
    }
    assert!(seen[..50].iter().any(|s| s == "a"));
    assert!(seen[51..].iter().all(|s| s == "b"), "{:?}", &seen[51..]);
}

#[test]
fn non_idempotent_requests_are_not_retried() {
    // The first peer reads the request and closes without answering.
    let _rude = Backend::start(20193, |_| Reply::raw(b"", true));
    let _b = Backend::named(20194, "b");
    let port = 20195;
    let prefix = common::serve(
        &format!(
            "events {{}}\nhttp {{ access_log off; error_log {{PREFIX}}/error.log;\n\
             upstream u {{ server 127.0.0.1:20193 max_fails=0; server 127.0.0.1:20194 max_fails=0; }}\n\
             server {{ listen 127.0.0.1:{port};\n\
             location /plain/ {{ proxy_pass http://u; }}\n\
             location /any/ {{ proxy_pass http://u; proxy_next_upstream error non_idempotent; }} }} }}"
        ),
        &[],
    );
    let post = |path: &str| {
        Client::new(port).request(
            format!("POST {path} HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc")
                .as_bytes(),
        )
    };
    // Round robin starts with the rude peer.
    let first = post("/plain/");
    assert_eq!(first.status, 502);
    // The next GET starts with the good peer; the one after with the rude
    // one, and is retried on the good one.
    assert_eq!(get(port, "/plain/").text(), "b");
    assert_eq!(get(port, "/plain/").text(), "b");
    // With non_idempotent, a POST is retried too.
    let mut statuses = Vec::new();
    for _ in 0..2 {
        statuses.push(post("/any/").status);
    }
    assert_eq!(statuses, [200, 200]);
    let log = std::fs::read_to_string(prefix.join("error.log")).unwrap();
    assert!(
        log.contains(
            "upstream prematurely closed connection while reading response header from upstream"
        ),
        "{log}"
    );
}

#[test]
fn timeouts_give_504() {
    let _slow = Backend::start(20196, |_| {
        let mut reply = Reply::ok(b"late");
        reply.delay = Duration::from_millis(1500);
        reply
    });
    let port = 20197;
    let prefix = common::serve(
        &format!(
            "events {{}}\nhttp {{ access_log off; error_log {{PREFIX}}/error.log;\n\
             server {{ listen 127.0.0.1:{port};\n\
             location / {{ proxy_pass http://127.0.0.1:20196; proxy_read_timeout 300ms; }}\n\
             location /patient/ {{ proxy_pass http://127.0.0.1:20196; }} }} }}"
        ),
        &[],
    );
    let started = std::time::Instant::now();
    let response = get(port, "/x");
    assert_eq!(response.status, 504);
    assert!(started.elapsed() < Duration::from_millis(1400));
    assert!(response.text().contains("504 Gateway Time-out"));
    assert_eq!(get(port, "/patient/").text(), "late");
    let log = std::fs::read_to_string(prefix.join("error.log")).unwrap();
    assert!(
        log.contains(
            "upstream timed out (110: Connection timed out) while reading response header from \
             upstream, client: 127.0.0.1, server: , request: \"GET /x HTTP/1.1\", upstream: \
             \"http://127.0.0.1:20196/x\", host: \"test\""
        ),
        "{log}"
    );
}

#[test]
fn max_conns_is_respected_under_concurrency() {
    let slow = Backend::start(20198, |_| {
        let mut reply = Reply::ok(b"slow");
        reply.delay = Duration::from_millis(300);
        reply
    });
    let port = 20199;
    common::serve(
        &format!(
            "events {{}}\nhttp {{ access_log off;\n\
             upstream u {{ server 127.0.0.1:20198 max_conns=2; server 127.0.0.1:20200 backup; }}\n\
             server {{ listen 127.0.0.1:{port}; location / {{ proxy_pass http://u; }} }} }}"
        ),
        &[],
    );
    let _backup = Backend::named(20200, "backup");
    let clients: Vec<_> = (0..6)
        .map(|_| std::thread::spawn(move || get(port, "/").text()))
        .collect();
    let answers: Vec<String> = clients.into_iter().map(|c| c.join().unwrap()).collect();
    assert!(slow.peak.load(std::sync::atomic::Ordering::SeqCst) <= 2);
    assert_eq!(
        answers.iter().filter(|a| *a == "slow").count(),
        2,
        "{answers:?}"
    );
    assert_eq!(
        answers.iter().filter(|a| *a == "backup").count(),
        4,
        "{answers:?}"
    );
    assert!(eventually(|| slow.count() == 2));
}
