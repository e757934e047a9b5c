//! Turning what a server answered into comparable text: one transcript per
//! request, with the differences that are not bugs normalised away, and a
//! line diff for reports.
//!
//! Normalised: the `Date:` value; the `Server:` value and the signature
//! line of built-in error pages (`nginx/1.22.1` and `rginx/x.y.z` both read
//! `SERVER/VERSION`, a bare `nginx` or `rginx` reads `SERVER`), with the
//! `Content-Length` recomputed for the normalised body. A HEAD response has
//! no body to look at: when it is an error or redirect page (status >= 300,
//! text/html), its length is recomputed as if it were the built-in page
//! (so a HEAD to a custom error page file cannot be compared exactly).
//! The boundary of a `multipart/byteranges` response is arbitrary (nginx
//! numbers them per process): it reads `<boundary>`, the length recomputed.
//! Everything else - status line, header names, order and spacing, ETag,
//! Last-Modified, body bytes, whether the connection stays open - must be
//! identical.

use crate::http::case::Request;
use crate::http::client::{After, Exchange, Failure, HeaderLine, Response};
use std::fmt::Write;

const TOKEN: &str = "SERVER";
const VERSIONED_TOKEN: &str = "SERVER/VERSION";
const BOUNDARY: &str = "<boundary>";
/// Bodies larger than this are shown by their start, length and hash.
const SHOWN_BODY: usize = 64 * 1024;

/// One request's normalised transcript.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    pub label: String,
    pub text: String,
    /// The final status, when a final response came.
    pub status: Option<u16>,
    /// How many bytes the body lost by normalisation (for the access log's
    /// `$body_bytes_sent`).
    pub body_delta: i64,
    /// The final response's body length as received (what nginx logs as
    /// `$body_bytes_sent`).
    pub body_len: usize,
}

/// `nginx`, `rginx`, `nginx/1.22.1`, `rginx/0.1.0` -> the normalised token.
fn normal_token(token: &[u8]) -> Option<&'static str> {
    let (name, version) = match token.iter().position(|&b| b == b'/') {
        Some(slash) => (&token[..slash], Some(&token[slash + 1..])),
        None => (token, None),
    };
    if name != b"nginx" && name != b"rginx" {
        return None;
    }
    match version {
        None => Some(TOKEN),
        Some(v) if !v.is_empty() && v.iter().all(|b| b.is_ascii_digit() || *b == b'.') => {
            Some(VERSIONED_TOKEN)
        }
        Some(_) => None,
    }
}

