//! The response head as nginx's header filter writes it: always
//! `HTTP/1.1 CODE REASON` (the reason may be empty, the space stays),
//! headers in the order the response has them with nginx's spelling of
//! its own header names, `Transfer-Encoding: chunked` before `Connection`
//! for a body of unknown length on HTTP/1.1 (HTTP/1.0 gets a body ended by
//! the close instead, and `Connection: close`), no body at all for HEAD,
//! 1xx, 204 and 304. HTTP/0.9 gets no head.

use crate::http_core::special_response;
use crate::serve::{CloseAfter, HeaderCase, HeaderOrder};
use bytes::{BufMut, BytesMut};
use http::header::{self, HeaderName, HeaderValue};
use http::{HeaderMap, Method, Response, StatusCode, Version};

const KEEP_ALIVE: HeaderName = HeaderName::from_static("keep-alive");

/// How the response body goes on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Framing {
    /// No body (HEAD, 1xx, 204, 304).
    None,
    /// `Content-Length`: exactly so many bytes.
    Length(u64),
    Chunked,
    /// Until the connection closes (HTTP/1.0 and 0.9 without a length).
    Close,
}

/// The head to write and what follows it.
#[derive(Debug)]
pub struct Plan {
    pub head: BytesMut,
    pub framing: Framing,
    /// Close the connection after the response.
    pub close: bool,
}

/// nginx's spelling of the header names it writes itself (where the usual
/// capitalisation of each word differs).
fn nginx_spelling(name: &HeaderName) -> Option<&'static str> {
    Some(match name.as_str() {
        "etag" => "ETag",
        "www-authenticate" => "WWW-Authenticate",
        "content-md5" => "Content-MD5",
        "te" => "TE",
        "x-xss-protection" => "X-XSS-Protection",
        _ => return None,
    })
}

/// Writes a header name: as the response's `HeaderCase` spells it, else as
/// nginx spells it, else with each word capitalised.
fn put_name(out: &mut BytesMut, name: &HeaderName, case: Option<&HeaderCase>) {
    if let Some(spelled) = case.and_then(|case| case.get(name)) {
        out.put_slice(spelled);
        return;
    }
    if let Some(spelled) = nginx_spelling(name) {
        out.put_slice(spelled.as_bytes());
        return;
    }
    let mut upper = true;
    for &b in name.as_str().as_bytes() {
        out.put_u8(if upper { b.to_ascii_uppercase() } else { b });
        upper = b == b'-';
    }
}

/// What the codec knows of the request a response answers.
#[derive(Clone, Copy, Debug)]
pub struct Answering<'a> {
    pub method: &'a Method,
    pub version: Version,
}

/// Lays out the head of `response`.
pub fn plan<B: hyper::body::Body>(response: &Response<B>, request: Answering<'_>) -> Plan {
    let status = response.status();
    let headers = response.headers();
    let code = status.as_u16();
    let header_only = *request.method == Method::HEAD
        || status.is_informational()
        || status == StatusCode::NO_CONTENT
        || status == StatusCode::NOT_MODIFIED;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    // A body whose size the handler knows but did not declare (an empty
    // one) is sent with its length, as hyper did.
    let implied = match declared {
        None => response.body().size_hint().exact(),
        Some(_) => None,
    };
    let length = declared.or(implied);
    let framing = if header_only {
        Framing::None
    } else if let Some(length) = length {
        Framing::Length(length)
    } else if request.version == Version::HTTP_11 {
        Framing::Chunked
    } else {
        Framing::Close
    };
    let connection_close = headers
        .get(header::CONNECTION)
        .is_none_or(|value| value.as_bytes().eq_ignore_ascii_case(b"close"));
    let close = request.version == Version::HTTP_09
        || framing == Framing::Close
        || (connection_close && code != 101)
        || response.extensions().get::<CloseAfter>().is_some();
    let mut head = BytesMut::with_capacity(512);
    if request.version == Version::HTTP_09 {
        // nginx's header filter writes nothing for HTTP/0.9.
        return Plan {
            head,
            framing: if header_only {
                Framing::None
            } else {
                Framing::Close
            },
            close: true,
        };
    }
    let reason = match response.extensions().get::<hyper::ext::ReasonPhrase>() {
        Some(reason) => reason.as_bytes(),
        None => special_response::reason_phrase(code)
            .unwrap_or("")
            .as_bytes(),
    };
    head.put_slice(b"HTTP/1.1 ");
    // A StatusCode is always three digits.
    head.put_slice(&[
        b'0' + (code / 100 % 10) as u8,
        b'0' + (code / 10 % 10) as u8,
        b'0' + (code % 10) as u8,
        b' ',
    ]);
    head.put_slice(reason);
    head.put_slice(b"\r\n");
    let lines = wire_order(headers, response.extensions().get::<HeaderOrder>());
    write_headers(
        &mut head,
        &lines,
        response.extensions().get::<HeaderCase>(),
        framing,
        close,
    );
    if let (Some(length), Framing::Length(_)) = (implied, framing) {
        head.put_slice(format!("Content-Length: {length}\r\n").as_bytes());
    }
    head.put_slice(b"\r\n");
    Plan {
        head,
        framing,
        close,
    }
}

