//! `listen`: nginx's address syntax (`ngx_parse_url` in listen mode), its
//! parameters, and the per-address table that decides which servers share
//! a socket and which one is the default.

use crate::values;
use rginx_conf::{ConfError, Directive, Loc};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs};
use std::path::PathBuf;
use std::time::Duration;

/// What a listening socket is bound to.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ListenAddr {
    Inet(SocketAddr),
    Unix(PathBuf),
}

impl ListenAddr {
    /// nginx's `addr_text`: `127.0.0.1:80`, `0.0.0.0:80`, `[::1]:80`, `unix:/p`.
    pub fn text(&self) -> String {
        match self {
            ListenAddr::Inet(SocketAddr::V4(a)) => format!("{}:{}", a.ip(), a.port()),
            ListenAddr::Inet(SocketAddr::V6(a)) => format!("[{}]:{}", a.ip(), a.port()),
            ListenAddr::Unix(path) => format!("unix:{}", path.display()),
        }
    }

    pub fn same_port(&self, other: &ListenAddr) -> bool {
        match (self, other) {
            (ListenAddr::Inet(a), ListenAddr::Inet(b)) => {
                a.port() == b.port() && a.is_ipv4() == b.is_ipv4()
            }
            (ListenAddr::Unix(_), ListenAddr::Unix(_)) => true,
            _ => false,
        }
    }
}

/// `so_keepalive=` as given.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SoKeepalive {
    #[default]
    Unset,
    On,
    Off,
    Tuned {
        idle: Option<Duration>,
        interval: Option<Duration>,
        count: Option<u64>,
    },
}

/// The socket options of one `listen`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListenOptions {
    /// Any option that needs its own socket was given (nginx's `set`).
    pub set: bool,
    pub bind: bool,
    pub default_server: bool,
    pub backlog: i32,
    pub rcvbuf: Option<u64>,
    pub sndbuf: Option<u64>,
    pub fastopen: Option<u64>,
    pub deferred: bool,
    pub ipv6only: bool,
    pub reuseport: bool,
    pub ssl: bool,
    pub http2: bool,
    pub proxy_protocol: bool,
    pub so_keepalive: SoKeepalive,
}

impl Default for ListenOptions {
    fn default() -> Self {
        ListenOptions {
            set: false,
            bind: false,
            default_server: false,
            // nginx's NGX_LISTEN_BACKLOG on Linux.
            backlog: 511,
            rcvbuf: None,
            sndbuf: None,
            fastopen: None,
            deferred: false,
            ipv6only: true,
            reuseport: false,
            ssl: false,
            http2: false,
            proxy_protocol: false,
            so_keepalive: SoKeepalive::Unset,
        }
    }
}

/// One parsed `listen` directive (it may name several addresses when a
/// host name resolves to more than one).
#[derive(Clone, Debug)]
pub struct Listen {
    pub addrs: Vec<ListenAddr>,
    pub options: ListenOptions,
    pub loc: Loc,
}

/// A listening address with the servers that use it.
#[derive(Clone, Debug)]
pub struct AddressEntry {
    pub addr: ListenAddr,
    pub wildcard: bool,
    pub options: ListenOptions,
    /// Indexes into the http block's servers, in order of appearance.
    pub servers: Vec<usize>,
    pub default_server: usize,
}

/// Every address of the http block, as nginx's `cmcf->ports`.
#[derive(Clone, Debug, Default)]
pub struct AddressTable {
    pub entries: Vec<AddressEntry>,
}

