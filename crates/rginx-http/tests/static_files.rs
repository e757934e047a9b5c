//! The static module through a real socket: files with nginx's headers,
//! directory redirects, index/autoindex/try_files/alias, conditional and
//! range requests, expires/add_header, and the config errors nginx gives.
//! Expected values are computed from the files' own metadata, as nginx
//! computes them.

mod common;
use common::{exchange, serve};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::time::Duration;

/// Sends a raw request and reads the whole answer (the requests say
/// `Connection: close`).
fn raw(port: u16, request: &str) -> Vec<u8> {
    let mut stream = None;
    for _ in 0..200 {
        if let Ok(s) = TcpStream::connect(("127.0.0.1", port)) {
            stream = Some(s);
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let mut stream = stream.expect("the test server listens");
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut out = Vec::new();
    let _ = stream.read_to_end(&mut out);
    out
}

fn get(port: u16, path: &str, extra: &str) -> Vec<u8> {
    raw(
        port,
        &format!("GET {path} HTTP/1.1\r\nHost: a\r\n{extra}Connection: close\r\n\r\n"),
    )
}

/// Status line and headers (names lowercased, Date dropped), and the body.
fn split(response: &[u8]) -> (Vec<String>, Vec<u8>) {
    let at = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete head");
    let head = String::from_utf8_lossy(&response[..at]);
    let mut lines: Vec<String> = Vec::new();
    for (i, line) in head.split("\r\n").enumerate() {
        if i == 0 {
            lines.push(line.to_string());
            continue;
        }
        let (name, value) = line.split_once(": ").unwrap_or((line, ""));
        if name.eq_ignore_ascii_case("date") {
            continue;
        }
        lines.push(format!("{}: {value}", name.to_ascii_lowercase()));
    }
    (lines, response[at + 4..].to_vec())
}

fn header<'a>(head: &'a [String], name: &str) -> Option<&'a str> {
    head.iter()
        .find_map(|l| l.strip_prefix(&format!("{name}: ")))
}

fn http_time(secs: i64) -> String {
    chrono::DateTime::from_timestamp(secs, 0)
        .unwrap()
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string()
}

/// nginx's ETag and Last-Modified of a file.
fn validators(path: &Path) -> (String, String) {
    let meta = std::fs::metadata(path).unwrap();
    (
        format!("\"{:x}-{:x}\"", meta.mtime(), meta.len()),
        http_time(meta.mtime()),
    )
}

const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz";

#[test]
fn a_file_gets_nginxs_headers_and_head_gets_no_body() {
    let prefix = serve(
        "events {}\nhttp {\n server { listen 127.0.0.1:19600; server_tokens off;\n  root {PREFIX}/html;\n  types { text/plain txt; text/css css; }\n }\n}\n",
        &[("html/a.txt", ALPHABET), ("html/s.CSS", b"b{}")],
    );
    let (etag, last_modified) = validators(&prefix.join("html/a.txt"));
    let (head, body) = split(&get(19600, "/a.txt", ""));
    assert_eq!(
        head,
        vec![
            "HTTP/1.1 200 OK".to_string(),
            "server: rginx".into(),
            "content-type: text/plain".into(),
            "content-length: 26".into(),
            format!("last-modified: {last_modified}"),
            "connection: close".into(),
            format!("etag: {etag}"),
            "accept-ranges: bytes".into(),
        ]
    );
    assert_eq!(body, ALPHABET);
    let (head_only, body) = split(&raw(
        19600,
        "HEAD /a.txt HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
    ));
    assert_eq!(head_only, head);
    assert!(body.is_empty());
    // Extensions are matched without regard to case.
    let (head, _) = split(&get(19600, "/s.CSS", ""));
    assert_eq!(header(&head, "content-type"), Some("text/css"));
}