/// The header lines in wire order: as `order` lists them, then any the
/// list misses in the map's order.
fn wire_order<'h>(
    headers: &'h HeaderMap,
    order: Option<&HeaderOrder>,
) -> Vec<(&'h HeaderName, &'h HeaderValue)> {
    let order = order.map_or(&[][..], |order| &order.0[..]);
    // The map keeps a name's values together in the order names first
    // came; the list differs from it only where a name comes back after
    // another one (`add_header X-A`, `add_header X-B`, `add_header X-A`).
    let comes_back = order
        .iter()
        .enumerate()
        .any(|(at, name)| at > 1 && order[at - 1] != *name && order[..at - 1].contains(name));
    if !comes_back {
        return headers.iter().collect();
    }
    let mut lines = Vec::with_capacity(headers.len());
    // The n-th mention of a name in `order` takes the n-th value of that
    // name; a response has a handful of headers, so counting earlier
    // mentions costs less than building per-name lists.
    for (at, name) in order.iter().enumerate() {
        let nth = order[..at]
            .iter()
            .filter(|earlier| *earlier == name)
            .count();
        if let Some(key) = headers.keys().find(|key| *key == name)
            && let Some(value) = headers.get_all(key).iter().nth(nth)
        {
            lines.push((key, value));
        }
    }
    for key in headers.keys() {
        let listed = order.iter().filter(|name| *name == key).count();
        for value in headers.get_all(key).iter().skip(listed) {
            lines.push((key, value));
        }
    }
    lines
}