impl AddressTable {
    /// nginx's `ngx_http_add_listen` for one address of one server.
    pub fn add(
        &mut self,
        server: usize,
        addr: &ListenAddr,
        options: &ListenOptions,
        loc: &Loc,
    ) -> Result<(), ConfError> {
        let existing = self
            .entries
            .iter_mut()
            .filter(|entry| entry.addr.same_port(addr))
            .find(|entry| entry.addr == *addr);
        let Some(entry) = existing else {
            self.entries.push(AddressEntry {
                addr: addr.clone(),
                wildcard: is_wildcard(addr),
                options: options.clone(),
                servers: vec![server],
                default_server: server,
            });
            return Ok(());
        };
        if entry.servers.contains(&server) {
            return Err(ConfError::at(
                loc,
                format!("a duplicate listen {}", entry.addr.text()),
            ));
        }
        entry.servers.push(server);
        let default_server = entry.options.default_server;
        let proxy_protocol = options.proxy_protocol || entry.options.proxy_protocol;
        let ssl = options.ssl || entry.options.ssl;
        let http2 = options.http2 || entry.options.http2;
        if options.set {
            if entry.options.set {
                return Err(ConfError::at(
                    loc,
                    format!("duplicate listen options for {}", entry.addr.text()),
                ));
            }
            entry.options = options.clone();
        }
        if options.default_server {
            if default_server {
                return Err(ConfError::at(
                    loc,
                    format!("a duplicate default server for {}", entry.addr.text()),
                ));
            }
            entry.default_server = server;
            entry.options.default_server = true;
        } else {
            entry.options.default_server = default_server;
        }
        entry.options.proxy_protocol = proxy_protocol;
        entry.options.ssl = ssl;
        entry.options.http2 = http2;
        Ok(())
    }
}

fn is_wildcard(addr: &ListenAddr) -> bool {
    match addr {
        ListenAddr::Inet(a) => a.ip().is_unspecified(),
        ListenAddr::Unix(_) => false,
    }
}

/// The listen nginx gives a server without one: `*:80` as root, else `*:8000`.
pub fn default_listen(is_root: bool, loc: &Loc) -> Listen {
    let port = if is_root { 80 } else { 8000 };
    Listen {
        addrs: vec![ListenAddr::Inet(SocketAddr::new(
            IpAddr::V4(Ipv4Addr::UNSPECIFIED),
            port,
        ))],
        options: ListenOptions::default(),
        loc: loc.clone(),
    }
}

/// Parses a `listen` directive.
pub fn parse(d: &Directive) -> Result<Listen, ConfError> {
    let url = &d.args[0];
    let addrs = parse_address(url.as_bytes()).map_err(|err| {
        ConfError::at(
            &d.loc,
            format!("{err} in \"{url}\" of the \"listen\" directive"),
        )
    })?;
    let mut options = ListenOptions::default();
    for arg in &d.args[1..] {
        let value = arg.as_bytes();
        let invalid = |what: &str| ConfError::at(&d.loc, format!("invalid {what} \"{arg}\""));
        if value == b"default_server" || value == b"default" {
            options.default_server = true;
        } else if value == b"bind" {
            options.set = true;
            options.bind = true;
        } else if let Some(rest) = value.strip_prefix(b"fastopen=") {
            options.fastopen = Some(values::atoi(rest).ok_or_else(|| invalid("fastopen"))?);
            options.set = true;
            options.bind = true;
        } else if let Some(rest) = value.strip_prefix(b"backlog=") {
            let backlog = values::atoi(rest)
                .filter(|v| *v != 0)
                .ok_or_else(|| invalid("backlog"))?;
            options.backlog = i32::try_from(backlog).unwrap_or(i32::MAX);
            options.set = true;
            options.bind = true;
        } else if let Some(rest) = value.strip_prefix(b"rcvbuf=") {
            options.rcvbuf = Some(values::parse_size(rest).ok_or_else(|| invalid("rcvbuf"))?);
            options.set = true;
            options.bind = true;
        } else if let Some(rest) = value.strip_prefix(b"sndbuf=") {
            options.sndbuf = Some(values::parse_size(rest).ok_or_else(|| invalid("sndbuf"))?);
            options.set = true;
            options.bind = true;
        } else if value == b"deferred" {
            options.deferred = true;
            options.set = true;
            options.bind = true;
        } else if let Some(rest) = value.strip_prefix(b"ipv6only=o") {
            options.ipv6only = match rest {
                b"n" => true,
                b"ff" => false,
                _ => {
                    return Err(ConfError::at(
                        &d.loc,
                        format!(
                            "invalid ipv6only flags \"{}\"",
                            String::from_utf8_lossy(&value[9..])
                        ),
                    ));
                }
            };
            options.set = true;
            options.bind = true;
        } else if value == b"reuseport" {
            options.reuseport = true;
            options.set = true;
            options.bind = true;
        } else if value == b"ssl" {
            options.ssl = true;
        } else if value == b"http2" {
            options.http2 = true;
        } else if value == b"proxy_protocol" {
            // Per address, not a socket option (serve/proxy_protocol.rs).
            options.proxy_protocol = true;
        } else if let Some(rest) = value.strip_prefix(b"so_keepalive=") {
            options.so_keepalive = parse_so_keepalive(rest).ok_or_else(|| {
                ConfError::at(
                    &d.loc,
                    format!(
                        "invalid so_keepalive value: \"{}\"",
                        String::from_utf8_lossy(rest)
                    ),
                )
            })?;
            options.set = true;
            options.bind = true;
        } else if value.starts_with(b"setfib=") || value.starts_with(b"accept_filter=") {
            // FreeBSD-only options: nginx on Linux does not know them either.
            return Err(ConfError::at(
                &d.loc,
                format!("invalid parameter \"{arg}\""),
            ));
        } else {
            return Err(ConfError::at(
                &d.loc,
                format!("invalid parameter \"{arg}\""),
            ));
        }
    }
    Ok(Listen {
        addrs,
        options,
        loc: d.loc.clone(),
    })
}

