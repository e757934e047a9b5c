//! The response head as nginx's header filter writes it: always
//! `HTTP/1.1 CODE REASON` (the reason may be empty, the space stays),
//! headers in the order the response has them with nginx's spelling of
//! its own header names, `Transfer-Encoding: chunked` before `Connection`
//! for a body of unknown length on HTTP/1.1 (HTTP/1.0 gets a body ended by
//! the close instead, and `Connection: close`), no body at all for HEAD,
//! 1xx, 204 and 304. HTTP/0.9 gets no head.

use crate::serve::answer::{AnswerHead, KEEP_ALIVE, Line, usual_spelling};
use bytes::{BufMut, BytesMut};
use http::header::{self, HeaderName};
use http::{Method, Version};

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
#[cfg(test)]
#[derive(Debug)]
pub struct Plan {
    pub head: BytesMut,
    pub framing: Framing,
    /// Close the connection after the response.
    pub close: bool,
}

/// Writes a header name: as the response spells it, else as rginx
/// spells names.
fn put_name(
    out: &mut BytesMut,
    name: &HeaderName,
    spelled: Option<&'static str>,
    case: &[bytes::Bytes],
) {
    if case.is_empty()
        && let Some(spelled) = spelled
    {
        out.put_slice(spelled.as_bytes());
        return;
    }
    if !case.is_empty()
        && let Some(spelled) = case
            .iter()
            .rev()
            .find(|spelled| spelled.eq_ignore_ascii_case(name.as_str().as_bytes()))
    {
        out.put_slice(spelled);
        return;
    }
    usual_spelling(name, out);
}

/// What the codec knows of the request a response answers.
#[derive(Clone, Copy, Debug)]
pub struct Answering<'a> {
    pub method: &'a Method,
    pub version: Version,
}

/// How a response goes out, its head written already.
#[derive(Clone, Copy, Debug)]
pub struct Layout {
    pub framing: Framing,
    /// Close the connection after the response.
    pub close: bool,
    /// The head's length in bytes.
    pub head_len: usize,
}

/// Lays out the head of a response in a buffer of its own.
#[cfg(test)]
pub fn plan(response: &AnswerHead, body_len: Option<u64>, request: Answering<'_>) -> Plan {
    let mut head = BytesMut::new();
    let layout = write_head(response, body_len, request, &mut head);
    Plan {
        head,
        framing: layout.framing,
        close: layout.close,
    }
}

