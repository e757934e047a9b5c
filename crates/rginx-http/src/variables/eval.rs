//! Variable values for one request, as nginx computes them.

use super::{Builtin, Part, Template, Var};
use crate::http_core::request::Ctx;
use crate::proxy::state::{LengthKind, TimeKind};
use std::borrow::Cow;
use std::time::{SystemTime, UNIX_EPOCH};

/// The value of a variable, or `None` when nginx would call it "not found"
/// (logged as `-`, empty in strings).
pub fn value<'c>(ctx: &'c Ctx<'_>, var: &Var) -> Option<Cow<'c, [u8]>> {
    match var {
        Var::Builtin(builtin) => builtin_value(ctx, *builtin),
        Var::Header(name) => header_by_key(ctx, name),
        Var::Cookie(name) => cookie(ctx, name).map(Cow::Borrowed),
        Var::Arg(name) => arg(ctx.args.as_deref()?, name).map(|v| Cow::Owned(v.to_vec())),
        Var::SentHeader(name) => ctx.response.as_ref().and_then(|r| {
            r.headers
                .iter()
                .find(|(n, _)| n.as_str().as_bytes() == name.as_slice())
                .map(|(_, v)| Cow::Owned(v.as_bytes().to_vec()))
        }),
        Var::UpstreamHeader(name) => ctx.upstream.as_ref()?.header(name).map(Cow::Borrowed),
        Var::Capture(n) => ctx.capture(*n).map(Cow::Borrowed),
        Var::User(id) => ctx.user_value(*id),
    }
}

/// A template's value for this request.
pub fn render(ctx: &Ctx<'_>, template: &Template) -> Vec<u8> {
    render_with_match(ctx, template, None)
}

/// A regex match whose captures a value refers to before the request's own
/// captures change (a `map` regex's `$1` and named captures).
pub struct Match<'m> {
    pub subject: &'m [u8],
    pub offsets: &'m [Option<(usize, usize)>],
    pub names: &'m [Option<String>],
}

impl Match<'_> {
    fn group(&self, n: usize) -> Option<&[u8]> {
        let (start, end) = (*self.offsets.get(n)?)?;
        self.subject.get(start..end)
    }
}

/// A template's value, with `$n` and named captures taken from `matched`.
pub fn render_with_match(
    ctx: &Ctx<'_>,
    template: &Template,
    matched: Option<&Match<'_>>,
) -> Vec<u8> {
    let mut out = Vec::new();
    for part in &template.parts {
        match part {
            Part::Literal(bytes) => out.extend_from_slice(bytes),
            Part::Var(Var::Capture(n)) if matched.is_some() => {
                if let Some(group) = matched.and_then(|m| m.group(*n)) {
                    out.extend_from_slice(group);
                }
            }
            Part::Var(Var::User(id))
                if matched.is_some_and(|m| named_group(ctx, m, *id).is_some()) =>
            {
                if let Some(group) = matched.and_then(|m| named_group(ctx, m, *id)) {
                    out.extend_from_slice(group);
                }
            }
            Part::Var(var) => {
                if let Some(value) = value(ctx, var) {
                    out.extend_from_slice(&value);
                }
            }
        }
    }
    out
}

/// The group of `matched` named like user variable `id`, if any.
fn named_group<'m>(ctx: &Ctx<'_>, matched: &'m Match<'_>, id: usize) -> Option<&'m [u8]> {
    let name = &ctx.http.variables.user.get(id)?.name;
    let index = matched
        .names
        .iter()
        .position(|n| n.as_deref() == Some(name.as_str()))?;
    let (start, end) = (*matched.offsets.get(index)?)?;
    matched.subject.get(start..end)
}

/// Every three-digit status as text: `$status` is in nearly every log
/// line, and formatting it cost more than looking it up.
static STATUS_TEXT: [[u8; 3]; 1000] = {
    let mut table = [[b'0'; 3]; 1000];
    let mut code = 0;
    while code < 1000 {
        table[code] = [
            b'0' + (code / 100) as u8,
            b'0' + (code / 10 % 10) as u8,
            b'0' + (code % 10) as u8,
        ];
        code += 1;
    }
    table
};

/// A status as nginx prints it: at least three digits.
pub fn status_text(status: u16) -> Cow<'static, [u8]> {
    match STATUS_TEXT.get(usize::from(status)) {
        Some(text) => Cow::Borrowed(text),
        None => Cow::Owned(status.to_string().into_bytes()),
    }
}

fn owned(text: String) -> Option<Cow<'static, [u8]>> {
    Some(Cow::Owned(text.into_bytes()))
}

fn header_by_key<'c>(ctx: &'c Ctx<'_>, name: &super::HeaderKey) -> Option<Cow<'c, [u8]>> {
    joined(ctx, name.key.as_ref()?)
}

