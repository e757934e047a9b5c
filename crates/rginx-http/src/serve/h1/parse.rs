//! nginx's request-line and header-line scanners (`ngx_http_parse_request_line`
//! and `ngx_http_parse_header_line` in ngx_http_parse.c), rewritten: byte at
//! a time state machines that remember where they stopped, so a head that
//! arrives in pieces is scanned once, and that accept and refuse exactly
//! what nginx accepts and refuses (two spaces before the URI, `HTTP/1.10`,
//! raw bytes >= 0x80 in the path are fine; a lowercase method, a target
//! without `/`, a space before a header's colon are not).
//!
//! Positions are offsets into the caller's buffer; the caller keeps the
//! bytes and calls again with more.

const CR: u8 = b'\r';
const LF: u8 = b'\n';

/// Why nginx refuses a request line (`NGX_HTTP_PARSE_INVALID_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineError {
    InvalidMethod,
    InvalidRequest,
    /// A major version above 1: 505.
    InvalidVersion,
    /// HTTP/0.9 allows GET only.
    Invalid09Method,
}

impl LineError {
    /// The status nginx answers with.
    pub fn status(self) -> u16 {
        match self {
            LineError::InvalidVersion => 505,
            _ => 400,
        }
    }

    /// nginx's info-level message (`ngx_http_client_errors`).
    pub fn message(self) -> &'static str {
        match self {
            LineError::InvalidMethod => "client sent invalid method",
            LineError::InvalidRequest => "client sent invalid request",
            LineError::InvalidVersion => "client sent invalid version",
            LineError::Invalid09Method => "client sent invalid method in HTTP/0.9 request",
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum LineState {
    #[default]
    Start,
    Method,
    SpacesBeforeUri,
    Schema,
    SchemaSlash,
    SchemaSlashSlash,
    HostStart,
    Host,
    HostEnd,
    HostIpLiteral,
    Port,
    AfterSlashInUri,
    CheckUri,
    Uri,
    Http09,
    HttpH,
    HttpHt,
    HttpHtt,
    HttpHttp,
    FirstMajorDigit,
    MajorDigit,
    FirstMinorDigit,
    MinorDigit,
    SpacesAfterDigit,
    AlmostDone,
}

/// Bytes a path may hold without the parser taking note: everything but
/// controls, DEL, and the characters that make a URI "complex" or end it
/// (space `#` `%` `+` `.` `/` `?`). Bytes >= 0x80 are usual, as in nginx.
fn usual(ch: u8) -> bool {
    !matches!(
        ch,
        0..=0x1f | 0x7f | b' ' | b'#' | b'%' | b'+' | b'.' | b'/' | b'?'
    )
}

/// The last index of the run of bytes `accepts` takes that starts at
/// `from` (which it takes): a state that stays put over such a run skips
/// it in one go.
fn run_end(buf: &[u8], from: usize, end: usize, accepts: fn(u8) -> bool) -> usize {
    let mut last = from;
    while last + 1 < end && accepts(buf[last + 1]) {
        last += 1;
    }
    last
}

fn method_char(ch: u8) -> bool {
    ch.is_ascii_uppercase() || ch == b'_' || ch == b'-'
}

/// The request line scanner and what it found. Offsets are into the buffer
/// given to [`RequestLine::parse`].
#[derive(Clone, Debug, Default)]
pub struct RequestLine {
    state: LineState,
    /// The first byte of the line (empty lines before it are skipped).
    pub start: usize,
    /// Where the method ends (the space after it).
    pub method_end: usize,
    /// An absolute-form target's scheme.
    pub schema_start: Option<usize>,
    pub schema_end: usize,
    pub host_start: usize,
    /// Set when the target named a host (`http://host[:port]/...`).
    pub host_end: Option<usize>,
    /// The path and query as nginx keeps them (`$request_uri`); for an
    /// absolute target without a path, the `/` of its `://`.
    pub uri_start: usize,
    pub uri_end: usize,
    /// Where the whole target ends (the byte after it).
    pub target_end: usize,
    pub args_start: Option<usize>,
    /// `HTTP/...` as sent, when there is one.
    pub protocol_start: Option<usize>,
    /// The end of the line before its CR LF (or LF).
    pub end: Option<usize>,
    pub major: u32,
    pub minor: u32,
}

impl RequestLine {
    /// Nothing but empty lines has been seen (nginx's `r->state == 0`).
    pub fn at_start(&self) -> bool {
        self.state == LineState::Start
    }

    /// nginx's version number: major * 1000 + minor (9 for HTTP/0.9).
    pub fn version(&self) -> u32 {
        self.major * 1000 + self.minor
    }

    /// Scans `buf[*pos..end]`. `Ok(true)`: the line is complete and `*pos`
    /// is past its LF. `Ok(false)`: every byte was taken, more are needed.
    pub fn parse(&mut self, buf: &[u8], pos: &mut usize, end: usize) -> Result<bool, LineError> {
        let mut p = *pos;
        while p < end {
            let ch = buf[p];
            // A state may hand the same byte to the next one (nginx's fall
            // through from host_start to host to host_end).
            loop {
                match self.state {
                    LineState::Start => {
                        self.start = p;
                        if ch == CR || ch == LF {
                            break;
                        }
                        if !method_char(ch) {
                            return Err(LineError::InvalidMethod);
                        }
                        self.state = LineState::Method;
                    }
                    LineState::Method => {
                        if ch == b' ' {
                            self.method_end = p;
                            self.state = LineState::SpacesBeforeUri;
                        } else if !method_char(ch) {
                            return Err(LineError::InvalidMethod);
                        } else {
                            p = run_end(buf, p, end, method_char);
                        }
                    }
                    LineState::SpacesBeforeUri => {
                        if ch == b'/' {
                            self.uri_start = p;
                            self.state = LineState::AfterSlashInUri;
                        } else if ch.is_ascii_alphabetic() {
                            self.schema_start = Some(p);
                            self.state = LineState::Schema;
                        } else if ch != b' ' {
                            return Err(LineError::InvalidRequest);
                        }
                    }
                    LineState::Schema => {
                        if ch.is_ascii_alphanumeric() || matches!(ch, b'+' | b'-' | b'.') {
                        } else if ch == b':' {
                            self.schema_end = p;
                            self.state = LineState::SchemaSlash;
                        } else {
                            return Err(LineError::InvalidRequest);
                        }
                    }
                    LineState::SchemaSlash => {
                        if ch != b'/' {
                            return Err(LineError::InvalidRequest);
                        }
                        self.state = LineState::SchemaSlashSlash;
                    }
                    LineState::SchemaSlashSlash => {
                        if ch != b'/' {
                            return Err(LineError::InvalidRequest);
                        }
                        self.state = LineState::HostStart;
                    }
                    LineState::HostStart => {
                        self.host_start = p;
                        if ch == b'[' {
                            self.state = LineState::HostIpLiteral;
                        } else {
                            self.state = LineState::Host;
                            continue;
                        }
                    }
                    LineState::Host => {
                        if ch.is_ascii_alphanumeric() || ch == b'.' || ch == b'-' {
                        } else {
                            self.state = LineState::HostEnd;
                            continue;
                        }
                    }
                    LineState::HostEnd => {
                        self.host_end = Some(p);
                        match ch {
                            b':' => self.state = LineState::Port,
                            b'/' => {
                                self.uri_start = p;
                                self.state = LineState::AfterSlashInUri;
                            }
                            b'?' => {
                                self.uri_start = p;
                                self.args_start = Some(p + 1);
                                self.state = LineState::Uri;
                            }
                            b' ' => {
                                self.no_path(p);
                                self.state = LineState::Http09;
                            }
                            _ => return Err(LineError::InvalidRequest),
                        }
                    }
                    LineState::HostIpLiteral => {
                        if ch.is_ascii_alphanumeric()
                            || matches!(
                                ch,
                                b':' | b'-'
                                    | b'.'
                                    | b'_'
                                    | b'~'
                                    | b'!'
                                    | b'$'
                                    | b'&'
                                    | b'\''
                                    | b'('
                                    | b')'
                                    | b'*'
                                    | b'+'
                                    | b','
                                    | b';'
                                    | b'='
                            )
                        {
                        } else if ch == b']' {
                            self.state = LineState::HostEnd;
                        } else {
                            return Err(LineError::InvalidRequest);
                        }
                    }
                    LineState::Port => match ch {
                        b'0'..=b'9' => {}
                        b'/' => {
                            self.uri_start = p;
                            self.state = LineState::AfterSlashInUri;
                        }
                        b'?' => {
                            self.uri_start = p;
                            self.args_start = Some(p + 1);
                            self.state = LineState::Uri;
                        }
                        b' ' => {
                            self.no_path(p);
                            self.state = LineState::Http09;
                        }
                        _ => return Err(LineError::InvalidRequest),
                    },
                    LineState::AfterSlashInUri => {
                        if usual(ch) {
                            self.state = LineState::CheckUri;
                        } else {
                            match ch {
                                b' ' => self.uri_ends(p, LineState::Http09),
                                CR => self.uri_ends_09(p, LineState::AlmostDone),
                                LF => {
                                    self.uri_ends_09(p, LineState::Start);
                                    return self.done(buf, pos, p);
                                }
                                b'.' | b'%' | b'/' | b'#' => self.state = LineState::Uri,
                                b'?' => {
                                    self.args_start = Some(p + 1);
                                    self.state = LineState::Uri;
                                }
                                b'+' => {}
                                _ if ch < 0x20 || ch == 0x7f => {
                                    return Err(LineError::InvalidRequest);
                                }
                                _ => self.state = LineState::CheckUri,
                            }
                        }
                    }
                    LineState::CheckUri => {
                        if usual(ch) {
                            p = run_end(buf, p, end, usual);
                        } else {
                            match ch {
                                b'/' => self.state = LineState::AfterSlashInUri,
                                b'.' | b'+' => {}
                                b' ' => self.uri_ends(p, LineState::Http09),
                                CR => self.uri_ends_09(p, LineState::AlmostDone),
                                LF => {
                                    self.uri_ends_09(p, LineState::Start);
                                    return self.done(buf, pos, p);
                                }
                                b'%' | b'#' => self.state = LineState::Uri,
                                b'?' => {
                                    self.args_start = Some(p + 1);
                                    self.state = LineState::Uri;
                                }
                                _ => return Err(LineError::InvalidRequest),
                            }
                        }
                    }
                    LineState::Uri => {
                        if usual(ch) {
                            p = run_end(buf, p, end, usual);
                        } else {
                            match ch {
                                b' ' => self.uri_ends(p, LineState::Http09),
                                CR => self.uri_ends_09(p, LineState::AlmostDone),
                                LF => {
                                    self.uri_ends_09(p, LineState::Start);
                                    return self.done(buf, pos, p);
                                }
                                _ if ch < 0x20 || ch == 0x7f => {
                                    return Err(LineError::InvalidRequest);
                                }
                                _ => {}
                            }
                        }
                    }
                    LineState::Http09 => match ch {
                        b' ' => {}
                        CR => {
                            self.minor = 9;
                            self.state = LineState::AlmostDone;
                        }
                        LF => {
                            self.minor = 9;
                            return self.done(buf, pos, p);
                        }
                        b'H' => {
                            self.protocol_start = Some(p);
                            self.state = LineState::HttpH;
                            // The usual `HTTP/1.x` CR at once; anything
                            // else goes byte by byte.
                            if let Some(&[b'H', b'T', b'T', b'P', b'/', b'1', b'.', minor, CR]) =
                                buf.get(p..p + 9)
                                && p + 9 <= end
                                && minor.is_ascii_digit()
                            {
                                self.major = 1;
                                self.minor = u32::from(minor - b'0');
                                p += 8;
                                self.end = Some(p);
                                self.state = LineState::AlmostDone;
                            }
                        }
                        _ => return Err(LineError::InvalidRequest),
                    },
                    LineState::HttpH => self.expect(ch, b'T', LineState::HttpHt)?,
                    LineState::HttpHt => self.expect(ch, b'T', LineState::HttpHtt)?,
                    LineState::HttpHtt => self.expect(ch, b'P', LineState::HttpHttp)?,
                    LineState::HttpHttp => self.expect(ch, b'/', LineState::FirstMajorDigit)?,
                    LineState::FirstMajorDigit => {
                        if !(b'1'..=b'9').contains(&ch) {
                            return Err(LineError::InvalidRequest);
                        }
                        self.major = u32::from(ch - b'0');
                        if self.major > 1 {
                            return Err(LineError::InvalidVersion);
                        }
                        self.state = LineState::MajorDigit;
                    }
                    LineState::MajorDigit => {
                        if ch == b'.' {
                            self.state = LineState::FirstMinorDigit;
                        } else if ch.is_ascii_digit() {
                            self.major = self.major * 10 + u32::from(ch - b'0');
                            if self.major > 1 {
                                return Err(LineError::InvalidVersion);
                            }
                        } else {
                            return Err(LineError::InvalidRequest);
                        }
                    }
                    LineState::FirstMinorDigit => {
                        if !ch.is_ascii_digit() {
                            return Err(LineError::InvalidRequest);
                        }
                        self.minor = u32::from(ch - b'0');
                        self.state = LineState::MinorDigit;
                    }
                    LineState::MinorDigit => match ch {
                        CR => {
                            self.end = Some(p);
                            self.state = LineState::AlmostDone;
                        }
                        LF => return self.done(buf, pos, p),
                        b' ' => self.state = LineState::SpacesAfterDigit,
                        b'0'..=b'9' => {
                            // nginx allows three digits of minor version.
                            if self.minor > 99 {
                                return Err(LineError::InvalidRequest);
                            }
                            self.minor = self.minor * 10 + u32::from(ch - b'0');
                        }
                        _ => return Err(LineError::InvalidRequest),
                    },
                    LineState::SpacesAfterDigit => match ch {
                        b' ' => {}
                        CR => {
                            self.end = Some(p);
                            self.state = LineState::AlmostDone;
                        }
                        LF => return self.done(buf, pos, p),
                        _ => return Err(LineError::InvalidRequest),
                    },
                    LineState::AlmostDone => {
                        // nginx's request_end is the byte before the LF,
                        // set here unless a state already set it.
                        if self.end.is_none() {
                            self.end = Some(p - 1);
                        }
                        if ch != LF {
                            return Err(LineError::InvalidRequest);
                        }
                        return self.done(buf, pos, p);
                    }
                }
                break;
            }
            p += 1;
        }
        *pos = p;
        Ok(false)
    }

    fn expect(&mut self, ch: u8, want: u8, next: LineState) -> Result<(), LineError> {
        if ch != want {
            return Err(LineError::InvalidRequest);
        }
        self.state = next;
        Ok(())
    }

    /// An absolute target without a path: nginx's URI is the `/` of its
    /// `://`.
    fn no_path(&mut self, p: usize) {
        self.uri_start = self.schema_end + 1;
        self.uri_end = self.schema_end + 2;
        self.target_end = p;
    }

    fn uri_ends(&mut self, p: usize, next: LineState) {
        self.uri_end = p;
        self.target_end = p;
        self.state = next;
    }

    /// The line ends right after the target: HTTP/0.9.
    fn uri_ends_09(&mut self, p: usize, next: LineState) {
        self.uri_ends(p, next);
        self.minor = 9;
        if next == LineState::AlmostDone {
            self.end = Some(p);
        }
    }

    fn done(&mut self, buf: &[u8], pos: &mut usize, lf: usize) -> Result<bool, LineError> {
        *pos = lf + 1;
        if self.end.is_none() {
            self.end = Some(lf);
        }
        self.state = LineState::Start;
        if self.version() == 9 && buf.get(self.start..self.method_end) != Some(b"GET".as_slice()) {
            return Err(LineError::Invalid09Method);
        }
        Ok(true)
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum HeaderState {
    #[default]
    Start,
    Name,
    SpaceBeforeValue,
    Value,
    SpaceAfterValue,
    AlmostDone,
    HeaderAlmostDone,
}

/// What the header scanner found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeaderEvent {
    /// A header line (see the scanner's offsets).
    Line,
    /// The empty line that ends the head.
    End,
}

/// A header line nginx refuses with 400: the line so far ends at `at`,
/// the byte there is the offending one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HeaderError {
    pub at: usize,
}

/// The header line scanner and the line it found last.
#[derive(Clone, Debug, Default)]
pub struct HeaderLine {
    state: HeaderState,
    /// The start of the line being (or last) scanned; `None` before any.
    pub name_start: Option<usize>,
    pub name_end: usize,
    pub value_start: usize,
    pub value_end: usize,
    /// The name has bytes nginx does not take in a header name (anything
    /// but letters, digits and `-`; `_` unless allowed).
    pub invalid: bool,
}

impl HeaderLine {
    /// Between lines (nginx's `r->state == 0`).
    pub fn at_start(&self) -> bool {
        self.state == HeaderState::Start
    }

    /// Scans `buf[*pos..end]`: `Ok(Some(event))` with `*pos` past the line,
    /// `Ok(None)` when more bytes are needed.
    pub fn parse(
        &mut self,
        buf: &[u8],
        pos: &mut usize,
        end: usize,
        allow_underscores: bool,
    ) -> Result<Option<HeaderEvent>, HeaderError> {
        let mut p = *pos;
        while p < end {
            let ch = buf[p];
            match self.state {
                HeaderState::Start => {
                    self.name_start = Some(p);
                    self.invalid = false;
                    match ch {
                        CR => {
                            self.value_end = p;
                            self.state = HeaderState::HeaderAlmostDone;
                        }
                        LF => {
                            self.value_end = p;
                            return Ok(self.finish(pos, p, HeaderEvent::End));
                        }
                        _ => {
                            self.state = HeaderState::Name;
                            if ch.is_ascii_alphanumeric() || ch == b'-' {
                            } else if ch == b'_' {
                                self.invalid = !allow_underscores;
                            } else if ch <= 0x20 || ch == 0x7f || ch == b':' {
                                self.value_end = p;
                                return Err(HeaderError { at: p });
                            } else {
                                self.invalid = true;
                            }
                        }
                    }
                }
                HeaderState::Name => {
                    if ch.is_ascii_alphanumeric() || ch == b'-' {
                    } else if ch == b'_' {
                        if !allow_underscores {
                            self.invalid = true;
                        }
                    } else if ch == b':' {
                        self.name_end = p;
                        self.state = HeaderState::SpaceBeforeValue;
                    } else if ch == CR || ch == LF {
                        // A name without a colon: a header with an empty
                        // value, as nginx takes it.
                        self.name_end = p;
                        self.value_start = p;
                        self.value_end = p;
                        if ch == LF {
                            return Ok(self.finish(pos, p, HeaderEvent::Line));
                        }
                        self.state = HeaderState::AlmostDone;
                    } else if ch <= 0x20 || ch == 0x7f {
                        self.value_end = p;
                        return Err(HeaderError { at: p });
                    } else {
                        self.invalid = true;
                    }
                }
                HeaderState::SpaceBeforeValue => match ch {
                    b' ' => {}
                    CR | LF => {
                        self.value_start = p;
                        self.value_end = p;
                        if ch == LF {
                            return Ok(self.finish(pos, p, HeaderEvent::Line));
                        }
                        self.state = HeaderState::AlmostDone;
                    }
                    0 => {
                        self.value_end = p;
                        return Err(HeaderError { at: p });
                    }
                    _ => {
                        self.value_start = p;
                        self.state = HeaderState::Value;
                    }
                },
                HeaderState::Value => match ch {
                    b' ' => {
                        self.value_end = p;
                        self.state = HeaderState::SpaceAfterValue;
                    }
                    CR => {
                        self.value_end = p;
                        self.state = HeaderState::AlmostDone;
                    }
                    LF => {
                        self.value_end = p;
                        return Ok(self.finish(pos, p, HeaderEvent::Line));
                    }
                    0 => {
                        self.value_end = p;
                        return Err(HeaderError { at: p });
                    }
                    _ => {
                        // The rest of the value at once, as the machine
                        // would walk it (a browser's User-Agent or Cookie
                        // runs to hundreds of bytes, a turn each): up to
                        // the first CR, LF or NUL (or what is there so
                        // far), ending in the state its last byte leaves,
                        // after trailing spaces in SpaceAfterValue with
                        // the value ended before them.
                        let stop = memchr::memchr3(CR, LF, 0, &buf[p + 1..end])
                            .map_or(end, |at| p + 1 + at);
                        // `buf[p]` is a plain byte: the search ends there.
                        let last = buf[p..stop]
                            .iter()
                            .rposition(|&b| b != b' ')
                            .map_or(p, |at| p + at);
                        if last + 1 < stop {
                            self.value_end = last + 1;
                            self.state = HeaderState::SpaceAfterValue;
                        }
                        p = stop - 1;
                    }
                },
                HeaderState::SpaceAfterValue => match ch {
                    b' ' => {}
                    CR => self.state = HeaderState::AlmostDone,
                    LF => return Ok(self.finish(pos, p, HeaderEvent::Line)),
                    0 => {
                        self.value_end = p;
                        return Err(HeaderError { at: p });
                    }
                    _ => self.state = HeaderState::Value,
                },
                HeaderState::AlmostDone => match ch {
                    LF => return Ok(self.finish(pos, p, HeaderEvent::Line)),
                    CR => {}
                    _ => return Err(HeaderError { at: self.value_end }),
                },
                HeaderState::HeaderAlmostDone => {
                    if ch == LF {
                        return Ok(self.finish(pos, p, HeaderEvent::End));
                    }
                    return Err(HeaderError { at: self.value_end });
                }
            }
            p += 1;
        }
        *pos = p;
        Ok(None)
    }

    fn finish(&mut self, pos: &mut usize, lf: usize, event: HeaderEvent) -> Option<HeaderEvent> {
        *pos = lf + 1;
        self.state = HeaderState::Start;
        Some(event)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(input: &[u8]) -> Result<(RequestLine, usize), LineError> {
        let mut parser = RequestLine::default();
        let mut pos = 0;
        match parser.parse(input, &mut pos, input.len())? {
            true => Ok((parser, pos)),
            false => panic!("incomplete line: {:?}", String::from_utf8_lossy(input)),
        }
    }

    fn refused(input: &[u8]) -> LineError {
        let mut parser = RequestLine::default();
        let mut pos = 0;
        match parser.parse(input, &mut pos, input.len()) {
            Err(err) => err,
            Ok(done) => panic!(
                "accepted {:?} (complete: {done})",
                String::from_utf8_lossy(input)
            ),
        }
    }

    fn slice(input: &[u8], from: usize, to: usize) -> &str {
        std::str::from_utf8(&input[from..to]).unwrap()
    }

    #[test]
    fn an_ordinary_line_is_split_as_nginx_splits_it() {
        let input = b"GET /a/b.txt?x=1 HTTP/1.1\r\nHost: h\r\n";
        let (l, pos) = line(input).unwrap();
        assert_eq!(slice(input, l.start, l.method_end), "GET");
        assert_eq!(slice(input, l.uri_start, l.uri_end), "/a/b.txt?x=1");
        assert_eq!(slice(input, l.args_start.unwrap(), l.uri_end), "x=1");
        assert_eq!(
            slice(input, l.protocol_start.unwrap(), l.end.unwrap()),
            "HTTP/1.1"
        );
        assert_eq!(l.version(), 1001);
        assert_eq!(pos, 27);
    }

    #[test]
    fn lenient_forms_nginx_accepts() {
        // Several spaces before the URI and after the version.
        let (l, _) = line(b"GET  / HTTP/1.1 \r\n").unwrap();
        assert_eq!(l.version(), 1001);
        // A bare LF ends the line; empty lines before it are skipped.
        let input = b"\r\n\nGET / HTTP/1.0\n";
        let (l, pos) = line(input).unwrap();
        assert_eq!(l.start, 3);
        assert_eq!(l.version(), 1000);
        assert_eq!(pos, input.len());
        // Three-digit minor versions, and bytes >= 0x80 in the path.
        assert_eq!(line(b"GET / HTTP/1.10\r\n").unwrap().0.version(), 1010);
        assert_eq!(line(b"GET / HTTP/1.999\r\n").unwrap().0.version(), 1999);
        assert!(line(b"GET /a\xffb HTTP/1.1\r\n").is_ok());
        // Unknown methods with _ and -.
        assert!(line(b"MY_NEW-METHOD / HTTP/1.1\r\n").is_ok());
    }

    #[test]
    fn the_request_line_end_excludes_cr_lf_and_keeps_trailing_spaces() {
        let input = b"GET / HTTP/1.1 \r\n";
        let (l, _) = line(input).unwrap();
        assert_eq!(slice(input, l.start, l.end.unwrap()), "GET / HTTP/1.1 ");
    }

    #[test]
    fn methods_must_be_uppercase_letters() {
        assert_eq!(refused(b"get / HTTP/1.1\r\n"), LineError::InvalidMethod);
        assert_eq!(refused(b"HELLO\r\n"), LineError::InvalidMethod);
        assert_eq!(refused(b"\x16\x03\x01"), LineError::InvalidMethod);
        assert_eq!(refused(b"GE1 / HTTP/1.1\r\n"), LineError::InvalidMethod);
    }

    #[test]
    fn targets_nginx_refuses() {
        for input in [
            &b"GET x HTTP/1.1\r\n"[..],
            b"OPTIONS * HTTP/1.1\r\n",
            b"GET http:/x HTTP/1.1\r\n",
            b"GET /a\x01b HTTP/1.1\r\n",
            b"GET /a\x7fb HTTP/1.1\r\n",
            b"GET /a/\x1f HTTP/1.1\r\n",
            b"GET /?a\x00 HTTP/1.1\r\n",
            b"GET http://ho_st/ HTTP/1.1\r\n",
            b"GET http://host:8x/ HTTP/1.1\r\n",
        ] {
            assert_eq!(refused(input), LineError::InvalidRequest, "{input:?}");
        }
    }

    #[test]
    fn versions_nginx_refuses() {
        assert_eq!(refused(b"GET / HTTP/2.0\r\n"), LineError::InvalidVersion);
        assert_eq!(refused(b"GET / HTTP/3.1\r\n"), LineError::InvalidVersion);
        assert_eq!(refused(b"GET / HTTP/10.0\r\n"), LineError::InvalidVersion);
        assert_eq!(refused(b"GET / HTTP/0.9\r\n"), LineError::InvalidRequest);
        assert_eq!(refused(b"GET / HTTP/1.a\r\n"), LineError::InvalidRequest);
        assert_eq!(refused(b"GET / HTTP/1.1000\r\n"), LineError::InvalidRequest);
        assert_eq!(refused(b"GET / FTP/1.1\r\n"), LineError::InvalidRequest);
        assert_eq!(
            refused(b"GET / HTTP/1.1 extra\r\n"),
            LineError::InvalidRequest
        );
        assert_eq!(refused(b"GET / HTTP/1.1\rX"), LineError::InvalidRequest);
    }

    #[test]
    fn http_09_is_get_only() {
        let (l, _) = line(b"GET /\r\n").unwrap();
        assert_eq!(l.version(), 9);
        assert!(l.protocol_start.is_none());
        let (l, _) = line(b"GET /x   \n").unwrap();
        assert_eq!(l.version(), 9);
        assert_eq!(refused(b"POST /\r\n"), LineError::Invalid09Method);
    }

    #[test]
    fn absolute_targets_name_a_host() {
        let input = b"GET http://Example.com:8080/p?q HTTP/1.1\r\n";
        let (l, _) = line(input).unwrap();
        assert_eq!(
            slice(input, l.host_start, l.host_end.unwrap()),
            "Example.com"
        );
        assert_eq!(slice(input, l.uri_start, l.uri_end), "/p?q");
        assert_eq!(
            slice(input, l.schema_start.unwrap(), l.target_end),
            "http://Example.com:8080/p?q"
        );
        // No path: the URI is "/".
        let input = b"GET http://h HTTP/1.1\r\n";
        let (l, _) = line(input).unwrap();
        assert_eq!(slice(input, l.uri_start, l.uri_end), "/");
        assert_eq!(
            slice(input, l.schema_start.unwrap(), l.target_end),
            "http://h"
        );
        let input = b"GET http://[::1]:80/ HTTP/1.1\r\n";
        let (l, _) = line(input).unwrap();
        assert_eq!(slice(input, l.host_start, l.host_end.unwrap()), "[::1]");
    }

    #[test]
    fn a_line_in_pieces_is_scanned_once() {
        let input = b"GET /some/path HTTP/1.1\r\n";
        let mut parser = RequestLine::default();
        let mut pos = 0;
        for end in 1..input.len() {
            assert_eq!(parser.parse(input, &mut pos, end), Ok(false));
            assert_eq!(pos, end);
        }
        assert_eq!(parser.parse(input, &mut pos, input.len()), Ok(true));
        assert_eq!(parser.version(), 1001);
        assert!(parser.at_start());
    }

    fn headers(
        input: &[u8],
        underscores: bool,
    ) -> Result<Vec<(String, String, bool)>, HeaderError> {
        let mut parser = HeaderLine::default();
        let mut pos = 0;
        let mut found = Vec::new();
        loop {
            match parser.parse(input, &mut pos, input.len(), underscores)? {
                Some(HeaderEvent::Line) => found.push((
                    String::from_utf8_lossy(&input[parser.name_start.unwrap()..parser.name_end])
                        .into_owned(),
                    String::from_utf8_lossy(&input[parser.value_start..parser.value_end])
                        .into_owned(),
                    parser.invalid,
                )),
                Some(HeaderEvent::End) => return Ok(found),
                None => panic!("incomplete head"),
            }
        }
    }

    /// As `headers`, the bytes arriving one at a time.
    fn headers_bytewise(
        input: &[u8],
        underscores: bool,
    ) -> Result<Vec<(String, String, bool)>, HeaderError> {
        let mut parser = HeaderLine::default();
        let mut pos = 0;
        let mut found = Vec::new();
        let mut end = 0;
        loop {
            match parser.parse(input, &mut pos, end, underscores)? {
                Some(HeaderEvent::Line) => found.push((
                    String::from_utf8_lossy(&input[parser.name_start.unwrap()..parser.name_end])
                        .into_owned(),
                    String::from_utf8_lossy(&input[parser.value_start..parser.value_end])
                        .into_owned(),
                    parser.invalid,
                )),
                Some(HeaderEvent::End) => return Ok(found),
                None if end < input.len() => end += 1,
                None => panic!("incomplete head"),
            }
        }
    }

    #[test]
    fn values_read_alike_whole_and_a_byte_at_a_time() {
        // The lines (name, value) a head gives, or where its error is.
        type Expected = Result<&'static [(&'static str, &'static str)], usize>;
        let cases: &[(&[u8], Expected)] = &[
            (
                b"User-Agent: Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101   \r\nX: a b\r\n\r\n",
                Ok(&[
                    (
                        "User-Agent",
                        "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101",
                    ),
                    ("X", "a b"),
                ]),
            ),
            (b"A: x \t y \n\r\n", Ok(&[("A", "x \t y")])),
            (b"A: xyz\r\r\n\r\n", Ok(&[("A", "xyz")])),
            (b"A: x  \r\nB:   y\n\n", Ok(&[("A", "x"), ("B", "y")])),
            // A NUL ends the line in an error where it stands.
            (b"A: xy\0z\r\n\r\n", Err(5)),
            (b"A: xy  \0\r\n\r\n", Err(7)),
            // A CR not followed by LF: the error is at the value's end.
            (b"A: xy  \rq\r\n\r\n", Err(5)),
        ];
        for (input, expected) in cases {
            let expected = expected.map(|lines| {
                lines
                    .iter()
                    .map(|(name, value)| (name.to_string(), value.to_string(), false))
                    .collect::<Vec<_>>()
            });
            let expected = expected.map_err(|at| HeaderError { at });
            assert_eq!(headers(input, false), expected, "{input:?}");
            assert_eq!(headers_bytewise(input, false), expected, "{input:?}");
        }
    }

    #[test]
    fn header_values_lose_spaces_around_them_only() {
        let found = headers(b"A:  x  y  \r\nB:\r\nC: \tz\r\nD\r\n\r\n", false).unwrap();
        assert_eq!(
            found,
            vec![
                ("A".into(), "x  y".into(), false),
                ("B".into(), "".into(), false),
                ("C".into(), "\tz".into(), false),
                // No colon at all: an empty value.
                ("D".into(), "".into(), false),
            ]
        );
        // LF alone ends lines and the head.
        assert_eq!(headers(b"A: b\n\n", false).unwrap().len(), 1);
    }

    #[test]
    fn invalid_names_are_marked_not_refused() {
        let found = headers(b"X_A: 1\r\nB@d: 2\r\n\xffx: 3\r\n\r\n", false).unwrap();
        assert!(found.iter().all(|(_, _, invalid)| *invalid));
        let found = headers(b"X_A: 1\r\n\r\n", true).unwrap();
        assert!(!found[0].2);
    }

    #[test]
    fn malformed_header_lines_are_refused() {
        for input in [
            &b"No colon here\r\n\r\n"[..],
            b"X-B : spaced\r\n\r\n",
            b" folded\r\n\r\n",
            b"\tfolded\r\n\r\n",
            b": empty name\r\n\r\n",
            b"X-B: a\x00b\r\n\r\n",
            b"X-B: a\rb\r\n\r\n",
            b"\rX",
            b"X\x7f: v\r\n\r\n",
        ] {
            assert!(headers(input, false).is_err(), "{input:?}");
        }
        let err = headers(b"Good: 1\r\nX-B : spaced\r\n\r\n", false).unwrap_err();
        assert_eq!(err.at, 12);
    }
}
