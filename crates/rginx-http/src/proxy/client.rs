//! The upstream side of HTTP/1.x, written for the proxy rather than taken
//! from a general client: the request goes out byte for byte as nginx
//! writes it (header names as configured, nginx's order), the response
//! head is read as nginx's parser reads it (lenient `Content-Length` and
//! `Transfer-Encoding`, HTTP/0.9 answers, `proxy_buffer_size` as the
//! limit), and the body is decoded (length, chunked, until close) straight
//! from the socket into the response stream, so that a connection goes back
//! to the keep-alive pool only when its response was read exactly.

use super::state::BodyProgress;
use crate::upstream::conn::Conn;
use bytes::{Bytes, BytesMut};
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

/// Reads what the socket has into the connection's buffer.
pub fn poll_fill(conn: &mut Conn, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
    conn.poll_fill(cx)
}

/// More bytes within the read's deadline; `None` when it passed.
async fn fill_timed(conn: &mut Conn) -> Option<io::Result<usize>> {
    std::future::poll_fn(|cx| match poll_fill(conn, cx) {
        Poll::Ready(result) => Poll::Ready(Some(result)),
        Poll::Pending => conn.poll_read_timeout(cx).map(|()| None),
    })
    .await
}

/// A response head as nginx keeps it. The header lines stay in the bytes
/// read from the upstream and are split again where they are looked at:
/// a head is passed on once and looked up rarely, and copying each line
/// out cost more than the whole rest of the proxy's work on a request.
#[derive(Clone, Debug, Default)]
pub struct ResponseHead {
    pub status: u16,
    /// The reason phrase as sent.
    pub reason: Bytes,
    /// An HTTP/0.9 answer: no head, everything is body.
    pub http09: bool,
    /// The header lines (after the status line, up to and with the empty
    /// line), as sent; each was checked when the head was parsed.
    lines: Bytes,
    /// nginx's `content_length_n` (an unreadable value counts as none).
    pub content_length: Option<u64>,
    pub chunked: bool,
    /// `Connection: close`, or an HTTP/1.0 answer.
    pub connection_close: bool,
    /// The first `X-Accel-Redirect` value.
    pub accel_redirect: Option<Bytes>,
    /// The head's bytes as received, status line and empty line included
    /// (`$upstream_bytes_received`).
    pub wire_len: u64,
    /// Where the names and values are, found while parsing.
    index: Index,
}

/// How many header lines a head's index holds; a head with more lines
/// (or of 64 KiB and more) is split again where it is looked at.
const INDEXED: usize = 16;

/// The parts of the first `len` header lines, as offsets into `lines`:
/// passing a head on does not split its lines again.
#[derive(Clone, Copy, Debug, Default)]
struct Index {
    spans: [Span; INDEXED],
    len: u8,
    /// Every line is in `spans`.
    complete: bool,
}

#[derive(Clone, Copy, Debug, Default)]
struct Span {
    name: (u16, u16),
    value: (u16, u16),
}

impl Index {
    /// Notes a line's name and value (offsets into the lines); the index
    /// is incomplete from the first line that does not fit.
    fn push(&mut self, name: (usize, usize), value: (usize, usize)) {
        let fits = |(start, end): (usize, usize)| {
            Some((u16::try_from(start).ok()?, u16::try_from(end).ok()?))
        };
        match (
            self.spans.get_mut(usize::from(self.len)),
            fits(name),
            fits(value),
        ) {
            (Some(span), Some(name), Some(value)) if self.complete => {
                *span = Span { name, value };
                self.len += 1;
            }
            _ => self.complete = false,
        }
    }
}

impl ResponseHead {
    /// The header lines in order: names as sent, values without the
    /// spaces around them.
    pub fn headers(&self) -> HeaderLines<'_> {
        let index = &self.index;
        HeaderLines {
            lines: &self.lines,
            spans: index
                .complete
                .then(|| &index.spans[..usize::from(index.len)]),
            rest: &self.lines,
        }
    }

    /// The first header of a (lowercase) name.
    pub fn get(&self, lower: &[u8]) -> Option<&[u8]> {
        self.headers()
            .find(|(name, _)| name.eq_ignore_ascii_case(lower))
            .map(|(_, value)| value)
    }

    /// A part of a header line (from `headers`) as shared bytes, for a
    /// header value passed on without a copy.
    pub fn share(&self, part: &[u8]) -> Bytes {
        self.lines.slice_ref(part)
    }
}

/// The header lines of a head: name and value of each.
#[derive(Clone, Debug)]
pub struct HeaderLines<'h> {
    lines: &'h [u8],
    /// The index of every line, or `None`: the lines are split again.
    spans: Option<&'h [Span]>,
    rest: &'h [u8],
}

