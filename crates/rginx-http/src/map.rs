//! nginx's map module: `map $source $variable { ... }` defines a variable
//! computed from another value: exact keys (case-insensitive), host-name
//! wildcards with `hostnames`, regexes in order, and a default.

use crate::compile::{Compiler, Target};
use crate::http_core::request::Ctx;
use crate::regex::Regex;
use crate::registry::Spec;
use crate::values;
use crate::variables::{self, Template, UserKind};
use rginx_conf::{Arg, ConfError, Directive};
use std::collections::HashMap;

/// A compiled `map` block.
#[derive(Clone, Debug)]
pub struct Map {
    pub source: Template,
    exact: HashMap<Vec<u8>, Template>,
    /// `hostnames`: suffix (without the leading dot) -> value.
    head: Vec<(Vec<u8>, Template)>,
    /// `hostnames`: prefix (without the trailing `.*`) -> value.
    tail: Vec<(Vec<u8>, Template)>,
    regexes: Vec<(Regex, Template)>,
    default: Option<Template>,
    hostnames: bool,
}

/// Settings of the map module (http level).
#[derive(Clone, Debug, Default)]
pub struct MapConf {
    pub hash_max_size: Option<u64>,
    pub hash_bucket_size: Option<u64>,
}

fn map_conf<'a>(t: &'a mut Target<'_>) -> Result<&'a mut crate::http_core::HttpBuild, ConfError> {
    match t {
        Target::Http(http) => Ok(http),
        _ => Err(ConfError::bare(
            "internal error: map directive out of place",
        )),
    }
}

fn set_map(c: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    let http = map_conf(t)?;
    // The first map fixes the hash sizes: setting them afterwards is
    // "duplicate" in nginx.
    http.map_conf.hash_max_size.get_or_insert(2048);
    http.map_conf.hash_bucket_size.get_or_insert(64);
    let source = variables::compile(&d.args[0], &mut c.variables, &d.loc)?;
    let name = d.args[1].as_bytes();
    if name.first() != Some(&b'$') {
        return Err(ConfError::at(
            &d.loc,
            format!("invalid variable name \"{}\"", d.args[1]),
        ));
    }
    let name = String::from_utf8_lossy(&name[1..]).into_owned();
    let index = c.maps.len();
    c.variables
        .define(
            &name,
            UserKind::Computed {
                module: "map",
                index,
            },
        )
        .map_err(|message| ConfError::at(&d.loc, message))?;
    let mut map = Map {
        source,
        exact: HashMap::new(),
        head: Vec::new(),
        tail: Vec::new(),
        regexes: Vec::new(),
        default: None,
        hostnames: false,
    };
    let Some(block) = &d.block else {
        c.maps.push(map);
        return Ok(());
    };
    for entry in &block.directives {
        if entry.block.is_some() {
            return Err(ConfError::at(&entry.loc, "unexpected \"{\""));
        }
        let key = entry.name.as_bytes();
        if entry.args.is_empty() && key == b"hostnames" {
            map.hostnames = true;
            continue;
        }
        if entry.args.is_empty() && key == b"volatile" {
            continue;
        }
        if entry.args.len() != 1 {
            return Err(ConfError::at(
                &entry.loc,
                "invalid number of the map parameters",
            ));
        }
        let value = variables::compile(&entry.args[0], &mut c.variables, &entry.loc)?;
        if key == b"default" {
            if map.default.is_some() {
                return Err(ConfError::at(&entry.loc, "duplicate default map parameter"));
            }
            map.default = Some(value);
            continue;
        }
        if let Some(pattern) = key.strip_prefix(b"~") {
            let (pattern, caseless) = match pattern.strip_prefix(b"*") {
                Some(rest) => (rest, true),
                None => (pattern, false),
            };
            let regex = Regex::compile(&Arg::new(pattern), caseless, &entry.loc)?;
            crate::rewrite::define_named_captures(c, &regex);
            map.regexes.push((regex, value));
            continue;
        }
        let key = key.strip_prefix(b"\\").unwrap_or(key);
        add_key(&mut map, key, value).map_err(|message| ConfError::at(&entry.loc, message))?;
    }
    if !block.is_complete() {
        return Err(c.syntax_error());
    }
    c.maps.push(map);
    Ok(())
}

