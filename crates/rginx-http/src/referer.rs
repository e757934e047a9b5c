//! nginx's referer module: `valid_referers` and the `$invalid_referer`
//! variable ("" for a valid `Referer`, "1" otherwise), with nginx's exact
//! rules: `none` (no header), `blocked` (a header that does not start with
//! `http://` or `https://`), host names with `*.example.com`,
//! `.example.com` and `www.example.*` wildcards and an optional URI prefix,
//! `server_names`, and `~regex` matched against what follows the scheme.

use crate::compile::{Compiler, Target};
use crate::http_core::request::Ctx;
use crate::http_core::server_names::ServerName;
use crate::http_core::{LocConf, LocationBuild, ServerBuild};
use crate::regex::Regex;
use crate::registry::Spec;
use crate::values;
use rginx_conf::{Arg, ConfError, Directive, Loc};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// The URI part a host name must be followed by (`example.com/galleries/`),
/// or `None` when any URI will do.
type UriPart = Option<Vec<u8>>;

/// What the `valid_referers` directives of one level say.
#[derive(Clone, Debug, Default)]
pub struct Referers {
    none: bool,
    blocked: bool,
    exact: HashMap<Vec<u8>, UriPart>,
    /// Suffix without its leading dot -> (URI part, whether the bare
    /// suffix matches too: `.example.com` does, `*.example.com` does not).
    head: HashMap<Vec<u8>, (UriPart, bool)>,
    /// `www.example.*`: the prefix without `.*`.
    tail: HashMap<Vec<u8>, UriPart>,
    /// nginx's conflict lists (`keys_hash`, `dns_wc_*_hash`): a name added
    /// twice is refused as a "conflicting parameter".
    exact_names: HashSet<Vec<u8>>,
    head_names: HashSet<Vec<u8>>,
    tail_names: HashSet<Vec<u8>>,
    /// `None`: no regex at this level, so a deeper level with its own
    /// `valid_referers` still inherits the outer regexes (nginx's
    /// `ngx_conf_merge_ptr_value` on the regex array).
    regexes: Option<Vec<Regex>>,
    /// `server_names` given in a location: the server's names are only
    /// known once the http block is read (see [`finish`]).
    pending_server_names: Vec<Loc>,
}

/// The referer settings of a location (and of server level).
#[derive(Clone, Debug, Default)]
pub struct RefererConf {
    /// `Some` where `valid_referers` appears (nginx's `keys != NULL`).
    pub referers: Option<Arc<Referers>>,
    pub hash_max_size: Option<u64>,
    pub hash_bucket_size: Option<u64>,
}

impl RefererConf {
    pub fn merge(&mut self, parent: &RefererConf) {
        self.hash_max_size = self.hash_max_size.or(parent.hash_max_size);
        self.hash_bucket_size = self.hash_bucket_size.or(parent.hash_bucket_size);
        match &mut self.referers {
            None => self.referers.clone_from(&parent.referers),
            Some(own) => {
                if own.regexes.is_none()
                    && let Some(outer) = parent.referers.as_ref().and_then(|p| p.regexes.clone())
                {
                    Arc::make_mut(own).regexes = Some(outer);
                }
            }
        }
    }
}

fn conf<'a>(t: &'a mut Target<'_>) -> Result<&'a mut RefererConf, ConfError> {
    match t {
        Target::Server(_, server) => Ok(&mut server.conf.referer),
        Target::Location(location) => Ok(&mut location.conf.referer),
        _ => Err(ConfError::bare(
            "internal error: referer directive out of place",
        )),
    }
}