#[test]
fn directories_missing_files_and_methods() {
    serve(
        "events {}\nhttp {\n server { listen 127.0.0.1:19601; server_tokens off;\n  root {PREFIX}/html;\n }\n}\n",
        &[
            ("html/index.html", b"home"),
            ("html/dir/f.txt", b"f"),
            ("html/sp ace/x", b"x"),
        ],
    );
    let (head, _) = split(&get(19601, "/dir", ""));
    assert_eq!(head[0], "HTTP/1.1 301 Moved Permanently");
    assert_eq!(header(&head, "location"), Some("http://a:19601/dir/"));
    let (head, _) = split(&get(19601, "/dir?x=1&y", ""));
    assert_eq!(header(&head, "location"), Some("http://a:19601/dir/?x=1&y"));
    let (head, _) = split(&get(19601, "/sp%20ace", ""));
    assert_eq!(header(&head, "location"), Some("http://a:19601/sp%20ace/"));
    // The index file of a directory, through an internal redirect.
    let (head, body) = split(&get(19601, "/", ""));
    assert_eq!(head[0], "HTTP/1.1 200 OK");
    assert_eq!(body, b"home");
    // A directory without an index: 403; a missing one: 404.
    assert!(get(19601, "/dir/", "").starts_with(b"HTTP/1.1 403 Forbidden\r\n"));
    assert!(get(19601, "/nodir/", "").starts_with(b"HTTP/1.1 404 Not Found\r\n"));
    assert!(get(19601, "/nothing.txt", "").starts_with(b"HTTP/1.1 404 Not Found\r\n"));
    // A file below a file.
    assert!(get(19601, "/index.html/x", "").starts_with(b"HTTP/1.1 404 Not Found\r\n"));
    for request in [
        "POST /dir/f.txt HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        "PUT /dir/f.txt HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        "DELETE /dir/ HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
        // POST to a directory: the index redirect, then the file refuses it.
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    ] {
        let response = raw(19601, request);
        assert!(
            response.starts_with(b"HTTP/1.1 405 Not Allowed\r\n"),
            "{request}: {}",
            String::from_utf8_lossy(&response)
        );
    }
    // POST to a missing file is a 404 and to a directory a redirect.
    let response = raw(
        19601,
        "POST /dir HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    );
    assert!(response.starts_with(b"HTTP/1.1 301 "));
}

#[test]
fn traversal_never_leaves_the_root() {
    serve(
        "events {}\nhttp {\n server { listen 127.0.0.1:19602;\n  root {PREFIX}/html;\n  location /al/ { alias {PREFIX}/html/; }\n }\n}\n",
        &[("html/a.txt", b"in"), ("secret.txt", b"SECRET")],
    );
    for path in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/a/../../secret.txt",
        "/al/../../secret.txt",
        "/al/%2E%2E/%2e%2E/secret.txt",
    ] {
        let response = exchange(
            19602,
            format!("GET {path} HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").as_bytes(),
        );
        assert!(
            response.starts_with("HTTP/1.1 400 Bad Request\r\n"),
            "{path}"
        );
        assert!(!response.contains("SECRET"), "{path}");
    }
    // Dots that stay inside are resolved.
    let (_, body) = split(&get(19602, "/al/x/../a.txt", ""));
    assert_eq!(body, b"in");
}

