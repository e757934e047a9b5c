//! nginx's geo module: `geo [$address] $variable { ... }` maps a client
//! address to a value by the most specific network (CIDR mode) or by
//! address ranges (`ranges`), with `default`, `delete`, `include`, and the
//! `proxy` / `proxy_recursive` handling of X-Forwarded-For.

use crate::access::{CidrError, Matcher, parse_cidr};
use crate::compile::{Compiler, Target};
use crate::http_core::request::Ctx;
use crate::registry::Spec;
use crate::variables::{self, Template, UserKind};
use rginx_conf::{Arg, ConfError, Directive, Loc};
use std::net::{IpAddr, Ipv4Addr};

/// A compiled `geo` block.
#[derive(Clone, Debug)]
pub struct Geo {
    /// `$address` when given, else the client address.
    source: Option<Template>,
    /// CIDR mode: networks with their values, most specific first.
    networks: Vec<(Matcher, Arg)>,
    /// `ranges` mode: inclusive IPv4 ranges.
    ranges: Option<Vec<(u32, u32, Arg)>>,
    default: Arg,
    proxies: Vec<Matcher>,
    proxy_recursive: bool,
}

fn prefix_len(matcher: &Matcher) -> u32 {
    match matcher {
        Matcher::V4 { mask, .. } => mask.count_ones(),
        Matcher::V6 { mask, .. } => mask.count_ones(),
        _ => 0,
    }
}

fn contains(matcher: &Matcher, ip: IpAddr) -> bool {
    match (matcher, ip) {
        (Matcher::V4 { addr, mask }, IpAddr::V4(v4)) => u32::from(v4) & mask == *addr,
        (Matcher::V6 { addr, mask }, IpAddr::V6(v6)) => u128::from(v6) & mask == *addr,
        (Matcher::All, _) => true,
        _ => false,
    }
}

fn network(c: &mut Compiler, text: &Arg, loc: &Loc) -> Result<Matcher, ConfError> {
    if *text == "255.255.255.255" {
        return Ok(Matcher::V4 {
            addr: u32::MAX,
            mask: u32::MAX,
        });
    }
    match parse_cidr(text.as_bytes()) {
        Ok(matcher) => Ok(matcher),
        Err(CidrError::LowBits(matcher)) => {
            c.warn(ConfError::at(
                loc,
                format!("low address bits of {text} are meaningless"),
            ));
            Ok(matcher)
        }
        Err(CidrError::Invalid) => Err(ConfError::at(loc, format!("invalid network \"{text}\""))),
    }
}

fn ipv4(text: &str) -> Option<u32> {
    let ip: Ipv4Addr = text.parse().ok()?;
    Some(u32::from(ip))
}

