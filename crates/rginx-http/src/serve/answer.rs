//! A response as the handler hands it to a codec: nginx's own header
//! fields typed and in nginx's order, the other headers as a list in wire
//! order, and the body. The HTTP/1 codec writes its head straight from
//! this (a header map would lose the order of repeated names and cost a
//! hash insert and an allocation per header); HTTP/2 turns it into an
//! `http::Response` for hyper.

use super::handler::Body;
use crate::log::pending::PendingLog;
use bytes::Bytes;
use http::header::{self, HeaderName, HeaderValue};
use http::{Response, StatusCode};
use http_body_util::{BodyExt, Full};

/// The response head, field by field.
#[derive(Debug, Default)]
pub struct AnswerHead {
    /// The status on the wire (nginx's internal codes already mapped).
    pub status: u16,
    /// The upstream's reason phrase; `None`: nginx's phrase for `status`.
    pub reason: Option<Bytes>,
    /// `Server:` (`None` when the header list passes the upstream's).
    pub server: Option<&'static str>,
    /// `Date:` (`None` when the header list passes the upstream's).
    pub date: Option<HeaderValue>,
    pub content_type: Option<HeaderValue>,
    pub content_length: Option<u64>,
    pub last_modified: Option<HeaderValue>,
    pub location: Option<HeaderValue>,
    /// `Connection:` (`None` for HTTP/0.9 and HTTP/2).
    pub connection: Option<&'static str>,
    /// `Keep-Alive: timeout=N`.
    pub keep_alive_timeout: Option<u64>,
    /// Every other header, in wire order.
    pub headers: Vec<(HeaderName, HeaderValue)>,
    /// Spellings of header names that differ from the usual ones (as
    /// configured or as received).
    pub header_case: Vec<Bytes>,
    /// The body is nginx's built-in page: no `100 Continue` goes first.
    pub no_continue: bool,
    /// Close after this response although `Connection` says keep-alive.
    pub close_after: bool,
}

impl AnswerHead {
    /// The reason phrase on the status line.
    pub fn reason(&self) -> &[u8] {
        match &self.reason {
            Some(reason) => reason,
            None => crate::http_core::special_response::reason_phrase(self.status)
                .unwrap_or("")
                .as_bytes(),
        }
    }

    /// Each header line in wire order, nginx's fields first.
    pub fn lines(&self) -> impl Iterator<Item = (&HeaderName, Line<'_>)> {
        self.spelled_lines().map(|(name, _, line)| (name, line))
    }

    /// [`AnswerHead::lines`] with nginx's spelling of the names of its own
    /// fields, which the codec writes without looking them up.
    pub fn spelled_lines(
        &self,
    ) -> impl Iterator<Item = (&HeaderName, Option<&'static str>, Line<'_>)> {
        let fixed = [
            self.server
                .map(|s| (&header::SERVER, Some("Server"), Line::Static(s))),
            self.date
                .as_ref()
                .map(|v| (&header::DATE, Some("Date"), Line::Value(v))),
            self.content_type
                .as_ref()
                .map(|v| (&header::CONTENT_TYPE, Some("Content-Type"), Line::Value(v))),
            self.content_length.map(|n| {
                (
                    &header::CONTENT_LENGTH,
                    Some("Content-Length"),
                    Line::Number(n),
                )
            }),
            self.last_modified.as_ref().map(|v| {
                (
                    &header::LAST_MODIFIED,
                    Some("Last-Modified"),
                    Line::Value(v),
                )
            }),
            self.location
                .as_ref()
                .map(|v| (&header::LOCATION, Some("Location"), Line::Value(v))),
            self.connection
                .map(|s| (&header::CONNECTION, Some("Connection"), Line::Static(s))),
            self.keep_alive_timeout
                .map(|n| (&KEEP_ALIVE, Some("Keep-Alive"), Line::Timeout(n))),
        ];
        fixed.into_iter().flatten().chain(
            self.headers
                .iter()
                .map(|(name, value)| (name, None, Line::Value(value))),
        )
    }

    /// The first value of `name`, as the client will read it.
    pub fn first(&self, name: &HeaderName) -> Option<Line<'_>> {
        self.lines().find(|(n, _)| *n == name).map(|(_, line)| line)
    }
}

