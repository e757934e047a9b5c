//! One request head read as nginx reads it (ngx_http_request.c): the request
//! line, then header lines, inside nginx's header buffers
//! (`client_header_buffer_size`, then up to `large_client_header_buffers`
//! buffers, a line never split across two), with nginx's checks on the way:
//! duplicate unique headers, the Host header, `Connection`, and at the end
//! Host on HTTP/1.1, `Content-Length`, `Transfer-Encoding`, CONNECT and
//! TRACE. The result is an `http::request::Parts` for the handler, or the
//! status nginx refuses the request with.

use super::parse::{HeaderEvent, HeaderLine, LineError, RequestLine};
use crate::http_core::uri;
use crate::serve::RawRequest;
// A header line kept: its name and value in the buffer.
use crate::serve::HeaderRange as Line;
use bytes::{Bytes, BytesMut};
use http::header::{HeaderName, HeaderValue};
use http::request::Parts;
use http::{Method, Request, Version};

/// nginx's `NGX_MAX_ERROR_STR - 300`: how much of a too long header line
/// its message quotes.
const QUOTE_MAX: usize = 2048 - 300;

/// The connection's header settings (from the default server of the
/// address, as in nginx before a request names its server).
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// `client_header_buffer_size`: the first buffer.
    pub header_buffer: usize,
    /// `large_client_header_buffers`: their size and number.
    pub large_size: usize,
    pub large_num: usize,
    pub ignore_invalid_headers: bool,
    pub underscores_in_headers: bool,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            header_buffer: 1024,
            large_size: 8192,
            large_num: 4,
            ignore_invalid_headers: true,
            underscores_in_headers: false,
        }
    }
}

/// How the request body is delimited.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Framing {
    None,
    Length(u64),
    Chunked,
}

/// A request head nginx accepts.
#[derive(Debug)]
pub struct Head {
    pub parts: Parts,
    /// The head as received.
    pub raw: RawRequest,
    pub framing: Framing,
    /// `Expect: 100-continue` on HTTP/1.1 or later.
    pub expect_continue: bool,
    /// The request asks for a protocol switch (`Upgrade:`).
    pub wants_upgrade: bool,
}

/// A request nginx refuses before any phase runs.
#[derive(Debug)]
pub struct Refusal {
    pub status: u16,
    /// nginx's info-level message.
    pub message: String,
    /// What is known of the request (for the page, the log line and the
    /// server choice).
    pub parts: Parts,
    pub raw: RawRequest,
    /// nginx reads (and drops) what the client still sends before closing.
    pub lingering: bool,
}

/// What [`HeadReader::advance`] came to.
#[derive(Debug)]
pub enum Step {
    /// Every byte so far is taken: read more.
    More,
    Head(Box<Head>),
    Refused(Box<Refusal>),
}

/// nginx's headers that may appear once (`ngx_http_process_unique_header_line`).
const UNIQUE: [&str; 10] = [
    "if-modified-since",
    "if-unmodified-since",
    "if-match",
    "if-none-match",
    "content-length",
    "content-range",
    "if-range",
    "transfer-encoding",
    "expect",
    "authorization",
];

/// Reads one request head, resuming as bytes arrive. Offsets are into the
/// connection's buffer, whose index 0 is where this request begins.
#[derive(Debug)]
pub struct HeadReader {
    limits: Limits,
    line: RequestLine,
    line_done: bool,
    header: HeaderLine,
    /// The scan position.
    pos: usize,
    /// Where nginx's current header buffer ends: a line that is not
    /// complete there needs a larger buffer.
    buf_end: usize,
    buf_size: usize,
    /// Large header buffers taken.
    large_taken: usize,
    lines: Vec<Line>,
    /// Index into `lines` of each unique header seen (as `UNIQUE`), and of
    /// the Host header.
    unique: [Option<usize>; 10],
    host: Option<usize>,
}

impl HeadReader {
    pub fn new(limits: Limits) -> HeadReader {
        HeadReader {
            limits,
            line: RequestLine::default(),
            line_done: false,
            header: HeaderLine::default(),
            pos: 0,
            buf_end: limits.header_buffer.max(1),
            buf_size: limits.header_buffer.max(1),
            large_taken: 0,
            // Room for a usual request's headers at once (growing the
            // list from empty showed in profiles).
            lines: Vec::with_capacity(8),
            unique: [None; 10],
            host: None,
        }
    }