#[test]
fn byte_ranges() {
    let prefix = serve(
        "events {}\nhttp {\n server { listen 127.0.0.1:19603; server_tokens off;\n  root {PREFIX}/html;\n  types { text/plain txt; }\n  location /one/ { alias {PREFIX}/html/; max_ranges 1; }\n  location /none/ { alias {PREFIX}/html/; max_ranges 0; }\n }\n}\n",
        &[("html/a.txt", ALPHABET)],
    );
    let (etag, last_modified) = validators(&prefix.join("html/a.txt"));
    let (head, body) = split(&get(19603, "/a.txt", "Range: bytes=3-5\r\n"));
    assert_eq!(head[0], "HTTP/1.1 206 Partial Content");
    assert_eq!(header(&head, "content-length"), Some("3"));
    assert_eq!(header(&head, "content-range"), Some("bytes 3-5/26"));
    assert_eq!(header(&head, "accept-ranges"), None);
    assert_eq!(body, b"def");
    let (_, body) = split(&get(19603, "/a.txt", "Range: bytes=-4\r\n"));
    assert_eq!(body, b"wxyz");
    let (_, body) = split(&get(19603, "/a.txt", "Range: bytes=20-\r\n"));
    assert_eq!(body, b"uvwxyz");
    let (head, body) = split(&get(19603, "/a.txt", "Range: bytes=24-100\r\n"));
    assert_eq!(header(&head, "content-range"), Some("bytes 24-25/26"));
    assert_eq!(body, b"yz");
    // Several ranges: multipart/byteranges.
    let (head, body) = split(&get(19603, "/a.txt", "Range: bytes=0-1,5-6\r\n"));
    assert_eq!(head[0], "HTTP/1.1 206 Partial Content");
    let content_type = header(&head, "content-type").unwrap();
    let boundary = content_type
        .strip_prefix("multipart/byteranges; boundary=")
        .unwrap();
    assert_eq!(boundary.len(), 20);
    let expected = format!(
        "\r\n--{boundary}\r\nContent-Type: text/plain\r\nContent-Range: bytes 0-1/26\r\n\r\nab\
         \r\n--{boundary}\r\nContent-Type: text/plain\r\nContent-Range: bytes 5-6/26\r\n\r\nfg\
         \r\n--{boundary}--\r\n"
    );
    assert_eq!(String::from_utf8(body).unwrap(), expected);
    assert_eq!(
        header(&head, "content-length"),
        Some(expected.len().to_string().as_str())
    );
    // Unsatisfiable: 416 with the length.
    let (head, _) = split(&get(19603, "/a.txt", "Range: bytes=26-\r\n"));
    assert_eq!(head[0], "HTTP/1.1 416 Requested Range Not Satisfiable");
    assert_eq!(header(&head, "content-range"), Some("bytes */26"));
    assert_eq!(header(&head, "etag"), None);
    // Not a byte range, or a stale If-Range: the whole file.
    for extra in [
        "Range: items=0-1\r\n".to_string(),
        "Range: bytes=0-1\r\nIf-Range: \"other\"\r\n".into(),
        "Range: bytes=0-1\r\nIf-Range: Thu, 01 Jan 1970 00:00:00 GMT\r\n".into(),
    ] {
        let (head, body) = split(&get(19603, "/a.txt", &extra));
        assert_eq!(head[0], "HTTP/1.1 200 OK", "{extra}");
        assert_eq!(body, ALPHABET);
    }
    for extra in [
        format!("Range: bytes=0-1\r\nIf-Range: {etag}\r\n"),
        format!("Range: bytes=0-1\r\nIf-Range: {last_modified}\r\n"),
    ] {
        let (head, body) = split(&get(19603, "/a.txt", &extra));
        assert_eq!(head[0], "HTTP/1.1 206 Partial Content", "{extra}");
        assert_eq!(body, b"ab");
    }
    // max_ranges 1: two ranges get the whole file; max_ranges 0: no ranges.
    let (head, _) = split(&get(19603, "/one/a.txt", "Range: bytes=0-1,3-4\r\n"));
    assert_eq!(head[0], "HTTP/1.1 200 OK");
    let (head, _) = split(&get(19603, "/one/a.txt", "Range: bytes=0-1\r\n"));
    assert_eq!(head[0], "HTTP/1.1 206 Partial Content");
    let (head, _) = split(&get(19603, "/none/a.txt", "Range: bytes=0-1\r\n"));
    assert_eq!(head[0], "HTTP/1.1 200 OK");
    assert_eq!(header(&head, "accept-ranges"), None);
}