fn header<'c>(ctx: &'c Ctx<'_>, name: &[u8]) -> Option<Cow<'c, [u8]>> {
    joined(ctx, &http::HeaderName::from_bytes(name).ok()?)
}

/// Every value of a request header, joined as nginx joins them.
fn joined<'c>(ctx: &'c Ctx<'_>, name: &http::HeaderName) -> Option<Cow<'c, [u8]>> {
    let mut values = crate::http_core::headers_in::all(&ctx.parts.headers, name);
    let first = values.next()?;
    let rest: Vec<_> = values.collect();
    if rest.is_empty() {
        return Some(Cow::Borrowed(first.as_bytes()));
    }
    // nginx joins repeated headers: cookies with "; ", others with ", ".
    let separator: &[u8] = if name == http::header::COOKIE {
        b"; "
    } else {
        b", "
    };
    let mut joined = first.as_bytes().to_vec();
    for value in rest {
        joined.extend_from_slice(separator);
        joined.extend_from_slice(value.as_bytes());
    }
    Some(Cow::Owned(joined))
}

/// `$cookie_NAME`: the first cookie of that name, from every Cookie header.
fn cookie<'c>(ctx: &'c Ctx<'_>, name: &[u8]) -> Option<&'c [u8]> {
    for value in crate::http_core::headers_in::all(&ctx.parts.headers, &http::header::COOKIE) {
        for pair in value.as_bytes().split(|&b| b == b';') {
            let pair = trim_start(pair);
            if let Some(rest) = pair.strip_prefix(name)
                && let Some(value) = rest.strip_prefix(b"=")
            {
                let end = value
                    .iter()
                    .position(|&b| b == b' ' || b == b'\t')
                    .unwrap_or(value.len());
                return Some(&value[..end]);
            }
        }
    }
    None
}

fn trim_start(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|&b| b != b' ' && b != b'\t')
        .unwrap_or(bytes.len());
    &bytes[start..]
}

/// `$arg_NAME`: the first argument of that name (case-insensitive, as nginx).
pub fn arg<'a>(args: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    for pair in args.split(|&b| b == b'&') {
        let (key, value) = match pair.iter().position(|&b| b == b'=') {
            Some(at) => (&pair[..at], &pair[at + 1..]),
            None => (pair, &pair[pair.len()..]),
        };
        if key.eq_ignore_ascii_case(name) {
            return Some(value);
        }
    }
    None
}