impl<'h> Iterator for HeaderLines<'h> {
    type Item = (&'h [u8], &'h [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        let Some(spans) = &mut self.spans else {
            let line = next_line(&mut self.rest)?;
            return Some(split_line(line));
        };
        let (span, rest) = spans.split_first()?;
        *spans = rest;
        let part = |(start, end): (u16, u16)| {
            self.lines
                .get(usize::from(start)..usize::from(end))
                .unwrap_or_default()
        };
        Some((part(span.name), part(span.value)))
    }
}

/// The first `needle` in `hay`, eight bytes at a time: a head is scanned
/// a few times over, and a byte-by-byte search made that the largest part
/// of reading it.
pub(crate) fn find_byte(hay: &[u8], needle: u8) -> Option<usize> {
    find_either(hay, needle, needle)
}

/// The first `a` or `b` in `hay`.
fn find_either(hay: &[u8], a: u8, b: u8) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    // Flags the zero bytes of `word`; the lowest flag is the first zero
    // byte (flags above it may be false).
    let zeros = |word: u64| word.wrapping_sub(ONES) & !word & HIGHS;
    let (pattern_a, pattern_b) = (ONES * u64::from(a), ONES * u64::from(b));
    let mut chunks = hay.chunks_exact(8);
    let mut offset = 0;
    for chunk in &mut chunks {
        if let Some(word) = chunk.first_chunk::<8>() {
            let word = u64::from_le_bytes(*word);
            let found = zeros(word ^ pattern_a) | zeros(word ^ pattern_b);
            if found != 0 {
                return Some(offset + (found.trailing_zeros() / 8) as usize);
            }
        }
        offset += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&c| c == a || c == b)
        .map(|at| offset + at)
}

/// The next line of `rest` without its line end; `None` at the empty line
/// that ends a head (or the end of the bytes).
fn next_line<'b>(rest: &mut &'b [u8]) -> Option<&'b [u8]> {
    let bytes: &'b [u8] = rest;
    let (line, after) = match find_byte(bytes, b'\n') {
        Some(at) => (&bytes[..at], &bytes[at + 1..]),
        None => (bytes, &bytes[bytes.len()..]),
    };
    *rest = after;
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    (!line.is_empty()).then_some(line)
}

/// `Name: value` -> the name as sent and the value without the spaces
/// around it; a line without a colon is a name with an empty value.
fn split_line(line: &[u8]) -> (&[u8], &[u8]) {
    match find_byte(line, b':') {
        Some(colon) => (&line[..colon], trim_spaces(&line[colon + 1..])),
        None => (line, &line[line.len()..]),
    }
}

/// Why no response head came.
#[derive(Debug)]
pub enum HeadError {
    /// The upstream closed before a complete head.
    Closed,
    Io(io::Error),
    TimedOut,
    /// More than `proxy_buffer_size` without the end of the head.
    TooBig,
    /// nginx's "upstream sent invalid header" (the text after it).
    Invalid(String),
}

/// Reads a response head (skipping interim 1xx answers other than 101),
/// within `timeout` in all. Body bytes read with it stay in `conn.buf`.
pub async fn read_head(
    conn: &mut Conn,
    limit: usize,
    timeout: Duration,
) -> Result<ResponseHead, HeadError> {
    conn.end_read_timeout();
    conn.start_read_timeout(timeout);
    let result = read_head_timed(conn, limit).await;
    conn.end_read_timeout();
    result
}

async fn read_head_timed(conn: &mut Conn, limit: usize) -> Result<ResponseHead, HeadError> {
    loop {
        if let Some(result) = try_parse(&mut conn.buf, limit) {
            let head = result?;
            if (100..200).contains(&head.status) && head.status != 101 {
                continue;
            }
            return Ok(head);
        }
        if conn.buf.len() >= limit {
            return Err(HeadError::TooBig);
        }
        match fill_timed(conn).await {
            None => return Err(HeadError::TimedOut),
            Some(Err(err)) => return Err(HeadError::Io(err)),
            Some(Ok(0)) => {
                // nginx passes an HTTP/0.9 answer that ended already.
                if !conn.buf.is_empty() && !starts_like_http(&conn.buf) {
                    return Ok(http09());
                }
                return Err(HeadError::Closed);
            }
            Some(Ok(_)) => {}
        }
    }
}

fn http09() -> ResponseHead {
    ResponseHead {
        status: 200,
        http09: true,
        connection_close: true,
        ..ResponseHead::default()
    }
}