/// How rginx spells a header name it writes on its own: as nginx spells
/// its own headers, else each word capitalised.
pub fn usual_spelling(name: &HeaderName, out: &mut bytes::BytesMut) {
    use bytes::BufMut;
    if let Some(spelled) = nginx_spelling(name) {
        out.put_slice(spelled.as_bytes());
        return;
    }
    out.extend(capitalised(name.as_str().as_bytes()));
}

/// Whether `spelled` is how [`usual_spelling`] writes `name`.
pub fn is_usual_spelling(name: &HeaderName, spelled: &[u8]) -> bool {
    if let Some(usual) = nginx_spelling(name) {
        return usual.as_bytes() == spelled;
    }
    let lower = name.as_str().as_bytes();
    lower.len() == spelled.len() && capitalised(lower).eq(spelled.iter().copied())
}

/// A lowercase name with each word capitalised (`x-real-ip` ->
/// `X-Real-Ip`), the spelling of names nginx does not spell its own way.
fn capitalised(lower: &[u8]) -> impl Iterator<Item = u8> + '_ {
    let mut upper = true;
    lower.iter().map(move |&b| {
        let spelled = if upper { b.to_ascii_uppercase() } else { b };
        upper = b == b'-';
        spelled
    })
}

/// nginx's spelling of the header names it writes itself where the usual
/// capitalisation of each word differs, and of the common ones (spelled
/// out so that they cost no per-byte capitalising).
fn nginx_spelling(name: &HeaderName) -> Option<&'static str> {
    Some(match name.as_str() {
        "server" => "Server",
        "date" => "Date",
        "content-type" => "Content-Type",
        "content-length" => "Content-Length",
        "last-modified" => "Last-Modified",
        "location" => "Location",
        "connection" => "Connection",
        "keep-alive" => "Keep-Alive",
        "accept-ranges" => "Accept-Ranges",
        "expires" => "Expires",
        "cache-control" => "Cache-Control",
        "vary" => "Vary",
        "content-encoding" => "Content-Encoding",
        "content-range" => "Content-Range",
        "etag" => "ETag",
        "www-authenticate" => "WWW-Authenticate",
        "content-md5" => "Content-MD5",
        "te" => "TE",
        "x-xss-protection" => "X-XSS-Protection",
        _ => return None,
    })
}

pub static KEEP_ALIVE: HeaderName = HeaderName::from_static("keep-alive");

/// A header value in whichever form the head keeps it.
#[derive(Clone, Copy, Debug)]
pub enum Line<'a> {
    Static(&'static str),
    Text(&'a str),
    Value(&'a HeaderValue),
    Number(u64),
    /// `timeout=N`.
    Timeout(u64),
}

impl Line<'_> {
    /// Appends the value's bytes.
    pub fn write_to(&self, out: &mut bytes::BytesMut) {
        use bytes::BufMut;
        match self {
            Line::Static(s) => out.put_slice(s.as_bytes()),
            Line::Text(s) => out.put_slice(s.as_bytes()),
            Line::Value(v) => out.put_slice(v.as_bytes()),
            Line::Number(n) => out.put_slice(itoa::Buffer::new().format(*n).as_bytes()),
            Line::Timeout(n) => {
                out.put_slice(b"timeout=");
                out.put_slice(itoa::Buffer::new().format(*n).as_bytes());
            }
        }
    }

    /// The value as a header value (for a header map).
    pub fn to_value(&self) -> Option<HeaderValue> {
        Some(match self {
            Line::Static(s) => HeaderValue::from_static(s),
            Line::Text(s) => HeaderValue::from_str(s).ok()?,
            Line::Value(v) => (*v).clone(),
            Line::Number(n) => HeaderValue::from(*n),
            Line::Timeout(n) => HeaderValue::from_str(&format!("timeout={n}")).ok()?,
        })
    }

    /// Whether the value is `token`, ignoring case.
    pub fn is(&self, token: &str) -> bool {
        match self {
            Line::Static(s) | Line::Text(s) => s.eq_ignore_ascii_case(token),
            Line::Value(v) => v.as_bytes().eq_ignore_ascii_case(token.as_bytes()),
            Line::Number(_) | Line::Timeout(_) => false,
        }
    }

    /// The value as a number (a `Content-Length`).
    pub fn number(&self) -> Option<u64> {
        match self {
            Line::Number(n) => Some(*n),
            Line::Value(v) => v.to_str().ok()?.parse().ok(),
            Line::Static(s) | Line::Text(s) => s.parse().ok(),
            Line::Timeout(_) => None,
        }
    }

    /// The value's length on the wire.
    pub fn wire_len(&self) -> usize {
        match self {
            Line::Static(s) | Line::Text(s) => s.len(),
            Line::Value(v) => v.len(),
            Line::Number(n) => itoa::Buffer::new().format(*n).len(),
            Line::Timeout(n) => "timeout=".len() + itoa::Buffer::new().format(*n).len(),
        }
    }
}

/// The response body.
pub enum AnswerBody {
    /// Nothing to send (also a HEAD's or a bodiless status's).
    Empty,
    Full(Bytes),
    Stream(Body),
}

impl AnswerBody {
    /// The length when known before sending.
    pub fn exact_len(&self) -> Option<u64> {
        use hyper::body::Body as _;
        match self {
            AnswerBody::Empty => Some(0),
            AnswerBody::Full(bytes) => Some(bytes.len() as u64),
            AnswerBody::Stream(body) => body.size_hint().exact(),
        }
    }

    /// The body as one boxed body (for hyper).
    pub fn boxed(self) -> Body {
        match self {
            AnswerBody::Empty => ZeroBody.boxed(),
            AnswerBody::Full(bytes) => Full::new(bytes).map_err(|never| match never {}).boxed(),
            AnswerBody::Stream(body) => body,
        }
    }
}

impl std::fmt::Debug for AnswerBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AnswerBody::Empty => write!(f, "Empty"),
            AnswerBody::Full(bytes) => write!(f, "Full({} bytes)", bytes.len()),
            AnswerBody::Stream(_) => write!(f, "Stream"),
        }
    }
}

