//! nginx's `ngx_parse_url` for peers (`server` lines, `proxy_pass`): `host`,
//! `host:port`, `[v6]:port`, `unix:/path`, optionally followed by a URI
//! part, with nginx's error words ("invalid port", "no host", ...). Host
//! names are resolved the way `ngx_inet_resolve_host` does (getaddrinfo with
//! `AI_ADDRCONFIG`, every address kept, in the resolver's order).

use crate::values;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::Path;
use std::sync::Arc;

/// Where a peer is (cloned for every request that goes to it: a path is
/// shared, not copied).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum PeerAddr {
    Inet(SocketAddr),
    Unix(Arc<Path>),
}

/// One address of a parsed URL, with nginx's text for it (`$upstream_addr`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Addr {
    pub addr: PeerAddr,
    /// `127.0.0.1:8080`, `[::1]:80`, `unix:/path`.
    pub name: String,
}

/// How to parse: nginx's `ngx_url_t` input flags.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    pub default_port: u16,
    /// A URI may follow the address (`proxy_pass`).
    pub uri_part: bool,
    /// Do not look host names up (the address is resolved later, or never).
    pub no_resolve: bool,
}

/// A parsed URL (nginx's `ngx_url_t` output).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Url {
    /// The host as written (`[::1]` keeps its brackets; the path of a unix
    /// socket).
    pub host: Vec<u8>,
    pub port: u16,
    /// No port was written (`port` is the default one).
    pub no_port: bool,
    /// The port as written.
    pub port_text: Vec<u8>,
    /// The URI part, from the first `/` or `?`.
    pub uri: Vec<u8>,
    pub unix: bool,
    /// Addresses known now (literals, or resolved names).
    pub addrs: Vec<Addr>,
}

/// `ngx_parse_url`.
pub fn parse(url: &[u8], options: Options) -> Result<Url, &'static str> {
    if url.len() >= 5 && url[..5].eq_ignore_ascii_case(b"unix:") {
        return parse_unix(url, options);
    }
    if url.first() == Some(&b'[') {
        return parse_inet6(url, options);
    }
    parse_inet(url, options)
}

fn parse_unix(url: &[u8], options: Options) -> Result<Url, &'static str> {
    let mut path = &url[5..];
    let mut uri = Vec::new();
    if options.uri_part
        && let Some(colon) = path.iter().position(|&b| b == b':')
    {
        uri = path[colon + 1..].to_vec();
        path = &path[..colon];
    }
    if path.is_empty() {
        return Err("no path in the unix domain socket");
    }
    // sockaddr_un's sun_path holds 108 bytes with the terminating NUL.
    if path.len() + 1 > 108 {
        return Err("too long path in the unix domain socket");
    }
    use std::os::unix::ffi::OsStrExt;
    let addr = PeerAddr::Unix(Arc::from(Path::new(std::ffi::OsStr::from_bytes(path))));
    let name = format!("unix:{}", String::from_utf8_lossy(path));
    Ok(Url {
        host: path.to_vec(),
        port: 0,
        no_port: false,
        port_text: Vec::new(),
        uri,
        unix: true,
        addrs: vec![Addr { addr, name }],
    })
}

fn parse_port(digits: &[u8]) -> Result<u16, &'static str> {
    values::atoi(digits)
        .filter(|n| (1..=65535).contains(n))
        .and_then(|n| u16::try_from(n).ok())
        .ok_or("invalid port")
}

fn parse_inet(url: &[u8], options: Options) -> Result<Url, &'static str> {
    let find = |b: u8| url.iter().position(|&c| c == b);
    let mut last = url.len();
    let mut port_at = find(b':');
    let mut uri_at = find(b'/');
    if let Some(args) = find(b'?')
        && uri_at.is_none_or(|uri| args < uri)
    {
        uri_at = Some(args);
    }
    let mut parsed = Url::default();
    if let Some(uri) = uri_at {
        if !options.uri_part {
            return Err("invalid host");
        }
        parsed.uri = url[uri..].to_vec();
        last = uri;
        if port_at.is_some_and(|port| uri < port) {
            port_at = None;
        }
    }
    if let Some(colon) = port_at {
        let digits = &url[colon + 1..last];
        parsed.port = parse_port(digits)?;
        parsed.port_text = digits.to_vec();
        last = colon;
    } else {
        parsed.no_port = true;
        parsed.port = options.default_port;
    }
    let host = &url[..last];
    if host.is_empty() {
        return Err("no host");
    }
    parsed.host = host.to_vec();
    if let Some(ip) = inet_addr(host) {
        parsed
            .addrs
            .push(inet_addr_entry(IpAddr::V4(ip), parsed.port));
        return Ok(parsed);
    }
    if options.no_resolve {
        return Ok(parsed);
    }
    parsed.addrs = resolve_host(host, parsed.port)?;
    Ok(parsed)
}

