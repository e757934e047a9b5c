//! The gzip and gunzip output filters, served in-process: compressed bodies
//! inflate to the original (small and multi-megabyte files, returns, error
//! pages), the headers change as nginx 1.22 changes them (measured against
//! the real nginx with the same configs), and every condition that says
//! "no" leaves the response alone.

#[allow(dead_code)]
mod common;

use common::serve;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// A response as it came off the wire.
#[derive(Debug)]
struct Response {
    status: String,
    /// Header lines in order, names lowercased.
    headers: Vec<(String, String)>,
    /// The body with any chunked framing removed.
    body: Vec<u8>,
    chunked: bool,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn position(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|(n, _)| n == name)
    }

    fn is_gzip(&self) -> bool {
        self.header("content-encoding") == Some("gzip")
    }

    fn inflated(&self) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(&self.body[..])
            .read_to_end(&mut out)
            .expect("the body is valid gzip");
        out
    }
}

/// Sends `request` on a fresh connection and reads until the server closes
/// it (the requests ask for that, or are HTTP/1.0).
fn send(port: u16, request: &str) -> Response {
    let mut stream = None;
    for _ in 0..200 {
        if let Ok(s) = TcpStream::connect(("127.0.0.1", port)) {
            stream = Some(s);
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let mut stream = stream.unwrap_or_else(|| panic!("nothing listens on {port}"));
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("the server closes");
    parse(&raw, request.starts_with("HEAD"))
}

fn parse(raw: &[u8], head_request: bool) -> Response {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete head");
    let head = std::str::from_utf8(&raw[..end]).expect("an ASCII head");
    let mut lines = head.split("\r\n");
    let status = lines.next().unwrap_or_default().to_string();
    let headers: Vec<(String, String)> = lines
        .map(|line| {
            let (name, value) = line.split_once(':').expect("a header line");
            (name.to_ascii_lowercase(), value.trim().to_string())
        })
        .collect();
    let rest = &raw[end + 4..];
    let chunked = headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"));
    let body = if head_request {
        assert!(rest.is_empty(), "HEAD got a body");
        Vec::new()
    } else if chunked {
        dechunk(rest)
    } else {
        rest.to_vec()
    };
    Response {
        status,
        headers,
        body,
        chunked,
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    loop {
        let line_end = data
            .windows(2)
            .position(|w| w == b"\r\n")
            .expect("a chunk size line");
        let size_text = std::str::from_utf8(&data[..line_end]).unwrap();
        let size = usize::from_str_radix(size_text.split(';').next().unwrap().trim(), 16)
            .expect("a hex chunk size");
        data = &data[line_end + 2..];
        if size == 0 {
            return body;
        }
        body.extend_from_slice(&data[..size]);
        assert_eq!(&data[size..size + 2], b"\r\n", "chunk data ends with CRLF");
        data = &data[size + 2..];
    }
}

fn get(port: u16, path: &str, extra: &str) -> Response {
    send(
        port,
        &format!("GET {path} HTTP/1.1\r\nHost: a\r\nConnection: close\r\n{extra}\r\n"),
    )
}

const GZIP: &str = "Accept-Encoding: gzip, deflate\r\n";

/// Text that compresses well but not trivially.
fn text(len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len + 80);
    let mut i = 0u64;
    while out.len() < len {
        out.extend_from_slice(
            format!(
                "<p>line {i}: value {} of the quick brown fox</p>\n",
                i.wrapping_mul(2_654_435_761) % 100_000
            )
            .as_bytes(),
        );
        i += 1;
    }
    out.truncate(len);
    out
}

fn conf(port: u16, server: &str) -> String {
    format!(
        "events {{}}\nhttp {{\n types {{ text/html html; text/plain txt; text/css css; image/png png; }}\n \
         server {{ listen 127.0.0.1:{port}; server_tokens off; root {{PREFIX}}/html;\n{server}\n }}\n}}\n"
    )
}

/// The header changes nginx makes when it compresses: Content-Encoding
/// last, Vary right after Connection, a weak ETag, and no Content-Length
/// or Accept-Ranges.
fn assert_compressed_headers(r: &Response, vary: bool) {
    assert!(r.is_gzip(), "{r:?}");
    // Content-Encoding is the last header the filters add (a
    // Transfer-Encoding the connection layer appends may follow).
    let last = r
        .headers
        .iter()
        .rev()
        .find(|(n, _)| n != "transfer-encoding");
    assert_eq!(
        last.map(|(n, _)| n.as_str()),
        Some("content-encoding"),
        "{r:?}"
    );
    assert_eq!(r.header("content-length"), None, "{r:?}");
    assert_eq!(r.header("accept-ranges"), None, "{r:?}");
    if let Some(etag) = r.header("etag") {
        assert!(etag.starts_with("W/\""), "{etag}");
    }
    let connection = r.position("connection").expect("a Connection header");
    match r.position("vary") {
        Some(at) => {
            assert!(vary, "{r:?}");
            assert_eq!(r.header("vary"), Some("Accept-Encoding"));
            // After Connection (and Keep-Alive), before the listed headers.
            let after = &r.headers[connection + 1..at];
            assert!(
                after
                    .iter()
                    .all(|(n, _)| n == "keep-alive" || n == "transfer-encoding"),
                "{r:?}"
            );
        }
        None => assert!(!vary, "{r:?}"),
    }
}

#[test]
fn small_and_large_files_inflate_to_the_original() {
    let small = text(700);
    let large = text(5 * 1024 * 1024 + 123);
    serve(
        &conf(20600, "  gzip on; gzip_vary on; gzip_types text/plain;"),
        &[("html/small.html", &small), ("html/large.txt", &large)],
    );
    for (path, original) in [("/small.html", &small), ("/large.txt", &large)] {
        let r = get(20600, path, GZIP);
        assert_eq!(r.status, "HTTP/1.1 200 OK");
        assert_compressed_headers(&r, true);
        assert!(r.chunked, "no length: chunked on HTTP/1.1");
        assert_eq!(&r.body[..3], &[0x1f, 0x8b, 8], "gzip magic and deflate");
        assert_eq!(&r.inflated(), original, "{path}");
        assert!(
            r.body.len() * 3 < original.len(),
            "{path}: {}",
            r.body.len()
        );
        // The ETag is the file's, made weak.
        let plain = get(20600, path, "");
        let strong = plain.header("etag").unwrap();
        assert_eq!(r.header("etag").unwrap(), format!("W/{strong}"));
        // Without gzip the file goes out as it is, with Vary all the same.
        assert!(!plain.is_gzip());
        assert_eq!(plain.header("vary"), Some("Accept-Encoding"));
        assert_eq!(
            plain.header("content-length"),
            Some(original.len().to_string().as_str())
        );
        assert_eq!(plain.header("accept-ranges"), Some("bytes"));
        assert_eq!(&plain.body, original);
    }
}

#[test]
fn the_level_is_applied() {
    let data = text(300_000);
    serve(
        &conf(
            20601,
            "  gzip on; location /l1/ { alias {PREFIX}/html/; }\n  \
             location /l9/ { alias {PREFIX}/html/; gzip_comp_level 9; }",
        ),
        &[("html/t.html", &data)],
    );
    let fast = get(20601, "/l1/t.html", GZIP);
    let best = get(20601, "/l9/t.html", GZIP);
    assert_eq!(fast.inflated(), data);
    assert_eq!(best.inflated(), data);
    assert!(
        best.body.len() < fast.body.len(),
        "{} vs {}",
        best.body.len(),
        fast.body.len()
    );
    // zlib's header records the extremes: 4 for the fastest, 2 for the best.
    assert_eq!(fast.body[8], 4);
    assert_eq!(best.body[8], 2);
}

#[test]
fn conditions_that_say_no() {
    let page = text(2000);
    serve(
        &conf(
            20602,
            "  gzip on; gzip_vary on; gzip_min_length 1000;\n  \
             location /h10/ { alias {PREFIX}/html/; gzip_http_version 1.0; }\n  \
             location /proxied/ { alias {PREFIX}/html/; gzip_proxied any; }\n  \
             location /disabled/ { alias {PREFIX}/html/; gzip_disable msie6 \"^Bot\"; }\n  \
             location /off/ { alias {PREFIX}/html/; gzip off; }\n  \
             location = /err { return 500; }",
        ),
        &[
            ("html/p.html", &page),
            ("html/short.html", b"<p>short</p>"),
            ("html/p.txt", &page),
            ("html/i.png", &page),
        ],
    );
    let plain = |r: &Response, vary: bool| {
        assert!(!r.is_gzip(), "{r:?}");
        assert_eq!(r.header("vary").is_some(), vary, "{r:?}");
        assert!(r.header("content-length").is_some(), "{r:?}");
    };
    // The client does not take gzip.
    for accept in [
        "",
        "Accept-Encoding: gzip;q=0\r\n",
        "Accept-Encoding: x-gzip\r\n",
        "Accept-Encoding: deflate, br\r\n",
    ] {
        plain(&get(20602, "/p.html", accept), true);
    }
    // q-values above zero are fine.
    assert!(get(20602, "/p.html", "Accept-Encoding: br;q=1, gzip;q=0.5\r\n").is_gzip());
    // Types outside gzip_types (text/html only here) and short bodies are
    // not candidates at all: no Vary either.
    plain(&get(20602, "/p.txt", GZIP), false);
    plain(&get(20602, "/i.png", GZIP), false);
    plain(&get(20602, "/short.html", GZIP), false);
    plain(&get(20602, "/off/p.html", GZIP), false);
    // HTTP/1.0 needs gzip_http_version 1.0.
    let r = send(20602, &format!("GET /p.html HTTP/1.0\r\n{GZIP}\r\n"));
    plain(&r, true);
    let r = send(20602, &format!("GET /h10/p.html HTTP/1.0\r\n{GZIP}\r\n"));
    assert!(r.is_gzip());
    assert!(!r.chunked, "HTTP/1.0 gets a close-delimited body");
    assert_eq!(r.header("connection"), Some("close"));
    assert_eq!(r.inflated(), page);
    // A request through a proxy (Via) needs gzip_proxied.
    plain(
        &get(20602, "/p.html", &format!("{GZIP}Via: 1.1 cache\r\n")),
        true,
    );
    assert!(
        get(
            20602,
            "/proxied/p.html",
            &format!("{GZIP}Via: 1.1 cache\r\n")
        )
        .is_gzip()
    );
    // gzip_disable: MSIE 6 and a User-Agent regex.
    let msie6 = "User-Agent: Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1)\r\n";
    plain(
        &get(20602, "/disabled/p.html", &format!("{GZIP}{msie6}")),
        true,
    );
    plain(
        &get(
            20602,
            "/disabled/p.html",
            &format!("{GZIP}User-Agent: BotX\r\n"),
        ),
        true,
    );
    assert!(
        get(
            20602,
            "/disabled/p.html",
            &format!("{GZIP}User-Agent: NotBot\r\n")
        )
        .is_gzip()
    );
    assert!(get(20602, "/p.html", &format!("{GZIP}{msie6}")).is_gzip());
    // Only 200, 403 and 404 are compressed.
    let r = get(20602, "/err", GZIP);
    assert!(r.status.starts_with("HTTP/1.1 500"));
    assert!(!r.is_gzip());
}

#[test]
fn returns_error_pages_and_head() {
    let page = text(3000);
    serve(
        &conf(
            20603,
            "  gzip on; gzip_types text/plain;\n  \
             location = /text { return 200 \"hello hello hello hello hello\\n\"; }\n  \
             location = /deny { return 403; }\n  \
             location /custom/ { error_page 404 /p.html; }",
        ),
        &[("html/p.html", &page)],
    );
    let r = get(20603, "/text", GZIP);
    assert_compressed_headers(&r, false);
    assert_eq!(r.inflated(), b"hello hello hello hello hello\n");
    // nginx's own 403 and 404 pages are compressed too.
    for (path, status) in [("/deny", "403 Forbidden"), ("/missing", "404 Not Found")] {
        let r = get(20603, path, GZIP);
        assert!(r.status.ends_with(status), "{r:?}");
        assert_compressed_headers(&r, false);
        assert_eq!(r.header("content-type"), Some("text/html"));
        let html = String::from_utf8(r.inflated()).unwrap();
        assert!(html.contains(&format!("<title>{status}</title>")), "{html}");
    }
    // The MSIE/Chrome padding is part of what is compressed.
    let chrome = get(
        20603,
        "/missing",
        &format!("{GZIP}User-Agent: Chrome/100\r\n"),
    );
    let padded = String::from_utf8(chrome.inflated()).unwrap();
    assert!(padded.contains("<!-- a padding to disable MSIE and Chrome friendly error page -->"));
    // An error_page file keeps its 404 and is compressed with a weak ETag.
    let r = get(20603, "/custom/x", GZIP);
    assert!(r.status.ends_with("404 Not Found"));
    assert_compressed_headers(&r, false);
    assert_eq!(r.inflated(), page);
    // HEAD gets the headers of the compressed response and no body.
    let head = send(
        20603,
        &format!("HEAD /p.html HTTP/1.1\r\nHost: a\r\nConnection: close\r\n{GZIP}\r\n"),
    );
    assert_compressed_headers(&head, false);
    assert!(!head.chunked);
    assert!(head.body.is_empty());
}

#[test]
fn gzip_static_and_gunzip() {
    let original = text(4000);
    let mut gz = Vec::new();
    {
        let mut encoder = flate2::write::GzEncoder::new(&mut gz, flate2::Compression::best());
        encoder.write_all(&original).unwrap();
        encoder.finish().unwrap();
    }
    serve(
        &conf(
            20604,
            "  gzip on; gzip_vary on;\n  \
             location /always/ { alias {PREFIX}/html/; gzip_static always; }\n  \
             location /gunzip/ { alias {PREFIX}/html/; gzip_static always; gunzip on; }",
        ),
        &[("html/a.html.gz", &gz)],
    );
    // An encoded response is not compressed again.
    let r = get(20604, "/always/a.html", GZIP);
    assert!(r.is_gzip());
    assert_eq!(r.body, gz);
    assert_eq!(
        r.header("content-length"),
        Some(gz.len().to_string().as_str())
    );
    let r = get(20604, "/always/a.html", "");
    assert_eq!(
        r.body, gz,
        "without gunzip, gzip_static always sends the .gz"
    );
    // gunzip inflates it for a client without gzip...
    let r = get(20604, "/gunzip/a.html", "");
    assert!(!r.is_gzip(), "{r:?}");
    assert_eq!(r.header("content-length"), None);
    assert!(r.header("etag").unwrap().starts_with("W/\""));
    assert_eq!(r.header("vary"), Some("Accept-Encoding"));
    assert_eq!(r.body, original);
    // ...and leaves it alone for one with gzip.
    let r = get(20604, "/gunzip/a.html", GZIP);
    assert!(r.is_gzip());
    assert_eq!(r.body, gz);
}