fn builtin_value<'c>(ctx: &'c Ctx<'_>, builtin: Builtin) -> Option<Cow<'c, [u8]>> {
    use Builtin as B;
    match builtin {
        B::Host => Some(match &ctx.host {
            Some(host) => Cow::Borrowed(host.as_slice()),
            None => ctx.server.primary_name(),
        }),
        B::HttpHost => header(ctx, b"host"),
        B::RemoteAddr => match ctx.client {
            // The connection's own address, written once per connection.
            Some(peer) if Some(peer) == ctx.conn.peer => {
                Some(Cow::Borrowed(ctx.conn.peer_text().as_bytes()))
            }
            Some(peer) => owned(crate::realip::addr_text(peer.ip())),
            None => Some(Cow::Borrowed(b"unix:")),
        },
        B::BinaryRemoteAddr => match ctx.client?.ip() {
            std::net::IpAddr::V4(v4) => Some(Cow::Owned(v4.octets().to_vec())),
            std::net::IpAddr::V6(v6) => Some(Cow::Owned(v6.octets().to_vec())),
        },
        // A realip address without a port has none (nginx prints port 0
        // as nothing).
        B::RemotePort => owned(
            ctx.client
                .filter(|p| p.port() != 0)
                .map_or(String::new(), |p| p.port().to_string()),
        ),
        B::RemoteUser => {
            crate::auth_basic::credentials(&ctx.parts.headers).map(|(user, _)| Cow::Owned(user))
        }
        B::RealipRemoteAddr => match ctx.conn.peer {
            Some(peer) => owned(crate::realip::addr_text(peer.ip())),
            None => Some(Cow::Borrowed(b"unix:")),
        },
        B::RealipRemotePort => owned(
            ctx.conn
                .peer
                .map_or(String::new(), |p| p.port().to_string()),
        ),
        // Not found without a PROXY header that named addresses; port 0
        // is empty, as nginx prints it.
        B::ProxyProtocolAddr
        | B::ProxyProtocolPort
        | B::ProxyProtocolServerAddr
        | B::ProxyProtocolServerPort => {
            let pp = ctx.conn.proxy_protocol.as_ref()?;
            let port = match builtin {
                B::ProxyProtocolAddr => return Some(Cow::Borrowed(&pp.src_addr)),
                B::ProxyProtocolServerAddr => return Some(Cow::Borrowed(&pp.dst_addr)),
                B::ProxyProtocolPort => pp.src_port,
                _ => pp.dst_port,
            };
            if port == 0 {
                Some(Cow::Borrowed(b""))
            } else {
                owned(port.to_string())
            }
        }
        B::ServerAddr => owned(ctx.conn.local.map_or(String::new(), |l| l.ip().to_string())),
        B::ServerPort => owned(
            ctx.conn
                .local
                .map_or(String::new(), |l| l.port().to_string()),
        ),
        B::ServerName => Some(ctx.server.primary_name()),
        B::ServerProtocol => match &ctx.head.raw {
            // nginx's is the protocol as sent (`HTTP/1.10`); HTTP/0.9 has none.
            Some(raw) if raw.protocol().is_empty() => None,
            Some(raw) => Some(Cow::Borrowed(raw.protocol())),
            None => Some(Cow::Borrowed(protocol(ctx.head.version))),
        },
        B::Scheme => Some(Cow::Borrowed(if ctx.conn.tls.is_some() {
            b"https"
        } else {
            b"http"
        })),
        B::Https => Some(Cow::Borrowed(if ctx.conn.tls.is_some() {
            b"on"
        } else {
            b""
        })),
        B::SslProtocol => ctx
            .conn
            .tls
            .as_ref()
            .map(|t| Cow::Borrowed(t.protocol.as_bytes())),
        B::SslCipher => ctx
            .conn
            .tls
            .as_ref()
            .map(|t| Cow::Borrowed(t.cipher.as_bytes())),
        B::SslServerName => ctx
            .conn
            .tls
            .as_ref()?
            .server_name
            .as_ref()
            .map(|name| Cow::Borrowed(name.as_bytes())),
        B::SslSessionReused => ctx
            .conn
            .tls
            .as_ref()
            .map(|t| Cow::Borrowed(if t.resumed { &b"r"[..] } else { &b"."[..] })),
        B::SslAlpnProtocol => ctx
            .conn
            .tls
            .as_ref()
            .map(|t| Cow::Borrowed(t.alpn.as_deref().unwrap_or_default())),
        B::SslClientVerify => crate::ssl::verify::client_verify(ctx),
        B::SslClientSDn => crate::ssl::verify::client_dn(ctx, true),
        B::SslClientIDn => crate::ssl::verify::client_dn(ctx, false),
        B::Http2 => Some(Cow::Borrowed(ctx.conn.http2.unwrap_or("").as_bytes())),
        B::Request => {
            // The line as received, when the codec kept it.
            if let Some(raw) = &ctx.head.raw {
                return Some(Cow::Borrowed(raw.line()));
            }
            let mut line = ctx.head.method.as_str().as_bytes().to_vec();
            line.push(b' ');
            line.extend_from_slice(&ctx.head.raw_target);
            line.push(b' ');
            line.extend_from_slice(protocol(ctx.head.version));
            Some(Cow::Owned(line))
        }
        B::RequestUri => Some(Cow::Borrowed(&ctx.head.target[..])),
        B::Uri | B::DocumentUri => Some(Cow::Borrowed(&ctx.uri)),
        B::RequestMethod => Some(Cow::Borrowed(ctx.method.as_str().as_bytes())),
        B::Args | B::QueryString => ctx.args.as_deref().map(Cow::Borrowed),
        B::IsArgs => Some(Cow::Borrowed(
            if ctx.args.as_ref().is_some_and(|a| !a.is_empty()) {
                b"?"
            } else {
                b""
            },
        )),
        B::ContentType => header(ctx, b"content-type"),
        B::ContentLength => header(ctx, b"content-length").or_else(|| {
            ctx.parts
                .extensions
                .get::<crate::serve::ChunkedBodyPreread>()
                .map(|_| Cow::Borrowed(&b"0"[..]))
        }),
        B::DocumentRoot => Some(Cow::Owned(ctx.loc_conf().static_files.root().evaluate(ctx))),
        B::RealpathRoot => {
            let root = ctx.loc_conf().static_files.root().evaluate(ctx);
            let real = std::fs::canonicalize(crate::static_files::path::os_path(&root)).ok()?;
            use std::os::unix::ffi::OsStrExt;
            Some(Cow::Owned(real.as_os_str().as_bytes().to_vec()))
        }
        B::RequestFilename => {
            let root = ctx.loc_conf().static_files.root();
            let mapped = crate::static_files::path::map_uri_to_path(ctx, &root, &ctx.uri, false);
            Some(Cow::Owned(mapped.path))
        }
        B::RequestLength => owned(ctx.request_length().to_string()),
        B::RequestTime => {
            let elapsed = ctx.started.elapsed();
            owned(format!(
                "{}.{:03}",
                elapsed.as_secs(),
                elapsed.subsec_millis()
            ))
        }
        B::RequestId => owned(ctx.request_id()),
        B::RequestCompletion => Some(Cow::Borrowed(
            if ctx.response.as_ref().is_some_and(|r| r.complete) {
                b"OK"
            } else {
                b""
            },
        )),
        B::Status => Some(status_text(ctx.response.as_ref().map_or(0, |r| r.status))),
        B::BodyBytesSent => owned(
            ctx.response
                .as_ref()
                .map_or(0, |r| r.body_bytes)
                .to_string(),
        ),
        B::BytesSent => owned(ctx.response.as_ref().map_or(0, |r| r.bytes).to_string()),
        B::Connection => owned(ctx.conn.number.to_string()),
        B::ConnectionRequests => owned(ctx.connection_requests.to_string()),
        B::ConnectionTime => {
            let elapsed = ctx.conn.started.elapsed();
            owned(format!(
                "{}.{:03}",
                elapsed.as_secs(),
                elapsed.subsec_millis()
            ))
        }
        B::Msec => {
            let now = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default();
            owned(format!("{}.{:03}", now.as_secs(), now.subsec_millis()))
        }
        B::TimeLocal => owned(
            chrono::Local::now()
                .format("%d/%b/%Y:%H:%M:%S %z")
                .to_string(),
        ),
        B::TimeIso8601 => owned(
            chrono::Local::now()
                .format("%Y-%m-%dT%H:%M:%S%:z")
                .to_string(),
        ),
        B::Hostname => Some(Cow::Owned(crate::http_core::hostname())),
        B::Pid => owned(std::process::id().to_string()),
        B::NginxVersion => Some(Cow::Borrowed(b"1.22.1")),
        B::LimitRate => Some(Cow::Owned(
            ctx.loc_conf().limits.limit_rate().to_string().into_bytes(),
        )),
        B::ProxyAddXForwardedFor => {
            let remote = ctx
                .client
                .map(|p| crate::realip::addr_text(p.ip()))
                .unwrap_or_default();
            match header(ctx, b"x-forwarded-for") {
                Some(existing) => {
                    let mut value = existing.into_owned();
                    value.extend_from_slice(b", ");
                    value.extend_from_slice(remote.as_bytes());
                    Some(Cow::Owned(value))
                }
                None => owned(remote),
            }
        }
        B::ConnectionsActive => owned(crate::stats::get().connections().0.to_string()),
        B::ConnectionsReading => owned(crate::stats::get().connections().1.to_string()),
        B::ConnectionsWriting => owned(crate::stats::get().connections().2.to_string()),
        B::ConnectionsWaiting => owned(crate::stats::get().connections().3.to_string()),
        B::ProxyHost => ctx
            .upstream
            .as_ref()
            .map(|u| Cow::Borrowed(u.proxy_host.as_slice())),
        B::ProxyPort => ctx
            .upstream
            .as_ref()
            .map(|u| Cow::Borrowed(u.proxy_port.as_slice())),
        B::UpstreamAddr => ctx.upstream.as_ref()?.addr().map(Cow::Owned),
        B::UpstreamStatus => ctx.upstream.as_ref()?.status().map(Cow::Owned),
        B::UpstreamResponseTime => upstream_time(ctx, TimeKind::Response),
        B::UpstreamConnectTime => upstream_time(ctx, TimeKind::Connect),
        B::UpstreamHeaderTime => upstream_time(ctx, TimeKind::Header),
        B::UpstreamResponseLength => upstream_length(ctx, LengthKind::Response),
        B::UpstreamBytesReceived => upstream_length(ctx, LengthKind::Received),
        B::UpstreamBytesSent => upstream_length(ctx, LengthKind::Sent),
        B::InvalidReferer => Some(Cow::Borrowed(crate::referer::invalid_referer(ctx))),
    }
}

fn upstream_length<'c>(ctx: &'c Ctx<'_>, kind: LengthKind) -> Option<Cow<'c, [u8]>> {
    ctx.upstream.as_ref()?.length(kind).map(Cow::Owned)
}

fn upstream_time<'c>(ctx: &'c Ctx<'_>, kind: TimeKind) -> Option<Cow<'c, [u8]>> {
    ctx.upstream.as_ref()?.time(kind).map(Cow::Owned)
}

fn protocol(version: http::Version) -> &'static [u8] {
    match version {
        http::Version::HTTP_09 => b"HTTP/0.9",
        http::Version::HTTP_10 => b"HTTP/1.0",
        http::Version::HTTP_2 => b"HTTP/2.0",
        _ => b"HTTP/1.1",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn args_by_name() {
        assert_eq!(arg(b"a=1&b=2&A=3", b"b"), Some(&b"2"[..]));
        assert_eq!(arg(b"a=1&b=2", b"A"), Some(&b"1"[..]));
        assert_eq!(arg(b"flag&x=", b"flag"), Some(&b""[..]));
        assert_eq!(arg(b"a=1", b"c"), None);
    }
}
