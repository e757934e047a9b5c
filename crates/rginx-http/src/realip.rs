//! nginx's realip module: behind trusted proxies (`set_real_ip_from`), the
//! client address is taken from a request header (`real_ip_header`:
//! X-Real-IP, X-Forwarded-For or any other; `real_ip_recursive` walks past
//! trusted addresses in it) or from the connection's PROXY header
//! (`real_ip_header proxy_protocol`). The replacement holds for everything
//! after it (`$remote_addr`, allow/deny, geo, logs), and
//! `$realip_remote_addr` / `$realip_remote_port` keep the connection's own
//! address.
//!
//! As nginx, it runs in the post-read phase with the server's settings and
//! again before the access phase with the location's, at most once a
//! request.

use crate::access::{self, CidrError, Matcher};
use crate::compile::{Compiler, Target};
use crate::http_core::LocConf;
use crate::http_core::request::Ctx;
use crate::registry::Spec;
use crate::values;
use http::HeaderName;
use rginx_conf::{ConfError, Directive};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs};
use std::sync::Arc;

/// Where the client address is read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// `X-Real-IP` (nginx's default): the first such header.
    XRealIp,
    /// `X-Forwarded-For`: every such header, last address first.
    XForwardedFor,
    /// Any other header (name lowercased): the first such header.
    Header(HeaderName),
    /// A header name no request can carry: nothing is ever found.
    Never,
    /// `proxy_protocol`: the source address (and port) of the
    /// connection's PROXY header.
    ProxyProtocol,
}

/// The module's settings of one level.
#[derive(Clone, Debug, Default)]
pub struct RealIpConf {
    /// `set_real_ip_from`: the trusted proxies (`Matcher::Unix` for
    /// `unix:`).
    pub from: Option<Arc<Vec<Matcher>>>,
    pub source: Option<Source>,
    pub recursive: Option<bool>,
}

impl RealIpConf {
    pub fn merge(&mut self, parent: &RealIpConf) {
        if self.from.is_none() {
            self.from.clone_from(&parent.from);
        }
        if self.source.is_none() {
            self.source.clone_from(&parent.source);
        }
        self.recursive = self.recursive.or(parent.recursive);
    }
}

fn conf<'a>(t: &'a mut Target<'_>) -> Result<&'a mut RealIpConf, ConfError> {
    match t {
        Target::Http(http) => Ok(&mut http.conf.realip),
        Target::Server(_, server) => Ok(&mut server.conf.realip),
        Target::Location(location) => Ok(&mut location.conf.realip),
        _ => Err(ConfError::bare("internal error: realip out of place")),
    }
}

/// `set_real_ip_from ADDRESS|CIDR|unix:|HOSTNAME`, as
/// `ngx_http_realip_from`: a name that is not an address is resolved now,
/// each of its addresses trusted alone.
fn set_from(c: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    let value = &d.args[0];
    let mut added = Vec::new();
    if value.as_bytes() == b"unix:" {
        added.push(Matcher::Unix);
    } else {
        match access::parse_cidr(value.as_bytes()) {
            Ok(matcher) => added.push(matcher),
            Err(CidrError::LowBits(matcher)) => {
                c.warn(ConfError::at(
                    &d.loc,
                    format!("low address bits of {value} are meaningless"),
                ));
                added.push(matcher);
            }
            Err(CidrError::Invalid) => {
                let resolved = resolve_host(value.as_bytes()).ok_or_else(|| {
                    ConfError::at(
                        &d.loc,
                        format!("host not found in set_real_ip_from \"{value}\""),
                    )
                })?;
                added.extend(resolved);
            }
        }
    }
    let conf = conf(t)?;
    let mut from = conf.from.as_deref().cloned().unwrap_or_default();
    from.extend(added);
    conf.from = Some(Arc::new(from));
    Ok(())
}

