//! nginx's resolver (`resolver`, `resolver_timeout`) as `proxy_pass` with
//! variables uses it: A (and, unless `ipv6=off`, AAAA) queries over UDP to
//! exactly the configured name servers, tried in turn and re-sent while
//! `resolver_timeout` lasts, answers cached for their TTL (capped by
//! `valid=`), nginx's error codes and texts on failure.

use crate::http_core::limits::Resolver;
use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::net::UdpSocket;

/// nginx's resend interval between name servers.
const RESEND: Duration = Duration::from_secs(5);

const TYPE_A: u16 = 1;
const TYPE_AAAA: u16 = 28;

/// Why a name did not resolve: nginx's code and text
/// (`... could not be resolved (3: Host not found)`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResolveError {
    pub code: u16,
    pub text: &'static str,
}

impl std::fmt::Display for ResolveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.text)
    }
}

const TIMED_OUT: ResolveError = ResolveError {
    code: 110,
    text: "Operation timed out",
};
const NOT_FOUND: ResolveError = ResolveError {
    code: 3,
    text: "Host not found",
};

fn rcode_error(rcode: u8) -> ResolveError {
    let text = match rcode {
        1 => "Format error",
        2 => "Server failure",
        3 => "Host not found",
        4 => "Unimplemented",
        5 => "Operation refused",
        _ => "Unknown error",
    };
    ResolveError {
        code: u16::from(rcode),
        text,
    }
}

/// (resolver, name) to the addresses and when they expire.
type Cache = Mutex<HashMap<(usize, Vec<u8>), (Vec<IpAddr>, Instant)>>;

fn cache() -> &'static Cache {
    static CACHE: std::sync::OnceLock<Cache> = std::sync::OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// The addresses of `name`, from the cache or the name servers.
pub async fn resolve(
    resolver: &Arc<Resolver>,
    name: &[u8],
    timeout: Duration,
) -> Result<Vec<IpAddr>, ResolveError> {
    let name = name.to_ascii_lowercase();
    let key = (Arc::as_ptr(resolver) as usize, name.clone());
    {
        let mut cache = cache().lock().unwrap_or_else(|e| e.into_inner());
        match cache.get(&key) {
            Some((addrs, expires)) if *expires > Instant::now() => return Ok(addrs.clone()),
            Some(_) => {
                cache.remove(&key);
            }
            None => {}
        }
    }
    let deadline = Instant::now() + timeout;
    let (mut addrs, mut ttl) = query(resolver, &name, TYPE_A, deadline).await?;
    if resolver.ipv6
        && let Ok((v6, v6_ttl)) = query(resolver, &name, TYPE_AAAA, deadline).await
        && !v6.is_empty()
    {
        ttl = if addrs.is_empty() {
            v6_ttl
        } else {
            ttl.min(v6_ttl)
        };
        addrs.extend(v6);
    }
    if addrs.is_empty() {
        return Err(NOT_FOUND);
    }
    let ttl = match resolver.valid {
        Some(valid) => valid,
        None => Duration::from_secs(u64::from(ttl)),
    };
    cache()
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(key, (addrs.clone(), Instant::now() + ttl));
    Ok(addrs)
}

/// One question, asked of each name server in turn until one answers or
/// the deadline passes.
async fn query(
    resolver: &Resolver,
    name: &[u8],
    qtype: u16,
    deadline: Instant,
) -> Result<(Vec<IpAddr>, u32), ResolveError> {
    let id = query_id();
    let message = encode_query(id, name, qtype).ok_or(NOT_FOUND)?;
    let mut servers = resolver.servers.iter().cycle();
    let mut buf = vec![0u8; 4096];
    loop {
        let now = Instant::now();
        if now >= deadline || resolver.servers.is_empty() {
            return Err(TIMED_OUT);
        }
        let Some(server) = servers.next() else {
            return Err(TIMED_OUT);
        };
        let wait = deadline.saturating_duration_since(now).min(RESEND);
        let attempt = async {
            let socket = bind_for(server).await?;
            socket.connect(server).await?;
            socket.send(&message).await?;
            loop {
                let n = socket.recv(&mut buf).await?;
                if let Some(answer) = decode_answer(&buf[..n], id, qtype) {
                    return Ok::<_, std::io::Error>(answer);
                }
            }
        };
        match tokio::time::timeout(wait, attempt).await {
            Ok(Ok(Ok(answer))) => return Ok(answer),
            Ok(Ok(Err(rcode))) => return Err(rcode_error(rcode)),
            // A refused or broken exchange: the next server, after the
            // resend interval as nginx waits.
            Ok(Err(_)) => tokio::time::sleep_until((now + wait).into()).await,
            Err(_) => {}
        }
    }
}