/// Whether the bytes so far may still be an `HTTP/x.y NNN` status line.
fn starts_like_http(buf: &[u8]) -> bool {
    let n = buf.len().min(5);
    buf[..n] == b"HTTP/"[..n]
}

/// Parses a head from the start of `buf` when complete (consuming it);
/// `None` when more bytes are needed. The lines are looked at in the same
/// pass that finds the end of the head; what they say counts only once the
/// head is complete.
fn try_parse(buf: &mut BytesMut, limit: usize) -> Option<Result<ResponseHead, HeadError>> {
    if !starts_like_http(buf) {
        // nginx: "upstream sent no valid HTTP/1.0 header", then the bytes
        // are passed as an HTTP/0.9 body.
        return Some(Ok(http09()));
    }
    let window = &buf[..buf.len().min(limit)];
    let lines_start = find_byte(window, b'\n')? + 1;
    let mut fields = Fields::default();
    let mut index = Index {
        complete: true,
        ..Index::default()
    };
    // The first invalid line, as offsets into `window`.
    let mut invalid: Option<(usize, usize)> = None;
    let mut at = lines_start;
    let end = loop {
        let rest = &window[at..];
        let (len, nul) = find_line_end(rest)?;
        let line = &rest[..len];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            break at + len + 1;
        }
        if invalid.is_none() {
            let (name, value) = split_line(line);
            // A NUL in the line is in its name or its value.
            if name.is_empty() || nul {
                invalid = Some((at, at + line.len()));
            } else {
                let value_at = at + (value.as_ptr() as usize - line.as_ptr() as usize);
                fields.note(name, value, value_at);
                let from = at - lines_start;
                let value_from = value_at - lines_start;
                index.push(
                    (from, from + name.len()),
                    (value_from, value_from + value.len()),
                );
            }
        }
        at += len + 1;
    };
    let head = buf.split_to(end).freeze();
    let status_line = &head[..lines_start - 1];
    let status_line = status_line.strip_suffix(b"\r").unwrap_or(status_line);
    let Some((minor, status, reason)) = parse_status_line(status_line) else {
        // A malformed status line is an HTTP/0.9 answer for nginx; put the
        // bytes back as body.
        let mut body = BytesMut::with_capacity(head.len() + buf.len());
        body.extend_from_slice(&head);
        body.extend_from_slice(buf);
        *buf = body;
        return Some(Ok(http09()));
    };
    if let Some((start, end)) = invalid {
        return Some(Err(HeadError::Invalid(
            String::from_utf8_lossy(&head[start..end]).into_owned(),
        )));
    }
    Some(Ok(ResponseHead {
        status,
        reason: head.slice_ref(reason),
        http09: false,
        lines: head.slice(lines_start..),
        content_length: fields.content_length.filter(|_| !fields.chunked),
        chunked: fields.chunked,
        connection_close: minor == 0 || fields.close,
        accel_redirect: fields
            .accel_redirect
            .map(|(start, len)| head.slice(start..start + len)),
        wire_len: head.len() as u64,
        index,
    }))
}

/// What the head's lines say that rginx acts on.
#[derive(Default)]
struct Fields {
    content_length: Option<u64>,
    chunked: bool,
    close: bool,
    /// Where the first `X-Accel-Redirect` value is (offset, length).
    accel_redirect: Option<(usize, usize)>,
}

impl Fields {
    /// A header line's name and value; the value starts at offset `at`.
    fn note(&mut self, name: &[u8], value: &[u8], at: usize) {
        // The names looked at differ in length: one comparison at most.
        match name.len() {
            14 if name.eq_ignore_ascii_case(b"content-length") => {
                self.content_length = atoof(value);
            }
            17 if name.eq_ignore_ascii_case(b"transfer-encoding") => {
                self.chunked |= contains_ignore_case(value, b"chunked");
            }
            10 if name.eq_ignore_ascii_case(b"connection") => {
                self.close |= contains_ignore_case(value, b"close");
            }
            16 if self.accel_redirect.is_none()
                && name.eq_ignore_ascii_case(b"x-accel-redirect") =>
            {
                self.accel_redirect = Some((at, value.len()));
            }
            _ => {}
        }
    }
}

/// The length of the line at the start of `bytes` (to its `\n`) and
/// whether it has a NUL; `None` without a `\n`.
fn find_line_end(bytes: &[u8]) -> Option<(usize, bool)> {
    let mut from = 0;
    let mut nul = false;
    loop {
        let at = from + find_either(&bytes[from..], b'\n', 0)?;
        if bytes[at] == b'\n' {
            return Some((at, nul));
        }
        nul = true;
        from = at + 1;
    }
}