/// `ngx_inet_resolve_host`: every address of the name, IPv4 ones first,
/// each a single-address network.
fn resolve_host(name: &[u8]) -> Option<Vec<Matcher>> {
    let name = std::str::from_utf8(name).ok()?;
    if name.is_empty() || name.contains('\0') {
        return None;
    }
    let addrs: Vec<SocketAddr> = (name, 0).to_socket_addrs().ok()?.collect();
    if addrs.is_empty() {
        return None;
    }
    let mut matchers: Vec<Matcher> = Vec::new();
    let v4 = addrs.iter().filter_map(|a| match a.ip() {
        IpAddr::V4(ip) => Some(Matcher::V4 {
            addr: u32::from(ip),
            mask: u32::MAX,
        }),
        IpAddr::V6(_) => None,
    });
    let v6 = addrs.iter().filter_map(|a| match a.ip() {
        IpAddr::V6(ip) => Some(Matcher::V6 {
            addr: u128::from(ip),
            mask: u128::MAX,
        }),
        IpAddr::V4(_) => None,
    });
    for matcher in v4.chain(v6) {
        if !matchers.contains(&matcher) {
            matchers.push(matcher);
        }
    }
    Some(matchers)
}

/// `real_ip_header NAME`, as `ngx_http_realip`: the two well-known names
/// are matched exactly (case matters, as in nginx), anything else is a
/// header name.
fn set_header(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    let conf = conf(t)?;
    if conf.source.is_some() {
        return Err(values::duplicate(d));
    }
    let value = d.args[0].as_bytes();
    let source = match value {
        b"X-Real-IP" => Source::XRealIp,
        b"X-Forwarded-For" => Source::XForwardedFor,
        b"proxy_protocol" => Source::ProxyProtocol,
        name => match HeaderName::from_bytes(&name.to_ascii_lowercase()) {
            Ok(name) => Source::Header(name),
            Err(_) => Source::Never,
        },
    };
    conf.source = Some(source);
    Ok(())
}

fn set_recursive(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    values::flag_slot(&mut conf(t)?.recursive, d)
}

/// The post-read phase: the server's settings.
pub fn post_read(ctx: &mut Ctx<'_>) {
    let conf = &ctx.server.conf;
    run(ctx, conf);
}

/// The preaccess phase: the location's settings, unless the address was
/// already replaced.
pub fn preaccess(ctx: &mut Ctx<'_>) {
    let conf = ctx.loc_conf();
    run(ctx, conf);
}

fn run(ctx: &mut Ctx<'_>, conf: &LocConf) {
    let realip = &conf.realip;
    let Some(from) = realip.from.as_deref() else {
        return;
    };
    if ctx.realip_set {
        return;
    }
    if realip.source == Some(Source::ProxyProtocol) {
        from_proxy_protocol(ctx, from, realip.recursive.unwrap_or(false));
        return;
    }
    let headers = &ctx.parts.headers;
    let values: Vec<&[u8]> = match realip.source.as_ref().unwrap_or(&Source::XRealIp) {
        Source::XRealIp => headers
            .get("x-real-ip")
            .map(|v| v.as_bytes())
            .into_iter()
            .collect(),
        Source::XForwardedFor => headers
            .get_all("x-forwarded-for")
            .iter()
            .map(|v| v.as_bytes())
            .collect(),
        Source::Header(name) => headers
            .get(name)
            .map(|v| v.as_bytes())
            .into_iter()
            .collect(),
        Source::Never | Source::ProxyProtocol => Vec::new(),
    };
    if values.is_empty() {
        return;
    }
    let recursive = realip.recursive.unwrap_or(false);
    // X-Real-IP and custom headers are one value; X-Forwarded-For may be
    // several headers, read last to first.
    let found = if matches!(realip.source, Some(Source::XForwardedFor)) {
        forwarded_addr_headers(ctx.conn.peer, &values, from, recursive)
    } else {
        forwarded_addr(ctx.conn.peer, values[0], from, recursive).addr()
    };
    if let Some(addr) = found {
        ctx.client = Some(addr);
        ctx.realip_set = true;
    }
}

/// `real_ip_header proxy_protocol`, as `ngx_http_realip_handler`: behind a
/// trusted peer, the PROXY header's source address (parsed as a header
/// value would be) with its port; nothing without a header that names
/// addresses.
fn from_proxy_protocol(ctx: &mut Ctx<'_>, from: &[Matcher], recursive: bool) {
    let Some(pp) = ctx.conn.proxy_protocol.as_ref() else {
        return;
    };
    if let Some(addr) = forwarded_addr(ctx.conn.peer, &pp.src_addr, from, recursive).addr() {
        ctx.client = Some(SocketAddr::new(addr.ip(), pp.src_port));
        ctx.realip_set = true;
    }
}