fn add_key(map: &mut Map, key: &[u8], value: Template) -> Result<(), String> {
    let shown = || String::from_utf8_lossy(key).into_owned();
    let conflict = || format!("conflicting parameter \"{}\"", shown());
    if map.hostnames {
        let stars = key.iter().filter(|&&b| b == b'*').count();
        if stars > 1 || key.windows(2).any(|w| w == b"..") {
            return Err(format!("invalid hostname or wildcard \"{}\"", shown()));
        }
        let lower = key.to_ascii_lowercase();
        if lower.len() > 1 && lower[0] == b'.' {
            return push_unique(&mut map.head, &lower[1..], value).ok_or_else(conflict);
        }
        if lower.len() > 2 && lower.starts_with(b"*.") {
            return push_unique(&mut map.head, &lower[2..], value).ok_or_else(conflict);
        }
        if lower.len() > 2 && lower.ends_with(b".*") {
            return push_unique(&mut map.tail, &lower[..lower.len() - 2], value)
                .ok_or_else(conflict);
        }
        if stars > 0 {
            return Err(format!("invalid hostname or wildcard \"{}\"", shown()));
        }
    }
    let lower = key.to_ascii_lowercase();
    if map.exact.contains_key(&lower) {
        return Err(conflict());
    }
    map.exact.insert(lower, value);
    Ok(())
}

fn push_unique(list: &mut Vec<(Vec<u8>, Template)>, key: &[u8], value: Template) -> Option<()> {
    if list.iter().any(|(k, _)| k == key) {
        return None;
    }
    list.push((key.to_vec(), value));
    Some(())
}

/// The value of the map's variable for this request.
pub fn evaluate(ctx: &Ctx<'_>, map: &Map) -> Vec<u8> {
    let mut source = variables::eval::render(ctx, &map.source);
    if map.hostnames && source.last() == Some(&b'.') {
        source.pop();
    }
    let lower = source.to_ascii_lowercase();
    let found = map.exact.get(&lower).or_else(|| {
        if !map.hostnames {
            return None;
        }
        let mut rest = lower.as_slice();
        loop {
            if let Some((_, v)) = map.head.iter().find(|(k, _)| k.as_slice() == rest) {
                return Some(v);
            }
            let dot = rest.iter().position(|&b| b == b'.')?;
            rest = &rest[dot + 1..];
        }
    });
    let found = found.or_else(|| {
        if !map.hostnames {
            return None;
        }
        let mut end = lower.len();
        while let Some(dot) = lower[..end].iter().rposition(|&b| b == b'.') {
            if let Some((_, v)) = map.tail.iter().find(|(k, _)| k.as_slice() == &lower[..dot]) {
                return Some(v);
            }
            end = dot;
        }
        None
    });
    if let Some(template) = found {
        return variables::eval::render(ctx, template);
    }
    if !source.is_empty() {
        for (regex, value) in &map.regexes {
            if let Some(offsets) = regex.captures(&source) {
                let matched = variables::eval::Match {
                    subject: &source,
                    offsets: &offsets,
                    names: &regex.capture_names,
                };
                return variables::eval::render_with_match(ctx, value, Some(&matched));
            }
        }
    }
    match &map.default {
        Some(template) => variables::eval::render(ctx, template),
        None => Vec::new(),
    }
}

fn set_hash_max_size(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    let value = values::number(d, &d.args[0]);
    values::set_parsed(&mut map_conf(t)?.map_conf.hash_max_size, d, value)
}

fn set_hash_bucket_size(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    let value = values::size(d, &d.args[0]);
    values::set_parsed(&mut map_conf(t)?.map_conf.hash_bucket_size, d, value)
}

const MODULE: &str = "ngx_http_map_module";

pub static SPECS: &[Spec] = &[
    Spec {
        module: MODULE,
        name: "map",
        set: set_map,
        note: "exact, hostnames wildcards, regexes, default, volatile",
    },
    Spec {
        module: MODULE,
        name: "map_hash_max_size",
        set: set_hash_max_size,
        note: "accepted: rginx's lookup tables need no sizing",
    },
    Spec {
        module: MODULE,
        name: "map_hash_bucket_size",
        set: set_hash_bucket_size,
        note: "accepted: rginx's lookup tables need no sizing",
    },
];