fn parse_so_keepalive(value: &[u8]) -> Option<SoKeepalive> {
    match value {
        b"on" => return Some(SoKeepalive::On),
        b"off" => return Some(SoKeepalive::Off),
        _ => {}
    }
    let mut parts = value.splitn(3, |&b| b == b':');
    let idle = parts.next().unwrap_or_default();
    let interval = parts.next().unwrap_or_default();
    let count = parts.next().unwrap_or_default();
    let time = |part: &[u8]| -> Option<Option<Duration>> {
        if part.is_empty() {
            Some(None)
        } else {
            values::parse_time(part, true).map(Some)
        }
    };
    let idle = time(idle)?;
    let interval = time(interval)?;
    let count = if count.is_empty() {
        None
    } else {
        Some(values::atoi(count)?)
    };
    let zero = |d: Option<Duration>| d.is_none_or(|d| d.is_zero());
    if zero(idle) && zero(interval) && count.is_none_or(|c| c == 0) {
        return None;
    }
    Some(SoKeepalive::Tuned {
        idle,
        interval,
        count,
    })
}

/// `ngx_parse_url` in listen mode; the error is nginx's `u->err`.
fn parse_address(url: &[u8]) -> Result<Vec<ListenAddr>, &'static str> {
    if url.len() >= 5 && url[..5].eq_ignore_ascii_case(b"unix:") {
        let path = &url[5..];
        if path.is_empty() {
            return Err("no path in the unix domain socket");
        }
        use std::os::unix::ffi::OsStrExt;
        return Ok(vec![ListenAddr::Unix(PathBuf::from(
            std::ffi::OsStr::from_bytes(path),
        ))]);
    }
    if url.first() == Some(&b'[') {
        return parse_inet6(url);
    }
    parse_inet(url)
}

fn port_number(bytes: &[u8]) -> Result<u16, &'static str> {
    values::atoi(bytes)
        .filter(|n| (1..=65535).contains(n))
        .and_then(|n| u16::try_from(n).ok())
        .ok_or("invalid port")
}

fn parse_inet(url: &[u8]) -> Result<Vec<ListenAddr>, &'static str> {
    if url.iter().any(|&b| b == b'/' || b == b'?') {
        return Err("invalid host");
    }
    let colon = url.iter().position(|&b| b == b':');
    let (host, port) = match colon {
        Some(at) => (&url[..at], port_number(&url[at + 1..])?),
        None => {
            if values::atoi(url).is_some() {
                let port = port_number(url)?;
                return Ok(vec![ListenAddr::Inet(SocketAddr::new(
                    IpAddr::V4(Ipv4Addr::UNSPECIFIED),
                    port,
                ))]);
            }
            (url, 80)
        }
    };
    if host.is_empty() {
        return Err("no host");
    }
    if host == b"*" {
        return Ok(vec![ListenAddr::Inet(SocketAddr::new(
            IpAddr::V4(Ipv4Addr::UNSPECIFIED),
            port,
        ))]);
    }
    let host = std::str::from_utf8(host).map_err(|_| "host not found")?;
    if let Ok(ip) = host.parse::<Ipv4Addr>() {
        return Ok(vec![ListenAddr::Inet(SocketAddr::new(
            IpAddr::V4(ip),
            port,
        ))]);
    }
    // nginx resolves listen host names with getaddrinfo at config time and
    // keeps the IPv4 results only (AF_INET hints for listen).
    let resolved: Vec<ListenAddr> = (host, port)
        .to_socket_addrs()
        .map_err(|_| "host not found")?
        .filter(SocketAddr::is_ipv4)
        .map(ListenAddr::Inet)
        .fold(Vec::new(), |mut all, addr| {
            if !all.contains(&addr) {
                all.push(addr);
            }
            all
        });
    if resolved.is_empty() {
        return Err("host not found");
    }
    Ok(resolved)
}

