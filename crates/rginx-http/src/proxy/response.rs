//! The upstream response's headers on their way to the client, as nginx's
//! `ngx_http_upstream_process_headers` passes them: hidden ones dropped
//! (nginx's list plus `proxy_hide_header`, minus `proxy_pass_header`),
//! hop-by-hop ones (`Connection`, `Keep-Alive`, `Transfer-Encoding`,
//! `Content-Length`) left to rginx, `Location` and `Refresh` rewritten by
//! `proxy_redirect`, `Set-Cookie` by `proxy_cookie_domain` /
//! `proxy_cookie_path`, the rest in the upstream's order.

use super::client::ResponseHead;
use super::conf::{Pattern, ProxyConf, Rewrite};
use crate::http_core::request::Ctx;
use crate::variables::eval::render;
use http::{HeaderName, HeaderValue};

/// What goes to the client.
#[derive(Debug, Default)]
pub struct Passed {
    pub content_type: Option<String>,
    /// A `Location` nginx's header filter makes absolute (a rewritten one
    /// starting with `/`); any other `Location` stays in `headers`.
    pub location: Option<HeaderValue>,
    pub headers: Vec<(HeaderName, HeaderValue)>,
    /// The upstream's spelling of names it spelled otherwise than rginx
    /// would: nginx passes each name as received.
    pub header_case: Vec<bytes::Bytes>,
}

/// Applies the first matching rule to `value[prefix..]` (nginx's
/// `ngx_http_proxy_rewrite_*_handler`); `None` when no rule matches.
fn rewrite(ctx: &mut Ctx<'_>, rules: &[Rewrite], value: &[u8], prefix: usize) -> Option<Vec<u8>> {
    let rest = value.get(prefix..)?;
    for rule in rules {
        let (start, end) = match &rule.pattern {
            Pattern::Prefix(template) => {
                let rendered;
                let pattern = match template.literal() {
                    Some(literal) => literal,
                    None => {
                        rendered = render(ctx, template);
                        &rendered
                    }
                };
                if !rest.starts_with(pattern) {
                    continue;
                }
                (prefix, prefix + pattern.len())
            }
            Pattern::Regex(regex) => {
                let Some(offsets) = regex.captures(rest) else {
                    continue;
                };
                ctx.set_captures(rest, offsets, &regex.capture_names);
                (prefix, value.len())
            }
            Pattern::Domain(template) => {
                let pattern = render(ctx, template);
                let start = if rest.first() == Some(&b'.') {
                    prefix + 1
                } else {
                    prefix
                };
                if !value[start..].eq_ignore_ascii_case(&pattern) {
                    continue;
                }
                (start, value.len())
            }
        };
        let replacement = render(ctx, &rule.replacement);
        let mut out = Vec::with_capacity(value.len() + replacement.len());
        out.extend_from_slice(&value[..start]);
        out.extend_from_slice(&replacement);
        out.extend_from_slice(&value[end..]);
        return Some(out);
    }
    None
}

/// nginx's `ngx_http_proxy_parse_cookie`: `name=value; attr=value; flag`,
/// spaces around names and values dropped.
fn parse_cookie(value: &[u8]) -> Vec<(&[u8], Option<&[u8]>)> {
    value
        .split(|&b| b == b';')
        .map(|part| {
            let part = trim_start(part);
            match part.iter().position(|&b| b == b'=') {
                Some(eq) => (
                    trim_end(&part[..eq]),
                    Some(trim_end(trim_start(&part[eq + 1..]))),
                ),
                None => (trim_end(part), None),
            }
        })
        .collect()
}

fn trim_start(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|&b| b != b' ').unwrap_or(bytes.len());
    &bytes[start..]
}

fn trim_end(bytes: &[u8]) -> &[u8] {
    let end = bytes.iter().rposition(|&b| b != b' ').map_or(0, |e| e + 1);
    &bytes[..end]
}

/// nginx's `ngx_http_proxy_rewrite_cookie`.
fn rewrite_cookie(ctx: &mut Ctx<'_>, conf: &ProxyConf, value: &[u8]) -> Option<Vec<u8>> {
    let domains = conf.cookie_domains.as_ref().and_then(Option::as_deref);
    let paths = conf.cookie_paths.as_ref().and_then(Option::as_deref);
    if domains.is_none() && paths.is_none() {
        return None;
    }
    let mut attrs: Vec<(Vec<u8>, Option<Vec<u8>>)> = parse_cookie(value)
        .into_iter()
        .map(|(name, value)| (name.to_vec(), value.map(<[u8]>::to_vec)))
        .collect();
    attrs.first()?.1.as_ref()?;
    let mut changed = false;
    for (name, value) in attrs.iter_mut().skip(1) {
        let Some(current) = value.as_ref() else {
            continue;
        };
        let rules = if name.eq_ignore_ascii_case(b"domain") {
            domains
        } else if name.eq_ignore_ascii_case(b"path") {
            paths
        } else {
            None
        };
        if let Some(new) = rules.and_then(|rules| rewrite(ctx, rules, current, 0)) {
            *value = Some(new);
            changed = true;
        }
    }
    if !changed {
        return None;
    }
    let mut out = Vec::with_capacity(value.len() + 16);
    for (i, (name, value)) in attrs.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(b"; ");
        }
        out.extend_from_slice(name);
        if let Some(value) = value {
            out.push(b'=');
            out.extend_from_slice(value);
        }
    }
    Some(out)
}

