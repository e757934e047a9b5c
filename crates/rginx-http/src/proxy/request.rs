//! The upstream request's line and headers, as nginx's
//! `ngx_http_proxy_create_request` writes them: the URI by nginx's rules
//! (the location prefix replaced by the URI part of `proxy_pass`; without
//! one, the request's URI as received when unchanged, else the normalised
//! one, escaped), then the configured headers with nginx's defaults, then
//! the client's other headers.

use super::body::Prepared;
use super::conf::{HeaderPlan, HeaderValue, PassTarget, ProxyConf, ProxyPass, Vars};
use crate::http_core::LocationKind;
use crate::http_core::request::Ctx;
use crate::variables::{Part, Template, eval};
use bytes::Bytes;

/// nginx's `NGX_ESCAPE_URI` set: what is %-encoded when a URI is rebuilt.
fn needs_escape(b: u8) -> bool {
    b <= 0x20
        || b >= 0x7f
        || matches!(
            b,
            b'"' | b'#' | b'%' | b'<' | b'>' | b'?' | b'\\' | b'^' | b'`' | b'{' | b'|' | b'}'
        )
}

fn escape_into(out: &mut Vec<u8>, bytes: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in bytes {
        if needs_escape(b) {
            out.extend_from_slice(&[b'%', HEX[usize::from(b >> 4)], HEX[usize::from(b & 0xf)]]);
        } else {
            out.push(b);
        }
    }
}

/// What nginx knows about the request's URI that rginx's request keeps
/// implicitly: whether it is still the one received (`valid_unparsed_uri`),
/// whether the location was found with it (`valid_location`), whether it
/// must be escaped again (`quoted_uri || internal`).
struct UriState {
    unparsed_valid: bool,
    location_valid: bool,
    escape: bool,
}

/// Whether a path is its own normal form: nothing to decode, no dot
/// segment, no empty segment that merging slashes would drop. Most are,
/// and comparing them needs no normalising copy.
fn already_normal(path: &[u8], merge_slashes: bool) -> bool {
    if path.first() != Some(&b'/') || path.iter().any(|&b| matches!(b, b'%' | b'#' | 0)) {
        return false;
    }
    let segments = path[1..].split(|&b| b == b'/');
    let last = path[1..].iter().filter(|&&b| b == b'/').count();
    !segments.enumerate().any(|(i, segment)| {
        matches!(segment, b"." | b"..") || (merge_slashes && segment.is_empty() && i != last)
    })
}

fn uri_state(ctx: &Ctx<'_>) -> UriState {
    let target = &ctx.head.target;
    let path_end = target
        .iter()
        .position(|&b| b == b'?')
        .unwrap_or(target.len());
    let quoted = target[..path_end].contains(&b'%');
    let merge_slashes = ctx.server.merge_slashes.unwrap_or(true);
    let path = &target[..path_end];
    let unchanged = if already_normal(path, merge_slashes) {
        path == ctx.uri.as_slice() && target.get(path_end + 1..) == ctx.args.as_deref()
    } else {
        crate::http_core::uri::normalise(target, merge_slashes)
            .is_some_and(|o| o.path == ctx.uri && o.args == ctx.args)
    };
    // A rewrite changed the URI and the location was not searched again
    // with it (`rewrite ... break`): nginx then ignores the URI part.
    let rewritten = !ctx.internal && !unchanged;
    let location_valid = !rewritten
        || match ctx.location {
            Some(location) => match location.kind {
                LocationKind::Prefix | LocationKind::PrefixNoRegex => {
                    ctx.uri.starts_with(location.name.as_bytes())
                }
                LocationKind::Exact => ctx.uri == location.name.as_bytes(),
                _ => true,
            },
            None => true,
        };
    UriState {
        unparsed_valid: unchanged && !ctx.internal,
        location_valid,
        escape: quoted || ctx.internal || rewritten,
    }
}

/// The URI of the upstream request; `None` for nginx's "zero length URI
/// to proxy".
pub fn uri(ctx: &Ctx<'_>, pass: &ProxyPass, vars: &Vars) -> Option<Bytes> {
    let dynamic = matches!(pass.target, PassTarget::Dynamic(_));
    if dynamic && !vars.uri.is_empty() {
        return Some(Bytes::from(vars.uri.clone()));
    }
    let state = uri_state(ctx);
    if vars.uri.is_empty() && state.unparsed_valid {
        return Some(ctx.head.target.clone());
    }
    let location_len = if state.location_valid && !vars.uri.is_empty() {
        pass.location.len()
    } else {
        0
    };
    let mut out = Vec::with_capacity(ctx.uri.len() + vars.uri.len() + 16);
    if state.location_valid {
        out.extend_from_slice(&vars.uri);
    }
    let rest = ctx.uri.get(location_len..).unwrap_or_default();
    if state.escape {
        escape_into(&mut out, rest);
    } else {
        out.extend_from_slice(rest);
    }
    if let Some(args) = ctx.args.as_ref().filter(|a| !a.is_empty()) {
        out.push(b'?');
        out.extend_from_slice(args);
    }
    (!out.is_empty()).then(|| Bytes::from(out))
}

/// `Content-Type` -> `Content-Type`: the conventional spelling of a
/// header name whose original case the request no longer carries.
fn title_case(name: &str, out: &mut Vec<u8>) {
    let mut upper = true;
    for b in name.bytes() {
        out.push(if upper { b.to_ascii_uppercase() } else { b });
        upper = b == b'-';
    }
}