fn parse_inet6(url: &[u8], options: Options) -> Result<Url, &'static str> {
    let close = url.iter().position(|&b| b == b']').ok_or("invalid host")?;
    let mut last = url.len();
    let mut parsed = Url::default();
    let port_start = close + 1;
    if let Some(slash) = url[port_start..].iter().position(|&b| b == b'/') {
        if !options.uri_part {
            return Err("invalid host");
        }
        let uri = port_start + slash;
        parsed.uri = url[uri..].to_vec();
        last = uri;
    }
    if port_start < last {
        if url[port_start] != b':' {
            return Err("invalid host");
        }
        let digits = &url[port_start + 1..last];
        parsed.port = parse_port(digits)?;
        parsed.port_text = digits.to_vec();
    } else {
        parsed.no_port = true;
        parsed.port = options.default_port;
    }
    let inner = &url[1..close];
    if inner.is_empty() {
        return Err("no host");
    }
    parsed.host = url[..=close].to_vec();
    let ip: Ipv6Addr = std::str::from_utf8(inner)
        .ok()
        .and_then(|text| text.parse().ok())
        .ok_or("invalid IPv6 address")?;
    parsed
        .addrs
        .push(inet_addr_entry(IpAddr::V6(ip), parsed.port));
    Ok(parsed)
}

fn inet_addr_entry(ip: IpAddr, port: u16) -> Addr {
    let addr = SocketAddr::new(ip, port);
    Addr {
        addr: PeerAddr::Inet(addr),
        name: addr.to_string(),
    }
}

/// nginx's `ngx_inet_addr`: exactly four dotted decimal octets.
pub fn inet_addr(text: &[u8]) -> Option<Ipv4Addr> {
    let mut octets = [0u8; 4];
    let mut count = 0;
    for part in text.split(|&b| b == b'.') {
        if count == 4 || part.is_empty() || part.len() > 3 {
            return None;
        }
        let value = values::atoi(part)?;
        octets[count] = u8::try_from(value).ok()?;
        count += 1;
    }
    (count == 4).then(|| Ipv4Addr::from(octets))
}