fn set_valid_referers(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    // A server-level `server_names` sees the names given so far, as in
    // nginx; a location's is resolved against the server at the end.
    let server_names: Option<Vec<ServerName>> = match t {
        Target::Server(_, server) => Some(server.names.clone()),
        _ => None,
    };
    let slot = &mut conf(t)?.referers;
    let referers = Arc::make_mut(slot.get_or_insert_with(Default::default));
    for arg in &d.args {
        let value = arg.as_bytes();
        if value.is_empty() {
            return Err(ConfError::at(&d.loc, format!("invalid referer \"{arg}\"")));
        }
        match value {
            b"none" => referers.none = true,
            b"blocked" => referers.blocked = true,
            b"server_names" => match &server_names {
                Some(names) => add_server_names(referers, names, &d.loc)?,
                None => referers.pending_server_names.push(d.loc.clone()),
            },
            _ if value[0] == b'~' => {
                if value.len() == 1 {
                    return Err(ConfError::at(&d.loc, format!("empty regex in \"{arg}\"")));
                }
                let regex = Regex::compile(&Arg::new(value[1..].to_vec()), true, &d.loc)?;
                referers.regexes.get_or_insert_with(Vec::new).push(regex);
            }
            _ => {
                let (name, uri) = match value.iter().position(|&b| b == b'/') {
                    Some(slash) => (&value[..slash], Some(value[slash..].to_vec())),
                    None => (value, None),
                };
                add_name(referers, name, uri, &d.loc)?;
            }
        }
    }
    Ok(())
}

fn add_server_names(
    referers: &mut Referers,
    names: &[ServerName],
    loc: &Loc,
) -> Result<(), ConfError> {
    for name in names {
        match name {
            ServerName::Regex(regex) => referers
                .regexes
                .get_or_insert_with(Vec::new)
                .push(regex.clone()),
            ServerName::Plain(plain) => add_name(referers, plain, None, loc)?,
        }
    }
    Ok(())
}

/// nginx's `ngx_hash_add_key` with `NGX_HASH_WILDCARD_KEY`: validates the
/// name, sorts it into the exact or a wildcard table, refuses conflicts.
fn add_name(
    referers: &mut Referers,
    name: &[u8],
    uri: UriPart,
    loc: &Loc,
) -> Result<(), ConfError> {
    let invalid = || {
        ConfError::at(
            loc,
            format!(
                "invalid hostname or wildcard \"{}\"",
                String::from_utf8_lossy(name)
            ),
        )
    };
    let stars = name.iter().filter(|&&b| b == b'*').count();
    // nginx also looks at the byte after the name (the `/` of a URI part,
    // or the string's terminator), which never makes a `..`.
    if stars > 1 || name.windows(2).any(|w| w == b"..") || name.contains(&0) {
        return Err(invalid());
    }
    let lower = name.to_ascii_lowercase();
    // The messages show the name as nginx left it: lowercased in place.
    let conflict = || {
        ConfError::at(
            loc,
            format!(
                "conflicting parameter \"{}\"",
                String::from_utf8_lossy(&lower)
            ),
        )
    };
    if lower.len() > 1 && lower[0] == b'.' {
        let suffix = lower[1..].to_vec();
        if !referers.exact_names.insert(suffix.clone()) {
            return Err(conflict());
        }
        if !referers.head_names.insert(suffix.clone()) {
            return Err(conflict());
        }
        referers.head.insert(suffix, (uri, true));
        return Ok(());
    }
    if lower.len() > 2 && lower.starts_with(b"*.") {
        let suffix = lower[2..].to_vec();
        if !referers.head_names.insert(suffix.clone()) {
            return Err(conflict());
        }
        referers.head.insert(suffix, (uri, false));
        return Ok(());
    }
    if lower.len() > 2 && lower.ends_with(b".*") {
        let prefix = lower[..lower.len() - 2].to_vec();
        if !referers.tail_names.insert(prefix.clone()) {
            return Err(conflict());
        }
        referers.tail.insert(prefix, uri);
        return Ok(());
    }
    if stars > 0 {
        return Err(invalid());
    }
    if !referers.exact_names.insert(lower.clone()) {
        return Err(conflict());
    }
    referers.exact.insert(lower, uri);
    Ok(())
}

fn set_hash_max_size(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    values::number_slot(&mut conf(t)?.hash_max_size, d)
}

fn set_hash_bucket_size(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    values::number_slot(&mut conf(t)?.hash_bucket_size, d)
}

/// The end of the http block (nginx's merge of this module's location
/// configurations): resolves a location's `server_names`, refuses `none` or
/// `blocked` alone, and checks that every name fits a hash bucket.
pub fn finish(servers: &mut [ServerBuild]) -> Result<(), ConfError> {
    for server in servers {
        let names = server.names.clone();
        check_conf(&mut server.conf, &names)?;
        check_locations(&mut server.locations, &names)?;
    }
    Ok(())
}