#[test]
fn conditional_requests() {
    let prefix = serve(
        "events {}\nhttp {\n server { listen 127.0.0.1:19604; server_tokens off;\n  root {PREFIX}/html;\n  location /before/ { alias {PREFIX}/html/; if_modified_since before; }\n  location /noetag/ { alias {PREFIX}/html/; etag off; }\n }\n}\n",
        &[("html/a.txt", ALPHABET)],
    );
    let (etag, last_modified) = validators(&prefix.join("html/a.txt"));
    for extra in [
        format!("If-None-Match: {etag}\r\n"),
        format!("If-None-Match: \"x\", W/{etag}\r\n"),
        "If-None-Match: *\r\n".to_string(),
        format!("If-Modified-Since: {last_modified}\r\n"),
    ] {
        let (head, body) = split(&get(19604, "/a.txt", &extra));
        assert_eq!(
            head,
            vec![
                "HTTP/1.1 304 Not Modified".to_string(),
                "server: rginx".into(),
                format!("last-modified: {last_modified}"),
                "connection: close".into(),
                format!("etag: {etag}"),
            ],
            "{extra}"
        );
        assert!(body.is_empty());
    }
    // A date after the file's: exact match only, unless "before".
    let later = "If-Modified-Since: Fri, 01 Jan 2100 00:00:00 GMT\r\n";
    assert!(get(19604, "/a.txt", later).starts_with(b"HTTP/1.1 200 OK\r\n"));
    assert!(get(19604, "/before/a.txt", later).starts_with(b"HTTP/1.1 304 "));
    // An entity tag mismatch wins over a matching date.
    let both = format!("If-None-Match: \"x\"\r\nIf-Modified-Since: {last_modified}\r\n");
    assert!(get(19604, "/a.txt", &both).starts_with(b"HTTP/1.1 200 OK\r\n"));
    for extra in [
        "If-Match: \"nope\"\r\n".to_string(),
        "If-Unmodified-Since: Thu, 01 Jan 1970 00:00:00 GMT\r\n".into(),
        "If-Unmodified-Since: garbage\r\n".into(),
    ] {
        let (head, _) = split(&get(19604, "/a.txt", &extra));
        assert_eq!(head[0], "HTTP/1.1 412 Precondition Failed", "{extra}");
    }
    for extra in [
        format!("If-Match: {etag}\r\n"),
        "If-Match: *\r\n".to_string(),
        format!("If-Unmodified-Since: {last_modified}\r\n"),
    ] {
        assert!(
            get(19604, "/a.txt", &extra).starts_with(b"HTTP/1.1 200 OK\r\n"),
            "{extra}"
        );
    }
    // Without an ETag only "*" matches.
    let (head, _) = split(&get(
        19604,
        "/noetag/a.txt",
        &format!("If-Match: {etag}\r\n"),
    ));
    assert_eq!(head[0], "HTTP/1.1 412 Precondition Failed");
    let (head, _) = split(&get(19604, "/noetag/a.txt", ""));
    assert_eq!(header(&head, "etag"), None);
}

#[test]
fn alias_root_variables_and_index() {
    serve(
        "events {}\nhttp {\n server { listen 127.0.0.1:19605; server_tokens off;\n  root {PREFIX}/html;\n\
           location /al/ { alias {PREFIX}/data/; }\n\
           location ~ ^/img/(.+)\\.png$ { alias {PREFIX}/data/pics/$1.bin; }\n\
           location /vh/ { root {PREFIX}/hosts/$host; }\n\
           location /idx/ { alias {PREFIX}/data/; index missing.html second.html; }\n\
           location /uri/ { alias {PREFIX}/data/; index missing.html /target.txt; }\n\
           location /inh/ { index second.html;\n  location /inh/deep/ { alias {PREFIX}/data/; } }\n\
         }\n}\n",
        &[
            ("data/f.txt", b"aliased"),
            ("data/second.html", b"second"),
            ("data/pics/cat.bin", b"meow"),
            ("hosts/a/vh/h.txt", b"host a"),
            ("hosts/b/vh/h.txt", b"host b"),
            ("html/target.txt", b"target"),
        ],
    );
    let (_, body) = split(&get(19605, "/al/f.txt", ""));
    assert_eq!(body, b"aliased");
    let (_, body) = split(&get(19605, "/img/cat.png", ""));
    assert_eq!(body, b"meow");
    assert!(get(19605, "/img/dog.png", "").starts_with(b"HTTP/1.1 404 "));
    let (_, body) = split(&get(19605, "/vh/h.txt", ""));
    assert_eq!(body, b"host a");
    let (_, body) = split(&raw(
        19605,
        "GET /vh/h.txt HTTP/1.1\r\nHost: B\r\nConnection: close\r\n\r\n",
    ));
    assert_eq!(body, b"host b");
    let (head, body) = split(&get(19605, "/idx/", ""));
    assert_eq!(head[0], "HTTP/1.1 200 OK");
    assert_eq!(body, b"second");
    let (_, body) = split(&get(19605, "/uri/", ""));
    assert_eq!(body, b"target");
    // index is inherited by the nested location.
    let (_, body) = split(&get(19605, "/inh/deep/", ""));
    assert_eq!(body, b"second");
}