    /// Scans what `buf` holds beyond the last call. A whole head is
    /// taken out of `buf` (what follows it stays: a body or the next
    /// request).
    pub fn advance(&mut self, buf: &mut BytesMut) -> Step {
        loop {
            let scanned = &buf[..];
            let end = scanned.len().min(self.buf_end);
            if !self.line_done {
                match self.line.parse(scanned, &mut self.pos, end) {
                    Ok(true) => {
                        self.line_done = true;
                        if let Some(refusal) = self.check_line(scanned) {
                            return Step::Refused(refusal);
                        }
                        if self.line.version() < 1000 {
                            // HTTP/0.9 has no headers.
                            return self.finish(buf);
                        }
                        continue;
                    }
                    Ok(false) => {}
                    Err(err) => {
                        return Step::Refused(self.refuse(
                            scanned,
                            err.status(),
                            err.message().to_string(),
                            err == LineError::Invalid09Method,
                        ));
                    }
                }
            } else {
                match self.header.parse(
                    scanned,
                    &mut self.pos,
                    end,
                    self.limits.underscores_in_headers,
                ) {
                    Ok(Some(HeaderEvent::Line)) => {
                        if let Some(refusal) = self.take_header(scanned) {
                            return Step::Refused(refusal);
                        }
                        continue;
                    }
                    Ok(Some(HeaderEvent::End)) => return self.finish(buf),
                    Ok(None) => {}
                    Err(err) => {
                        let start = self.header.name_start.unwrap_or(err.at).min(err.at);
                        let mut message = b"client sent invalid header line: \"".to_vec();
                        message.extend_from_slice(&scanned[start..err.at]);
                        message.extend_from_slice(
                            format!("\\x{:02x}...\"", scanned.get(err.at).copied().unwrap_or(0))
                                .as_bytes(),
                        );
                        let message = String::from_utf8_lossy(&message).into_owned();
                        return Step::Refused(self.refuse(scanned, 400, message, false));
                    }
                }
            }
            // Every byte up to `end` is scanned.
            if end < self.buf_end {
                return Step::More;
            }
            if let Some(refusal) = self.grow(scanned) {
                return Step::Refused(refusal);
            }
        }
    }

    /// nginx's `ngx_http_alloc_large_header_buffer`: the current buffer is
    /// full and its last line incomplete. The line moves to a large buffer
    /// if one is left and the line fits; otherwise 414 (request line) or
    /// 494 (a header line).
    fn grow(&mut self, buf: &[u8]) -> Option<Box<Refusal>> {
        let in_line = !self.line_done;
        if in_line && self.line.at_start() {
            // Only empty lines so far: nginx reuses the buffer from its start.
            self.buf_end = self.pos + self.buf_size;
            return None;
        }
        let line_open = if in_line {
            !self.line.at_start()
        } else {
            !self.header.at_start()
        };
        let old = if in_line {
            Some(self.line.start)
        } else {
            self.header.name_start
        };
        let too_long = line_open && old.is_some_and(|old| self.pos - old >= self.limits.large_size);
        if too_long || self.large_taken >= self.limits.large_num {
            return Some(self.too_large(buf, in_line));
        }
        self.large_taken += 1;
        self.buf_size = self.limits.large_size.max(1);
        // A complete last line: the new buffer starts empty; otherwise the
        // open line is copied to its start.
        let from = match old {
            Some(old) if line_open => old,
            _ => self.pos,
        };
        self.buf_end = from + self.buf_size;
        None
    }

