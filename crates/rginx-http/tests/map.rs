//! `map` through a real socket: exact keys (case-insensitive), regexes with
//! captures in the value, hostnames wildcards, default.

mod common;
use common::{body, exchange, serve};

const CONF: &str = r#"
events {}
http {
  map $http_upgrade $connection_upgrade {
    default upgrade;
    '' close;
  }
  map $uri $section {
    default none;
    /Exact exact;
    ~^/user/(?<uid>\d+)$ user-$uid;
    ~*^/IMG/(.*)$ image-$1;
  }
  map $http_host $site {
    hostnames;
    default other;
    .example.com example;
    www.test.* test;
  }
  server {
    listen 127.0.0.1:19521;
    location / { return 200 "$connection_upgrade $section $site"; }
  }
}
"#;

fn get(path: &str, extra: &str) -> String {
    static START: std::sync::Once = std::sync::Once::new();
    START.call_once(|| {
        serve(CONF, &[]);
    });
    let response = exchange(
        19521,
        format!("GET {path} HTTP/1.1\r\n{extra}Connection: close\r\n\r\n").as_bytes(),
    );
    body(&response).to_string()
}

#[test]
fn map_values() {
    assert_eq!(
        get("/exact", "Host: a.example.com\r\n"),
        "close exact example"
    );
    assert_eq!(
        get("/user/42", "Host: example.com\r\nUpgrade: websocket\r\n"),
        "upgrade user-42 example"
    );
    assert_eq!(
        get("/img/x.png", "Host: www.test.org\r\n"),
        "close image-x.png test"
    );
    assert_eq!(get("/nothing", "Host: other.net\r\n"), "close none other");
}

#[test]
fn geo_picks_the_most_specific_network() {
    serve(
        r#"
events {}
http {
  geo $arg_ip $net {
    default none;
    10.0.0.0/8 ten;
    10.1.0.0/16 ten-one;
    10.1.2.3 host;
    2001:db8::/32 doc6;
  }
  geo $arg_ip $range {
    ranges;
    default 0;
    192.168.0.0-192.168.0.255 a;
    192.168.1.0-192.168.1.9 b;
  }
  geo $client { default outside; 127.0.0.0/8 loopback; }
  server {
    listen 127.0.0.1:19522;
    location / { return 200 "$net $range $client"; }
  }
}
"#,
        &[],
    );
    let get = |ip: &str| {
        let response = exchange(
            19522,
            format!("GET /?ip={ip} HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").as_bytes(),
        );
        body(&response).to_string()
    };
    assert_eq!(get("10.9.9.9"), "ten 0 loopback");
    assert_eq!(get("10.1.9.9"), "ten-one 0 loopback");
    assert_eq!(get("10.1.2.3"), "host 0 loopback");
    assert_eq!(get("192.168.1.5"), "none b loopback");
    assert_eq!(get("192.168.0.77"), "none a loopback");
    assert_eq!(get("2001:db8::1"), "doc6 0 loopback");
    assert_eq!(get("nonsense"), "none 0 loopback");
}