/// Whether `addr` (`None`: a unix-domain peer) is a trusted proxy, as
/// `ngx_cidr_match` (an IPv4-mapped IPv6 address counts as IPv4).
pub fn trusted(from: &[Matcher], addr: Option<IpAddr>) -> bool {
    let addr = addr.map(|ip| match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    });
    from.iter().any(|matcher| match (matcher, addr) {
        (Matcher::All, _) => true,
        (Matcher::Unix, None) => true,
        (Matcher::V4 { addr, mask }, Some(IpAddr::V4(ip))) => u32::from(ip) & mask == *addr,
        (Matcher::V6 { addr, mask }, Some(IpAddr::V6(ip))) => u128::from(ip) & mask == *addr,
        _ => false,
    })
}

/// What one header gave (`ngx_http_get_forwarded_addr_internal`'s codes).
#[derive(Debug, PartialEq, Eq)]
enum Walk {
    /// The sender is not trusted, or the last address is no address.
    Declined,
    /// Stopped at an untrusted sender or an unparsable address after
    /// taking at least one address.
    Done(SocketAddr),
    /// Took addresses up to the start of the value.
    Ok(SocketAddr),
}

impl Walk {
    fn addr(self) -> Option<SocketAddr> {
        match self {
            Walk::Declined => None,
            Walk::Done(addr) | Walk::Ok(addr) => Some(addr),
        }
    }
}

/// Several X-Forwarded-For headers, as `ngx_http_get_forwarded_addr`: the
/// last header first; only with recursion does a fully trusted header lead
/// on to the one before it.
fn forwarded_addr_headers(
    peer: Option<SocketAddr>,
    values: &[&[u8]],
    from: &[Matcher],
    recursive: bool,
) -> Option<SocketAddr> {
    let mut addr = peer;
    let mut found = false;
    for value in values.iter().rev() {
        let walk = forwarded_addr(addr, value, from, recursive);
        if !recursive {
            return walk.addr();
        }
        match walk {
            Walk::Declined if found => return addr,
            Walk::Ok(next) => {
                addr = Some(next);
                found = true;
            }
            other => return other.addr(),
        }
    }
    if found { addr } else { None }
}

/// One header value, as `ngx_http_get_forwarded_addr_internal`: while the
/// current address is trusted, take the last address of the list
/// (separated by spaces and commas) and drop it from the list.
fn forwarded_addr(
    peer: Option<SocketAddr>,
    value: &[u8],
    from: &[Matcher],
    recursive: bool,
) -> Walk {
    let mut current = peer;
    let mut found = false;
    let mut end = value.len();
    loop {
        if !trusted(from, current.map(|a| a.ip())) {
            return if found {
                current.map_or(Walk::Declined, Walk::Done)
            } else {
                Walk::Declined
            };
        }
        let is_separator = |b: u8| b == b' ' || b == b',';
        // Trailing separators go (the first byte is never looked at).
        while end > 1 && is_separator(value[end - 1]) {
            end -= 1;
        }
        let mut start = end.saturating_sub(1);
        while start > 0 {
            if is_separator(value[start]) {
                start += 1;
                break;
            }
            start -= 1;
        }
        let Some(addr) = value.get(start..end).and_then(parse_addr_port) else {
            return if found {
                current.map_or(Walk::Declined, Walk::Done)
            } else {
                Walk::Declined
            };
        };
        current = Some(addr);
        found = true;
        if !(recursive && start > 0) {
            return Walk::Ok(addr);
        }
        end = start - 1;
    }
}

/// `ngx_parse_addr_port`: an address, `address:port` or `[v6]:port`
/// (port 1-65535); the port is 0 when none is given.
pub fn parse_addr_port(text: &[u8]) -> Option<SocketAddr> {
    if let Some(ip) = parse_addr(text) {
        return Some(SocketAddr::new(ip, 0));
    }
    let (host, port) = if text.first() == Some(&b'[') {
        let close = text.iter().position(|&b| b == b']')?;
        if close + 1 >= text.len() || text[close + 1] != b':' {
            return None;
        }
        (&text[1..close], &text[close + 2..])
    } else {
        let colon = text.iter().position(|&b| b == b':')?;
        (&text[..colon], &text[colon + 1..])
    };
    let port = values::atoi(port).filter(|p| (1..=65535).contains(p))?;
    let ip = parse_addr(host)?;
    Some(SocketAddr::new(ip, u16::try_from(port).ok()?))
}