    fn too_large(&mut self, buf: &[u8], in_line: bool) -> Box<Refusal> {
        if in_line {
            // nginx logs (and `$request` shows) the whole buffer.
            let line = self.line.start..self.buf_end.min(buf.len()).max(self.line.start);
            let mut refusal = self.refuse(buf, 414, "client sent too long URI".into(), false);
            refusal.raw.line = line;
            refusal.raw.protocol = 0..0;
            return refusal;
        }
        let message = match self.header.name_start {
            Some(start) => {
                let end = self.buf_end.min(buf.len()).min(start + QUOTE_MAX);
                format!(
                    "client sent too long header line: \"{}...\"",
                    String::from_utf8_lossy(&buf[start..end])
                )
            }
            None => "client sent too large request".to_string(),
        };
        let mut refusal = self.refuse(buf, 494, message, false);
        refusal.lingering = true;
        refusal
    }

    /// The checks nginx makes once the request line is parsed: the host
    /// of an absolute-form target.
    fn check_line(&mut self, buf: &[u8]) -> Option<Box<Refusal>> {
        let host_end = self.line.host_end?;
        match uri::valid_host_len(&buf[self.line.host_start..host_end]) {
            Some(_) => None,
            None => Some(self.refuse(
                buf,
                400,
                "client sent invalid host in request line".into(),
                false,
            )),
        }
    }

    /// A complete header line: kept or ignored, then nginx's handler for
    /// its name.
    fn take_header(&mut self, buf: &[u8]) -> Option<Box<Refusal>> {
        let start = self.header.name_start?;
        if self.header.invalid && self.limits.ignore_invalid_headers {
            return None;
        }
        let line = Line {
            name: start..self.header.name_end,
            value: self.header.value_start..self.header.value_end,
        };
        let name = &buf[line.name.clone()];
        let value = &buf[line.value.clone()];
        let index = self.lines.len();
        if name.eq_ignore_ascii_case(b"host") {
            if let Some(first) = self.host {
                let message = format!(
                    "client sent duplicate host header: \"{}\", previous value: \"{}\"",
                    quote(buf, &line),
                    quote(buf, &self.lines[first])
                );
                return Some(self.refuse(buf, 400, message, false));
            }
            if uri::valid_host_len(value).is_none() {
                self.lines.push(line);
                self.host = Some(index);
                return Some(self.refuse(
                    buf,
                    400,
                    "client sent invalid host header".into(),
                    false,
                ));
            }
            self.host = Some(index);
        } else if let Some(slot) = UNIQUE
            .iter()
            .position(|u| u.as_bytes().eq_ignore_ascii_case(name))
        {
            if let Some(first) = self.unique[slot] {
                let message = format!(
                    "client sent duplicate header line: \"{}\", previous value: \"{}\"",
                    quote(buf, &line),
                    quote(buf, &self.lines[first])
                );
                return Some(self.refuse(buf, 400, message, false));
            }
            self.unique[slot] = Some(index);
        }
        self.lines.push(line);
        None
    }