fn find_ignore_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

/// The headers of the response the client gets. Values passed unchanged
/// share the bytes of the upstream's head.
pub fn pass(ctx: &mut Ctx<'_>, conf: &ProxyConf, head: &ResponseHead) -> Passed {
    let mut passed = Passed::default();
    let hidden: &[Vec<u8>] = conf.hidden.as_deref().map_or(&[], Vec::as_slice);
    let redirects = conf.redirects.as_deref();
    for (name, value) in head.headers() {
        // The hidden names are lowercase.
        if hidden.iter().any(|h| name.eq_ignore_ascii_case(h)) {
            continue;
        }
        let is = |lower: &[u8]| name.eq_ignore_ascii_case(lower);
        let mut rewritten = None;
        let mut is_location = false;
        if is(b"content-type") {
            passed.content_type = Some(String::from_utf8_lossy(value).into_owned());
            continue;
        } else if is(b"content-length")
            || is(b"connection")
            || is(b"keep-alive")
            || is(b"transfer-encoding")
        {
            continue;
        } else if is(b"location") {
            if let Some(rules) = redirects
                && let Some(new) = rewrite(ctx, rules, value, 0)
            {
                is_location = new.first() == Some(&b'/');
                rewritten = Some(new);
            }
        } else if is(b"refresh") {
            if let Some(rules) = redirects
                && let Some(at) = find_ignore_case(value, b"url=")
                && let Some(new) = rewrite(ctx, rules, value, at + 4)
            {
                rewritten = Some(new);
            }
        } else if is(b"set-cookie") {
            rewritten = rewrite_cookie(ctx, conf, value);
        }
        let value = match rewritten {
            Some(new) => HeaderValue::from_bytes(&new),
            None => HeaderValue::from_maybe_shared(head.share(value)),
        };
        // A name `http` refuses (or a value) is dropped.
        let spelled = name;
        let (Ok(name), Ok(value)) = (HeaderName::from_bytes(spelled), value) else {
            continue;
        };
        if !crate::serve::answer::is_usual_spelling(&name, spelled) {
            passed.header_case.push(head.share(spelled));
        }
        if is_location {
            passed.location = Some(value);
        } else {
            if passed.headers.is_empty() {
                // Room for a usual head at once; none when nothing passes.
                passed.headers.reserve(8);
            }
            passed.headers.push((name, value));
        }
    }
    passed
}

/// nginx's `ngx_http_parse_unsafe_uri` for an `X-Accel-Redirect` target:
/// the URI and arguments, or `None` when it is unsafe (404).
pub fn accel_target(value: &[u8]) -> Option<(Vec<u8>, Option<Vec<u8>>)> {
    let (uri, args) = match value.iter().position(|&b| b == b'?') {
        Some(at) => (&value[..at], Some(value[at + 1..].to_vec())),
        None => (value, None),
    };
    if uri.first() != Some(&b'/') || uri.contains(&0) {
        return None;
    }
    let unsafe_segment = uri
        .split(|&b| b == b'/')
        .any(|segment| segment == b".." || segment == b".");
    (!unsafe_segment).then(|| (uri.to_vec(), args))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_split_as_nginx() {
        let attrs = parse_cookie(b"sid=1 ; Path = /a;HttpOnly; Domain=.x.test");
        assert_eq!(attrs[0], (&b"sid"[..], Some(&b"1"[..])));
        assert_eq!(attrs[1], (&b"Path"[..], Some(&b"/a"[..])));
        assert_eq!(attrs[2], (&b"HttpOnly"[..], None));
        assert_eq!(attrs[3], (&b"Domain"[..], Some(&b".x.test"[..])));
    }

    #[test]
    fn accel_targets() {
        assert_eq!(
            accel_target(b"/protected/a.txt?x=1"),
            Some((b"/protected/a.txt".to_vec(), Some(b"x=1".to_vec())))
        );
        assert_eq!(accel_target(b"/a/../b"), None);
        assert_eq!(accel_target(b"relative"), None);
    }
}