#[test]
fn try_files_fallbacks() {
    serve(
        "events {}\nhttp {\n server { listen 127.0.0.1:19606; server_tokens off;\n  root {PREFIX}/html;\n\
           location /spa/ { try_files $uri $uri/ /app.html; }\n\
           location /code/ { try_files $uri =418; }\n\
           location /args/ { try_files /nothing /echo.txt?from=try; }\n\
           location /named/ { try_files $uri @back; }\n\
           location @back { root {PREFIX}/back; }\n\
           location /al/ { alias {PREFIX}/data/; try_files $uri =404; }\n\
         }\n}\n",
        &[
            ("html/app.html", b"app"),
            ("html/spa/real.txt", b"real"),
            ("html/spa/dir/index.html", b"dir index"),
            ("html/echo.txt", b"echo"),
            ("back/named/x", b"from named"),
            ("data/d.txt", b"aliased"),
        ],
    );
    let (_, body) = split(&get(19606, "/spa/real.txt", ""));
    assert_eq!(body, b"real");
    let (_, body) = split(&get(19606, "/spa/route/42", ""));
    assert_eq!(body, b"app");
    // "$uri/" matches the directory, which then gets its slash.
    let (head, _) = split(&get(19606, "/spa/dir", ""));
    assert_eq!(header(&head, "location"), Some("http://a:19606/spa/dir/"));
    let (_, body) = split(&get(19606, "/spa/dir/", ""));
    assert_eq!(body, b"dir index");
    let (head, _) = split(&get(19606, "/code/none", ""));
    assert_eq!(head[0], "HTTP/1.1 418 ");
    let (_, body) = split(&get(19606, "/args/x", ""));
    assert_eq!(body, b"echo");
    let (_, body) = split(&get(19606, "/named/x", ""));
    assert_eq!(body, b"from named");
    let (_, body) = split(&get(19606, "/al/d.txt", ""));
    assert_eq!(body, b"aliased");
    assert!(get(19606, "/al/none", "").starts_with(b"HTTP/1.1 404 "));
}

#[test]
fn autoindex_formats() {
    let prefix = serve(
        "events {}\nhttp {\n server { listen 127.0.0.1:19607; server_tokens off;\n  root {PREFIX}/html;\n  autoindex on;\n\
           location /j/ { alias {PREFIX}/html/list/; autoindex_format json; }\n\
           location /x/ { alias {PREFIX}/html/list/; autoindex_format xml; }\n\
           location /off/ { alias {PREFIX}/html/list/; autoindex off; }\n\
         }\n}\n",
        &[
            ("html/list/b&c.txt", b"12345"),
            ("html/list/sub/x", b"x"),
            ("html/list/.hidden", b"h"),
        ],
    );
    let file = validators(&prefix.join("html/list/b&c.txt"));
    let meta = std::fs::metadata(prefix.join("html/list/b&c.txt")).unwrap();
    let dir_meta = std::fs::metadata(prefix.join("html/list/sub")).unwrap();
    let short = |secs: i64| {
        chrono::DateTime::from_timestamp(secs, 0)
            .unwrap()
            .format("%d-%b-%Y %H:%M")
            .to_string()
    };
    let (head, body) = split(&get(19607, "/list/", ""));
    assert_eq!(head[0], "HTTP/1.1 200 OK");
    assert_eq!(header(&head, "content-type"), Some("text/html"));
    assert_eq!(header(&head, "content-length"), None);
    assert_eq!(header(&head, "transfer-encoding"), Some("chunked"));
    let expected = format!(
        "<html>\r\n<head><title>Index of /list/</title></head>\r\n<body>\r\n<h1>Index of /list/</h1><hr><pre><a href=\"../\">../</a>\r\n\
         <a href=\"sub/\">sub/</a>{} {}                   -\r\n\
         <a href=\"b%26c.txt\">b&amp;c.txt</a>{} {} {:>19}\r\n\
         </pre><hr></body>\r\n</html>\r\n",
        " ".repeat(46),
        short(dir_meta.mtime()),
        " ".repeat(43),
        short(meta.mtime()),
        5
    );
    assert_eq!(String::from_utf8_lossy(&dechunk(&body)), expected);
    let (head, body) = split(&get(19607, "/j/", ""));
    assert_eq!(header(&head, "content-type"), Some("application/json"));
    let expected = format!(
        "[\r\n{{ \"name\":\"sub\", \"type\":\"directory\", \"mtime\":\"{}\" }},\r\n\
         {{ \"name\":\"b&c.txt\", \"type\":\"file\", \"mtime\":\"{}\", \"size\":5 }}\r\n]",
        http_time(dir_meta.mtime()),
        file.1
    );
    assert_eq!(String::from_utf8_lossy(&dechunk(&body)), expected);
    let (head, body) = split(&get(19607, "/x/", ""));
    assert_eq!(
        header(&head, "content-type"),
        Some("text/xml; charset=utf-8")
    );
    let body = String::from_utf8(dechunk(&body)).unwrap();
    assert!(body.starts_with("<?xml version=\"1.0\"?>\r\n<list>\r\n<directory mtime=\""));
    assert!(body.contains("\" size=\"5\">b&amp;c.txt</file>\r\n</list>\r\n"));
    assert!(get(19607, "/off/", "").starts_with(b"HTTP/1.1 403 "));
    assert!(get(19607, "/nowhere/", "").starts_with(b"HTTP/1.1 404 "));
}

