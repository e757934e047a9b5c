//! The gzip and gunzip output filters (`ngx_http_gzip_header_filter`,
//! `ngx_http_gunzip_header_filter`): they look at every response once its
//! status and headers are known (static files, `return`, proxied, error
//! pages) and, under nginx's conditions, swap the body for a streaming
//! (de)compressor and fix the headers as nginx does: `Content-Encoding`,
//! no `Content-Length` (chunked on HTTP/1.1, close-delimited on 1.0), no
//! `Accept-Ranges`, a weak `ETag`, and `Vary: Accept-Encoding` with
//! `gzip_vary on`.

use super::body::{GunzipBody, GzipBody, MAX_WINDOW_BITS, window_bits_for};
use super::{GzipConf, GzipTypes, gzip_ok};
use crate::http_core::header_filter;
use crate::http_core::request::{Ctx, OutBody, Outcome};
use crate::serve::handler::Body;
use http::header::{HeaderName, HeaderValue};
use http::{Method, Version};
use http_body_util::{BodyExt, Empty, Full};

/// nginx's default `gzip_comp_level`.
const DEFAULT_LEVEL: u64 = 1;

/// nginx's default `gzip_min_length`.
const DEFAULT_MIN_LENGTH: u64 = 20;

/// nginx's default `gzip_buffers` (32 4k on 4 KiB pages): one output frame
/// holds at most this much compressed data.
const DEFAULT_BUFFERS: (u64, u64) = (32, 4096);

/// The largest output frame, whatever `gzip_buffers` says.
const MAX_FRAME: u64 = 1024 * 1024;

/// Both filters, in nginx's order (gunzip runs before gzip).
pub fn filter(ctx: &Ctx<'_>, outcome: &mut Outcome) {
    if outcome.abort {
        return;
    }
    let conf = &ctx.loc_conf().static_files.gzip;
    if gunzip(ctx, conf, outcome) {
        return;
    }
    gzip(ctx, conf, outcome);
}

/// The first value of a response header (nginx's `headers_out` pointer).
fn response_header<'a>(outcome: &'a Outcome, name: &str) -> Option<&'a HeaderValue> {
    outcome
        .headers
        .iter()
        .find(|(n, _)| n.as_str() == name)
        .map(|(_, v)| v)
}

/// The type part of `Content-Type` that nginx matches against
/// `gzip_types`: the whole value, or what precedes a `; charset=`
/// parameter (which the charset filter or the upstream added).
fn type_part(content_type: &str) -> &str {
    let bytes = content_type.as_bytes();
    let mut at = 0;
    while let Some(semi) = bytes[at..].iter().position(|&b| b == b';') {
        let semi = at + semi;
        let rest = content_type[semi + 1..].trim_start_matches(' ');
        if rest.len() >= 8 && rest.as_bytes()[..8].eq_ignore_ascii_case(b"charset=") {
            return &content_type[..semi];
        }
        at = semi + 1;
    }
    content_type
}

/// `ngx_http_test_content_type` against `gzip_types` (text/html unless
/// configured otherwise).
fn type_matches(conf: &GzipConf, content_type: Option<&str>) -> bool {
    let list = match &conf.types {
        Some(GzipTypes::Any) => return true,
        Some(GzipTypes::List(list)) => Some(list),
        None => None,
    };
    let Some(content_type) = content_type.filter(|t| !t.is_empty()) else {
        return false;
    };
    let wanted = type_part(content_type).to_ascii_lowercase();
    match list {
        Some(list) => list.iter().any(|t| t.as_slice() == wanted.as_bytes()),
        None => wanted == "text/html",
    }
}

/// nginx's `r->gzip_vary`: `Vary: Accept-Encoding` goes right after
/// `Connection`/`Keep-Alive` with `gzip_vary on`, once (gzip_static may
/// have put it there already).
fn add_vary(conf: &GzipConf, outcome: &mut Outcome) {
    if !conf.vary() {
        return;
    }
    let already = outcome
        .headers
        .first()
        .is_some_and(|(n, v)| n.as_str() == "vary" && v.as_bytes() == b"Accept-Encoding");
    if !already {
        outcome.headers.insert(
            0,
            (
                HeaderName::from_static("vary"),
                HeaderValue::from_static("Accept-Encoding"),
            ),
        );
    }
}