/// Replaces the server token in every `<hr><center>TOKEN</center>` of a
/// body; returns the new body and how many bytes shorter it got.
fn normalise_signature(body: &[u8]) -> (Vec<u8>, i64) {
    const OPEN: &[u8] = b"<hr><center>";
    const CLOSE: &[u8] = b"</center>";
    let mut out = Vec::with_capacity(body.len());
    let mut delta = 0i64;
    let mut rest = body;
    while let Some(at) = find(rest, OPEN) {
        let after_open = at + OPEN.len();
        out.extend_from_slice(&rest[..after_open]);
        rest = &rest[after_open..];
        if let Some(end) = find(rest, CLOSE)
            && end <= 64
            && let Some(token) = normal_token(&rest[..end])
        {
            out.extend_from_slice(token.as_bytes());
            delta += end as i64 - token.len() as i64;
            rest = &rest[end..];
        }
    }
    out.extend_from_slice(rest);
    (out, delta)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// `Name: value` with the value replaced, keeping the name and spacing as sent.
fn with_value(header: &HeaderLine, value: &str) -> Vec<u8> {
    let Some(colon) = header.raw.iter().position(|&b| b == b':') else {
        return header.raw.clone();
    };
    let spaces = header.raw[colon + 1..]
        .iter()
        .take_while(|b| **b == b' ' || **b == b'\t')
        .count();
    let mut out = header.raw[..colon + 1 + spaces].to_vec();
    out.extend_from_slice(value.as_bytes());
    out
}

/// The boundary of a `multipart/byteranges` response.
fn multipart_boundary(response: &Response) -> Option<Vec<u8>> {
    let content_type = response.header("Content-Type")?;
    if !content_type.starts_with(b"multipart/byteranges") {
        return None;
    }
    let at = find(content_type, b"boundary=")?;
    let boundary = &content_type[at + b"boundary=".len()..];
    (!boundary.is_empty()).then(|| boundary.to_vec())
}

/// Replaces every `needle` with `with`; returns how many bytes shorter.
fn replace_all(bytes: &[u8], needle: &[u8], with: &[u8]) -> (Vec<u8>, i64) {
    let mut out = Vec::with_capacity(bytes.len());
    let mut rest = bytes;
    let mut count = 0i64;
    while let Some(at) = find(rest, needle) {
        out.extend_from_slice(&rest[..at]);
        out.extend_from_slice(with);
        rest = &rest[at + needle.len()..];
        count += 1;
    }
    out.extend_from_slice(rest);
    (out, count * (needle.len() as i64 - with.len() as i64))
}

/// The response with its normalised header lines and body, and the body delta.
fn normalise_response(response: &Response, head_request: bool) -> (Vec<Vec<u8>>, Vec<u8>, i64) {
    let (body, mut delta) = normalise_signature(&response.body);
    // A multipart boundary is arbitrary (nginx counts them per process).
    let boundary = multipart_boundary(response);
    let body = match &boundary {
        Some(boundary) if !body.is_empty() => {
            let (body, shorter) = replace_all(&body, boundary, BOUNDARY.as_bytes());
            delta += shorter;
            body
        }
        _ => body,
    };
    // For HEAD: the page the server would have sent carries the same token as
    // its Server header.
    let head_delta = if head_request
        && response.status >= 300
        && response
            .header("Content-Type")
            .is_some_and(|t| t.starts_with(b"text/html"))
    {
        response.header("Server").and_then(|server| {
            normal_token(server).map(|token| server.len() as i64 - token.len() as i64)
        })
    } else {
        None
    };
    let length_delta = head_delta.unwrap_or(delta);
    let headers = response
        .headers
        .iter()
        .map(|header| {
            let name = header.name();
            let line = if name.eq_ignore_ascii_case(b"Date") {
                with_value(header, "<date>")
            } else if name.eq_ignore_ascii_case(b"Server") {
                match normal_token(header.value()) {
                    Some(token) => with_value(header, token),
                    None => header.raw.clone(),
                }
            } else if name.eq_ignore_ascii_case(b"Content-Type") && boundary.is_some() {
                with_value(
                    header,
                    &format!("multipart/byteranges; boundary={BOUNDARY}"),
                )
            } else if name.eq_ignore_ascii_case(b"Content-Length") && length_delta != 0 {
                match std::str::from_utf8(header.value())
                    .ok()
                    .and_then(|v| v.parse::<i64>().ok())
                {
                    Some(n) => with_value(header, &(n - length_delta).to_string()),
                    None => header.raw.clone(),
                }
            } else {
                header.raw.clone()
            };
            let mut line = line;
            if header.bare_lf {
                line.extend_from_slice(b" [ends in a bare LF]");
            }
            line
        })
        .collect();
    (headers, body, delta)
}

/// Bytes as readable text: printable ASCII as is, the rest escaped; a `\n`
/// also ends the shown line.
pub fn escape(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &b in bytes {
        match b {
            b'\\' => out.push_str("\\\\"),
            b'\r' => out.push_str("\\r"),
            b'\n' => out.push_str("\\n\n"),
            b'\t' => out.push_str("\\t"),
            0x20..=0x7e => out.push(char::from(b)),
            _ => {
                let _ = write!(out, "\\x{b:02x}");
            }
        }
    }
    out
}

/// FNV-1a: a stable fingerprint for bodies too large to show.
fn fingerprint(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn push_body(out: &mut String, body: &[u8]) {
    if body.is_empty() {
        return;
    }
    if body.len() > SHOWN_BODY {
        out.push_str(&escape(&body[..2048]));
        let _ = writeln!(
            out,
            "\n[... {} bytes in all, fingerprint {:016x}]",
            body.len(),
            fingerprint(body)
        );
        return;
    }
    out.push_str(&escape(body));
    if !body.ends_with(b"\n") {
        out.push('\n');
    }
    let _ = writeln!(out, "[{} body bytes]", body.len());
}

/// One request's transcript.
pub fn render(request: &Request, exchange: &Exchange) -> Rendered {
    let label = format!(
        "request {} (port {})",
        escape(request.first_line()),
        request.port
    );
    let mut out = String::new();
    let mut body_delta = 0;
    let mut body_len = 0;
    for response in &exchange.responses {
        let (headers, body, delta) = normalise_response(response, request.is_head());
        body_delta = delta;
        body_len = response.body.len();
        out.push_str(&escape(&response.status_line));
        out.push('\n');
        for header in headers {
            out.push_str(&escape(&header));
            out.push('\n');
        }
        out.push('\n');
        if response.chunked {
            out.push_str("[chunked]\n");
        }
        push_body(&mut out, &body);
        for trailer in &response.trailers {
            let _ = writeln!(out, "[trailer] {}", escape(&trailer.raw));
        }
        if let Some(error) = &response.framing_error {
            let _ = writeln!(out, "[framing error: {error}]");
        }
    }
    match &exchange.failure {
        None => {}
        Some(Failure::Closed(bytes)) if bytes.is_empty() => {
            out.push_str("[closed without a response]\n");
        }
        Some(Failure::Closed(bytes)) => {
            let _ = writeln!(out, "[closed after a partial response:]\n{}", escape(bytes));
        }
        Some(Failure::TimedOut(bytes)) => {
            let _ = writeln!(
                out,
                "[no complete response in time; received {} bytes:]\n{}",
                bytes.len(),
                escape(bytes)
            );
        }
        Some(Failure::NotSent(why)) => {
            let _ = writeln!(out, "[request not sent: {why}]");
        }
        Some(Failure::Garbage(bytes)) => {
            let _ = writeln!(out, "[not an HTTP response:]\n{}", escape(bytes));
        }
    }
    match &exchange.after {
        After::Continued => {}
        After::Open => out.push_str("[connection kept open]\n"),
        After::Closed => out.push_str("[connection closed]\n"),
        After::Extra(bytes) => {
            let _ = writeln!(
                out,
                "[unexpected bytes after the response:]\n{}",
                escape(bytes)
            );
        }
    }
    Rendered {
        label,
        text: out,
        status: exchange.final_response().map(|r| r.status),
        body_delta,
        body_len,
    }
}

/// An access log with its times normalised, each `$body_bytes_sent` of a
/// normalised response corrected by the bytes normalisation took off, and
/// the lines sorted: a request answered with a lingering close is logged
/// when its connection ends, so the order of lines is timing, not
/// behaviour. A line is matched to a response by its status and byte count.
pub fn normalise_access_log(log: &str, responses: &[Rendered]) -> String {
    let mut used = vec![false; responses.len()];
    let mut lines: Vec<String> = log
        .lines()
        .map(|line| {
            let line = normalise_log_time(line);
            let Some((status, bytes_at, bytes)) = status_and_bytes(&line) else {
                return line;
            };
            let matched = responses.iter().enumerate().position(|(i, r)| {
                !used[i]
                    && r.status == Some(status)
                    && i64::try_from(r.body_len).is_ok_and(|len| len == bytes)
            });
            let Some(index) = matched else {
                return line;
            };
            used[index] = true;
            let bytes_end = bytes_at + bytes.to_string().len();
            format!(
                "{}{}{}",
                &line[..bytes_at],
                bytes - responses[index].body_delta,
                &line[bytes_end..]
            )
        })
        .collect();
    lines.sort();
    lines.iter().map(|line| format!("{line}\n")).collect()
}

/// `[14/Nov/2023:22:13:20 +0000]` -> `[<time>]`.
fn normalise_log_time(line: &str) -> String {
    let bytes = line.as_bytes();
    let mut out = String::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'['
            && let Some(stamp) = bytes.get(i + 1..i + 27)
            && bytes.get(i + 27) == Some(&b']')
            && looks_like_time_local(stamp)
        {
            out.push_str("[<time>]");
            i += 28;
            continue;
        }
        let len = utf8_len(bytes[i]);
        out.push_str(line.get(i..i + len).unwrap_or("?"));
        i += len;
    }
    out
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xf0.. => 4,
        0xe0.. => 3,
        0xc0.. => 2,
        _ => 1,
    }
}

