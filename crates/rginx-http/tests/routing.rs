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