/// Joins the chunks of a chunked body.
fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = body.windows(2).position(|w| w == b"\r\n").unwrap();
        let size =
            usize::from_str_radix(std::str::from_utf8(&body[..line_end]).unwrap(), 16).unwrap();
        body = &body[line_end + 2..];
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&body[..size]);
        body = &body[size + 2..];
    }
}

#[test]
fn large_files_stream_whole_and_in_ranges() {
    let data: Vec<u8> = (0..3_000_000u32).map(|i| (i * 7 % 251) as u8).collect();
    serve(
        "events {}\nhttp {\n server { listen 127.0.0.1:19608;\n  root {PREFIX}/html;\n }\n}\n",
        &[("html/big.bin", &data)],
    );
    let (head, body) = split(&get(19608, "/big.bin", ""));
    assert_eq!(header(&head, "content-length"), Some("3000000"));
    assert_eq!(header(&head, "content-type"), Some("text/plain"));
    assert!(body == data, "body differs ({} bytes)", body.len());
    let (head, body) = split(&get(19608, "/big.bin", "Range: bytes=1000000-2500000\r\n"));
    assert_eq!(
        header(&head, "content-range"),
        Some("bytes 1000000-2500000/3000000")
    );
    assert!(body == data[1_000_000..=2_500_000]);
}

