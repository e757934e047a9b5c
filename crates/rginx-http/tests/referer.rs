//! valid_referers and `$invalid_referer`, answers as nginx 1.22 gives them
//! for the same configuration.

mod common;
use common::{body, exchange, serve};

fn check(port: u16, path: &str, referer: Option<&str>) -> String {
    let header = referer.map_or(String::new(), |r| format!("Referer: {r}\r\n"));
    let response = exchange(
        port,
        format!("GET {path} HTTP/1.1\r\nHost: a\r\n{header}Connection: close\r\n\r\n").as_bytes(),
    );
    body(&response).to_string()
}

#[test]
fn referers_as_nginx_judges_them() {
    serve(
        r#"
events {}
http {
  server {
    listen 127.0.0.1:21111;
    server_name site.test *.site.test;
    valid_referers none blocked server_names example.com .example.net
                   *.example.org www.partner.* pics.com/galleries/ ~\.google\.;
    location / { return 200 "[$invalid_referer]"; }
    location /strict/ { valid_referers example.com; return 200 "[$invalid_referer]"; }
  }
  server {
    listen 127.0.0.1:21112;
    location / { return 200 "[$invalid_referer]"; }
  }
}
"#,
        &[],
    );
    let cases: &[(&str, Option<&str>, &str)] = &[
        ("/", None, "[]"),
        ("/", Some("nonsense"), "[]"),
        ("/", Some("http://x.ru"), "[1]"),
        ("/", Some("http://evil.com/"), "[1]"),
        ("/", Some("HTTP://EXAMPLE.COM:81/x"), "[]"),
        ("/", Some("https://www.example.com/"), "[1]"),
        ("/", Some("http://example.net/"), "[]"),
        ("/", Some("http://a.example.net/"), "[]"),
        ("/", Some("http://example.org/"), "[1]"),
        ("/", Some("http://a.example.org/"), "[]"),
        ("/", Some("http://www.partner.de/"), "[]"),
        ("/", Some("http://pics.com/galleries/x"), "[]"),
        ("/", Some("http://pics.com/other/"), "[1]"),
        ("/", Some("http://b.site.test/"), "[]"),
        ("/", Some("http://www.GOOGLE.com/"), "[]"),
        ("/strict/", None, "[1]"),
        ("/strict/", Some("http://example.com/"), "[]"),
        // The regexes of the server level are inherited.
        ("/strict/", Some("http://www.google.com/"), "[]"),
    ];
    for (path, referer, expected) in cases {
        assert_eq!(
            check(21111, path, *referer),
            *expected,
            "{path} {referer:?}"
        );
    }
    assert_eq!(check(21112, "/", Some("http://evil.com/")), "[]");
}

#[test]
fn refuses_none_alone() {
    let text = "events {}\nhttp {\n server { listen 127.0.0.1:21113; valid_referers none; }\n}\n";
    let path = std::env::temp_dir().join(format!("rginx-referer-{}.conf", std::process::id()));
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
        "the \"none\" or \"blocked\" referers are specified in the \"valid_referers\" \
         directive without any valid referer"
    );
}