fn write_headers(
    out: &mut BytesMut,
    headers: &[(&HeaderName, &HeaderValue)],
    case: Option<&HeaderCase>,
    framing: Framing,
    close: bool,
) {
    let mut chunked_written = framing != Framing::Chunked;
    for &(name, value) in headers {
        if *name == header::TRANSFER_ENCODING {
            // The codec frames the body itself.
            continue;
        }
        if *name == header::CONNECTION {
            if !chunked_written {
                out.put_slice(b"Transfer-Encoding: chunked\r\n");
                chunked_written = true;
            }
            if framing == Framing::Close && close {
                // The body ends with the connection, whatever the handler
                // hoped for (nginx's chunked filter turns keep-alive off).
                out.put_slice(b"Connection: close\r\n");
                continue;
            }
        }
        if *name == KEEP_ALIVE && framing == Framing::Close {
            continue;
        }
        put_name(out, name, case);
        out.put_slice(b": ");
        out.put_slice(value.as_bytes());
        out.put_slice(b"\r\n");
    }
    if !chunked_written {
        out.put_slice(b"Transfer-Encoding: chunked\r\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;
    use http_body_util::{BodyExt, Empty, Full};
    use std::convert::Infallible;
    use std::pin::Pin;
    use std::task::{Context, Poll};

    type Body = http_body_util::combinators::BoxBody<Bytes, Infallible>;

    /// A body of unknown length.
    struct Unsized(Option<Bytes>);

    impl hyper::body::Body for Unsized {
        type Data = Bytes;
        type Error = Infallible;

        fn poll_frame(
            mut self: Pin<&mut Self>,
            _: &mut Context<'_>,
        ) -> Poll<Option<Result<hyper::body::Frame<Bytes>, Infallible>>> {
            Poll::Ready(self.0.take().map(|data| Ok(hyper::body::Frame::data(data))))
        }
    }

    fn response(status: u16, headers: &[(&str, &str)], body: Body) -> Response<Body> {
        let mut response = Response::new(body);
        *response.status_mut() = StatusCode::from_u16(status).unwrap();
        for (name, value) in headers {
            response.headers_mut().append(
                HeaderName::from_bytes(name.as_bytes()).unwrap(),
                value.parse().unwrap(),
            );
        }
        response
    }

    fn head(plan: &Plan) -> String {
        String::from_utf8_lossy(&plan.head).into_owned()
    }

    fn answering(method: &Method, version: Version) -> Answering<'_> {
        Answering { method, version }
    }

    fn plan_of(r: &Response<Body>) -> Plan {
        plan(r, answering(&Method::GET, Version::HTTP_11))
    }

    #[test]
    fn status_lines_are_always_http_1_1() {
        let r = response(
            200,
            &[("content-length", "2")],
            Full::new(Bytes::from("ok")).boxed(),
        );
        let p = plan(&r, answering(&Method::GET, Version::HTTP_10));
        assert!(head(&p).starts_with("HTTP/1.1 200 OK\r\n"));
        let r = response(203, &[("content-length", "0")], Empty::new().boxed());
        assert!(head(&plan_of(&r)).starts_with("HTTP/1.1 203 \r\n"));
        let r = response(599, &[("content-length", "0")], Empty::new().boxed());
        assert!(head(&plan_of(&r)).starts_with("HTTP/1.1 599 \r\n"));
        let mut r = response(200, &[("content-length", "0")], Empty::new().boxed());
        r.extensions_mut()
            .insert(hyper::ext::ReasonPhrase::from_static(b"Fine"));
        assert!(head(&plan_of(&r)).starts_with("HTTP/1.1 200 Fine\r\n"));
    }

    #[test]
    fn names_are_spelled_as_nginx_spells_them() {
        let r = response(
            200,
            &[
                ("server", "rginx"),
                ("etag", "\"1\""),
                ("www-authenticate", "Basic"),
                ("x-custom-header", "v"),
                ("content-length", "0"),
            ],
            Empty::new().boxed(),
        );
        let text = head(&plan_of(&r));
        assert!(
            text.ends_with(
                "\r\nServer: rginx\r\nETag: \"1\"\r\nWWW-Authenticate: Basic\r\n\
                 X-Custom-Header: v\r\nContent-Length: 0\r\n\r\n"
            ),
            "{text}"
        );
        let mut r = r;
        let mut case = HeaderCase::default();
        case.insert(b"x-CUSTOM-header");
        r.extensions_mut().insert(case);
        assert!(head(&plan_of(&r)).contains("\r\nx-CUSTOM-header: v\r\n"));
    }

    #[test]
    fn unknown_lengths_are_chunked_on_1_1_before_connection() {
        let headers = [
            ("server", "s"),
            ("connection", "keep-alive"),
            ("keep-alive", "timeout=5"),
            ("x-a", "1"),
        ];
        let r = response(200, &headers, Unsized(Some(Bytes::from("x"))).boxed());
        let p = plan_of(&r);
        assert_eq!(p.framing, Framing::Chunked);
        assert!(!p.close);
        assert!(head(&p).ends_with(
            "Server: s\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive\r\n\
             Keep-Alive: timeout=5\r\nX-A: 1\r\n\r\n"
        ));
        // HTTP/1.0: the close ends the body.
        let r = response(200, &headers, Unsized(Some(Bytes::from("x"))).boxed());
        let p = plan(&r, answering(&Method::GET, Version::HTTP_10));
        assert_eq!(p.framing, Framing::Close);
        assert!(p.close);
        assert!(head(&p).ends_with("Server: s\r\nConnection: close\r\nX-A: 1\r\n\r\n"));
        // HEAD: no body, no framing.
        let r = response(200, &headers, Unsized(None).boxed());
        let p = plan(&r, answering(&Method::HEAD, Version::HTTP_11));
        assert_eq!(p.framing, Framing::None);
        assert!(!head(&p).contains("Transfer-Encoding"));
    }

    #[test]
    fn repeated_names_keep_their_places() {
        let mut r = response(
            200,
            &[
                ("x-a", "1"),
                ("content-range", "r"),
                ("x-a", "2"),
                ("content-length", "0"),
            ],
            Empty::new().boxed(),
        );
        // Without an order the map groups the values of a name.
        assert!(head(&plan_of(&r)).contains("X-A: 1\r\nX-A: 2\r\nContent-Range: r\r\n"));
        let order = ["x-a", "content-range", "x-a"]
            .iter()
            .map(|name| HeaderName::from_static(name))
            .collect();
        r.extensions_mut().insert(HeaderOrder(order));
        // Lines the order misses come last.
        assert!(
            head(&plan_of(&r))
                .ends_with("X-A: 1\r\nContent-Range: r\r\nX-A: 2\r\nContent-Length: 0\r\n\r\n")
        );
    }

    #[test]
    fn an_undeclared_known_length_is_declared() {
        let r = response(200, &[("connection", "keep-alive")], Empty::new().boxed());
        let p = plan_of(&r);
        assert_eq!(p.framing, Framing::Length(0));
        assert!(head(&p).ends_with("Connection: keep-alive\r\nContent-Length: 0\r\n\r\n"));
    }

    #[test]
    fn framing_rules() {
        let sized = |status: u16, method: &Method| {
            let r = response(
                status,
                &[("content-length", "5"), ("connection", "keep-alive")],
                Empty::new().boxed(),
            );
            plan(&r, answering(method, Version::HTTP_11))
        };
        assert_eq!(sized(200, &Method::GET).framing, Framing::Length(5));
        assert_eq!(sized(200, &Method::HEAD).framing, Framing::None);
        assert_eq!(sized(204, &Method::GET).framing, Framing::None);
        assert_eq!(sized(304, &Method::GET).framing, Framing::None);
        assert!(!sized(200, &Method::GET).close);
        let r = response(
            200,
            &[("connection", "close"), ("content-length", "0")],
            Empty::new().boxed(),
        );
        assert!(plan_of(&r).close);
        let r = response(101, &[("connection", "upgrade")], Empty::new().boxed());
        let p = plan_of(&r);
        assert_eq!(p.framing, Framing::None);
        assert!(!p.close);
    }

    #[test]
    fn http_09_has_no_head() {
        let r = response(
            200,
            &[("content-length", "2")],
            Full::new(Bytes::from("ok")).boxed(),
        );
        let p = plan(&r, answering(&Method::GET, Version::HTTP_09));
        assert!(p.head.is_empty());
        assert_eq!(p.framing, Framing::Close);
        assert!(p.close);
    }
}