/// `dd/Mon/yyyy:hh:mm:ss +zzzz`.
fn looks_like_time_local(s: &[u8]) -> bool {
    let digit = |i: usize| s[i].is_ascii_digit();
    s.len() == 26
        && digit(0)
        && digit(1)
        && s[2] == b'/'
        && s[6] == b'/'
        && (7..11).all(digit)
        && s[11] == b':'
        && s[14] == b':'
        && s[17] == b':'
        && s[20] == b' '
        && (s[21] == b'+' || s[21] == b'-')
        && (22..26).all(digit)
}

/// In a combined-format line, the status after the quoted request and the
/// byte count after it: (status, where the count starts, count).
fn status_and_bytes(line: &str) -> Option<(u16, usize, i64)> {
    let open = line.find('"')?;
    let close = open + 1 + line[open + 1..].find('"')?;
    let rest = &line[close + 1..];
    let rest_trimmed = rest.strip_prefix(' ')?;
    let (status, tail) = rest_trimmed.split_once(' ')?;
    let status: u16 = status.parse().ok()?;
    let bytes_text = tail.split(' ').next()?;
    let bytes: i64 = bytes_text.parse().ok()?;
    let bytes_at = close + 1 + 1 + status.to_string().len() + 1;
    Some((status, bytes_at, bytes))
}