fn set_geo(c: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    if !matches!(t, Target::Http(_)) {
        return Err(ConfError::bare("internal error: geo out of place"));
    }
    let (source, name) = if d.args.len() == 2 {
        let source = d.args[0].as_bytes();
        if source.first() != Some(&b'$') {
            return Err(ConfError::at(
                &d.loc,
                format!("invalid variable name \"{}\"", d.args[0]),
            ));
        }
        let template = variables::compile(&d.args[0], &mut c.variables, &d.loc)?;
        (Some(template), &d.args[1])
    } else {
        (None, &d.args[0])
    };
    let name_bytes = name.as_bytes();
    if name_bytes.first() != Some(&b'$') {
        return Err(ConfError::at(
            &d.loc,
            format!("invalid variable name \"{name}\""),
        ));
    }
    let var_name = String::from_utf8_lossy(&name_bytes[1..]).into_owned();
    let index = c.geos.len();
    c.variables
        .define(
            &var_name,
            UserKind::Computed {
                module: "geo",
                index,
            },
        )
        .map_err(|message| ConfError::at(&d.loc, message))?;
    let mut geo = Geo {
        source,
        networks: Vec::new(),
        ranges: None,
        default: Arg::default(),
        proxies: Vec::new(),
        proxy_recursive: false,
    };
    let mut seen_entries = false;
    if let Some(block) = &d.block {
        for entry in &block.directives {
            if entry.block.is_some() {
                return Err(ConfError::at(&entry.loc, "unexpected \"{\""));
            }
            let key = &entry.name;
            if entry.args.is_empty() && *key == "ranges" {
                if seen_entries {
                    return Err(ConfError::at(
                        &entry.loc,
                        "the \"ranges\" directive must be the first directive inside \"geo\" block",
                    ));
                }
                geo.ranges = Some(Vec::new());
                continue;
            }
            if entry.args.is_empty() && *key == "proxy_recursive" {
                geo.proxy_recursive = true;
                continue;
            }
            if entry.args.len() != 1 {
                return Err(ConfError::at(
                    &entry.loc,
                    "invalid number of the geo parameters",
                ));
            }
            let value = entry.args[0].clone();
            if *key == "proxy" {
                let matcher = network(c, &value, &entry.loc)?;
                geo.proxies.push(matcher);
                continue;
            }
            seen_entries = true;
            if *key == "default" {
                geo.default = value;
                continue;
            }
            let (net, delete) = if *key == "delete" {
                (&entry.args[0], true)
            } else {
                (key, false)
            };
            if let Some(ranges) = geo.ranges.as_mut() {
                let text = net.lossy();
                let parsed = text
                    .split_once('-')
                    .and_then(|(a, b)| Some((ipv4(a)?, ipv4(b)?)))
                    .filter(|(a, b)| a <= b);
                let Some((start, end)) = parsed else {
                    return Err(ConfError::at(
                        &entry.loc,
                        format!("invalid range \"{net}\""),
                    ));
                };
                if delete {
                    ranges.retain(|(s, e, _)| !(*s == start && *e == end));
                } else {
                    ranges.push((start, end, value));
                }
                continue;
            }
            let matcher = network(c, net, &entry.loc)?;
            if delete {
                let before = geo.networks.len();
                geo.networks.retain(|(m, _)| *m != matcher);
                if geo.networks.len() == before {
                    c.warn(ConfError::at(
                        &entry.loc,
                        format!("no network \"{net}\" to delete"),
                    ));
                }
                continue;
            }
            if let Some(existing) = geo.networks.iter_mut().find(|(m, _)| *m == matcher) {
                c.warn(ConfError::at(
                    &entry.loc,
                    format!(
                        "duplicate network \"{net}\", value: \"{value}\", old value: \"{}\"",
                        existing.1
                    ),
                ));
                existing.1 = value;
                continue;
            }
            geo.networks.push((matcher, value));
        }
        if !block.is_complete() {
            return Err(c.syntax_error());
        }
    }
    // Most specific network first; among equals, the order given.
    geo.networks
        .sort_by_key(|(matcher, _)| std::cmp::Reverse(prefix_len(matcher)));
    c.geos.push(geo);
    Ok(())
}

/// The client address geo looks up: `$address` if given, else the peer,
/// replaced by X-Forwarded-For when the peer is a trusted `proxy`.
fn address(ctx: &Ctx<'_>, geo: &Geo) -> Option<IpAddr> {
    if let Some(source) = &geo.source {
        let text = variables::eval::render(ctx, source);
        return std::str::from_utf8(&text).ok()?.trim().parse().ok();
    }
    let peer = ctx.client?.ip();
    let peer = match peer {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(peer, IpAddr::V4),
        v4 => v4,
    };
    if geo.proxies.is_empty() || !geo.proxies.iter().any(|p| contains(p, peer)) {
        return Some(peer);
    }
    let forwarded = ctx.parts.headers.get("x-forwarded-for")?.to_str().ok()?;
    let addresses: Vec<&str> = forwarded.split(',').map(str::trim).collect();
    let mut chosen = peer;
    for candidate in addresses.iter().rev() {
        let Ok(ip) = candidate.parse::<IpAddr>() else {
            break;
        };
        chosen = ip;
        if !geo.proxy_recursive || !geo.proxies.iter().any(|p| contains(p, ip)) {
            break;
        }
    }
    Some(chosen)
}

/// The variable's value for this request.
pub fn evaluate(ctx: &Ctx<'_>, geo: &Geo) -> Vec<u8> {
    let Some(ip) = address(ctx, geo) else {
        return geo.default.as_bytes().to_vec();
    };
    if let Some(ranges) = &geo.ranges {
        let IpAddr::V4(v4) = ip else {
            return geo.default.as_bytes().to_vec();
        };
        let ip = u32::from(v4);
        return ranges
            .iter()
            .rev()
            .find(|(start, end, _)| (*start..=*end).contains(&ip))
            .map_or(geo.default.as_bytes(), |(_, _, value)| value.as_bytes())
            .to_vec();
    }
    geo.networks
        .iter()
        .find(|(matcher, _)| contains(matcher, ip))
        .map_or(geo.default.as_bytes(), |(_, value)| value.as_bytes())
        .to_vec()
}

pub static SPECS: &[Spec] = &[Spec {
    module: "ngx_http_geo_module",
    name: "geo",
    set: set_geo,
    note: "CIDR and ranges, default, delete, proxy, proxy_recursive",
}];