#[test]
fn expires_and_add_header() {
    let prefix = serve(
        "events {}\nhttp {\n server { listen 127.0.0.1:19609; server_tokens off;\n  root {PREFIX}/html;\n\
           expires 1h;\n  add_header X-Outer outer;\n  add_header X-Always yes always;\n\
           location /inner/ { alias {PREFIX}/html/; add_header X-Inner inner; expires epoch; }\n\
           location /max/ { alias {PREFIX}/html/; expires max; }\n\
           location /neg/ { alias {PREFIX}/html/; expires -10m; }\n\
           location /mod/ { alias {PREFIX}/html/; expires modified 1d; }\n\
           location /etag/ { alias {PREFIX}/html/; add_header ETag \"\"; add_header Cache-Control private; }\n\
         }\n}\n",
        &[("html/a.txt", b"a")],
    );
    let (head, _) = split(&get(19609, "/a.txt", ""));
    // After ETag: Expires, Cache-Control, then the add_header lines.
    let tail: Vec<&str> = head[7..].iter().map(String::as_str).collect();
    assert_eq!(tail[1], "cache-control: max-age=3600", "{head:?}");
    assert!(tail[0].starts_with("expires: "));
    assert_eq!(&tail[2..4], ["x-outer: outer", "x-always: yes"]);
    // Error responses get only the "always" headers and no expiry.
    let (head, _) = split(&get(19609, "/missing", ""));
    assert!(head.contains(&"x-always: yes".to_string()));
    assert!(
        !head
            .iter()
            .any(|h| h.starts_with("x-outer") || h.starts_with("expires"))
    );
    // An inner add_header replaces the outer list.
    let (head, _) = split(&get(19609, "/inner/a.txt", ""));
    assert!(head.contains(&"x-inner: inner".to_string()));
    assert!(
        !head
            .iter()
            .any(|h| h.starts_with("x-outer") || h.starts_with("x-always"))
    );
    assert_eq!(
        header(&head, "expires"),
        Some("Thu, 01 Jan 1970 00:00:01 GMT")
    );
    assert_eq!(header(&head, "cache-control"), Some("no-cache"));
    let (head, _) = split(&get(19609, "/max/a.txt", ""));
    assert_eq!(
        header(&head, "expires"),
        Some("Thu, 31 Dec 2037 23:55:55 GMT")
    );
    assert_eq!(header(&head, "cache-control"), Some("max-age=315360000"));
    let (head, _) = split(&get(19609, "/neg/a.txt", ""));
    assert_eq!(header(&head, "cache-control"), Some("no-cache"));
    let (head, _) = split(&get(19609, "/mod/a.txt", ""));
    let mtime = std::fs::metadata(prefix.join("html/a.txt"))
        .unwrap()
        .mtime();
    assert_eq!(
        header(&head, "expires"),
        Some(http_time(mtime + 86400).as_str())
    );
    let (head, _) = split(&get(19609, "/etag/a.txt", ""));
    assert_eq!(header(&head, "etag"), None);
    let cache: Vec<&String> = head
        .iter()
        .filter(|h| h.starts_with("cache-control"))
        .collect();
    assert_eq!(
        cache,
        ["cache-control: max-age=3600", "cache-control: private"]
    );
}