/// `HTTP/1.1 200 OK` -> (1 for HTTP/1.1 and later, status, reason).
fn parse_status_line(line: &[u8]) -> Option<(u8, u16, &[u8])> {
    let rest = line.strip_prefix(b"HTTP/")?;
    let dot = rest.iter().position(|&b| b == b'.')?;
    let (major, rest) = (&rest[..dot], &rest[dot + 1..]);
    let space = rest.iter().position(|&b| b == b' ')?;
    let (minor, rest) = (&rest[..space], &rest[space..]);
    if major.is_empty() || minor.is_empty() || !major.iter().chain(minor).all(u8::is_ascii_digit) {
        return None;
    }
    let rest = trim_spaces(rest);
    let code = rest.get(..3)?;
    if !code.iter().all(u8::is_ascii_digit) || rest.get(3).is_some_and(|&b| b != b' ') {
        return None;
    }
    let status = code.iter().fold(0u16, |n, &d| n * 10 + u16::from(d - b'0'));
    if status < 100 {
        return None;
    }
    let number = |digits: &[u8]| crate::values::atoi(digits.get(..digits.len().min(6))?);
    // nginx: a version below 1.1 means the connection closes.
    let version = number(major)? * 1000 + number(minor)?;
    let reason = rest.get(4..).unwrap_or_default();
    Some((u8::from(version >= 1001), status, reason))
}

fn trim_spaces(value: &[u8]) -> &[u8] {
    let start = value.iter().position(|&b| b != b' ').unwrap_or(value.len());
    let end = value
        .iter()
        .rposition(|&b| b != b' ')
        .map_or(start, |e| e + 1);
    &value[start..end.max(start)]
}

fn contains_ignore_case(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

/// nginx's `ngx_atoof`: digits only.
fn atoof(value: &[u8]) -> Option<u64> {
    crate::values::atoi(value)
}

/// How the response body is delimited.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Framing {
    /// No body (HEAD, 204, 304, `Content-Length: 0`).
    Empty,
    Length(u64),
    Chunked,
    /// Until the upstream closes.
    Close,
}

impl Framing {
    /// nginx's `ngx_http_proxy_input_filter_init`.
    pub fn of(head: &ResponseHead, head_request: bool) -> Framing {
        if head.http09 {
            Framing::Close
        } else if matches!(head.status, 204 | 304) || head_request {
            Framing::Empty
        } else if head.chunked {
            Framing::Chunked
        } else {
            match head.content_length {
                Some(0) => Framing::Empty,
                Some(n) => Framing::Length(n),
                None => Framing::Close,
            }
        }
    }
}

#[derive(Clone, Copy, Debug)]
enum Chunk {
    /// Waiting for a size line.
    Size,
    Data(u64),
    /// The CRLF after a chunk's data.
    DataEnd,
    Trailers,
}

#[derive(Clone, Copy, Debug)]
enum State {
    Length(u64),
    Chunked(Chunk),
    Close,
    Done,
}

/// What the body reports when it ends.
pub enum End {
    /// Read to the end; the connection may be reused if `reusable`.
    Complete { conn: Conn, reusable: bool },
    /// Failed or abandoned (the client went away): the connection is gone.
    Aborted,
}

/// What the body reports to: the request's peer accounting and error log.
pub trait Owner: Send + Sync + Unpin + 'static {
    /// Called once when the body ends, however it ends.
    fn end(self, end: End);
    /// Writes an error-log line (the message, without the request context).
    fn error(&self, level: crate::core_main::LogLevel, message: &str);
}

/// The upstream response body, streamed to the client.
pub struct UpstreamBody<O: Owner> {
    conn: Option<Conn>,
    state: State,
    framing: Framing,
    connection_close: bool,
    read_timeout: Duration,
    /// `None` once told of the end.
    owner: Option<O>,
    /// An error met while gathering data, reported by the next poll.
    pending_error: Option<String>,
    /// Counts for `$upstream_response_length` / `$upstream_bytes_received`.
    progress: Arc<BodyProgress>,
}

impl<O: Owner> UpstreamBody<O> {
    pub fn new(
        conn: Conn,
        framing: Framing,
        connection_close: bool,
        read_timeout: Duration,
        owner: O,
        progress: Arc<BodyProgress>,
    ) -> UpstreamBody<O> {
        let state = match framing {
            Framing::Empty => State::Done,
            Framing::Length(n) => State::Length(n),
            Framing::Chunked => State::Chunked(Chunk::Size),
            Framing::Close => State::Close,
        };
        UpstreamBody {
            conn: Some(conn),
            state,
            framing,
            connection_close,
            read_timeout,
            owner: Some(owner),
            pending_error: None,
            progress,
        }
    }