/// A template's value appended to `out` (what `render` makes, without a
/// buffer of its own).
fn render_into(ctx: &Ctx<'_>, template: &Template, out: &mut Vec<u8>) {
    for part in &template.parts {
        match part {
            Part::Literal(bytes) => out.extend_from_slice(bytes),
            Part::Var(var) => {
                if let Some(value) = eval::value(ctx, var) {
                    out.extend_from_slice(&value);
                }
            }
        }
    }
}

/// Whether the request kept a header line of this name (it drops lines
/// with underscores, and names it cannot hold, from its map).
fn kept(ctx: &Ctx<'_>, name: &[u8]) -> bool {
    let mut buf = [0u8; 64];
    let heap;
    let lower: &[u8] = match buf.get_mut(..name.len()) {
        Some(lower) => {
            lower.copy_from_slice(name);
            lower.make_ascii_lowercase();
            lower
        }
        None => {
            heap = name.to_ascii_lowercase();
            &heap
        }
    };
    std::str::from_utf8(lower).is_ok_and(|n| ctx.parts.headers.contains_key(n))
}

/// The value of a header the configuration sets.
enum Value<'t> {
    Template(&'t Template),
    Length(u64),
    Chunked,
}

/// The request line and headers.
pub fn head(
    ctx: &Ctx<'_>,
    conf: &ProxyConf,
    method: &[u8],
    uri: &[u8],
    body: &Prepared,
) -> Vec<u8> {
    let mut out = Vec::with_capacity(512);
    out.extend_from_slice(method);
    out.push(b' ');
    out.extend_from_slice(uri);
    out.extend_from_slice(if conf.http_11() {
        b" HTTP/1.1\r\n"
    } else {
        b" HTTP/1.0\r\n"
    });
    let none = HeaderPlan::default();
    let plan = conf.headers.as_deref().unwrap_or(&none);
    for header in &plan.set {
        // Headers without a value are known before their name is written.
        let value = match &header.value {
            HeaderValue::Empty => continue,
            HeaderValue::Template(template) => Value::Template(template),
            HeaderValue::BodyLength => match body.length {
                Some(length) if !body.chunked => Value::Length(length),
                _ => continue,
            },
            HeaderValue::Chunked if body.chunked => Value::Chunked,
            HeaderValue::Chunked => continue,
        };
        let start = out.len();
        out.extend_from_slice(&header.name);
        out.extend_from_slice(b": ");
        let value_start = out.len();
        match value {
            Value::Template(template) => render_into(ctx, template, &mut out),
            Value::Length(length) => {
                out.extend_from_slice(itoa::Buffer::new().format(length).as_bytes());
            }
            Value::Chunked => out.extend_from_slice(b"chunked"),
        }
        if out.len() == value_start {
            // No value: no header.
            out.truncate(start);
            continue;
        }
        out.extend_from_slice(b"\r\n");
    }
    let raw = ctx.head.raw.as_ref();
    if conf.pass_request_headers.unwrap_or(true)
        && let Some(raw) = raw
    {
        // As received: nginx passes its list of header lines, names as the
        // client spelled them, in the client's order. Lines the request
        // dropped (underscores, invalid names) are not in the map.
        for (name, value) in raw.header_lines() {
            if plan.covers(name) || !kept(ctx, name) {
                continue;
            }
            out.extend_from_slice(name);
            out.extend_from_slice(b": ");
            out.extend_from_slice(value);
            out.extend_from_slice(b"\r\n");
        }
    } else if conf.pass_request_headers.unwrap_or(true) {
        for (name, value) in &ctx.parts.headers {
            if plan.covers(name.as_str().as_bytes()) {
                continue;
            }
            title_case(name.as_str(), &mut out);
            out.extend_from_slice(b": ");
            out.extend_from_slice(value.as_bytes());
            out.extend_from_slice(b"\r\n");
        }
    }
    out.extend_from_slice(b"\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_nginx() {
        let mut out = Vec::new();
        escape_into(&mut out, b"/a b/%/?#\"~x");
        assert_eq!(out, b"/a%20b/%25/%3F%23%22~x");
        let mut out = Vec::new();
        escape_into(&mut out, "/é".as_bytes());
        assert_eq!(out, b"/%C3%A9");
    }

    #[test]
    fn paths_called_normal_normalise_to_themselves() {
        const PIECES: &[&[u8]] = &[
            b"/",
            b"a",
            b".",
            b"..",
            b".a",
            b"a.",
            b"...",
            b"%41",
            b"%2",
            b"#",
            b"\0",
            b"//",
            b"\xc3\xa9",
            b"~",
        ];
        let mut next = crate::test_rng::xorshift(0x9e37_79b9_7f4a_7c15u64);
        let mut normal = 0;
        for _ in 0..20_000 {
            let mut path = if next(8) == 0 {
                Vec::new()
            } else {
                b"/".to_vec()
            };
            for _ in 0..next(8) {
                path.extend_from_slice(PIECES[next(PIECES.len())]);
            }
            for merge in [true, false] {
                if already_normal(&path, merge) {
                    normal += 1;
                    let parsed = crate::http_core::uri::normalise(&path, merge)
                        .expect("a normal path normalises");
                    assert_eq!(parsed.path, path, "{:?}", String::from_utf8_lossy(&path));
                }
            }
        }
        assert!(normal > 1_000);
    }

    #[test]
    fn title_cases_names() {
        let mut out = Vec::new();
        title_case("x-forwarded-for", &mut out);
        assert_eq!(out, b"X-Forwarded-For");
    }
}