/// A line diff (longest common subsequence): `-` lines only in `left`, `+`
/// lines only in `right`, two lines of context around changes.
pub fn diff(left: &str, right: &str) -> String {
    let a: Vec<&str> = left.lines().collect();
    let b: Vec<&str> = right.lines().collect();
    // Past this size a diff is unreadable anyway; show both sides' ends.
    if a.len() * b.len() > 4_000_000 {
        return format!(
            "[transcripts too long to diff: {} vs {} lines]\n",
            a.len(),
            b.len()
        );
    }
    let mut lcs = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut ops: Vec<(char, &str)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            ops.push((' ', a[i]));
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            ops.push(('-', a[i]));
            i += 1;
        } else {
            ops.push(('+', b[j]));
            j += 1;
        }
    }
    let near_change = |k: usize| {
        let from = k.saturating_sub(2);
        let to = (k + 3).min(ops.len());
        ops[from..to].iter().any(|(op, _)| *op != ' ')
    };
    let mut out = String::new();
    let mut skipped = false;
    for (k, (op, line)) in ops.iter().enumerate() {
        if near_change(k) {
            if skipped {
                out.push_str("  ...\n");
                skipped = false;
            }
            let _ = writeln!(out, "{op} {line}");
        } else {
            skipped = true;
        }
    }
    if skipped && !out.is_empty() {
        out.push_str("  ...\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::client::HeaderLine;

    fn header(raw: &str) -> HeaderLine {
        HeaderLine {
            raw: raw.as_bytes().to_vec(),
            bare_lf: false,
        }
    }

    fn page(token: &str) -> Vec<u8> {
        format!(
            "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>{token}</center>\r\n</body>\r\n</html>\r\n"
        )
        .into_bytes()
    }

    fn error_response(token: &str) -> Response {
        let body = page(token);
        Response {
            status_line: b"HTTP/1.1 404 Not Found".to_vec(),
            status: 404,
            headers: vec![
                header(&format!("Server: {token}")),
                header("Date: Tue, 14 Nov 2023 22:13:20 GMT"),
                header("Content-Type: text/html"),
                header(&format!("Content-Length: {}", body.len())),
                header("Connection: keep-alive"),
            ],
            body,
            ..Response::default()
        }
    }

    fn exchange(response: Response) -> Exchange {
        Exchange {
            responses: vec![response],
            failure: None,
            after: After::Open,
        }
    }

    fn request(text: &str) -> Request {
        Request {
            bytes: text.as_bytes().to_vec(),
            port: 1,
            expect: None,
            tls: None,
        }
    }

    #[test]
    fn nginx_and_rginx_error_pages_compare_equal() {
        let get = request("GET /x HTTP/1.1\r\n\r\n");
        let nginx = render(&get, &exchange(error_response("nginx/1.22.1")));
        let rginx = render(&get, &exchange(error_response("rginx/0.1.0")));
        assert_eq!(nginx.text, rginx.text, "{}", diff(&nginx.text, &rginx.text));
        assert!(nginx.text.contains("Server: SERVER/VERSION\n"));
        assert!(nginx.text.contains("Date: <date>\n"));
        assert!(nginx.text.contains("<hr><center>SERVER/VERSION</center>"));
        assert_eq!(nginx.body_delta, -2);
        assert_eq!(rginx.body_delta, -3);
        // server_tokens off and on must not compare equal.
        let off = render(&get, &exchange(error_response("rginx")));
        assert_ne!(off.text, nginx.text);
        assert!(off.text.contains("Server: SERVER\n"));
        // A wrong length stays wrong after normalisation.
        let mut bad = error_response("rginx/0.1.0");
        bad.headers[3] = header("Content-Length: 999");
        assert_ne!(render(&get, &exchange(bad)).text, nginx.text);
    }

    #[test]
    fn head_lengths_are_normalised_like_the_page() {
        let head = request("HEAD /x HTTP/1.1\r\n\r\n");
        let get = request("GET /x HTTP/1.1\r\n\r\n");
        let bodiless = |token: &str| {
            let mut r = error_response(token);
            r.body.clear();
            r
        };
        let nginx = render(&head, &exchange(bodiless("nginx/1.22.1")));
        let rginx = render(&head, &exchange(bodiless("rginx/0.1.0")));
        assert_eq!(nginx.text, rginx.text);
        let full = render(&get, &exchange(error_response("nginx/1.22.1")));
        let length = |t: &str| {
            t.lines()
                .find(|l| l.starts_with("Content-Length"))
                .map(str::to_string)
        };
        assert_eq!(length(&nginx.text), length(&full.text));
    }

    #[test]
    fn other_differences_remain() {
        let get = request("GET / HTTP/1.1\r\n\r\n");
        let mut a = error_response("nginx");
        let mut b = error_response("nginx");
        b.headers.swap(2, 3);
        assert_ne!(
            render(&get, &exchange(a.clone())).text,
            render(&get, &exchange(b)).text
        );
        let mut c = error_response("nginx");
        c.headers[2] = header("content-type: text/html");
        assert_ne!(
            render(&get, &exchange(a.clone())).text,
            render(&get, &exchange(c)).text
        );
        a.headers.push(header("ETag: \"6553f100-3\""));
        let mut d = a.clone();
        d.headers[5] = header("ETag: \"6553f100-4\"");
        assert_ne!(
            render(&get, &exchange(a.clone())).text,
            render(&get, &exchange(d)).text
        );
        let closed = Exchange {
            after: After::Closed,
            ..exchange(a.clone())
        };
        assert_ne!(render(&get, &exchange(a)).text, render(&get, &closed).text);
        // Not a server token: kept.
        assert_eq!(normalise_signature(b"<hr><center>apache</center>").1, 0);
    }

    #[test]
    fn access_logs() {
        let get = request("GET /x HTTP/1.1\r\n\r\n");
        let responses = [
            render(&get, &exchange(error_response("nginx/1.22.1"))),
            render(&get, &exchange(error_response("nginx/1.22.1"))),
        ];
        let log = "127.0.0.2 - - [14/Nov/2023:22:13:21 +0100] \"GET /x HTTP/1.1\" 404 153 \"-\" \"-\"\n\
                   127.0.0.1 - - [14/Nov/2023:22:13:20 +0000] \"GET /x HTTP/1.1\" 444 0 \"-\" \"-\"\n\
                   127.0.0.3 - - [14/Nov/2023:22:13:21 +0100] \"GET /x HTTP/1.1\" 404 153 \"-\" \"-\"\n\
                   127.0.0.4 - - [14/Nov/2023:22:13:21 +0100] \"GET /x HTTP/1.1\" 404 153 \"-\" \"-\"\n";
        // Two lines match the two responses (153 bytes, 2 gained each); the
        // third has no response left and stays as logged; all sorted.
        assert_eq!(
            normalise_access_log(log, &responses),
            "127.0.0.1 - - [<time>] \"GET /x HTTP/1.1\" 444 0 \"-\" \"-\"\n\
             127.0.0.2 - - [<time>] \"GET /x HTTP/1.1\" 404 155 \"-\" \"-\"\n\
             127.0.0.3 - - [<time>] \"GET /x HTTP/1.1\" 404 155 \"-\" \"-\"\n\
             127.0.0.4 - - [<time>] \"GET /x HTTP/1.1\" 404 153 \"-\" \"-\"\n"
        );
        assert_eq!(
            normalise_access_log("free text\n", &responses),
            "free text\n"
        );
    }

    #[test]
    fn multipart_boundaries_are_normalised() {
        let response = |boundary: &str| {
            let body = format!(
                "\r\n--{boundary}\r\nContent-Range: bytes 0-0/9\r\n\r\n0\r\n--{boundary}--\r\n"
            );
            Response {
                status_line: b"HTTP/1.1 206 Partial Content".to_vec(),
                status: 206,
                headers: vec![
                    header(&format!(
                        "Content-Type: multipart/byteranges; boundary={boundary}"
                    )),
                    header(&format!("Content-Length: {}", body.len())),
                ],
                body: body.into_bytes(),
                ..Response::default()
            }
        };
        let get = request("GET / HTTP/1.1\r\n\r\n");
        let a = render(&get, &exchange(response("00000000000000000001")));
        let b = render(&get, &exchange(response("abc")));
        assert_eq!(a.text, b.text, "{}", diff(&a.text, &b.text));
        assert!(a.text.contains("--<boundary>--"));
        let mut wrong = response("abc");
        wrong.headers[1] = header("Content-Length: 1");
        assert_ne!(render(&get, &exchange(wrong)).text, a.text);
    }

    #[test]
    fn diffs_show_changes_with_context() {
        let d = diff("a\nb\nc\nd\ne\nf\ng\n", "a\nb\nc\nD\ne\nf\ng\n");
        assert_eq!(d, "  ...\n  b\n  c\n- d\n+ D\n  e\n  f\n  ...\n");
        assert_eq!(diff("same\n", "same\n"), "");
        assert_eq!(escape(b"a\r\n\x01\\"), "a\\r\\n\n\\x01\\\\");
    }
}