    fn finish(&mut self) {
        self.state = State::Done;
        self.progress.end();
        let Some(conn) = self.conn.take() else {
            return;
        };
        let exact = matches!(
            self.framing,
            Framing::Length(_) | Framing::Chunked | Framing::Empty
        );
        let Some(owner) = self.owner.take() else {
            return;
        };
        if exact && !conn.buf.is_empty() && matches!(self.framing, Framing::Length(_)) {
            owner.error(
                crate::core_main::LogLevel::Warn,
                "upstream sent more data than specified in \"Content-Length\" header while reading upstream",
            );
        }
        let reusable = exact && !self.connection_close && conn.buf.is_empty();
        owner.end(End::Complete { conn, reusable });
    }

    fn fail(&mut self, message: &str) -> io::Error {
        self.progress.end();
        if let Some(owner) = &self.owner {
            owner.error(crate::core_main::LogLevel::Error, message);
        }
        self.state = State::Done;
        self.conn = None;
        if let Some(owner) = self.owner.take() {
            owner.end(End::Aborted);
        }
        io::Error::other(message.to_string())
    }

    /// More bytes from the upstream, with `proxy_read_timeout` between
    /// reads. `Ok(0)` is the end of the stream.
    fn poll_more(&mut self, cx: &mut Context<'_>) -> Poll<Result<usize, String>> {
        let Some(conn) = self.conn.as_mut() else {
            return Poll::Ready(Ok(0));
        };
        match poll_fill(conn, cx) {
            Poll::Ready(Ok(n)) => {
                self.progress.add(n as u64);
                conn.end_read_timeout();
                Poll::Ready(Ok(n))
            }
            Poll::Ready(Err(err)) => Poll::Ready(Err(format!(
                "recv() failed {} while reading upstream",
                rginx_conf::error::os_error_suffix(&err)
            ))),
            Poll::Pending => {
                conn.start_read_timeout(self.read_timeout);
                match conn.poll_read_timeout(cx) {
                    Poll::Ready(()) => Poll::Ready(Err(
                        "upstream timed out (110: Connection timed out) while reading upstream"
                            .into(),
                    )),
                    Poll::Pending => Poll::Pending,
                }
            }
        }
    }

    /// The rest of what one upstream read brought, decoded, after `first`:
    /// nginx passes a read buffer's worth of chunked data on as one piece
    /// (one chunk to the client), not each upstream chunk by itself.
    fn gather(&mut self, first: Bytes) -> Bytes {
        let mut gathered: Option<BytesMut> = None;
        let mut noop = Context::from_waker(std::task::Waker::noop());
        while matches!(self.state, State::Chunked(_))
            && self.conn.as_ref().is_some_and(|conn| !conn.buf.is_empty())
        {
            match self.poll_data(&mut noop) {
                Poll::Ready(Some(Ok(more))) => gathered
                    .get_or_insert_with(|| BytesMut::from(&first[..]))
                    .extend_from_slice(&more),
                Poll::Ready(Some(Err(message))) => {
                    // Reported with the next poll, after what came before.
                    self.pending_error = Some(message);
                    break;
                }
                Poll::Ready(None) | Poll::Pending => break,
            }
        }
        gathered.map_or(first, BytesMut::freeze)
    }

    fn buf(&mut self) -> &mut BytesMut {
        match self.conn.as_mut() {
            Some(conn) => &mut conn.buf,
            None => unreachable!("the body reads only while it has its connection"),
        }
    }