fn check_locations(locations: &mut [LocationBuild], names: &[ServerName]) -> Result<(), ConfError> {
    for location in locations {
        check_conf(&mut location.conf, names)?;
        if let Some(limit) = location.limit_except.as_mut() {
            check_conf(&mut limit.location.conf, names)?;
        }
        check_locations(&mut location.children, names)?;
    }
    Ok(())
}

fn check_conf(conf: &mut LocConf, names: &[ServerName]) -> Result<(), ConfError> {
    for location in conf.rewrite.if_locations_mut() {
        check_conf(&mut location.conf, names)?;
    }
    let referer = &mut conf.referer;
    let Some(slot) = referer.referers.as_mut() else {
        return Ok(());
    };
    if !slot.pending_server_names.is_empty() {
        let referers = Arc::make_mut(slot);
        for loc in std::mem::take(&mut referers.pending_server_names) {
            add_server_names(referers, names, &loc)?;
        }
    }
    let referers = &**slot;
    if (referers.none || referers.blocked)
        && referers.exact.is_empty()
        && referers.head.is_empty()
        && referers.tail.is_empty()
    {
        return Err(ConfError::bare(
            "the \"none\" or \"blocked\" referers are specified in the \
             \"valid_referers\" directive without any valid referer",
        ));
    }
    // nginx rounds the bucket size up to the cache line (64 bytes).
    let bucket_size = referer.hash_bucket_size.unwrap_or(64).div_ceil(64) * 64;
    if bucket_size > 65536 - 64 {
        return Err(ConfError::bare(format!(
            "could not build referer_hash, too large referer_hash_bucket_size: {bucket_size}"
        )));
    }
    // An element is a pointer, the name with its length padded to pointer
    // size; the bucket also ends with a pointer (`NGX_HASH_ELT_SIZE`).
    let pointer = 8;
    if referers.exact.keys().any(|name| {
        let padded = (name.len() as u64 + 2).div_ceil(pointer) * pointer;
        pointer + padded + pointer > bucket_size
    }) {
        return Err(ConfError::bare(format!(
            "could not build referer_hash, you should increase \
             referer_hash_bucket_size: {bucket_size}"
        )));
    }
    Ok(())
}

/// `$invalid_referer` for this request: "" when valid, "1" when not.
pub fn invalid_referer(ctx: &Ctx<'_>) -> &'static [u8] {
    let valid = match ctx.loc_conf().referer.referers.as_deref() {
        Some(referers) => is_valid(
            referers,
            ctx.parts
                .headers
                .get(http::header::REFERER)
                .map(|v| v.as_bytes()),
        ),
        None => true,
    };
    if valid { b"" } else { b"1" }
}

/// nginx's `ngx_http_referer_variable`.
pub fn is_valid(referers: &Referers, referer: Option<&[u8]>) -> bool {
    let no_regex = referers.regexes.as_ref().is_none_or(Vec::is_empty);
    if referers.exact.is_empty() && referers.head.is_empty() && referers.tail.is_empty() && no_regex
    {
        return true;
    }
    let Some(referer) = referer else {
        return referers.none;
    };
    // nginx wants at least "http://i.ru" before it looks at the scheme.
    let rest = if referer.len() >= 11 {
        if referer[..7].eq_ignore_ascii_case(b"http://") {
            Some(&referer[7..])
        } else if referer[..8].eq_ignore_ascii_case(b"https://") {
            Some(&referer[8..])
        } else {
            None
        }
    } else {
        None
    };
    let Some(rest) = rest else {
        return referers.blocked;
    };
    let host_len = rest
        .iter()
        .position(|&b| b == b'/' || b == b':')
        .unwrap_or(rest.len());
    if host_len >= 256 {
        return false;
    }
    let host = rest[..host_len].to_ascii_lowercase();
    if let Some(uri) = find_host(referers, &host) {
        let Some(uri) = uri else {
            return true;
        };
        let after = &rest[host_len..];
        let path = after
            .iter()
            .position(|&b| b == b'/')
            .map_or(&b""[..], |slash| &after[slash..]);
        return path.starts_with(uri);
    }
    if let Some(regexes) = &referers.regexes {
        return regexes.iter().any(|re| re.is_match(rest));
    }
    false
}

/// nginx's `ngx_hash_find_combined`: exact, then the most specific head
/// wildcard, then the most specific tail wildcard.
fn find_host<'a>(referers: &'a Referers, host: &[u8]) -> Option<&'a UriPart> {
    if let Some(uri) = referers.exact.get(host) {
        return Some(uri);
    }
    if let Some((uri, true)) = referers.head.get(host) {
        return Some(uri);
    }
    let mut rest = host;
    while let Some(dot) = rest.iter().position(|&b| b == b'.') {
        rest = &rest[dot + 1..];
        if let Some((uri, _)) = referers.head.get(rest) {
            return Some(uri);
        }
    }
    let mut end = host.len();
    while let Some(dot) = host[..end].iter().rposition(|&b| b == b'.') {
        if let Some(uri) = referers.tail.get(&host[..dot]) {
            return Some(uri);
        }
        end = dot;
    }
    None
}