/// The first error compiling `conf`.
fn conf_error(conf: &str) -> String {
    let dir = std::env::temp_dir().join(format!("rginx-static-conf-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("nginx.conf");
    let parsed = rginx_conf::parse_bytes(conf.as_bytes(), &path);
    let options = rginx_http::CompileOptions {
        prefix: dir.clone(),
        conf_file: path.clone(),
        conf_prefix: dir.clone(),
        is_root: true,
    };
    match rginx_http::compile(&parsed, None, options) {
        Ok(_) => String::new(),
        Err(failure) => failure.error.message,
    }
}

#[test]
fn config_errors_are_nginxs() {
    let cases = [
        (
            "location / { root /a; alias /b; }",
            "\"alias\" directive is duplicate, \"root\" directive was specified earlier",
        ),
        (
            "location / { root /a; root /b; }",
            "\"root\" directive is duplicate",
        ),
        (
            "location @x { alias /b; }",
            "the \"alias\" directive cannot be used inside the named location",
        ),
        (
            "root $document_root/x;",
            "the $document_root variable cannot be used in the \"root\" directive",
        ),
        ("location / { try_files a =40x; }", "invalid code \"=40x\""),
        (
            "location / { try_files a =1000; }",
            "invalid code \"=1000\"",
        ),
        (
            "location / { try_files a b; try_files c d; }",
            "\"try_files\" directive is duplicate",
        ),
        (
            "index a.html \"\";",
            "index \"a.html\" in \"index\" directive is invalid",
        ),
        ("autoindex_format yaml;", "invalid value \"yaml\""),
        ("if_modified_since never;", "invalid value \"never\""),
        (
            "max_ranges lots;",
            "\"max_ranges\" directive invalid number",
        ),
        ("aio on;", "\"aio on\" is unsupported on this platform"),
        ("directio big;", "\"directio\" directive invalid value"),
        (
            "open_file_cache max=0;",
            "invalid \"open_file_cache\" parameter \"max=0\"",
        ),
        (
            "open_file_cache inactive=10s;",
            "\"open_file_cache\" must have the \"max\" parameter",
        ),
        ("disable_symlinks maybe;", "invalid parameter \"maybe\""),
        (
            "disable_symlinks on off;",
            "duplicate parameters \"on off\"",
        ),
        (
            "disable_symlinks off from=/x;",
            "\"from=\" cannot be used with \"off\" parameter",
        ),
        ("expires soon;", "\"expires\" directive invalid value"),
        ("expires created 1h;", "\"expires\" directive invalid value"),
        (
            "expires @25h;",
            "\"expires\" directive daily time value must be less than 24 hours",
        ),
        (
            "expires modified @1h;",
            "\"expires\" directive daily time cannot be used with \"modified\" parameter",
        ),
        (
            "add_header X y sometimes;",
            "invalid parameter \"sometimes\"",
        ),
    ];
    for (directive, message) in cases {
        let conf = format!(
            "events {{}}\nhttp {{\n server {{\n listen 127.0.0.1:19699;\n {directive}\n }}\n}}\n"
        );
        assert_eq!(conf_error(&conf), message, "{directive}");
    }
    let valid = "events {}\nhttp {\n server {\n listen 127.0.0.1:19699;\n root html/;\n \
                 location ~ ^/(.*)$ { alias /srv/$1; try_files $uri $uri/ =404; }\n \
                 index index.html index.htm /fallback.html;\n expires modified -1h;\n \
                 open_file_cache max=100 inactive=20s; disable_symlinks if_not_owner from=$document_root;\n \
                 aio threads; directio 4m; output_buffers 2 32k; add_header X $host always;\n }\n}\n";
    assert_eq!(conf_error(valid), "");
}

#[test]
fn gzip_static_serves_the_compressed_twin() {
    let prefix = serve(
        "events {}\nhttp {\n server { listen 127.0.0.1:19610; server_tokens off;\n  root {PREFIX}/html;\n  types { text/plain txt; }\n\
           gzip_static on; gzip_vary on;\n\
           location /always/ { alias {PREFIX}/html/; gzip_static always; }\n\
         }\n}\n",
        &[
            ("html/a.txt", b"plain text"),
            ("html/a.txt.gz", b"\x1f\x8bnot really gzip"),
            ("html/b.txt", b"no twin"),
        ],
    );
    let (etag, last_modified) = validators(&prefix.join("html/a.txt.gz"));
    let (head, body) = split(&get(19610, "/a.txt", "Accept-Encoding: gzip, br\r\n"));
    assert_eq!(
        head,
        vec![
            "HTTP/1.1 200 OK".to_string(),
            "server: rginx".into(),
            "content-type: text/plain".into(),
            "content-length: 17".into(),
            format!("last-modified: {last_modified}"),
            "connection: close".into(),
            "vary: Accept-Encoding".into(),
            format!("etag: {etag}"),
            "content-encoding: gzip".into(),
        ]
    );
    assert_eq!(body, b"\x1f\x8bnot really gzip");
    // No gzip from the client: the plain file, still varying.
    for extra in [
        "",
        "Accept-Encoding: gzip;q=0\r\n",
        "Accept-Encoding: x-gzip\r\n",
    ] {
        let (head, body) = split(&get(19610, "/a.txt", extra));
        assert_eq!(body, b"plain text", "{extra}");
        assert_eq!(header(&head, "vary"), Some("Accept-Encoding"));
        assert_eq!(header(&head, "accept-ranges"), Some("bytes"));
    }
    // HTTP/1.0 is below the default gzip_http_version.
    let (_, body) = split(&raw(
        19610,
        "GET /a.txt HTTP/1.0\r\nAccept-Encoding: gzip\r\n\r\n",
    ));
    assert_eq!(body, b"plain text");
    let (head, body) = split(&get(19610, "/b.txt", "Accept-Encoding: gzip\r\n"));
    assert_eq!(body, b"no twin");
    assert_eq!(header(&head, "content-encoding"), None);
    let (head, body) = split(&get(19610, "/always/a.txt", ""));
    assert_eq!(header(&head, "content-encoding"), Some("gzip"));
    assert_eq!(header(&head, "vary"), None);
    assert_eq!(body, b"\x1f\x8bnot really gzip");
    // The compressed file is not rangeable.
    let (head, _) = split(&get(
        19610,
        "/a.txt",
        "Accept-Encoding: gzip\r\nRange: bytes=0-1\r\n",
    ));
    assert_eq!(head[0], "HTTP/1.1 200 OK");
}