/// Writes the head of a response at the end of `out`; `body_len`: the
/// body's length when it is known before sending.
pub fn write_head(
    response: &AnswerHead,
    body_len: Option<u64>,
    request: Answering<'_>,
    head: &mut BytesMut,
) -> Layout {
    let start = head.len();
    let code = response.status;
    let header_only =
        *request.method == Method::HEAD || (100..200).contains(&code) || code == 204 || code == 304;
    let declared = match response.content_length {
        Some(length) => Some(length),
        None => response
            .first(&header::CONTENT_LENGTH)
            .and_then(|line| line.number()),
    };
    // A body whose size the handler knows but did not declare (an empty
    // one) is sent with its length, as hyper did.
    let implied = match declared {
        None => body_len,
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
    let connection_close = match response.connection {
        Some(connection) => connection.eq_ignore_ascii_case("close"),
        None => response
            .first(&header::CONNECTION)
            .is_none_or(|line| line.is("close")),
    };
    let close = request.version == Version::HTTP_09
        || framing == Framing::Close
        || (connection_close && code != 101)
        || response.close_after;
    if request.version == Version::HTTP_09 {
        // nginx's header filter writes nothing for HTTP/0.9.
        return Layout {
            framing: if header_only {
                Framing::None
            } else {
                Framing::Close
            },
            close: true,
            head_len: 0,
        };
    }
    head.reserve(512);
    head.put_slice(b"HTTP/1.1 ");
    let digits = [
        b'0' + (code / 100 % 10) as u8,
        b'0' + (code / 10 % 10) as u8,
        b'0' + (code % 10) as u8,
        b' ',
    ];
    head.put_slice(&digits);
    head.put_slice(response.reason());
    head.put_slice(b"\r\n");
    write_headers(head, response, framing, close);
    if let (Some(length), Framing::Length(_)) = (implied, framing) {
        head.put_slice(b"Content-Length: ");
        Line::Number(length).write_to(head);
        head.put_slice(b"\r\n");
    }
    head.put_slice(b"\r\n");
    Layout {
        framing,
        close,
        head_len: head.len() - start,
    }
}

fn write_headers(out: &mut BytesMut, response: &AnswerHead, framing: Framing, close: bool) {
    let mut chunked_written = framing != Framing::Chunked;
    for (name, spelled, value) in response.spelled_lines() {
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
        put_name(out, name, spelled, &response.header_case);
        out.put_slice(b": ");
        value.write_to(out);
        out.put_slice(b"\r\n");
    }
    if !chunked_written {
        out.put_slice(b"Transfer-Encoding: chunked\r\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    /// A head with these header lines (nginx's own fields left empty, so
    /// the list alone gives the order).
    fn response(status: u16, headers: &[(&str, &str)]) -> AnswerHead {
        AnswerHead {
            status,
            headers: headers
                .iter()
                .map(|(name, value)| {
                    (
                        HeaderName::from_bytes(name.as_bytes()).unwrap(),
                        HeaderValue::from_str(value).unwrap(),
                    )
                })
                .collect(),
            ..AnswerHead::default()
        }
    }

    fn head(plan: &Plan) -> String {
        String::from_utf8_lossy(&plan.head).into_owned()
    }

    fn answering(method: &Method, version: Version) -> Answering<'_> {
        Answering { method, version }
    }

    fn plan_of(r: &AnswerHead, body_len: Option<u64>) -> Plan {
        plan(r, body_len, answering(&Method::GET, Version::HTTP_11))
    }

    #[test]
    fn status_lines_are_always_http_1_1() {
        let r = response(200, &[("content-length", "2")]);
        let p = plan(&r, Some(2), answering(&Method::GET, Version::HTTP_10));
        assert!(head(&p).starts_with("HTTP/1.1 200 OK\r\n"));
        let r = response(203, &[("content-length", "0")]);
        assert!(head(&plan_of(&r, Some(0))).starts_with("HTTP/1.1 203 \r\n"));
        let r = response(599, &[("content-length", "0")]);
        assert!(head(&plan_of(&r, Some(0))).starts_with("HTTP/1.1 599 \r\n"));
        let mut r = response(200, &[("content-length", "0")]);
        r.reason = Some(bytes::Bytes::from_static(b"Fine"));
        assert!(head(&plan_of(&r, Some(0))).starts_with("HTTP/1.1 200 Fine\r\n"));
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
        );
        let text = head(&plan_of(&r, Some(0)));
        assert!(
            text.ends_with(
                "\r\nServer: rginx\r\nETag: \"1\"\r\nWWW-Authenticate: Basic\r\n\
                 X-Custom-Header: v\r\nContent-Length: 0\r\n\r\n"
            ),
            "{text}"
        );
    }

    #[test]
    fn names_keep_the_spelling_they_came_with() {
        let mut r = response(
            200,
            &[("x-lower", "1"), ("x-mixed", "2"), ("etag", "\"e\"")],
        );
        r.header_case = vec![
            bytes::Bytes::from_static(b"x-lower"),
            bytes::Bytes::from_static(b"X-MiXeD"),
        ];
        let text = head(&plan_of(&r, Some(0)));
        assert!(
            text.ends_with("x-lower: 1\r\nX-MiXeD: 2\r\nETag: \"e\"\r\nContent-Length: 0\r\n\r\n"),
            "{text}"
        );
        assert!(crate::serve::answer::is_usual_spelling(
            &HeaderName::from_static("x-a-b"),
            b"X-A-B"
        ));
        assert!(!crate::serve::answer::is_usual_spelling(
            &HeaderName::from_static("etag"),
            b"Etag"
        ));
    }

    #[test]
    fn nginx_fields_come_first_in_nginx_order() {
        let mut r = response(200, &[("etag", "\"e\""), ("accept-ranges", "bytes")]);
        r.server = Some("rginx");
        r.date = Some(HeaderValue::from_static("D"));
        r.content_type = Some(HeaderValue::from_static("text/plain"));
        r.content_length = Some(12345);
        r.last_modified = Some(HeaderValue::from_static("L"));
        r.connection = Some("keep-alive");
        r.keep_alive_timeout = Some(5);
        let p = plan_of(&r, Some(12345));
        assert_eq!(p.framing, Framing::Length(12345));
        assert_eq!(
            head(&p),
            "HTTP/1.1 200 OK\r\nServer: rginx\r\nDate: D\r\nContent-Type: text/plain\r\n\
             Content-Length: 12345\r\nLast-Modified: L\r\nConnection: keep-alive\r\n\
             Keep-Alive: timeout=5\r\nETag: \"e\"\r\nAccept-Ranges: bytes\r\n\r\n"
        );
    }

    #[test]
    fn unknown_lengths_are_chunked_on_1_1_before_connection() {
        let headers = [
            ("server", "s"),
            ("connection", "keep-alive"),
            ("keep-alive", "timeout=5"),
            ("x-a", "1"),
        ];
        let r = response(200, &headers);
        let p = plan_of(&r, None);
        assert_eq!(p.framing, Framing::Chunked);
        assert!(!p.close);
        assert!(head(&p).ends_with(
            "Server: s\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive\r\n\
             Keep-Alive: timeout=5\r\nX-A: 1\r\n\r\n"
        ));
        // HTTP/1.0: the close ends the body.
        let p = plan(&r, None, answering(&Method::GET, Version::HTTP_10));
        assert_eq!(p.framing, Framing::Close);
        assert!(p.close);
        assert!(head(&p).ends_with("Server: s\r\nConnection: close\r\nX-A: 1\r\n\r\n"));
        // HEAD: no body, no framing.
        let p = plan(&r, None, answering(&Method::HEAD, Version::HTTP_11));
        assert_eq!(p.framing, Framing::None);
        assert!(!head(&p).contains("Transfer-Encoding"));
    }

    #[test]
    fn repeated_names_keep_their_places() {
        let r = response(
            200,
            &[
                ("x-a", "1"),
                ("content-range", "r"),
                ("x-a", "2"),
                ("content-length", "0"),
            ],
        );
        assert!(
            head(&plan_of(&r, Some(0)))
                .ends_with("X-A: 1\r\nContent-Range: r\r\nX-A: 2\r\nContent-Length: 0\r\n\r\n")
        );
    }

    #[test]
    fn an_undeclared_known_length_is_declared() {
        let r = response(200, &[("connection", "keep-alive")]);
        let p = plan_of(&r, Some(0));
        assert_eq!(p.framing, Framing::Length(0));
        assert!(head(&p).ends_with("Connection: keep-alive\r\nContent-Length: 0\r\n\r\n"));
    }

    #[test]
    fn framing_rules() {
        let sized = |status: u16, method: &Method| {
            let r = response(
                status,
                &[("content-length", "5"), ("connection", "keep-alive")],
            );
            plan(&r, Some(0), answering(method, Version::HTTP_11))
        };
        assert_eq!(sized(200, &Method::GET).framing, Framing::Length(5));
        assert_eq!(sized(200, &Method::HEAD).framing, Framing::None);
        assert_eq!(sized(204, &Method::GET).framing, Framing::None);
        assert_eq!(sized(304, &Method::GET).framing, Framing::None);
        assert!(!sized(200, &Method::GET).close);
        let r = response(200, &[("connection", "close"), ("content-length", "0")]);
        assert!(plan_of(&r, Some(0)).close);
        let mut r = response(
            200,
            &[("connection", "keep-alive"), ("content-length", "0")],
        );
        r.close_after = true;
        assert!(plan_of(&r, Some(0)).close);
        let r = response(101, &[("connection", "upgrade")]);
        let p = plan_of(&r, Some(0));
        assert_eq!(p.framing, Framing::None);
        assert!(!p.close);
    }

    #[test]
    fn http_09_has_no_head() {
        let r = response(200, &[("content-length", "2")]);
        let p = plan(&r, Some(2), answering(&Method::GET, Version::HTTP_09));
        assert!(p.head.is_empty());
        assert_eq!(p.framing, Framing::Close);
        assert!(p.close);
    }
}