pub static SPECS: &[Spec] = &[
    Spec {
        module: "ngx_http_referer_module",
        name: "valid_referers",
        set: set_valid_referers,
        note: "none, blocked, server_names, wildcards, URI parts, regexes; sets $invalid_referer",
    },
    Spec {
        module: "ngx_http_referer_module",
        name: "referer_hash_max_size",
        set: set_hash_max_size,
        note: "accepted; rginx's table has no size limit",
    },
    Spec {
        module: "ngx_http_referer_module",
        name: "referer_hash_bucket_size",
        set: set_hash_bucket_size,
        note: "checked against the longest name, as nginx does",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    fn loc() -> Loc {
        Loc {
            file: None,
            line: 1,
        }
    }

    fn build(args: &[&str]) -> Referers {
        let mut r = Referers::default();
        for a in args {
            match *a {
                "none" => r.none = true,
                "blocked" => r.blocked = true,
                _ if a.starts_with('~') => r.regexes.get_or_insert_with(Vec::new).push(
                    Regex::compile(&Arg::new(a.as_bytes()[1..].to_vec()), true, &loc())
                        .expect("valid test regex"),
                ),
                _ => {
                    let v = a.as_bytes();
                    let (name, uri) = match v.iter().position(|&b| b == b'/') {
                        Some(s) => (&v[..s], Some(v[s..].to_vec())),
                        None => (v, None),
                    };
                    add_name(&mut r, name, uri, &loc()).expect("valid test name");
                }
            }
        }
        r
    }

    #[test]
    fn names_wildcards_and_uris() {
        let r = build(&[
            "none",
            "example.com",
            "*.example.org",
            ".example.net",
            "www.example.*",
            "pics.com/galleries/",
        ]);
        let ok = |s: &str| is_valid(&r, Some(s.as_bytes()));
        assert!(is_valid(&r, None));
        assert!(ok("http://example.com/x"));
        assert!(ok("HTTPS://EXAMPLE.COM:8080/x"));
        assert!(!ok("http://a.example.com/"));
        assert!(ok("http://a.b.example.org/"));
        assert!(!ok("http://example.org/"));
        assert!(ok("http://example.net/"));
        assert!(ok("http://x.example.net/"));
        assert!(ok("http://www.example.co.uk/"));
        assert!(!ok("http://www.example/"));
        assert!(ok("http://pics.com/galleries/1.jpg"));
        assert!(ok("http://pics.com:81/galleries/"));
        assert!(!ok("http://pics.com/other/"));
        assert!(!ok("ftp://example.com/"));
    }

    #[test]
    fn conflicts_and_invalid_names() {
        let mut r = Referers::default();
        add_name(&mut r, b"example.com", None, &loc()).expect("first");
        let err = add_name(&mut r, b".Example.com", None, &loc()).expect_err("conflict");
        assert_eq!(err.message, "conflicting parameter \".example.com\"");
        let err = add_name(&mut r, b"a.*.com", None, &loc()).expect_err("invalid");
        assert_eq!(err.message, "invalid hostname or wildcard \"a.*.com\"");
    }

    #[test]
    fn regex_after_the_scheme_and_blocked() {
        let r = build(&["blocked", "a.com", "~^b\\.com/x$"]);
        let ok = |s: &str| is_valid(&r, Some(s.as_bytes()));
        assert!(ok("http://b.com/x"));
        assert!(ok("https://b.com/x"));
        assert!(ok("somewhere"));
        assert!(!is_valid(&r, None));
    }
}
