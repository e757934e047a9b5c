//! The rewrite module and error_page through a real socket. Expected
//! responses are what nginx 1.22 sends for the same config and requests
//! (recorded by running it), with rginx's Server header and signature.

mod common;
use common::{body, exchange, head_without_date, serve};

const CONF: &str = r#"
events {}
http {
  default_type text/plain;
  types { text/html html; }
  server {
    listen 127.0.0.1:19511;
    server_tokens off;
    location = /ret200 { return 200 "hello $uri $args"; }
    location = /ret200.html { return 200 "x"; }
    location = /ret200empty { return 200; }
    location = /ret404 { return 404; }
    location = /ret404t { return 404 "gone"; }
    location = /ret301 { return 301 /new; }
    location = /ret302abs { return http://example.com/x; }
    location = /ret444 { return 444; }
    location = /ret418 { return 418; }
    location /rw { rewrite ^/rw/(.*)$ /ret200?from=$1 last; }
    location /rr { rewrite ^/rr/(.*)$ /target/$1 redirect; }
    location /rp { rewrite ^ /p? permanent; }
    location /ep2 { error_page 404 =200 /ret200; return 404; }
    location /ep3 { error_page 404 @named; return 404; }
    location @named { return 202 "named $uri"; }
    location /ep4 { error_page 404 http://example.com/e; return 404; }
    location /ifv { set $a "1"; if ($a) { return 203 "if true"; } return 204; }
    location /ifre { if ($arg_x ~ ^(\d+)$) { return 200 "num $1"; } return 200 "no"; }
    location /loop { rewrite ^ /loop last; }
    location /int { internal; return 200 "internal"; }
  }
}
"#;

fn start_server() {
    static START: std::sync::Once = std::sync::Once::new();
    START.call_once(|| {
        serve(CONF, &[]);
    });
}

fn get(path: &str) -> String {
    start_server();
    exchange(
        19511,
        format!("GET {path} HTTP/1.1\r\nHost: t.example\r\nConnection: close\r\n\r\n").as_bytes(),
    )
}

fn head(response: &str) -> String {
    head_without_date(response).replace('\n', "|")
}

#[test]
fn return_with_text_uses_the_uri_extension_type() {
    let r = get("/ret200?a=1");
    assert_eq!(
        head(&r),
        "HTTP/1.1 200 OK|Server: rginx|Content-Type: text/plain|Content-Length: 17|Connection: close"
    );
    assert_eq!(body(&r), "hello /ret200 a=1");
    let r = get("/ret200.html");
    assert!(
        head(&r).contains("Content-Type: text/html|Content-Length: 1"),
        "{r}"
    );
    let r = get("/ret200empty");
    assert_eq!(
        head(&r),
        "HTTP/1.1 200 OK|Server: rginx|Content-Type: text/plain|Content-Length: 0|Connection: close"
    );
    let r = get("/ret404t");
    assert!(head(&r).starts_with(
        "HTTP/1.1 404 Not Found|Server: rginx|Content-Type: text/plain|Content-Length: 4"
    ));
    assert_eq!(body(&r), "gone");
}

#[test]
fn redirects_place_location_as_nginx_does() {
    let r = get("/ret301");
    assert_eq!(
        head(&r),
        "HTTP/1.1 301 Moved Permanently|Server: rginx|Content-Type: text/html|Content-Length: 162|Location: http://t.example:19511/new|Connection: close"
    );
    let r = get("/ret302abs");
    assert_eq!(
        head(&r),
        "HTTP/1.1 302 Moved Temporarily|Server: rginx|Content-Type: text/html|Content-Length: 138|Connection: close|Location: http://example.com/x"
    );
    let r = get("/rr/x?y=1");
    assert!(
        head(&r).contains("|Location: http://t.example:19511/target/x?y=1|"),
        "{r}"
    );
    let r = get("/rp?z=1");
    assert!(head(&r).starts_with("HTTP/1.1 301 "), "{r}");
    assert!(
        head(&r).contains("|Location: http://t.example:19511/p|"),
        "{r}"
    );
}

#[test]
fn return_444_closes_without_a_response() {
    assert_eq!(get("/ret444"), "");
}

#[test]
fn rewrite_last_searches_again_and_merges_arguments() {
    assert_eq!(body(&get("/rw/abc?q=2")), "hello /ret200 from=abc&q=2");
}

#[test]
fn error_page_forms() {
    let r = get("/ep2");
    assert!(head(&r).starts_with("HTTP/1.1 200 OK|"), "{r}");
    assert_eq!(body(&r), "hello /ret200 ");
    let r = get("/ep3");
    assert!(head(&r).starts_with("HTTP/1.1 404 Not Found|"), "{r}");
    assert_eq!(body(&r), "named /ep3");
    let r = get("/ep4");
    assert!(
        head(&r).ends_with("|Connection: close|Location: http://example.com/e"),
        "{r}"
    );
}

#[test]
fn if_set_and_captures() {
    let r = get("/ifv");
    assert!(head(&r).starts_with("HTTP/1.1 203 |"), "{r}");
    assert_eq!(body(&r), "if true");
    assert_eq!(body(&get("/ifre?x=42")), "num 42");
    assert_eq!(body(&get("/ifre?x=a")), "no");
}

#[test]
fn rewrite_cycles_and_internal_locations() {
    assert!(get("/loop").starts_with("HTTP/1.1 500 Internal Server Error\r\n"));
    assert!(get("/int").starts_with("HTTP/1.1 404 Not Found\r\n"));
}

#[test]
fn statuses_without_a_page_send_an_empty_body() {
    assert_eq!(
        head(&get("/ret418")),
        "HTTP/1.1 418 |Server: rginx|Content-Length: 0|Connection: close"
    );
}

#[test]
fn chrome_and_msie_get_the_padded_error_page() {
    start_server();
    let chrome = exchange(
        19511,
        b"GET /ret404 HTTP/1.1\r\nHost: a\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36\r\nConnection: close\r\n\r\n",
    );
    // 146 bytes of page (rginx signature) + 6 lines of padding, as nginx.
    assert!(head(&chrome).contains("|Content-Length: 548|"), "{chrome}");
    assert!(body(&chrome).ends_with("friendly error page -->\r\n"));
    let curl = get("/ret404");
    assert!(head(&curl).contains("|Content-Length: 146|"), "{curl}");
}

#[test]
fn allow_and_deny_in_order() {
    serve(
        r#"
events {}
http {
  server {
    listen 127.0.0.1:19512;
    location /open { return 200 "open"; }
    location /closed { deny 127.0.0.1; allow all; }
    location /net { allow 127.0.0.0/8; deny all; }
    location /ret { deny all; return 200 "rewrite phase first"; }
    location /le { limit_except GET { deny all; } }
  }
}
"#,
        &[],
    );
    let get = |path: &str| {
        exchange(
            19512,
            format!("GET {path} HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").as_bytes(),
        )
    };
    assert_eq!(body(&get("/open")), "open");
    assert!(get("/closed").starts_with("HTTP/1.1 403 Forbidden\r\n"));
    // Allowed, then the content phase: no such file.
    assert!(get("/net").starts_with("HTTP/1.1 404 Not Found\r\n"));
    // As in nginx, `return` (rewrite phase) runs before access rules.
    assert_eq!(body(&get("/ret")), "rewrite phase first");
    // limit_except GET: GET and HEAD pass, other methods meet its rules.
    assert!(get("/le").starts_with("HTTP/1.1 404 "));
    let post = exchange(
        19512,
        b"POST /le HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    );
    assert!(post.starts_with("HTTP/1.1 403 Forbidden\r\n"), "{post}");
    let head = exchange(
        19512,
        b"HEAD /le HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
    );
    assert!(head.starts_with("HTTP/1.1 404 "), "{head}");
}