/// `ngx_http_weak_etag`: a strong ETag becomes weak, one that is neither
/// weak nor quoted is dropped.
fn weaken_etag(outcome: &mut Outcome) {
    let Some(at) = outcome
        .headers
        .iter()
        .position(|(n, _)| n.as_str() == "etag")
    else {
        return;
    };
    let value = outcome.headers[at].1.as_bytes();
    if value.len() > 2 && value.starts_with(b"W/") {
        return;
    }
    if value.first() != Some(&b'"') {
        outcome.headers.remove(at);
        return;
    }
    let mut weak = b"W/".to_vec();
    weak.extend_from_slice(value);
    match HeaderValue::from_bytes(&weak) {
        Ok(weak) => outcome.headers[at].1 = weak,
        Err(_) => {
            outcome.headers.remove(at);
        }
    }
}

/// What both filters do to a response whose body changes length:
/// `ngx_http_clear_content_length`, `ngx_http_clear_accept_ranges`,
/// `ngx_http_weak_etag`; without a length, an HTTP/1.0 client's
/// connection ends with the body.
fn body_changes(ctx: &Ctx<'_>, outcome: &mut Outcome) {
    outcome
        .headers
        .retain(|(n, _)| n.as_str() != "content-length" && n.as_str() != "accept-ranges");
    weaken_etag(outcome);
    if ctx.head.version == Version::HTTP_10 && ctx.head.method != Method::HEAD {
        outcome.close = true;
    }
}

/// The response body as a stream, and its length when known.
fn take_body(outcome: &mut Outcome) -> Option<Body> {
    match outcome.body.take()? {
        OutBody::Full(bytes) => Some(Full::new(bytes).map_err(|never| match never {}).boxed()),
        OutBody::Sized(body, _) | OutBody::Stream(body) => Some(body),
    }
}

fn empty_body() -> Body {
    Empty::new().map_err(|never| match never {}).boxed()
}

/// The output frame size `gzip_buffers` (or `gunzip_buffers`) allows.
fn frame_size(buffers: Option<(u64, u64)>) -> usize {
    let (number, size) = buffers.unwrap_or(DEFAULT_BUFFERS);
    number.saturating_mul(size).clamp(4096, MAX_FRAME) as usize
}

/// What the gzip filter makes of a response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Verdict {
    /// Not for gzip at all (status, type, length, already encoded).
    Skip,
    /// A candidate, but this client does not get gzip: only `Vary`.
    VaryOnly,
    Compress,
}

/// The tests of `ngx_http_gzip_header_filter`, in its order. `length` is
/// the body's length when known (nginx's `content_length_n`).
fn verdict(ctx: &Ctx<'_>, conf: &GzipConf, outcome: &Outcome, length: Option<u64>) -> Verdict {
    if !conf.enable.unwrap_or(false) || !matches!(outcome.status, 200 | 403 | 404) {
        return Verdict::Skip;
    }
    let encoded = response_header(outcome, "content-encoding").is_some_and(|v| !v.is_empty());
    if encoded
        || length.is_some_and(|len| len < conf.min_length.unwrap_or(DEFAULT_MIN_LENGTH))
        || !type_matches(conf, outcome.content_type.as_deref())
    {
        return Verdict::Skip;
    }
    if gzip_ok(ctx, conf, Some(outcome)) {
        Verdict::Compress
    } else {
        Verdict::VaryOnly
    }
}

/// Whether the gzip filter will compress this response once its body of
/// `length` bytes is attached. nginx's gzip filter clears `allow_ranges`,
/// so such a response is sent whole (200) even to a Range request: a
/// handler that cuts ranges itself asks this first.
pub fn compresses(ctx: &Ctx<'_>, outcome: &Outcome, length: Option<u64>) -> bool {
    let conf = &ctx.loc_conf().static_files.gzip;
    verdict(ctx, conf, outcome, length) == Verdict::Compress
}

/// `ngx_http_gzip_header_filter`.
fn gzip(ctx: &Ctx<'_>, conf: &GzipConf, outcome: &mut Outcome) {
    if !conf.enable.unwrap_or(false) || !matches!(outcome.status, 200 | 403 | 404) {
        return;
    }
    if outcome.body.is_none() {
        // nginx's built-in 403/404 pages go through the filter like any
        // other body: make the page (with its MSIE padding) now.
        header_filter::msie_padding(ctx, outcome);
        header_filter::builtin_page(outcome);
    }
    let length = outcome.body.as_ref().and_then(OutBody::known_len);
    match verdict(ctx, conf, outcome, length) {
        Verdict::Skip => return,
        Verdict::VaryOnly => {
            add_vary(conf, outcome);
            return;
        }
        Verdict::Compress => add_vary(conf, outcome),
    }
    body_changes(ctx, outcome);
    outcome.headers.push((
        HeaderName::from_static("content-encoding"),
        HeaderValue::from_static("gzip"),
    ));
    // HEAD gets the headers of the compressed response (nginx decides on
    // gzip before it knows the body will not be sent).
    let body = match take_body(outcome) {
        Some(body) if ctx.head.method != Method::HEAD => {
            let level = conf.comp_level.unwrap_or(DEFAULT_LEVEL) as u32;
            let largest = conf.window_bits.unwrap_or(u64::from(MAX_WINDOW_BITS)) as u8;
            let bits = window_bits_for(length, largest);
            GzipBody::new(body, level, bits, frame_size(conf.buffers)).boxed()
        }
        _ => empty_body(),
    };
    outcome.body = Some(OutBody::Stream(body));
}

