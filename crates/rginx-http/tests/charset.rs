//! The charset filter: `; charset=` added as nginx adds it, and bodies
//! recoded through a `charset_map` (expected bytes checked against nginx
//! 1.22 with the same configuration).

mod common;
use common::{exchange, serve};

fn content_type(response: &str) -> Option<&str> {
    response
        .lines()
        .find_map(|l| l.strip_prefix("Content-Type: "))
        .map(str::trim_end)
}

fn get(port: u16, path: &str) -> String {
    exchange(
        port,
        format!("GET {path} HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").as_bytes(),
    )
}

#[test]
fn adds_the_charset_where_nginx_does() {
    serve(
        r#"
events {}
http {
  types { text/html html; text/css css; application/octet-stream bin; }
  server {
    listen 127.0.0.1:21101;
    root {PREFIX}/html;
    charset utf-8;
    location /css/ { charset_types text/css; }
    location /off/ { charset off; }
    location = /r302 { return 302 /a.html; }
    location = /r307 { return 307 /a.html; }
    location = /dt { default_type "text/plain; charset=koi8-r"; return 200 "x"; }
  }
}
"#,
        &[
            ("html/a.html", b"<p>a</p>"),
            ("html/d.bin", b"bin"),
            ("html/css/c.css", b"p{}"),
            ("html/off/a.html", b"<p>a</p>"),
        ],
    );
    let cases = [
        ("/a.html", Some("text/html; charset=utf-8")),
        ("/d.bin", Some("application/octet-stream")),
        ("/css/c.css", Some("text/css; charset=utf-8")),
        ("/off/a.html", Some("text/html")),
        ("/missing", Some("text/html; charset=utf-8")),
        ("/r302", Some("text/html")),
        ("/r307", Some("text/html; charset=utf-8")),
        ("/dt", Some("text/plain; charset=koi8-r")),
    ];
    for (path, expected) in cases {
        let response = get(21101, path);
        assert_eq!(content_type(&response), expected, "{path}: {response}");
    }
}

#[test]
fn recodes_through_a_charset_map() {
    serve(
        r#"
events {}
http {
  types { text/plain txt; }
  charset_map koi8-r utf-8 { C1 D0B0; C2 D0B1; }
  server {
    listen 127.0.0.1:21102;
    root {PREFIX}/html;
    location /to/ { source_charset koi8-r; charset utf-8; }
    location /from/ { source_charset utf-8; charset koi8-r; }
  }
}
"#,
        &[
            ("html/to/k.txt", b"\xc1\xc2 \xff!"),
            ("html/from/u.txt", "аб € \u{1F600}".as_bytes()),
        ],
    );
    let response = get(21102, "/to/k.txt");
    assert_eq!(content_type(&response), Some("text/plain; charset=utf-8"));
    assert!(!response.contains("Content-Length"), "{response}");
    assert!(response.contains("аб ?!"), "{response}");
    let raw = exchange(21102, b"GET /from/u.txt HTTP/1.0\r\nHost: a\r\n\r\n");
    assert_eq!(content_type(&raw), Some("text/plain; charset=koi8-r"));
    assert!(
        raw.ends_with("\u{FFFD}\u{FFFD} &#8364; &#128512;"),
        "{raw:?}"
    );
}

#[test]
fn refuses_what_nginx_refuses() {
    let text = "events {}\nhttp {\n source_charset utf-8;\n charset foobar;\n server { listen 127.0.0.1:21103; }\n}\n";
    let path = std::env::temp_dir().join(format!("rginx-charset-{}.conf", std::process::id()));
    std::fs::write(&path, text).unwrap();
    let parsed = rginx_conf::parse_bytes(text.as_bytes(), &path);
    let dir = std::env::temp_dir();
    let options = rginx_http::CompileOptions {
        prefix: dir.clone(),
        conf_file: path.clone(),
        conf_prefix: dir,
        is_root: true,
    };
    let failure = rginx_http::compile(&parsed, None, options).unwrap_err();
    assert_eq!(
        failure.error.message,
        "no \"charset_map\" between the charsets \"utf-8\" and \"foobar\""
    );
}
