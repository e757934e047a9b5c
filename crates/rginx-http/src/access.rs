//! nginx's access module: `allow` / `deny` by address (IPv4 and IPv6 CIDR,
//! `unix:`, `all`), checked in order in the access phase; the first rule
//! that matches decides, a denied client gets 403.

use crate::compile::{Compiler, Target};
use crate::core_main::LogLevel;
use crate::http_core::request::{Ctx, Outcome};
use crate::registry::Spec;
use rginx_conf::{ConfError, Directive};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::Arc;

/// Which addresses a rule covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Matcher {
    All,
    V4 { addr: u32, mask: u32 },
    V6 { addr: u128, mask: u128 },
    Unix,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    pub matcher: Matcher,
    pub deny: bool,
}

/// Access rules of a level; an inner level with any rule replaces the
/// outer list, as nginx merges.
#[derive(Clone, Debug, Default)]
pub struct AccessConf {
    pub rules: Option<Arc<Vec<Rule>>>,
}

impl AccessConf {
    pub fn merge(&mut self, parent: &AccessConf) {
        if self.rules.is_none() {
            self.rules.clone_from(&parent.rules);
        }
    }
}

/// Why a text is not a CIDR, or that it has host bits set.
#[derive(Debug, PartialEq, Eq)]
pub enum CidrError {
    Invalid,
    LowBits(Matcher),
}

/// nginx's `ngx_ptocidr`.
pub fn parse_cidr(text: &[u8]) -> Result<Matcher, CidrError> {
    let text = std::str::from_utf8(text).map_err(|_| CidrError::Invalid)?;
    let (addr, mask) = match text.split_once('/') {
        Some((addr, mask)) => (addr, Some(mask)),
        None => (text, None),
    };
    let shift = match mask {
        Some(mask) => Some(crate::values::atoi(mask.as_bytes()).ok_or(CidrError::Invalid)?),
        None => None,
    };
    if let Some(v4) = parse_dotted_quad(addr) {
        let addr = u32::from(v4);
        let Some(shift) = shift else {
            return Ok(Matcher::V4 {
                addr,
                mask: u32::MAX,
            });
        };
        if shift > 32 {
            return Err(CidrError::Invalid);
        }
        let mask = if shift == 0 {
            0
        } else {
            u32::MAX << (32 - shift)
        };
        let matcher = Matcher::V4 {
            addr: addr & mask,
            mask,
        };
        return if addr & mask == addr {
            Ok(matcher)
        } else {
            Err(CidrError::LowBits(matcher))
        };
    }
    let v6: Ipv6Addr = addr.parse().map_err(|_| CidrError::Invalid)?;
    let addr = u128::from(v6);
    let Some(shift) = shift else {
        return Ok(Matcher::V6 {
            addr,
            mask: u128::MAX,
        });
    };
    if shift > 128 {
        return Err(CidrError::Invalid);
    }
    let mask = if shift == 0 {
        0
    } else {
        u128::MAX << (128 - shift)
    };
    let matcher = Matcher::V6 {
        addr: addr & mask,
        mask,
    };
    if addr & mask == addr {
        Ok(matcher)
    } else {
        Err(CidrError::LowBits(matcher))
    }
}

/// `ngx_inet_addr`: exactly four decimal octets.
fn parse_dotted_quad(text: &str) -> Option<Ipv4Addr> {
    let octets: Vec<&str> = text.split('.').collect();
    if octets.len() != 4 {
        return None;
    }
    let mut bytes = [0u8; 4];
    for (byte, octet) in bytes.iter_mut().zip(&octets) {
        if octet.is_empty() || !octet.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        *byte = octet.parse().ok()?;
    }
    Some(Ipv4Addr::from(bytes))
}