/// `ngx_parse_addr`: IPv4 as `ngx_inet_addr` reads it, else IPv6 as
/// `ngx_inet6_addr`.
pub fn parse_addr(text: &[u8]) -> Option<IpAddr> {
    if let Some(v4) = inet_addr(text) {
        return Some(IpAddr::V4(v4));
    }
    inet6_addr(text).map(IpAddr::V6)
}

/// `ngx_inet_addr`: dotted decimal, exactly four parts; an empty part is
/// a 0 and leading zeros are allowed, as in nginx.
fn inet_addr(text: &[u8]) -> Option<Ipv4Addr> {
    let mut addr: u32 = 0;
    let mut octet: u32 = 0;
    let mut dots = 0;
    for &c in text {
        match c {
            b'0'..=b'9' => {
                octet = octet * 10 + u32::from(c - b'0');
                if octet > 255 {
                    return None;
                }
            }
            b'.' => {
                addr = (addr << 8) + octet;
                octet = 0;
                dots += 1;
            }
            _ => return None,
        }
    }
    if dots == 3 {
        Some(Ipv4Addr::from((addr << 8) + octet))
    } else {
        None
    }
}

/// `ngx_inet6_addr`: eight groups of up to four hex digits, one `::`, an
/// IPv4 tail in place of the last two groups.
fn inet6_addr(text: &[u8]) -> Option<Ipv6Addr> {
    if text.is_empty() {
        return None;
    }
    let mut out = [0u8; 16];
    let mut at = 0;
    let mut zero: Option<usize> = None;
    let mut digit: Option<usize> = None;
    let mut nibbles = 0;
    let mut word: u32 = 0;
    let mut groups_left = 8;
    let mut i = usize::from(text[0] == b':');
    while i < text.len() {
        let c = text[i];
        i += 1;
        if c == b':' {
            if nibbles > 0 {
                digit = Some(i);
                out[at] = (word >> 8) as u8;
                out[at + 1] = (word & 0xff) as u8;
                at += 2;
                groups_left -= 1;
                if groups_left > 0 {
                    nibbles = 0;
                    word = 0;
                    continue;
                }
            } else if zero.is_none() {
                digit = Some(i);
                zero = Some(at);
                continue;
            }
            return None;
        }
        if c == b'.' && nibbles > 0 {
            let start = digit?;
            if groups_left < 2 {
                return None;
            }
            let v4 = inet_addr(&text[start..])?.octets();
            out[at..at + 4].copy_from_slice(&v4);
            at += 4;
            groups_left -= 2;
            return finish_v6(out, at, zero, groups_left);
        }
        nibbles += 1;
        if nibbles > 4 {
            return None;
        }
        let value = match c {
            b'0'..=b'9' => c - b'0',
            _ => match c | 0x20 {
                lower @ b'a'..=b'f' => lower - b'a' + 10,
                _ => return None,
            },
        };
        word = word * 16 + u32::from(value);
    }
    if nibbles == 0 && zero.is_none() {
        return None;
    }
    out[at] = (word >> 8) as u8;
    out[at + 1] = (word & 0xff) as u8;
    at += 2;
    groups_left -= 1;
    finish_v6(out, at, zero, groups_left)
}

/// The end of `ngx_inet6_addr`: the groups after `::` move to the end.
fn finish_v6(
    mut out: [u8; 16],
    at: usize,
    zero: Option<usize>,
    groups_left: usize,
) -> Option<Ipv6Addr> {
    match (groups_left, zero) {
        (0, None) => Some(Ipv6Addr::from(out)),
        (0, Some(_)) | (_, None) => None,
        (left, Some(zero)) => {
            let shift = left * 2;
            out.copy_within(zero..at, zero + shift);
            out[zero..zero + shift].fill(0);
            Some(Ipv6Addr::from(out))
        }
    }
}

