//! `location`: nginx's modifiers (`=`, `^~`, `~`, `~*`, `@name`, attached
//! or separate), the nesting rules, and the duplicate check nginx makes once
//! the http block is read.

use super::LocConf;
use super::find_location::LocationIndex;
use crate::regex::Regex;
use rginx_conf::{Arg, ConfError, Directive, Loc};

/// How a location matches.
#[derive(Clone, Debug)]
pub enum LocationKind {
    /// `location = /uri`.
    Exact,
    /// `location /uri`.
    Prefix,
    /// `location ^~ /uri`: a prefix that stops the regex search.
    PrefixNoRegex,
    /// `location ~ re` / `location ~* re`.
    Regex(Regex),
    /// `location @name`: only reachable internally.
    Named,
    /// The configuration of an `if` block inside a location.
    Noname,
}

impl LocationKind {
    fn is_static(&self) -> bool {
        matches!(
            self,
            LocationKind::Exact | LocationKind::Prefix | LocationKind::PrefixNoRegex
        )
    }
}

/// A location while its block is read, then as compiled.
#[derive(Clone, Debug)]
pub struct LocationBuild {
    pub kind: LocationKind,
    /// nginx's `clcf->name`: the URI, the regex source, or `@name`.
    pub name: Arg,
    pub loc: Loc,
    pub conf: LocConf,
    pub children: Vec<LocationBuild>,
    /// Lookup structure over `children`, built at the end of `http`.
    pub index: LocationIndex,
    /// `internal`: only internal redirects may land here.
    pub internal: bool,
    /// `limit_except METHOD... { }`: the configuration for other methods.
    pub limit_except: Option<Box<LimitExcept>>,
}

/// A `limit_except` block: the methods it lets through unchanged (GET
/// implies HEAD) and the configuration every other method gets.
#[derive(Clone, Debug)]
pub struct LimitExcept {
    pub methods: Vec<&'static str>,
    pub location: LocationBuild,
}

/// The methods nginx knows by name (`ngx_methods_names`).
pub const METHOD_NAMES: [&str; 14] = [
    "GET",
    "HEAD",
    "POST",
    "PUT",
    "DELETE",
    "MKCOL",
    "COPY",
    "MOVE",
    "OPTIONS",
    "PROPFIND",
    "PROPPATCH",
    "LOCK",
    "UNLOCK",
    "PATCH",
];

impl LimitExcept {
    /// Whether `method` uses the location's own configuration.
    pub fn lets_through(&self, method: &str) -> bool {
        self.methods.contains(&method)
    }
}

/// Reads the arguments of `location` as `ngx_http_core_location`.
pub fn parse(d: &Directive, parent: Option<&LocationBuild>) -> Result<LocationBuild, ConfError> {
    let (kind, name) = if d.args.len() == 2 {
        let name = d.args[1].clone();
        let kind = match d.args[0].as_bytes() {
            b"=" => LocationKind::Exact,
            b"^~" => LocationKind::PrefixNoRegex,
            b"~" => LocationKind::Regex(Regex::compile(&name, false, &d.loc)?),
            b"~*" => LocationKind::Regex(Regex::compile(&name, true, &d.loc)?),
            _ => {
                return Err(ConfError::at(
                    &d.loc,
                    format!("invalid location modifier \"{}\"", d.args[0]),
                ));
            }
        };
        (kind, name)
    } else {
        let raw = d.args[0].as_bytes();
        if let Some(rest) = raw.strip_prefix(b"=") {
            (LocationKind::Exact, Arg::new(rest))
        } else if let Some(rest) = raw.strip_prefix(b"^~") {
            (LocationKind::PrefixNoRegex, Arg::new(rest))
        } else if let Some(rest) = raw.strip_prefix(b"~*") {
            let name = Arg::new(rest);
            (
                LocationKind::Regex(Regex::compile(&name, true, &d.loc)?),
                name,
            )
        } else if let Some(rest) = raw.strip_prefix(b"~") {
            let name = Arg::new(rest);
            (
                LocationKind::Regex(Regex::compile(&name, false, &d.loc)?),
                name,
            )
        } else if raw.starts_with(b"@") {
            (LocationKind::Named, d.args[0].clone())
        } else {
            (LocationKind::Prefix, d.args[0].clone())
        }
    };
    if let Some(parent) = parent {
        if matches!(parent.kind, LocationKind::Exact) {
            return Err(ConfError::at(
                &d.loc,
                format!(
                    "location \"{name}\" cannot be inside the exact location \"{}\"",
                    parent.name
                ),
            ));
        }
        if matches!(parent.kind, LocationKind::Named) {
            return Err(ConfError::at(
                &d.loc,
                format!(
                    "location \"{name}\" cannot be inside the named location \"{}\"",
                    parent.name
                ),
            ));
        }
        if matches!(kind, LocationKind::Named) {
            return Err(ConfError::at(
                &d.loc,
                format!("named location \"{name}\" can be on the server level only"),
            ));
        }
        if !matches!(kind, LocationKind::Regex(_))
            && !name.as_bytes().starts_with(parent.name.as_bytes())
        {
            return Err(ConfError::at(
                &d.loc,
                format!(
                    "location \"{name}\" is outside location \"{}\"",
                    parent.name
                ),
            ));
        }
    }
    Ok(LocationBuild {
        kind,
        name,
        loc: d.loc.clone(),
        conf: LocConf::default(),
        children: Vec::new(),
        index: LocationIndex::default(),
        internal: false,
        limit_except: None,
    })
}

/// nginx's duplicate check over one level of locations and, recursively,
/// their nested ones: two exact, or two prefix (`^~` or not), locations
/// with the same URI.
pub fn check_duplicates(locations: &[LocationBuild]) -> Result<(), ConfError> {
    let mut statics: Vec<&LocationBuild> =
        locations.iter().filter(|l| l.kind.is_static()).collect();
    // nginx sorts by name ('/' first) with exact before prefix, stably.
    statics.sort_by(|a, b| {
        filename_order(a.name.as_bytes())
            .cmp(filename_order(b.name.as_bytes()))
            .then_with(|| {
                let exact = |l: &LocationBuild| !matches!(l.kind, LocationKind::Exact);
                exact(a).cmp(&exact(b))
            })
    });
    for pair in statics.windows(2) {
        let (first, second) = (pair[0], pair[1]);
        let both_exact =
            matches!(first.kind, LocationKind::Exact) && matches!(second.kind, LocationKind::Exact);
        let both_prefix = !matches!(first.kind, LocationKind::Exact)
            && !matches!(second.kind, LocationKind::Exact);
        if first.name == second.name && (both_exact || both_prefix) {
            return Err(ConfError::bare(format!(
                "duplicate location \"{}\" in {}",
                second.name, second.loc
            )));
        }
    }
    for location in locations {
        check_duplicates(&location.children)?;
    }
    Ok(())
}

fn filename_order(name: &[u8]) -> impl Iterator<Item = u8> + '_ {
    name.iter().map(|&b| if b == b'/' { 0 } else { b })
}