    fn unique_value<'b>(&self, buf: &'b [u8], name: &str) -> Option<&'b [u8]> {
        let slot = UNIQUE.iter().position(|u| *u == name)?;
        let line = &self.lines[self.unique[slot]?];
        Some(&buf[line.value.clone()])
    }

    /// nginx's `ngx_http_process_request_header`: the checks once every
    /// header is in.
    fn finish(&mut self, whole: &mut BytesMut) -> Step {
        let buf = &whole[..];
        let version = self.line.version();
        if version > 1000 && self.host.is_none() {
            return Step::Refused(self.refuse(
                buf,
                400,
                "client sent HTTP/1.1 request without \"Host\" header".into(),
                false,
            ));
        }
        let mut framing = Framing::None;
        let content_length = self.unique_value(buf, "content-length");
        if let Some(value) = content_length {
            match parse_length(value) {
                Some(0) => {}
                Some(length) => framing = Framing::Length(length),
                None => {
                    return Step::Refused(self.refuse(
                        buf,
                        400,
                        "client sent invalid \"Content-Length\" header".into(),
                        false,
                    ));
                }
            }
        }
        if let Some(coding) = self.unique_value(buf, "transfer-encoding") {
            if version < 1001 {
                return Step::Refused(self.refuse(
                    buf,
                    400,
                    "client sent HTTP/1.0 request with \"Transfer-Encoding\" header".into(),
                    false,
                ));
            }
            if coding.eq_ignore_ascii_case(b"chunked") {
                if content_length.is_some() {
                    return Step::Refused(self.refuse(
                        buf,
                        400,
                        "client sent \"Content-Length\" and \"Transfer-Encoding\" headers at the same time"
                            .into(),
                        false,
                    ));
                }
                framing = Framing::Chunked;
            } else {
                let message = format!(
                    "client sent unknown \"Transfer-Encoding\": \"{}\"",
                    String::from_utf8_lossy(coding)
                );
                return Step::Refused(self.refuse(buf, 501, message, false));
            }
        }
        let method = &buf[self.line.start..self.line.method_end];
        if method == b"CONNECT" || method == b"TRACE" {
            let message = format!("client sent {} method", String::from_utf8_lossy(method));
            return Step::Refused(self.refuse(buf, 405, message, false));
        }
        let expect_continue = version > 1000
            && self
                .unique_value(buf, "expect")
                .is_some_and(|value| value.eq_ignore_ascii_case(b"100-continue"));
        let wants_upgrade = self
            .lines
            .iter()
            .any(|line| buf[line.name.clone()].eq_ignore_ascii_case(b"upgrade"));
        let bytes = whole.split_to(self.pos).freeze();
        let lines = std::mem::take(&mut self.lines);
        let (parts, raw) = self.parts(&bytes, version < 1000, lines);
        Step::Head(Box::new(Head {
            parts,
            raw,
            framing,
            expect_continue,
            wants_upgrade,
        }))
    }

    fn refuse(&mut self, buf: &[u8], status: u16, message: String, http09: bool) -> Box<Refusal> {
        let (parts, raw) = self.parts(&Bytes::copy_from_slice(buf), http09, self.lines.clone());
        Box::new(Refusal {
            status,
            message,
            parts,
            raw,
            lingering: false,
        })
    }

    /// What is known of the request as `Parts`: the method and version
    /// once parsed and the headers kept so far (their values share `raw`'s
    /// memory), and the head as received, `raw` holding it from its first
    /// byte. The Parts' Uri stays `/`: rginx reads the target and its host
    /// from the RawRequest (parsing it into a Uri cost as much as the rest
    /// of the head).
    fn parts(&self, raw: &Bytes, http09: bool, lines: Vec<Line>) -> (Parts, RawRequest) {
        let buf = &raw[..];
        let line = &self.line;
        let method_known = line.method_end > line.start;
        let method = if method_known {
            Method::from_bytes(&buf[line.start..line.method_end]).unwrap_or(Method::GET)
        } else {
            Method::GET
        };
        let version = if http09 {
            Version::HTTP_09
        } else if !self.line_done || line.version() == 1000 {
            // nginx's default for a request whose version is unknown.
            Version::HTTP_10
        } else {
            Version::HTTP_11
        };
        let target = self.line_done.then(|| {
            let start = line.schema_start.unwrap_or(line.uri_start);
            start..line.target_end.max(start)
        });
        let host = match (self.line_done, line.host_end) {
            (true, Some(end)) => Some(line.host_start..end.max(line.host_start)),
            _ => None,
        };
        let mut request = Request::new(());
        *request.method_mut() = method;
        *request.version_mut() = version;
        let headers = request.headers_mut();
        headers.reserve(lines.len());
        for line in &lines {
            // Names and values the http crate cannot hold (nginx keeps
            // them with `ignore_invalid_headers off`) are left out.
            if let (Ok(name), Ok(value)) = (
                HeaderName::from_bytes(&buf[line.name.clone()]),
                HeaderValue::from_maybe_shared(raw.slice(line.value.clone())),
            ) {
                headers.append(name, value);
            }
        }
        let (parts, ()) = request.into_parts();
        let (request_line, protocol) = if self.line_done {
            let end = line.end.unwrap_or(line.start);
            let protocol = line
                .protocol_start
                .map_or(0..0, |start| start..end.max(start));
            (line.start..end, protocol)
        } else {
            // nginx's `$request` for a line never finished: up to the
            // first CR or LF of what was read.
            let start = line.start.min(buf.len());
            let read = &buf[start..buf.len().min(self.buf_end).max(start)];
            let end = read
                .iter()
                .position(|&b| b == b'\r' || b == b'\n')
                .unwrap_or(read.len());
            (start..start + end, 0..0)
        };
        let raw = RawRequest {
            head: raw.clone(),
            line: request_line,
            protocol,
            target,
            host,
            lines,
        };
        (parts, raw)
    }

    /// What is known when the client stops sending (closes, or times out):
    /// nginx logs the request with this status and sends nothing.
    pub fn abandoned(&mut self, buf: &[u8], status: u16, message: &str) -> Box<Refusal> {
        self.refuse(buf, status, message.to_string(), false)
    }
}