/// An address as nginx prints it (`ngx_sock_ntop` without the port):
/// IPv6 as `ngx_inet6_ntop`, which, unlike Rust, keeps the dotted tail of
/// IPv4-compatible addresses (`::1.2.3.4`).
pub fn addr_text(ip: IpAddr) -> String {
    let v6 = match ip {
        IpAddr::V4(v4) => return v4.to_string(),
        IpAddr::V6(v6) => v6,
    };
    let p = v6.octets();
    // The longest run of zero groups (two at least), the first of equals.
    let (mut zero, mut max, mut run, mut last) = (None, 1, 0, 0);
    for i in (0..16).step_by(2) {
        if p[i] != 0 || p[i + 1] != 0 {
            if max < run {
                zero = Some(last);
                max = run;
            }
            run = 0;
            continue;
        }
        if run == 0 {
            last = i;
        }
        run += 1;
    }
    if max < run {
        zero = Some(last);
        max = run;
    }
    let mut text = String::new();
    let mut end = 16;
    if zero == Some(0) {
        if (max == 5 && p[10] == 0xff && p[11] == 0xff)
            || max == 6
            || (max == 7 && p[14] != 0 && p[15] != 1)
        {
            end = 12;
        }
        text.push(':');
    }
    let mut i = 0;
    while i < end {
        if Some(i) == zero {
            text.push(':');
            i += max * 2;
            continue;
        }
        text.push_str(&format!("{:x}", u16::from_be_bytes([p[i], p[i + 1]])));
        if i < 14 {
            text.push(':');
        }
        i += 2;
    }
    if end == 12 {
        text.push_str(&format!("{}.{}.{}.{}", p[12], p[13], p[14], p[15]));
    }
    text
}

const MODULE: &str = "ngx_http_realip_module";