/// A response for a codec.
#[derive(Debug)]
pub struct Answer {
    pub head: AnswerHead,
    pub body: AnswerBody,
    /// The access-log lines, written once the response is sent.
    pub log: Option<PendingLog>,
    /// How to send it and close after it (the settings of the location
    /// the request ended in; `None`: the connection's own).
    pub tuning: Option<crate::http_core::limits::Tuning>,
}

impl Answer {
    /// The answer as an `http::Response` with its headers in a map, in
    /// wire order (HTTP/2, where hyper writes the head).
    pub fn into_response(self) -> (Response<Body>, Option<PendingLog>) {
        let mut headers = http::HeaderMap::with_capacity(self.head.headers.len() + 8);
        for (name, line) in self.head.lines() {
            if let Some(value) = line.to_value() {
                headers.append(name.clone(), value);
            }
        }
        let mut response = Response::new(self.body.boxed());
        *response.headers_mut() = headers;
        *response.status_mut() =
            StatusCode::from_u16(self.head.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (response, self.log)
    }
}

/// An empty body that hyper treats as "known length 0" rather than "no
/// body", so the Content-Length header rginx set (the real length, for
/// HEAD) is written where nginx writes it instead of being re-added last.
struct ZeroBody;

impl hyper::body::Body for ZeroBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<hyper::body::Frame<Bytes>, std::io::Error>>> {
        std::task::Poll::Ready(None)
    }

    fn is_end_stream(&self) -> bool {
        false
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        hyper::body::SizeHint::with_exact(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names the codec writes without a lookup are spelled as the
    /// lookup spells them.
    #[test]
    fn fixed_fields_are_spelled_as_usual() {
        let value = HeaderValue::from_static("v");
        let head = AnswerHead {
            server: Some("rginx"),
            date: Some(value.clone()),
            content_type: Some(value.clone()),
            content_length: Some(1),
            last_modified: Some(value.clone()),
            location: Some(value),
            connection: Some("keep-alive"),
            keep_alive_timeout: Some(5),
            ..AnswerHead::default()
        };
        let mut seen = 0;
        for (name, spelled, _) in head.spelled_lines() {
            let mut usual = bytes::BytesMut::new();
            usual_spelling(name, &mut usual);
            assert_eq!(spelled.map(str::as_bytes), Some(&usual[..]), "{name}");
            seen += 1;
        }
        assert_eq!(seen, 8);
    }
}