/// `"Name: value"` of a header line, for nginx's duplicate messages.
fn quote(buf: &[u8], line: &Line) -> String {
    format!(
        "{}: {}",
        String::from_utf8_lossy(&buf[line.name.clone()]),
        String::from_utf8_lossy(&buf[line.value.clone()])
    )
}

/// nginx's `ngx_atoof`: digits only, no sign, no overflow.
fn parse_length(value: &[u8]) -> Option<u64> {
    if value.is_empty() {
        return None;
    }
    let mut length: u64 = 0;
    for &b in value {
        if !b.is_ascii_digit() {
            return None;
        }
        length = length.checked_mul(10)?.checked_add(u64::from(b - b'0'))?;
    }
    // nginx's off_t is signed.
    (length <= i64::MAX as u64).then_some(length)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(input: &[u8], limits: Limits) -> Step {
        let mut reader = HeadReader::new(limits);
        reader.advance(&mut BytesMut::from(input))
    }

    fn head(input: &[u8]) -> Head {
        match read(input, Limits::default()) {
            Step::Head(head) => *head,
            other => panic!("not a head: {other:?}"),
        }
    }

    fn refusal(input: &[u8]) -> Refusal {
        refusal_with(input, Limits::default())
    }

    fn refusal_with(input: &[u8], limits: Limits) -> Refusal {
        match read(input, limits) {
            Step::Refused(refusal) => *refusal,
            other => panic!("not refused: {other:?}"),
        }
    }

    fn request_line(raw: &RawRequest) -> String {
        String::from_utf8_lossy(raw.line()).into_owned()
    }

    #[test]
    fn a_plain_head() {
        let input =
            b"POST /x?y HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nX-Tab: \tv\r\n\r\nhello";
        let mut buf = BytesMut::from(&input[..]);
        let head = match HeadReader::new(Limits::default()).advance(&mut buf) {
            Step::Head(head) => *head,
            other => panic!("not a head: {other:?}"),
        };
        // The head is taken out of the buffer; the body stays.
        assert_eq!(&buf[..], b"hello");
        assert_eq!(head.framing, Framing::Length(5));
        assert_eq!(head.parts.method, Method::POST);
        assert_eq!(head.parts.version, Version::HTTP_11);
        assert_eq!(head.parts.headers["x-tab"], "\tv");
        let raw = &head.raw;
        assert_eq!(raw.target().unwrap(), &b"/x?y"[..]);
        let lines: Vec<_> = raw.header_lines().collect();
        assert_eq!(
            lines,
            [
                (&b"Host"[..], &b"a"[..]),
                (b"Content-Length", b"5"),
                (b"X-Tab", b"\tv")
            ]
        );
        assert_eq!(request_line(&head.raw), "POST /x?y HTTP/1.1");
    }

    #[test]
    fn versions_map_to_http_1_0_and_1_1() {
        assert_eq!(
            head(b"GET / HTTP/1.0\r\n\r\n").parts.version,
            Version::HTTP_10
        );
        let head10 = head(b"GET / HTTP/1.10\r\nHost: a\r\n\r\n");
        assert_eq!(head10.parts.version, Version::HTTP_11);
        let protocol = head10.raw.protocol();
        assert_eq!(protocol, b"HTTP/1.10");
        let head09 = head(b"GET /\r\n");
        assert_eq!(head09.parts.version, Version::HTTP_09);
        assert_eq!(request_line(&head09.raw), "GET /");
    }

    #[test]
    fn incomplete_heads_ask_for_more() {
        let input = b"GET / HTTP/1.1\r\nHost: a\r\n\r\n";
        let mut reader = HeadReader::new(Limits::default());
        for end in 1..input.len() {
            assert!(
                matches!(
                    reader.advance(&mut BytesMut::from(&input[..end])),
                    Step::More
                ),
                "at {end}"
            );
        }
        let mut buf = BytesMut::from(&input[..]);
        assert!(matches!(reader.advance(&mut buf), Step::Head(_)));
        assert!(buf.is_empty());
    }

    #[test]
    fn host_rules() {
        assert_eq!(refusal(b"GET / HTTP/1.1\r\n\r\n").status, 400);
        assert_eq!(refusal(b"GET http://a/ HTTP/1.1\r\n\r\n").status, 400);
        assert!(matches!(
            read(b"GET http://a/ HTTP/1.0\r\n\r\n", Limits::default()),
            Step::Head(_)
        ));
        assert!(matches!(
            read(b"GET / HTTP/1.0\r\n\r\n", Limits::default()),
            Step::Head(_)
        ));
        let dup = refusal(b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n");
        assert_eq!(dup.status, 400);
        assert_eq!(
            dup.message,
            "client sent duplicate host header: \"Host: b\", previous value: \"Host: a\""
        );
        // The first Host stays, so the request can be told apart.
        assert_eq!(dup.parts.headers.get_all("host").iter().count(), 1);
        assert_eq!(refusal(b"GET / HTTP/1.1\r\nHost: a/b\r\n\r\n").status, 400);
        assert_eq!(refusal(b"GET / HTTP/1.1\r\nHost:\r\n\r\n").status, 400);
        assert_eq!(
            refusal(b"GET http://a..b/ HTTP/1.1\r\nHost: a\r\n\r\n").status,
            400
        );
    }

    #[test]
    fn body_framing_rules() {
        let ok = |input: &[u8]| head(input).framing;
        assert_eq!(
            ok(b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n"),
            Framing::None
        );
        assert_eq!(
            ok(b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\n"),
            Framing::Chunked
        );
        for (input, status) in [
            (&b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: abc\r\n\r\n"[..], 400),
            (b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", 400),
            (b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length:\r\n\r\n", 400),
            (b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999\r\n\r\n", 400),
            (b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\n", 400),
            (b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
            (b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", 501),
            (b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501),
            (b"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
            (b"CONNECT / HTTP/1.1\r\nHost: a\r\n\r\n", 405),
            (b"TRACE / HTTP/1.1\r\nHost: a\r\n\r\n", 405),
        ] {
            assert_eq!(refusal(input).status, status, "{}", String::from_utf8_lossy(input));
        }
    }

    #[test]
    fn invalid_header_names_are_ignored_or_kept() {
        let input = b"GET / HTTP/1.1\r\nHost: a\r\nX_A: 1\r\nB@d: 2\r\nX-B: 3\r\n\r\n";
        let parts = head(input).parts;
        assert!(parts.headers.get("x_a").is_none());
        assert_eq!(parts.headers["x-b"], "3");
        let limits = Limits {
            underscores_in_headers: true,
            ..Limits::default()
        };
        let Step::Head(head) = read(input, limits) else {
            panic!("refused")
        };
        assert_eq!(head.parts.headers["x_a"], "1");
        let limits = Limits {
            ignore_invalid_headers: false,
            ..Limits::default()
        };
        let Step::Head(head) = read(input, limits) else {
            panic!("refused")
        };
        assert_eq!(head.parts.headers["x_a"], "1");
    }

    #[test]
    fn expect_and_upgrade() {
        let h = head(b"POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\n\r\n");
        assert!(h.expect_continue);
        let h = head(b"POST / HTTP/1.0\r\nExpect: 100-continue\r\n\r\n");
        assert!(!h.expect_continue);
        let h = head(b"GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n\r\n");
        assert!(h.wants_upgrade);
    }

    #[test]
    fn refused_lines_keep_what_nginx_logs() {
        let r = refusal(b"get / HTTP/1.1\r\nHost: a\r\n\r\n");
        assert_eq!(request_line(&r.raw), "get / HTTP/1.1");
        let r = refusal(b"\x16\x03\x01\x00");
        assert_eq!(r.raw.line(), b"\x16\x03\x01\x00");
        let r = refusal(b"GET / HTTP/2.0\r\n\r\n");
        assert_eq!(r.status, 505);
        assert_eq!(r.parts.version, Version::HTTP_10);
        let r = refusal(b"HEAD / HTTP/1.a\r\n\r\n");
        assert_eq!(r.parts.method, Method::HEAD);
        let r = refusal(b"POST /\r\n");
        assert_eq!(r.parts.version, Version::HTTP_09);
    }

    fn small() -> Limits {
        Limits {
            header_buffer: 1024,
            large_size: 1024,
            large_num: 2,
            ..Limits::default()
        }
    }

    #[test]
    fn a_request_line_must_fit_a_large_buffer() {
        let mut input = b"GET /".to_vec();
        input.extend(std::iter::repeat_n(b'a', 1200));
        input.extend_from_slice(b" HTTP/1.1\r\nHost: a\r\n\r\n");
        let r = refusal_with(&input, small());
        assert_eq!(r.status, 414);
        // nginx's `$request` is the buffer the line filled.
        assert_eq!(request_line(&r.raw).len(), 1024);
        // A line of exactly the large size (CR LF included) fits.
        let mut input = b"GET /".to_vec();
        input.extend(std::iter::repeat_n(b'a', 1024 - 16));
        input.extend_from_slice(b" HTTP/1.1\r\n");
        assert_eq!(input.len(), 1024);
        input.extend_from_slice(b"Host: a\r\n\r\n");
        assert!(matches!(read(&input, small()), Step::Head(_)));
    }

    #[test]
    fn a_header_line_must_fit_a_large_buffer() {
        let mut input = b"GET / HTTP/1.1\r\nHost: a\r\nX-Long: ".to_vec();
        input.extend(std::iter::repeat_n(b'b', 1100));
        input.extend_from_slice(b"\r\n\r\n");
        let r = refusal_with(&input, small());
        assert_eq!(r.status, 494);
        assert!(r.lingering);
        assert!(
            r.message
                .starts_with("client sent too long header line: \"X-Long: bbb")
        );
    }

    #[test]
    fn the_whole_head_must_fit_the_large_buffers() {
        // Two large buffers of 1k after the first 1k: a head of many short
        // lines runs out of buffers.
        let mut input = b"GET / HTTP/1.1\r\nHost: a\r\n".to_vec();
        for i in 0..300 {
            input.extend_from_slice(format!("X-H{i:03}: v\r\n").as_bytes());
        }
        input.extend_from_slice(b"\r\n");
        assert_eq!(refusal_with(&input, small()).status, 494);
        let mut input = b"GET / HTTP/1.1\r\nHost: a\r\n".to_vec();
        for i in 0..150 {
            input.extend_from_slice(format!("X-H{i:03}: v\r\n").as_bytes());
        }
        input.extend_from_slice(b"\r\n");
        assert!(matches!(read(&input, small()), Step::Head(_)));
    }

    #[test]
    fn empty_lines_before_a_request_never_fill_the_buffer() {
        let mut input = b"\r\n".repeat(2000);
        input.extend_from_slice(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        assert!(matches!(read(&input, small()), Step::Head(_)));
    }

    #[test]
    fn lengths_as_ngx_atoof() {
        assert_eq!(parse_length(b"0"), Some(0));
        assert_eq!(parse_length(b"0012"), Some(12));
        assert_eq!(parse_length(b"9223372036854775807"), Some(i64::MAX as u64));
        assert_eq!(parse_length(b"9223372036854775808"), None);
        assert_eq!(parse_length(b"+1"), None);
        assert_eq!(parse_length(b"1 2"), None);
        assert_eq!(parse_length(b""), None);
    }

    #[test]
    fn odd_targets_keep_their_bytes_and_host() {
        let h = head(b"GET /a\xffb\"c HTTP/1.1\r\nHost: a\r\n\r\n");
        assert_eq!(h.raw.target().unwrap(), &b"/a\xffb\"c"[..]);
        let h = head(b"GET http://Named.test:99/x HTTP/1.1\r\nHost: a\r\n\r\n");
        assert_eq!(h.raw.target_host(), Some(&b"Named.test"[..]));
    }
}