    fn poll_data(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Bytes, String>>> {
        const PREMATURE: &str = "upstream prematurely closed connection while reading upstream";
        const INVALID: &str = "upstream sent invalid chunked response while reading upstream";
        loop {
            match self.state {
                State::Done => return Poll::Ready(None),
                State::Length(0) => {
                    self.finish();
                    return Poll::Ready(None);
                }
                State::Length(remaining) | State::Chunked(Chunk::Data(remaining)) => {
                    if self.buf().is_empty() {
                        match self.poll_more(cx) {
                            Poll::Pending => return Poll::Pending,
                            Poll::Ready(Err(message)) => return Poll::Ready(Some(Err(message))),
                            Poll::Ready(Ok(0)) => {
                                return Poll::Ready(Some(Err(PREMATURE.into())));
                            }
                            Poll::Ready(Ok(_)) => continue,
                        }
                    }
                    let take = remaining.min(self.buf().len() as u64);
                    let data = self.buf().split_to(take as usize).freeze();
                    let left = remaining - take;
                    self.state = match self.state {
                        State::Length(_) => State::Length(left),
                        _ if left == 0 => State::Chunked(Chunk::DataEnd),
                        _ => State::Chunked(Chunk::Data(left)),
                    };
                    return Poll::Ready(Some(Ok(data)));
                }
                State::Close => {
                    if !self.buf().is_empty() {
                        let data = self.buf().split().freeze();
                        return Poll::Ready(Some(Ok(data)));
                    }
                    match self.poll_more(cx) {
                        Poll::Pending => return Poll::Pending,
                        Poll::Ready(Err(message)) => return Poll::Ready(Some(Err(message))),
                        Poll::Ready(Ok(0)) => {
                            self.finish();
                            return Poll::Ready(None);
                        }
                        Poll::Ready(Ok(_)) => continue,
                    }
                }
                State::Chunked(chunk) => {
                    let step = match chunk {
                        Chunk::Size | Chunk::Trailers => {
                            let buf = self.buf();
                            match buf.iter().position(|&b| b == b'\n') {
                                Some(pos) => {
                                    let line = buf.split_to(pos + 1);
                                    let line = line.strip_suffix(b"\n").unwrap_or(&line);
                                    let line = line.strip_suffix(b"\r").unwrap_or(line);
                                    Some(match chunk {
                                        Chunk::Size => match chunk_size(line) {
                                            Some(0) => Ok(State::Chunked(Chunk::Trailers)),
                                            Some(n) => Ok(State::Chunked(Chunk::Data(n))),
                                            None => Err(INVALID),
                                        },
                                        _ if line.is_empty() => Ok(State::Length(0)),
                                        _ => Ok(State::Chunked(Chunk::Trailers)),
                                    })
                                }
                                None if buf.len() > 4096 => Some(Err(INVALID)),
                                None => None,
                            }
                        }
                        Chunk::DataEnd => {
                            let buf = self.buf();
                            if buf.starts_with(b"\r\n") {
                                let _ = buf.split_to(2);
                                Some(Ok(State::Chunked(Chunk::Size)))
                            } else if buf.starts_with(b"\n") {
                                let _ = buf.split_to(1);
                                Some(Ok(State::Chunked(Chunk::Size)))
                            } else if buf.is_empty() || &buf[..] == b"\r" {
                                None
                            } else {
                                Some(Err(INVALID))
                            }
                        }
                        Chunk::Data(_) => unreachable!("handled with Length"),
                    };
                    match step {
                        Some(Ok(state)) => self.state = state,
                        Some(Err(message)) => return Poll::Ready(Some(Err(message.into()))),
                        None => match self.poll_more(cx) {
                            Poll::Pending => return Poll::Pending,
                            Poll::Ready(Err(message)) => return Poll::Ready(Some(Err(message))),
                            Poll::Ready(Ok(0)) => {
                                return Poll::Ready(Some(Err(PREMATURE.into())));
                            }
                            Poll::Ready(Ok(_)) => {}
                        },
                    }
                }
            }
        }
    }
}

/// A chunk-size line: hex digits, then optional extensions.
fn chunk_size(line: &[u8]) -> Option<u64> {
    let digits_end = line
        .iter()
        .position(|b| !b.is_ascii_hexdigit())
        .unwrap_or(line.len());
    if digits_end == 0 || digits_end > 15 {
        return None;
    }
    let rest = &line[digits_end..];
    if !(rest.is_empty()
        || rest.starts_with(b";")
        || rest.starts_with(b" ")
        || rest.starts_with(b"\t"))
    {
        return None;
    }
    let text = std::str::from_utf8(&line[..digits_end]).ok()?;
    u64::from_str_radix(text, 16).ok()
}

impl<O: Owner> hyper::body::Body for UpstreamBody<O> {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<hyper::body::Frame<Bytes>, io::Error>>> {
        let this = self.get_mut();
        if let Some(message) = this.pending_error.take() {
            return Poll::Ready(Some(Err(this.fail(&message))));
        }
        match this.poll_data(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Ready(Some(Ok(data))) => {
                let data = if matches!(this.framing, Framing::Chunked) {
                    this.gather(data)
                } else {
                    data
                };
                if matches!(this.state, State::Length(0)) {
                    // The last bytes: give the connection back now rather
                    // than when the client asks for more.
                    this.finish();
                }
                Poll::Ready(Some(Ok(hyper::body::Frame::data(data))))
            }
            Poll::Ready(Some(Err(message))) => Poll::Ready(Some(Err(this.fail(&message)))),
        }
    }