fn set_rule(c: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    let value = &d.args[0];
    let matcher = match value.as_bytes() {
        b"all" => Matcher::All,
        b"unix:" => Matcher::Unix,
        text => match parse_cidr(text) {
            Ok(matcher) => matcher,
            Err(CidrError::LowBits(matcher)) => {
                c.warn(ConfError::at(
                    &d.loc,
                    format!("low address bits of {value} are meaningless"),
                ));
                matcher
            }
            Err(CidrError::Invalid) => {
                return Err(ConfError::at(
                    &d.loc,
                    format!("invalid parameter \"{value}\""),
                ));
            }
        },
    };
    let conf = match t {
        Target::Http(http) => &mut http.conf,
        Target::Server(_, server) => &mut server.conf,
        Target::Location(location) => &mut location.conf,
        _ => return Err(ConfError::bare("internal error: allow/deny out of place")),
    };
    let mut rules = conf.access.rules.as_deref().cloned().unwrap_or_default();
    rules.push(Rule {
        matcher,
        deny: d.name == "deny",
    });
    conf.access.rules = Some(Arc::new(rules));
    Ok(())
}

/// Whether the rules let this client in.
pub fn allowed(rules: &[Rule], peer: Option<IpAddr>) -> bool {
    verdict(rules, peer) != Some(false)
}

/// The first matching rule's word: `Some(true)` allow, `Some(false)`
/// deny, `None` when no rule matches (`satisfy any` needs the three).
pub fn verdict(rules: &[Rule], peer: Option<IpAddr>) -> Option<bool> {
    let peer = peer.map(|ip| match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    });
    for rule in rules {
        let matches = match (&rule.matcher, peer) {
            (Matcher::All, _) => true,
            (Matcher::Unix, None) => true,
            (Matcher::V4 { addr, mask }, Some(IpAddr::V4(ip))) => u32::from(ip) & mask == *addr,
            (Matcher::V6 { addr, mask }, Some(IpAddr::V6(ip))) => u128::from(ip) & mask == *addr,
            _ => false,
        };
        if matches {
            return Some(!rule.deny);
        }
    }
    None
}

/// The access phase: `None` to go on, or the 403.
pub fn check(ctx: &Ctx<'_>) -> Option<Outcome> {
    let rules = ctx.loc_conf().access.rules.as_ref()?;
    if allowed(rules, ctx.client.map(|p| p.ip())) {
        return None;
    }
    crate::log::error(ctx, LogLevel::Error, "access forbidden by rule");
    Some(Outcome::status(403, ctx.loc_conf()))
}

const MODULE: &str = "ngx_http_access_module";

pub static SPECS: &[Spec] = &[
    Spec {
        module: MODULE,
        name: "allow",
        set: set_rule,
        note: "IPv4/IPv6 CIDR, unix:, all",
    },
    Spec {
        module: MODULE,
        name: "deny",
        set: set_rule,
        note: "IPv4/IPv6 CIDR, unix:, all; 403",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidrs_as_nginx_reads_them() {
        assert_eq!(
            parse_cidr(b"10.0.0.0/8"),
            Ok(Matcher::V4 {
                addr: 0x0a00_0000,
                mask: 0xff00_0000
            })
        );
        assert!(matches!(
            parse_cidr(b"10.0.0.1/8"),
            Err(CidrError::LowBits(_))
        ));
        assert_eq!(parse_cidr(b"10.0.0.0/33"), Err(CidrError::Invalid));
        assert_eq!(parse_cidr(b"10.0.0"), Err(CidrError::Invalid));
        assert_eq!(parse_cidr(b"example.com"), Err(CidrError::Invalid));
        assert!(parse_cidr(b"2001:db8::/32").is_ok());
        assert_eq!(
            parse_cidr(b"0.0.0.0/0"),
            Ok(Matcher::V4 { addr: 0, mask: 0 })
        );
    }

    #[test]
    fn first_matching_rule_decides() {
        let rules = vec![
            Rule {
                matcher: parse_cidr(b"127.0.0.1").unwrap(),
                deny: true,
            },
            Rule {
                matcher: parse_cidr(b"127.0.0.0/8").unwrap(),
                deny: false,
            },
            Rule {
                matcher: Matcher::All,
                deny: true,
            },
        ];
        assert!(!allowed(&rules, Some("127.0.0.1".parse().unwrap())));
        assert!(allowed(&rules, Some("127.0.0.2".parse().unwrap())));
        assert!(!allowed(&rules, Some("10.1.1.1".parse().unwrap())));
        assert!(allowed(&rules, Some("::ffff:127.0.0.2".parse().unwrap())));
        assert!(!allowed(&rules, None));
    }
}
