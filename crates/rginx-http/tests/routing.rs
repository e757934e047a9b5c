//! Server selection, URI normalisation and nginx's responses for requests
//! no handler takes, through a real socket.

mod common;
use common::{body, exchange, head_without_date, serve};

#[test]
fn unknown_paths_get_nginxs_404_page() {
    serve(
        "events {}\nhttp {\n server { listen 127.0.0.1:19501; server_tokens off; }\n}\n",
        &[],
    );
    let response = exchange(
        19501,
        b"GET /nothing HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(
        head_without_date(&response),
        "HTTP/1.1 404 Not Found\nServer: rginx\nContent-Type: text/html\nContent-Length: 146\nConnection: close"
    );
    assert_eq!(
        body(&response),
        "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>rginx</center>\r\n</body>\r\n</html>\r\n"
    );
}

#[test]
fn http11_without_host_is_400_and_closes() {
    serve(
        "events {}\nhttp {\n server { listen 127.0.0.1:19502; }\n}\n",
        &[],
    );
    let response = exchange(19502, b"GET / HTTP/1.1\r\n\r\n");
    assert!(
        response.starts_with("HTTP/1.1 400 Bad Request\r\n"),
        "{response}"
    );
    assert!(response.contains("\r\nConnection: close\r\n"), "{response}");
    let response = exchange(19502, b"GET /../x HTTP/1.1\r\nHost: a\r\n\r\n");
    assert!(
        response.starts_with("HTTP/1.1 400 Bad Request\r\n"),
        "{response}"
    );
}

#[test]
fn server_selection_follows_nginx_order() {
    serve(
        r#"
events {}
http {
  server { listen 127.0.0.1:19503; return 200 "first"; }
  server { listen 127.0.0.1:19503 default_server; return 200 "default"; }
  server { listen 127.0.0.1:19503; server_name example.com; return 200 "exact"; }
  server { listen 127.0.0.1:19503; server_name *.example.com; return 200 "head"; }
  server { listen 127.0.0.1:19503; server_name www.example.*; return 200 "tail"; }
  server { listen 127.0.0.1:19503; server_name ~^(?<sub>[a-z]+)\.regex\.test$; return 200 "regex $sub"; }
}
"#,
        &[],
    );
    let host = |h: &str| {
        let response = exchange(
            19503,
            format!("GET / HTTP/1.1\r\nHost: {h}\r\nConnection: close\r\n\r\n").as_bytes(),
        );
        body(&response).to_string()
    };
    assert_eq!(host("example.com"), "exact");
    assert_eq!(host("EXAMPLE.com:8080"), "exact");
    assert_eq!(host("example.com."), "exact");
    assert_eq!(host("a.b.example.com"), "head");
    assert_eq!(host("www.example.org"), "tail");
    assert_eq!(host("www.example.com"), "head");
    assert_eq!(host("abc.regex.test"), "regex abc");
    assert_eq!(host("unknown.net"), "default");
    let http10 = exchange(19503, b"GET / HTTP/1.0\r\n\r\n");
    assert_eq!(body(&http10), "default");
}

/// nginx's auto-redirect: a URI that lacks the trailing slash of a prefix
/// or exact location with `proxy_pass` gets a 301 to the location's name
/// (with the arguments), at any nesting level, before regexes; a location
/// named exactly as the URI wins. Checked against nginx 1.22 by hand.
#[test]
fn proxied_locations_redirect_the_uri_without_slash() {
    serve(
        r#"
events {}
http {
  server { listen 127.0.0.1:19506; absolute_redirect off;
    location /app/ { proxy_pass http://127.0.0.1:1; }
    location /b/ { return 200 "b"; }
    location /c { return 200 "c"; }
    location /c/ { proxy_pass http://127.0.0.1:1; }
    location = /e/ { proxy_pass http://127.0.0.1:1; }
    location ~ ^/app$ { return 200 "regex"; }
    location /n/ { location /n/x/ { proxy_pass http://127.0.0.1:1; } }
  }
}
"#,
        &[],
    );
    let get = |target: &str| {
        exchange(
            19506,
            format!("GET {target} HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").as_bytes(),
        )
    };
    let redirect = |target: &str, location: &str| {
        let response = get(target);
        assert!(
            response.starts_with("HTTP/1.1 301 Moved Permanently\r\n"),
            "{target}: {response}"
        );
        assert!(
            response.contains(&format!("\r\nLocation: {location}\r\n")),
            "{target}: {response}"
        );
    };
    redirect("/app", "/app/");
    redirect("/app?a=1", "/app/?a=1");
    redirect("/e", "/e/");
    redirect("/n/x?q", "/n/x/?q");
    assert!(
        get("/b").starts_with("HTTP/1.1 404 "),
        "no proxy_pass, no redirect"
    );
    assert!(body(&get("/c")) == "c", "a location named as the URI wins");
}