    fn is_end_stream(&self) -> bool {
        matches!(self.state, State::Done)
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        match self.state {
            State::Length(n) => hyper::body::SizeHint::with_exact(n),
            State::Done => hyper::body::SizeHint::with_exact(0),
            _ => hyper::body::SizeHint::default(),
        }
    }
}

impl<O: Owner> Drop for UpstreamBody<O> {
    fn drop(&mut self) {
        // The client went away (or the response is a HEAD's): the
        // connection cannot be reused with bytes of this response pending.
        self.conn = None;
        self.progress.end();
        if let Some(owner) = self.owner.take() {
            owner.end(End::Aborted);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(bytes: &[u8]) -> (ResponseHead, Vec<u8>) {
        let mut buf = BytesMut::from(bytes);
        let head = try_parse(&mut buf, 4096).expect("complete").expect("valid");
        (head, buf.to_vec())
    }

    #[test]
    fn heads_as_nginx_reads_them() {
        let (head, rest) = parse(
            b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A:  b \r\nSet-Cookie: a=1\r\n\r\nhello",
        );
        assert_eq!(head.status, 200);
        assert_eq!(head.content_length, Some(5));
        assert_eq!(head.get(b"x-a"), Some(&b"b"[..]));
        assert!(!head.connection_close);
        assert_eq!(rest, b"hello");
        assert_eq!(Framing::of(&head, false), Framing::Length(5));
        assert_eq!(Framing::of(&head, true), Framing::Empty);

        let (head, _) =
            parse(b"HTTP/1.0 404 Not Found\nTransfer-Encoding: chunked\nContent-Length: 9\n\n");
        assert_eq!(head.status, 404);
        assert!(head.connection_close);
        assert!(head.chunked);
        assert_eq!(head.content_length, None);

        let (head, _) = parse(b"HTTP/1.1 200 OK\r\nContent-Length: x\r\nConnection: Close\r\n\r\n");
        assert_eq!(head.content_length, None);
        assert!(head.connection_close);
        assert_eq!(Framing::of(&head, false), Framing::Close);

        let (head, rest) = parse(b"hello world");
        assert!(head.http09);
        assert_eq!(rest, b"hello world");
    }

    #[test]
    fn incomplete_heads_wait() {
        let mut buf = BytesMut::from(&b"HTTP/1.1 200 OK\r\nX: y\r\n"[..]);
        assert!(try_parse(&mut buf, 4096).is_none());
        let mut buf = BytesMut::from(&b"HTT"[..]);
        assert!(try_parse(&mut buf, 4096).is_none());
    }

    /// The parser as it was before it kept the lines in place: the new one
    /// must read every head the same.
    fn reference(buf: &mut BytesMut, limit: usize) -> Option<Result<Summary, String>> {
        if !starts_like_http(buf) {
            return Some(Ok(Summary::http09()));
        }
        let window = &buf[..buf.len().min(limit)];
        let mut end = None;
        let mut i = 0;
        while let Some(pos) = window[i..].iter().position(|&b| b == b'\n') {
            let at = i + pos;
            let rest = &window[at + 1..];
            if rest.starts_with(b"\n") {
                end = Some(at + 2);
                break;
            }
            if rest.starts_with(b"\r\n") {
                end = Some(at + 3);
                break;
            }
            i = at + 1;
        }
        let head = buf.split_to(end?);
        let mut lines = head[..]
            .split(|&b| b == b'\n')
            .map(|line| line.strip_suffix(b"\r").unwrap_or(line));
        let status_line = lines.next().unwrap_or_default();
        let Some((minor, status, reason)) = parse_status_line(status_line) else {
            let mut body = BytesMut::from(&head[..]);
            body.extend_from_slice(buf);
            *buf = body;
            return Some(Ok(Summary::http09()));
        };
        let mut parsed = Summary {
            status,
            reason: reason.to_vec(),
            close: minor == 0,
            ..Summary::default()
        };
        for line in lines {
            if line.is_empty() {
                break;
            }
            let (name, value) = match line.iter().position(|&b| b == b':') {
                Some(colon) => (&line[..colon], &line[colon + 1..]),
                None => (line, &line[line.len()..]),
            };
            let value = trim_spaces(value);
            if name.is_empty() || name.contains(&0) || value.contains(&0) {
                return Some(Err(String::from_utf8_lossy(line).into_owned()));
            }
            if name.eq_ignore_ascii_case(b"content-length") {
                parsed.length = atoof(value);
            } else if name.eq_ignore_ascii_case(b"transfer-encoding") {
                parsed.chunked |= contains_ignore_case(value, b"chunked");
            } else if name.eq_ignore_ascii_case(b"connection") {
                parsed.close |= contains_ignore_case(value, b"close");
            }
            if parsed.accel.is_none() && name.eq_ignore_ascii_case(b"x-accel-redirect") {
                parsed.accel = Some(value.to_vec());
            }
            parsed.headers.push((name.to_vec(), value.to_vec()));
        }
        if parsed.chunked {
            parsed.length = None;
        }
        Some(Ok(parsed))
    }

    #[derive(Debug, Default, PartialEq)]
    struct Summary {
        status: u16,
        reason: Vec<u8>,
        http09: bool,
        headers: Vec<(Vec<u8>, Vec<u8>)>,
        length: Option<u64>,
        chunked: bool,
        close: bool,
        accel: Option<Vec<u8>>,
    }

    impl Summary {
        fn http09() -> Summary {
            Summary {
                status: 200,
                http09: true,
                close: true,
                ..Summary::default()
            }
        }

        fn of(head: &ResponseHead) -> Summary {
            Summary {
                status: head.status,
                reason: head.reason.to_vec(),
                http09: head.http09,
                headers: head
                    .headers()
                    .map(|(n, v)| (n.to_vec(), v.to_vec()))
                    .collect(),
                length: head.content_length,
                chunked: head.chunked,
                close: head.connection_close,
                accel: head.accel_redirect.as_ref().map(|v| v.to_vec()),
            }
        }
    }

    #[test]
    fn parses_as_the_reference_parser() {
        const STATUS: &[&[u8]] = &[
            b"HTTP/1.1 200 OK",
            b"HTTP/1.0 404 Not Found",
            b"HTTP/1.1 204",
            b"HTTP/2.0 301 Moved  ",
            b"HTTP/1.1 20 short",
            b"HTTP/1.x 200 OK",
            b"HTTP/1.1 100 Continue",
        ];
        const LINES: &[&[u8]] = &[
            b"Content-Length: 5",
            b"content-length:x",
            b"Content-Length:  12 ",
            b"Transfer-Encoding: gzip, Chunked",
            b"Connection: Close",
            b"Connection: keep-alive",
            b"X-Accel-Redirect: /internal/a?b=1",
            b"x-accel-redirect:",
            b"X-Accel-Redirect: @named",
            b":no name",
            b"no colon",
            b"Bad\0Name: v",
            b"Value: with\0nul",
            b"  Spaced  :   value with spaces   ",
            b"Server: nginx",
            b"Set-Cookie: a=1; Path=/",
            b"\r",
            b"Long-Header-Name-For-Words: 0123456789abcdef0123456789",
        ];
        let mut next = crate::test_rng::xorshift(0x2545_f491_4f6c_dd1du64);
        for _ in 0..20_000 {
            let mut head = STATUS[next(STATUS.len())].to_vec();
            let eol: &[u8] = if next(4) == 0 { b"\n" } else { b"\r\n" };
            head.extend_from_slice(eol);
            let count = if next(10) == 0 { next(24) } else { next(7) };
            for _ in 0..count {
                head.extend_from_slice(LINES[next(LINES.len())]);
                head.extend_from_slice(if next(8) == 0 { b"\n" } else { eol });
            }
            head.extend_from_slice(eol);
            head.extend_from_slice(b"body");
            let cut = if next(3) == 0 {
                next(head.len() + 1)
            } else {
                head.len()
            };
            let limit = if next(4) == 0 {
                next(head.len() + 1)
            } else {
                4096
            };
            let bytes = &head[..cut];
            let mut old = BytesMut::from(bytes);
            let mut new = BytesMut::from(bytes);
            let expected = reference(&mut old, limit);
            let got = try_parse(&mut new, limit).map(|r| match r {
                Ok(head) => Ok(Summary::of(&head)),
                Err(HeadError::Invalid(line)) => Err(line),
                Err(other) => Err(format!("{other:?}")),
            });
            assert_eq!(
                got,
                expected,
                "{:?} limit {limit}",
                String::from_utf8_lossy(bytes)
            );
            assert_eq!(new, old);
        }
    }

    #[test]
    fn finds_bytes_as_position_does() {
        let hay: Vec<u8> = (0..40u8)
            .map(|i| b'a' + i % 7)
            .chain(*b"\n\x00:\x80\xff\x01\x81")
            .collect();
        for needle in [b'a', b'c', b'g', b'\n', 0, b':', b'z', 0x80, 0x81, 0xff, 1] {
            for start in 0..hay.len() {
                for end in start..=hay.len() {
                    let part = &hay[start..end];
                    assert_eq!(
                        find_byte(part, needle),
                        part.iter().position(|&b| b == needle),
                        "{needle} in {part:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn chunk_sizes() {
        assert_eq!(chunk_size(b"1a"), Some(26));
        assert_eq!(chunk_size(b"0;ext=1"), Some(0));
        assert_eq!(chunk_size(b"zz"), None);
        assert_eq!(chunk_size(b""), None);
        assert_eq!(chunk_size(b"ffffffffffffffff"), None);
    }
}