async fn bind_for(server: &SocketAddr) -> std::io::Result<UdpSocket> {
    let local: SocketAddr = match server {
        SocketAddr::V4(_) => (Ipv4Addr::UNSPECIFIED, 0).into(),
        SocketAddr::V6(_) => (Ipv6Addr::UNSPECIFIED, 0).into(),
    };
    UdpSocket::bind(local).await
}

fn query_id() -> u16 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(Instant::now().elapsed().as_nanos());
    hasher.finish() as u16
}

/// A standard query with recursion desired.
fn encode_query(id: u16, name: &[u8], qtype: u16) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(name.len() + 18);
    out.extend_from_slice(&id.to_be_bytes());
    out.extend_from_slice(&[0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]);
    let name = name.strip_suffix(b".").unwrap_or(name);
    for label in name.split(|&b| b == b'.') {
        if label.is_empty() || label.len() > 63 {
            return None;
        }
        out.push(label.len() as u8);
        out.extend_from_slice(label);
    }
    out.push(0);
    out.extend_from_slice(&qtype.to_be_bytes());
    out.extend_from_slice(&1u16.to_be_bytes());
    Some(out)
}

/// The addresses of type `qtype` in a response to query `id` and their
/// smallest TTL; `Err(rcode)` for an error response; `None` when the
/// datagram is not that response.
fn decode_answer(msg: &[u8], id: u16, qtype: u16) -> Option<Result<(Vec<IpAddr>, u32), u8>> {
    if msg.len() < 12 || u16::from_be_bytes([msg[0], msg[1]]) != id || msg[2] & 0x80 == 0 {
        return None;
    }
    let rcode = msg[3] & 0x0f;
    if rcode != 0 {
        return Some(Err(rcode));
    }
    let questions = u16::from_be_bytes([msg[4], msg[5]]);
    let answers = u16::from_be_bytes([msg[6], msg[7]]);
    let mut at = 12;
    for _ in 0..questions {
        at = skip_name(msg, at)? + 4;
    }
    let mut addrs = Vec::new();
    let mut ttl = u32::MAX;
    for _ in 0..answers {
        at = skip_name(msg, at)?;
        let fixed = msg.get(at..at + 10)?;
        let rtype = u16::from_be_bytes([fixed[0], fixed[1]]);
        let rttl = u32::from_be_bytes([fixed[4], fixed[5], fixed[6], fixed[7]]);
        let len = usize::from(u16::from_be_bytes([fixed[8], fixed[9]]));
        let data = msg.get(at + 10..at + 10 + len)?;
        at += 10 + len;
        if rtype != qtype {
            continue;
        }
        let addr = match (rtype, data.len()) {
            (TYPE_A, 4) => IpAddr::from(<[u8; 4]>::try_from(data).ok()?),
            (TYPE_AAAA, 16) => IpAddr::from(<[u8; 16]>::try_from(data).ok()?),
            _ => continue,
        };
        addrs.push(addr);
        ttl = ttl.min(rttl);
    }
    Some(Ok((addrs, if ttl == u32::MAX { 0 } else { ttl })))
}

fn skip_name(msg: &[u8], mut at: usize) -> Option<usize> {
    loop {
        let len = *msg.get(at)?;
        if len & 0xc0 == 0xc0 {
            return Some(at + 2);
        }
        if len == 0 {
            return Some(at + 1);
        }
        at += 1 + usize::from(len);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answer_round_trip() {
        let query = encode_query(7, b"a.test", TYPE_A).unwrap();
        let mut reply = query.clone();
        reply[2] |= 0x80;
        reply[7] = 1;
        reply.extend_from_slice(&[0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 30, 0, 4, 10, 0, 0, 1]);
        let (addrs, ttl) = decode_answer(&reply, 7, TYPE_A).unwrap().unwrap();
        assert_eq!(addrs, vec![IpAddr::from([10, 0, 0, 1])]);
        assert_eq!(ttl, 30);
        assert!(decode_answer(&reply, 8, TYPE_A).is_none());
        reply[3] |= 3;
        assert_eq!(decode_answer(&reply, 7, TYPE_A), Some(Err(3)));
    }
}