/// `ngx_http_gunzip_header_filter`: with `gunzip on`, a gzip-encoded
/// response is inflated for a client that does not take gzip. Returns
/// whether the gzip filter is done with the response (it never compresses
/// what gunzip looked at: the client either takes gzip or it does not).
fn gunzip(ctx: &Ctx<'_>, conf: &GzipConf, outcome: &mut Outcome) -> bool {
    if !conf.gunzip.unwrap_or(false) {
        return false;
    }
    let Some(at) = outcome
        .headers
        .iter()
        .position(|(n, _)| n.as_str() == "content-encoding")
    else {
        return false;
    };
    if !outcome.headers[at]
        .1
        .as_bytes()
        .eq_ignore_ascii_case(b"gzip")
    {
        return false;
    }
    add_vary(conf, outcome);
    if gzip_ok(ctx, conf, Some(outcome)) {
        return true;
    }
    // add_vary may have shifted the header: find it again.
    if let Some(at) = outcome
        .headers
        .iter()
        .position(|(n, _)| n.as_str() == "content-encoding")
    {
        outcome.headers.remove(at);
    }
    body_changes(ctx, outcome);
    let body = match take_body(outcome) {
        Some(body) if ctx.head.method != Method::HEAD => {
            GunzipBody::new(body, frame_size(conf.gunzip_buffers)).boxed()
        }
        _ => empty_body(),
    };
    outcome.body = Some(OutBody::Stream(body));
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_part_stops_at_a_charset_parameter() {
        assert_eq!(type_part("text/html"), "text/html");
        assert_eq!(type_part("text/html; charset=utf-8"), "text/html");
        assert_eq!(type_part("text/html;charset=UTF-8"), "text/html");
        assert_eq!(type_part("text/html ; Charset=x"), "text/html ");
        // Another parameter is part of the type, as nginx sees it.
        assert_eq!(type_part("text/html; q=1"), "text/html; q=1");
        assert_eq!(type_part("a/b; x=1; charset=y"), "a/b; x=1");
    }

    #[test]
    fn types_as_nginx_matches_them() {
        let mut conf = GzipConf::default();
        assert!(type_matches(&conf, Some("text/html")));
        assert!(type_matches(&conf, Some("Text/HTML; charset=koi8-r")));
        assert!(!type_matches(&conf, Some("text/plain")));
        assert!(!type_matches(&conf, None));
        conf.types = Some(GzipTypes::List(vec![
            b"text/html".to_vec(),
            b"application/json".to_vec(),
        ]));
        assert!(type_matches(&conf, Some("application/json")));
        assert!(!type_matches(&conf, Some("application/json; x=y")));
        conf.types = Some(GzipTypes::Any);
        assert!(type_matches(&conf, None));
        assert!(type_matches(&conf, Some("image/png")));
    }

    fn with_etag(value: &'static str) -> Outcome {
        Outcome {
            headers: vec![(
                HeaderName::from_static("etag"),
                HeaderValue::from_static(value),
            )],
            ..Outcome::default()
        }
    }

    #[test]
    fn etags_weaken_as_nginx_1_22() {
        let mut o = with_etag("\"6553f100-2bc\"");
        weaken_etag(&mut o);
        assert_eq!(o.headers[0].1, "W/\"6553f100-2bc\"");
        let mut o = with_etag("W/\"x\"");
        weaken_etag(&mut o);
        assert_eq!(o.headers[0].1, "W/\"x\"");
        let mut o = with_etag("unquoted");
        weaken_etag(&mut o);
        assert!(o.headers.is_empty());
    }

    #[test]
    fn frames_follow_gzip_buffers() {
        assert_eq!(frame_size(None), 128 * 1024);
        assert_eq!(frame_size(Some((16, 8192))), 128 * 1024);
        assert_eq!(frame_size(Some((1, 1))), 4096);
        assert_eq!(frame_size(Some((1 << 40, 1 << 40))), MAX_FRAME as usize);
    }
}