/// `ngx_inet_resolve_host`: every address getaddrinfo gives for the name
/// (stream sockets, `AI_ADDRCONFIG`), in its order.
pub fn resolve_host(host: &[u8], port: u16) -> Result<Vec<Addr>, &'static str> {
    use nix::libc;
    let name = std::ffi::CString::new(host).map_err(|_| "host not found")?;
    // SAFETY: an all-zero addrinfo is the documented way to start hints.
    let mut hints: libc::addrinfo = unsafe { std::mem::zeroed() };
    hints.ai_family = libc::AF_UNSPEC;
    hints.ai_socktype = libc::SOCK_STREAM;
    hints.ai_flags = libc::AI_ADDRCONFIG;
    let mut result: *mut libc::addrinfo = std::ptr::null_mut();
    // SAFETY: name is NUL-terminated, hints is initialised, result is an
    // out pointer freed below with freeaddrinfo.
    let rc = unsafe { libc::getaddrinfo(name.as_ptr(), std::ptr::null(), &hints, &mut result) };
    if rc != 0 {
        return Err("host not found");
    }
    let mut addrs = Vec::new();
    let mut entry = result;
    while !entry.is_null() {
        // SAFETY: entry is a node of the list getaddrinfo returned.
        let info = unsafe { &*entry };
        let ip = match info.ai_family {
            libc::AF_INET if !info.ai_addr.is_null() => {
                // SAFETY: AF_INET entries carry a sockaddr_in.
                let sin = unsafe { &*(info.ai_addr as *const libc::sockaddr_in) };
                Some(IpAddr::V4(Ipv4Addr::from(u32::from_be(
                    sin.sin_addr.s_addr,
                ))))
            }
            libc::AF_INET6 if !info.ai_addr.is_null() => {
                // SAFETY: AF_INET6 entries carry a sockaddr_in6.
                let sin6 = unsafe { &*(info.ai_addr as *const libc::sockaddr_in6) };
                Some(IpAddr::V6(Ipv6Addr::from(sin6.sin6_addr.s6_addr)))
            }
            _ => None,
        };
        if let Some(ip) = ip {
            addrs.push(inet_addr_entry(ip, port));
        }
        entry = info.ai_next;
    }
    // SAFETY: result came from a successful getaddrinfo.
    unsafe { libc::freeaddrinfo(result) };
    if addrs.is_empty() {
        return Err("host not found");
    }
    Ok(addrs)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PEER: Options = Options {
        default_port: 80,
        uri_part: false,
        no_resolve: false,
    };
    const PASS: Options = Options {
        default_port: 80,
        uri_part: true,
        no_resolve: true,
    };

    fn names(url: &[u8], options: Options) -> Result<Vec<String>, &'static str> {
        parse(url, options).map(|u| u.addrs.into_iter().map(|a| a.name).collect())
    }

    #[test]
    fn peer_addresses() {
        assert_eq!(
            names(b"127.0.0.1:8080", PEER),
            Ok(vec!["127.0.0.1:8080".into()])
        );
        assert_eq!(names(b"127.0.0.1", PEER), Ok(vec!["127.0.0.1:80".into()]));
        assert_eq!(names(b"[::1]:81", PEER), Ok(vec!["[::1]:81".into()]));
        assert_eq!(names(b"127.0.0.1:0", PEER), Err("invalid port"));
        assert_eq!(names(b"127.0.0.1:99999", PEER), Err("invalid port"));
        assert_eq!(names(b"127.0.0.1:", PEER), Err("invalid port"));
        assert_eq!(names(b"127.0.0.1/x", PEER), Err("invalid host"));
        assert_eq!(names(b"http://127.0.0.1", PEER), Err("invalid host"));
        assert_eq!(names(b":80", PEER), Err("no host"));
        assert_eq!(names(b"[::1", PEER), Err("invalid host"));
        assert_eq!(names(b"[zz]:80", PEER), Err("invalid IPv6 address"));
        assert_eq!(names(b"no-such-host.invalid", PEER), Err("host not found"));
        assert_eq!(
            names(b"unix:", PEER),
            Err("no path in the unix domain socket")
        );
        assert_eq!(
            names(b"unix:/tmp/app.sock", PEER),
            Ok(vec!["unix:/tmp/app.sock".into()])
        );
        // getaddrinfo reads a bare number as an IPv4 address, for nginx too.
        assert_eq!(names(b"8080", PEER), Ok(vec!["0.0.31.144:80".into()]));
    }

    #[test]
    fn proxy_pass_urls() {
        let url = parse(b"127.0.0.1:8080/a/b?x", PASS).unwrap();
        assert_eq!(url.host, b"127.0.0.1");
        assert_eq!((url.port, url.no_port), (8080, false));
        assert_eq!(url.uri, b"/a/b?x");
        let url = parse(b"backend?x=1", PASS).unwrap();
        assert_eq!(url.host, b"backend");
        assert_eq!((url.port, url.no_port), (80, true));
        assert_eq!(url.uri, b"?x=1");
        assert!(url.addrs.is_empty());
        let url = parse(b"backend/a:b", PASS).unwrap();
        assert!(url.no_port);
        assert_eq!(url.uri, b"/a:b");
        let url = parse(b"unix:/run/app.sock:/api/", PASS).unwrap();
        assert_eq!(url.host, b"/run/app.sock");
        assert_eq!(url.uri, b"/api/");
        let url = parse(b"[::1]:81/x", PASS).unwrap();
        assert_eq!(url.host, b"[::1]");
        assert_eq!(url.uri, b"/x");
    }

    #[test]
    fn dotted_quads_only() {
        assert_eq!(inet_addr(b"10.0.0.1"), Some(Ipv4Addr::new(10, 0, 0, 1)));
        assert_eq!(inet_addr(b"10.0.1"), None);
        assert_eq!(inet_addr(b"10.0.0.256"), None);
        assert_eq!(inet_addr(b"10.0.0.1."), None);
        assert_eq!(inet_addr(b"a.b.c.d"), None);
    }
}