fn parse_inet6(url: &[u8]) -> Result<Vec<ListenAddr>, &'static str> {
    let close = url.iter().position(|&b| b == b']').ok_or("invalid host")?;
    let rest = &url[close + 1..];
    if rest.contains(&b'/') {
        return Err("invalid host");
    }
    let port = if rest.is_empty() {
        80
    } else {
        let Some(digits) = rest.strip_prefix(b":") else {
            return Err("invalid host");
        };
        port_number(digits)?
    };
    let host = &url[1..close];
    if host.is_empty() {
        return Err("no host");
    }
    let ip: Ipv6Addr = std::str::from_utf8(host)
        .ok()
        .and_then(|h| h.parse().ok())
        .ok_or("invalid IPv6 address")?;
    Ok(vec![ListenAddr::Inet(SocketAddr::new(
        IpAddr::V6(ip),
        port,
    ))])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(url: &str) -> Result<String, &'static str> {
        parse_address(url.as_bytes()).map(|a| a[0].text())
    }

    #[test]
    fn address_forms() {
        assert_eq!(one("8080"), Ok("0.0.0.0:8080".into()));
        assert_eq!(one("*:8080"), Ok("0.0.0.0:8080".into()));
        assert_eq!(one("127.0.0.1"), Ok("127.0.0.1:80".into()));
        assert_eq!(one("127.0.0.1:18001"), Ok("127.0.0.1:18001".into()));
        assert_eq!(one("[::1]:8080"), Ok("[::1]:8080".into()));
        assert_eq!(one("[::]"), Ok("[::]:80".into()));
        assert_eq!(one("localhost:8080"), Ok("127.0.0.1:8080".into()));
        assert_eq!(one("unix:/tmp/s"), Ok("unix:/tmp/s".into()));
    }

    #[test]
    fn address_errors_in_nginx_words() {
        assert_eq!(one("70000"), Err("invalid port"));
        assert_eq!(one("127.0.0.1:0"), Err("invalid port"));
        assert_eq!(one("127.0.0.1:abc"), Err("invalid port"));
        assert_eq!(one(":80"), Err("no host"));
        assert_eq!(one("[::1"), Err("invalid host"));
        assert_eq!(one("[::1]x"), Err("invalid host"));
        assert_eq!(one("[zz]:80"), Err("invalid IPv6 address"));
        assert_eq!(one("a/b"), Err("invalid host"));
        assert_eq!(one("no-such-host.invalid:80"), Err("host not found"));
        assert_eq!(one("unix:"), Err("no path in the unix domain socket"));
    }

    #[test]
    fn default_server_twice_is_refused() {
        let loc = Loc {
            file: None,
            line: 3,
        };
        let addr = ListenAddr::Inet("127.0.0.1:80".parse().unwrap());
        let default = ListenOptions {
            default_server: true,
            ..ListenOptions::default()
        };
        let mut table = AddressTable::default();
        table.add(0, &addr, &default, &loc).unwrap();
        table
            .add(1, &addr, &ListenOptions::default(), &loc)
            .unwrap();
        let err = table.add(2, &addr, &default, &loc).unwrap_err();
        assert_eq!(err.message, "a duplicate default server for 127.0.0.1:80");
        let err = table
            .add(1, &addr, &ListenOptions::default(), &loc)
            .unwrap_err();
        assert_eq!(err.message, "a duplicate listen 127.0.0.1:80");
        assert_eq!(table.entries[0].default_server, 0);
    }
}
