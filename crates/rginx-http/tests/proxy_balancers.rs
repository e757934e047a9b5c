//! The balancers choose the same peers as nginx: the same configuration
//! and the same requests are sent to rginx and to the real nginx (when it
//! is installed), and the order in which the backends served them must be
//! identical. Without nginx, the documented properties are checked.

mod common;
mod proxy_support;

use proxy_support::{Backend, Client, Nginx, connect_from};

const BACKENDS: [u16; 4] = [20150, 20151, 20152, 20153];

fn http_block(port: u16) -> String {
    let [b1, b2, b3, b4] = BACKENDS;
    format!(
        r#"
http {{
    access_log off;
    upstream rr {{
        server 127.0.0.1:{b1} weight=5;
        server 127.0.0.1:{b2};
        server 127.0.0.1:{b3} weight=2;
    }}
    upstream rr_down_backup {{
        server 127.0.0.1:{b1};
        server 127.0.0.1:{b2} down;
        server 127.0.0.1:{b3} weight=3;
        server 127.0.0.1:{b4} backup;
    }}
    upstream sticky {{
        ip_hash;
        server 127.0.0.1:{b1};
        server 127.0.0.1:{b2} weight=2;
        server 127.0.0.1:{b3};
        server 127.0.0.1:{b4} down;
    }}
    upstream hashed {{
        hash $request_uri;
        server 127.0.0.1:{b1};
        server 127.0.0.1:{b2} weight=3;
        server 127.0.0.1:{b3};
    }}
    upstream ketama {{
        hash $arg_key consistent;
        server 127.0.0.1:{b1} weight=2;
        server 127.0.0.1:{b2};
        server 127.0.0.1:{b3};
        server 127.0.0.1:{b4};
    }}
    upstream fewest {{
        least_conn;
        server 127.0.0.1:{b1} weight=3;
        server 127.0.0.1:{b2};
        server 127.0.0.1:{b3} weight=2;
    }}
    server {{
        listen 127.0.0.1:{port};
        location /rr/ {{ proxy_pass http://rr; }}
        location /rrdb/ {{ proxy_pass http://rr_down_backup; }}
        location /sticky/ {{ proxy_pass http://sticky; }}
        location /hashed/ {{ proxy_pass http://hashed; }}
        location /ketama/ {{ proxy_pass http://ketama; }}
        location /fewest/ {{ proxy_pass http://fewest; }}
    }}
}}
"#
    )
}

fn start_backends() -> Vec<Backend> {
    BACKENDS
        .iter()
        .zip(["b1", "b2", "b3", "b4"])
        .map(|(&port, name)| Backend::named(port, name))
        .collect()
}

fn sequence(port: u16, paths: &[String]) -> Vec<String> {
    paths
        .iter()
        .map(|path| proxy_support::get(port, path).text())
        .collect()
}

fn sticky_sequence(port: u16) -> Vec<String> {
    (0u8..24)
        .map(|i| {
            let stream = connect_from([127, i % 6, i, 1 + i % 3], port);
            let mut client = Client::from_stream(stream);
            client
                .request(b"GET /sticky/ HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
                .text()
        })
        .collect()
}

struct Case {
    name: &'static str,
    paths: Vec<String>,
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "rr",
            paths: (0..32).map(|i| format!("/rr/{i}")).collect(),
        },
        Case {
            name: "rrdb",
            paths: (0..24).map(|i| format!("/rrdb/{i}")).collect(),
        },
        Case {
            name: "hashed",
            paths: (0..30)
                .map(|i| format!("/hashed/item{i}?x={}", i * 7))
                .collect(),
        },
        Case {
            name: "ketama",
            paths: (0..30).map(|i| format!("/ketama/?key=user{i}")).collect(),
        },
        Case {
            name: "fewest",
            paths: (0..24).map(|i| format!("/fewest/{i}")).collect(),
        },
    ]
}

#[test]
fn balancers_choose_as_nginx_does() {
    let _backends = start_backends();
    let rginx_port = 20160;
    common::serve(&format!("events {{}}\n{}", http_block(rginx_port)), &[]);
    let mut ours = Vec::new();
    for case in cases() {
        ours.push((case.name, sequence(rginx_port, &case.paths)));
    }
    ours.push(("sticky", sticky_sequence(rginx_port)));

    // Properties that hold whatever nginx says.
    let rr = &ours[0].1;
    let count = |seq: &[String], name: &str| seq.iter().filter(|s| *s == name).count();
    assert_eq!(
        (count(rr, "b1"), count(rr, "b2"), count(rr, "b3")),
        (20, 4, 8),
        "weights 5:1:2 over 32 requests: {rr:?}"
    );
    // Smooth weighted round robin: never more than two b1 in a row.
    assert!(
        !rr.windows(3).any(|w| w.iter().all(|s| s == "b1")),
        "{rr:?}"
    );
    let rrdb = &ours[1].1;
    assert_eq!(count(rrdb, "b2"), 0, "down server used: {rrdb:?}");
    assert_eq!(count(rrdb, "b4"), 0, "backup used while primaries live");
    // The same key always goes to the same peer.
    let hashed_again = sequence(rginx_port, &cases()[2].paths);
    assert_eq!(hashed_again, ours[2].1);
    let ketama_again = sequence(rginx_port, &cases()[3].paths);
    assert_eq!(ketama_again, ours[3].1);
    let sticky = &ours[5].1;
    assert_eq!(count(sticky, "b4"), 0, "down server used by ip_hash");

    let nginx_port = 20360;
    let Some(_nginx) = Nginx::start(&http_block(nginx_port), nginx_port) else {
        eprintln!("nginx is not installed: differential part skipped");
        return;
    };
    let mut theirs = Vec::new();
    for case in cases() {
        theirs.push((case.name, sequence(nginx_port, &case.paths)));
    }
    theirs.push(("sticky", sticky_sequence(nginx_port)));
    let mut total = 0;
    for ((name, ours), (_, theirs)) in ours.iter().zip(&theirs) {
        assert_eq!(ours, theirs, "{name}: rginx and nginx chose differently");
        total += ours.len();
    }
    assert!(total >= 150, "only {total} requests compared");
    eprintln!("{total} requests, same peers as nginx: {ours:?}");
}

#[test]
fn least_conn_prefers_the_idle_peer() {
    // b1 holds its requests for a while; least_conn sends the next ones to
    // the peers with fewer active requests.
    let slow = Backend::start(20170, |_| {
        let mut reply = proxy_support::Reply::ok(b"slow");
        reply.delay = std::time::Duration::from_millis(600);
        reply
    });
    let _fast = Backend::named(20171, "fast");
    let port = 20172;
    common::serve(
        &format!(
            "events {{}}\nhttp {{ access_log off;\n\
             upstream u {{ least_conn; server 127.0.0.1:20170; server 127.0.0.1:20171; }}\n\
             server {{ listen 127.0.0.1:{port}; location / {{ proxy_pass http://u; }} }} }}"
        ),
        &[],
    );
    // The first request goes to the first peer (no connections anywhere)
    // and stays there; while it does, every request goes to the other.
    let first = std::thread::spawn(move || proxy_support::get(port, "/").text());
    assert!(proxy_support::eventually(|| slow.count() == 1));
    for _ in 0..5 {
        assert_eq!(proxy_support::get(port, "/").text(), "fast");
    }
    assert_eq!(first.join().unwrap(), "slow");
}

#[test]
fn random_uses_only_live_peers() {
    let _a = Backend::named(20175, "a");
    let _b = Backend::named(20176, "b");
    let _c = Backend::named(20177, "c");
    let port = 20178;
    common::serve(
        &format!(
            "events {{}}\nhttp {{ access_log off;\n\
             upstream u {{ random two least_conn; server 127.0.0.1:20175; \
             server 127.0.0.1:20176 weight=3; server 127.0.0.1:20177 down; }}\n\
             server {{ listen 127.0.0.1:{port}; location / {{ proxy_pass http://u; }} }} }}"
        ),
        &[],
    );
    let seen: Vec<String> = (0..40)
        .map(|_| proxy_support::get(port, "/").text())
        .collect();
    assert!(seen.iter().all(|s| s == "a" || s == "b"), "{seen:?}");
    assert!(seen.iter().any(|s| s == "a") && seen.iter().any(|s| s == "b"));
}