pub static SPECS: &[Spec] = &[
    Spec {
        module: MODULE,
        name: "set_real_ip_from",
        set: set_from,
        note: "IPv4/IPv6 CIDR, unix:, host names (resolved at start)",
    },
    Spec {
        module: MODULE,
        name: "real_ip_header",
        set: set_header,
        note: "X-Real-IP, X-Forwarded-For, proxy_protocol, any header",
    },
    Spec {
        module: MODULE,
        name: "real_ip_recursive",
        set: set_recursive,
        note: "skip trusted addresses in the header",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    fn cidrs(list: &[&str]) -> Vec<Matcher> {
        list.iter()
            .map(|c| match *c {
                "unix:" => Matcher::Unix,
                c => access::parse_cidr(c.as_bytes()).unwrap(),
            })
            .collect()
    }

    fn peer(text: &str) -> Option<SocketAddr> {
        Some(SocketAddr::new(text.parse().unwrap(), 40000))
    }

    fn ip(addr: Option<SocketAddr>) -> Option<String> {
        addr.map(|a| match a.port() {
            0 => addr_text(a.ip()),
            port => format!("{}|{port}", addr_text(a.ip())),
        })
    }

    #[test]
    fn addresses_as_nginx_parses_them() {
        let parse = |t: &str| parse_addr_port(t.as_bytes()).map(|a| (addr_text(a.ip()), a.port()));
        assert_eq!(parse("1.2.3.4"), Some(("1.2.3.4".into(), 0)));
        assert_eq!(parse("01.002.3.4"), Some(("1.2.3.4".into(), 0)));
        assert_eq!(parse("1..2.3"), Some(("1.0.2.3".into(), 0)));
        assert_eq!(parse("1.2.3.4:8080"), Some(("1.2.3.4".into(), 8080)));
        assert_eq!(parse("1.2.3.4:0"), None);
        assert_eq!(parse("1.2.3.4:65536"), None);
        assert_eq!(parse("256.2.3.4"), None);
        assert_eq!(parse("1.2.3"), None);
        assert_eq!(
            parse("[2001:db8::1]:443"),
            Some(("2001:db8::1".into(), 443))
        );
        assert_eq!(parse("2001:db8::1"), Some(("2001:db8::1".into(), 0)));
        assert_eq!(parse("::ffff:1.2.3.4"), Some(("::ffff:1.2.3.4".into(), 0)));
        assert_eq!(parse("::1.2.3.4"), Some(("::1.2.3.4".into(), 0)));
        assert_eq!(
            parse("1:2:3:4:5:6:7:8"),
            Some(("1:2:3:4:5:6:7:8".into(), 0))
        );
        assert_eq!(parse("1:2:3:4:5:6:7:8:9"), None);
        assert_eq!(parse("1::2::3"), None);
        assert_eq!(parse("::"), Some(("::".into(), 0)));
        assert_eq!(parse("bogus"), None);
        assert_eq!(parse(""), None);
        assert_eq!(parse("1.2.3.4;x"), None);
    }

    #[test]
    fn ipv6_text_as_nginx_prints_it() {
        let text = |t: &str| addr_text(t.parse().unwrap());
        assert_eq!(text("2001:db8:0:0:1:0:0:1"), "2001:db8::1:0:0:1");
        assert_eq!(text("2001:db8:0:1:1:1:1:1"), "2001:db8:0:1:1:1:1:1");
        assert_eq!(text("::1"), "::1");
        assert_eq!(text("::"), "::");
        assert_eq!(text("fe80::"), "fe80::");
        assert_eq!(text("::ffff:10.0.0.1"), "::ffff:10.0.0.1");
    }

    #[test]
    fn last_address_of_a_trusted_sender() {
        let from = cidrs(&["127.0.0.1", "10.0.0.0/8"]);
        let walk =
            |p: &str, v: &str, r: bool| ip(forwarded_addr(peer(p), v.as_bytes(), &from, r).addr());
        assert_eq!(
            walk("127.0.0.1", "1.2.3.4", false).as_deref(),
            Some("1.2.3.4")
        );
        assert_eq!(walk("192.0.2.1", "1.2.3.4", false), None);
        assert_eq!(
            walk("127.0.0.1", "9.9.9.9, 10.1.1.1", false).as_deref(),
            Some("10.1.1.1")
        );
        assert_eq!(
            walk("127.0.0.1", "9.9.9.9, 10.1.1.1", true).as_deref(),
            Some("9.9.9.9")
        );
        assert_eq!(
            walk("127.0.0.1", "10.2.2.2, 10.1.1.1", true).as_deref(),
            Some("10.2.2.2")
        );
        assert_eq!(
            walk("127.0.0.1", "bogus, 10.1.1.1", true).as_deref(),
            Some("10.1.1.1")
        );
        assert_eq!(
            walk("127.0.0.1", ",, 1.2.3.4 ,, ", false).as_deref(),
            Some("1.2.3.4")
        );
        assert_eq!(
            walk("127.0.0.1", "a, 1.2.3.4", false).as_deref(),
            Some("1.2.3.4")
        );
        assert_eq!(walk("127.0.0.1", "bogus", false), None);
        assert_eq!(walk("127.0.0.1", "", false), None);
        assert_eq!(
            walk("127.0.0.1", "1.2.3.4:8080", false).as_deref(),
            Some("1.2.3.4|8080")
        );
        assert_eq!(
            walk("::ffff:127.0.0.1", "1.2.3.4", false).as_deref(),
            Some("1.2.3.4")
        );
    }

    #[test]
    fn several_forwarded_for_headers() {
        let from = cidrs(&["127.0.0.1", "10.0.0.0/8"]);
        let walk = |v: &[&str], r: bool| {
            let values: Vec<&[u8]> = v.iter().map(|s| s.as_bytes()).collect();
            ip(forwarded_addr_headers(peer("127.0.0.1"), &values, &from, r))
        };
        // Without recursion only the last header counts.
        assert_eq!(
            walk(&["8.8.8.8", "7.7.7.7"], false).as_deref(),
            Some("7.7.7.7")
        );
        assert_eq!(
            walk(&["8.8.8.8", "10.2.2.2, 10.1.1.1"], true).as_deref(),
            Some("8.8.8.8")
        );
        assert_eq!(
            walk(&["8.8.8.8, 10.3.3.3", "10.1.1.1"], true).as_deref(),
            Some("8.8.8.8")
        );
        assert_eq!(
            walk(&["8.8.8.8, bogus", "10.1.1.1"], true).as_deref(),
            Some("10.1.1.1")
        );
        assert_eq!(
            walk(&["bogus", "10.1.1.1"], true).as_deref(),
            Some("10.1.1.1")
        );
        assert_eq!(
            walk(&["10.2.2.2", "10.1.1.1"], true).as_deref(),
            Some("10.2.2.2")
        );
    }

    #[test]
    fn unix_peers_are_trusted_by_unix_only() {
        assert!(trusted(&cidrs(&["unix:"]), None));
        assert!(!trusted(&cidrs(&["127.0.0.1"]), None));
        assert!(!trusted(
            &cidrs(&["unix:"]),
            Some("127.0.0.1".parse().unwrap())
        ));
        let from = cidrs(&["unix:"]);
        assert_eq!(
            ip(forwarded_addr(None, b"5.6.7.8", &from, false).addr()).as_deref(),
            Some("5.6.7.8")
        );
    }

    #[test]
    fn host_names_resolve_to_single_addresses() {
        let matchers = resolve_host(b"localhost").unwrap();
        assert!(matchers.contains(&Matcher::V4 {
            addr: 0x7f00_0001,
            mask: u32::MAX
        }));
        assert!(resolve_host(b"no-such-host.invalid").is_none());
    }
}
