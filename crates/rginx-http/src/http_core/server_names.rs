//! `server_name` and the per-address name tables nginx builds from it:
//! exact names, `*.example.com` / `.example.com` head wildcards,
//! `www.example.*` tail wildcards and `~regex` names.

use crate::regex::Regex;
use rginx_conf::{Arg, ConfError, Directive};
use std::collections::HashMap;

/// A regex server name and the offsets of its match in the host.
pub type RegexMatch<'a> = (&'a Regex, Vec<Option<(usize, usize)>>);

/// One name of a server, as written.
#[derive(Clone, Debug)]
pub enum ServerName {
    /// Lowercased; may contain a wildcard, validated when tables are built.
    Plain(Vec<u8>),
    Regex(Regex),
}

/// Parses one `server_name` directive. `hostname` replaces `$hostname`.
pub fn parse(
    d: &Directive,
    hostname: &[u8],
    warnings: &mut Vec<ConfError>,
) -> Result<Vec<ServerName>, ConfError> {
    let mut names = Vec::new();
    for arg in &d.args {
        let value = arg.as_bytes();
        let first = value.first().copied().unwrap_or(0);
        if (first == b'*' && (value.len() < 3 || value[1] != b'.'))
            || (first == b'.' && value.len() < 2)
        {
            return Err(ConfError::at(
                &d.loc,
                format!("server name \"{arg}\" is invalid"),
            ));
        }
        if value.contains(&b'/') {
            warnings.push(ConfError::at(
                &d.loc,
                format!("server name \"{arg}\" has suspicious symbols"),
            ));
        }
        if value.eq_ignore_ascii_case(b"$hostname") {
            names.push(ServerName::Plain(hostname.to_ascii_lowercase()));
            continue;
        }
        if first != b'~' {
            names.push(ServerName::Plain(value.to_ascii_lowercase()));
            continue;
        }
        if value.len() == 1 {
            return Err(ConfError::at(
                &d.loc,
                format!("empty regex in server name \"{arg}\""),
            ));
        }
        let pattern = Arg::new(&value[1..]);
        // nginx makes a name regex caseless only when it has capitals.
        let caseless = value[1..].iter().any(u8::is_ascii_uppercase);
        names.push(ServerName::Regex(Regex::compile(
            &pattern, caseless, &d.loc,
        )?));
    }
    Ok(names)
}

/// How a plain name goes into a table (nginx's `ngx_hash_add_key` with
/// `NGX_HASH_WILDCARD_KEY`).
enum Key<'a> {
    Exact(&'a [u8]),
    /// `.example.com`: matches `example.com` and every subdomain.
    DotHead(&'a [u8]),
    /// `*.example.com`: subdomains only.
    StarHead(&'a [u8]),
    /// `www.example.*`.
    Tail(&'a [u8]),
}

fn classify(name: &[u8]) -> Option<Key<'_>> {
    if name.iter().filter(|&&b| b == b'*').count() > 1
        || name.windows(2).any(|w| w == b"..")
        || name.contains(&0)
    {
        return None;
    }
    if name.len() > 1 && name[0] == b'.' {
        return Some(Key::DotHead(&name[1..]));
    }
    if name.len() > 2 {
        if name.starts_with(b"*.") {
            return Some(Key::StarHead(&name[2..]));
        }
        if name.ends_with(b".*") {
            return Some(Key::Tail(&name[..name.len() - 2]));
        }
    }
    if name.contains(&b'*') {
        return None;
    }
    Some(Key::Exact(name))
}

/// The names of the servers sharing one address, ready for lookups.
#[derive(Clone, Debug, Default)]
pub struct NameTable {
    exact: HashMap<Vec<u8>, usize>,
    /// Suffix (without the leading dot) -> server; `bool`: also the bare name.
    head: HashMap<Vec<u8>, (usize, bool)>,
    tail: HashMap<Vec<u8>, usize>,
    regex: Vec<(Regex, usize)>,
}

impl NameTable {
    /// Builds the table for `servers` (index, names), warning on conflicts
    /// as nginx does; `addr` names the address in messages.
    pub fn build<'a>(
        servers: impl Iterator<Item = (usize, &'a [ServerName])>,
        addr: &str,
        bucket_size: u64,
        warnings: &mut Vec<ConfError>,
    ) -> Result<NameTable, ConfError> {
        let mut table = NameTable::default();
        for (server, names) in servers {
            for name in names {
                let plain = match name {
                    ServerName::Regex(re) => {
                        table.regex.push((re.clone(), server));
                        continue;
                    }
                    ServerName::Plain(plain) => plain,
                };
                let shown = String::from_utf8_lossy(plain);
                let Some(key) = classify(plain) else {
                    return Err(ConfError::bare(format!(
                        "invalid server name or wildcard \"{shown}\" on {addr}"
                    )));
                };
                let added = match key {
                    Key::Exact(name) => insert(&mut table.exact, name, server),
                    Key::DotHead(suffix) => {
                        // ".example.com" is also the exact "example.com".
                        let exact = insert(&mut table.exact, suffix, server);
                        exact && insert_head(&mut table.head, suffix, server, true)
                    }
                    Key::StarHead(suffix) => insert_head(&mut table.head, suffix, server, false),
                    Key::Tail(prefix) => insert(&mut table.tail, prefix, server),
                };
                if !added {
                    warnings.push(ConfError::bare(format!(
                        "conflicting server name \"{shown}\" on {addr}, ignored"
                    )));
                }
            }
        }
        // nginx's hash keeps each name in a bucket of `bucket_size` bytes:
        // a pointer, the name padded to pointer size with a length, and the
        // bucket's end marker must fit.
        let pointer = 8;
        if table.exact.keys().any(|name| {
            let padded = (name.len() as u64 + 2).div_ceil(pointer) * pointer;
            pointer + padded + pointer > bucket_size
        }) {
            return Err(ConfError::bare(format!(
                "could not build server_names_hash, you should increase \
                 server_names_hash_bucket_size: {bucket_size}"
            )));
        }
        Ok(table)
    }

    /// The server for a (lowercased, port-less) host name, if any name matches:
    /// exact, then the longest head wildcard, then the longest tail wildcard,
    /// then the first matching regex.
    pub fn find(&self, host: &[u8]) -> Option<usize> {
        self.find_with_match(host).map(|(server, _)| server)
    }

    /// Like [`NameTable::find`], with the regex and its match when a regex
    /// name chose the server (its captures become variables).
    pub fn find_with_match(&self, host: &[u8]) -> Option<(usize, Option<RegexMatch<'_>>)> {
        if let Some(server) = self.find_plain(host) {
            return Some((server, None));
        }
        self.regex.iter().find_map(|(re, server)| {
            let offsets = re.captures(host)?;
            Some((*server, Some((re, offsets))))
        })
    }

    fn find_plain(&self, host: &[u8]) -> Option<usize> {
        if let Some(&server) = self.exact.get(host) {
            return Some(server);
        }
        let mut rest = host;
        while let Some(dot) = rest.iter().position(|&b| b == b'.') {
            rest = &rest[dot + 1..];
            if let Some(&(server, _)) = self.head.get(rest) {
                return Some(server);
            }
        }
        let mut end = host.len();
        while let Some(dot) = host[..end].iter().rposition(|&b| b == b'.') {
            if let Some(&server) = self.tail.get(&host[..dot]) {
                return Some(server);
            }
            end = dot;
        }
        None
    }
}

fn insert(map: &mut HashMap<Vec<u8>, usize>, key: &[u8], server: usize) -> bool {
    if map.contains_key(key) {
        return false;
    }
    map.insert(key.to_vec(), server);
    true
}

fn insert_head(
    map: &mut HashMap<Vec<u8>, (usize, bool)>,
    key: &[u8],
    server: usize,
    bare: bool,
) -> bool {
    if map.contains_key(key) {
        return false;
    }
    map.insert(key.to_vec(), (server, bare));
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(names: &[&str]) -> Vec<ServerName> {
        names
            .iter()
            .map(|n| ServerName::Plain(n.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn lookup_order_is_nginxs() {
        let a = plain(&["example.com"]);
        let b = plain(&["*.example.com"]);
        let c = plain(&["www.example.*"]);
        let d = plain(&[".example.org"]);
        let mut warnings = Vec::new();
        let table = NameTable::build(
            [(0, &a[..]), (1, &b[..]), (2, &c[..]), (3, &d[..])].into_iter(),
            "0.0.0.0:80",
            64,
            &mut warnings,
        )
        .unwrap();
        assert!(warnings.is_empty());
        assert_eq!(table.find(b"example.com"), Some(0));
        assert_eq!(table.find(b"a.b.example.com"), Some(1));
        assert_eq!(table.find(b"www.example.net"), Some(2));
        assert_eq!(table.find(b"example.org"), Some(3));
        assert_eq!(table.find(b"x.example.org"), Some(3));
        assert_eq!(table.find(b"other.net"), None);
    }

    #[test]
    fn bad_wildcards_and_conflicts() {
        let mut warnings = Vec::new();
        let bad = plain(&["www.*.com"]);
        let err = NameTable::build([(0, &bad[..])].into_iter(), "0.0.0.0:80", 64, &mut warnings)
            .unwrap_err();
        assert_eq!(
            err.message,
            "invalid server name or wildcard \"www.*.com\" on 0.0.0.0:80"
        );
        let one = plain(&["a.com"]);
        let two = plain(&["a.com"]);
        NameTable::build(
            [(0, &one[..]), (1, &two[..])].into_iter(),
            "127.0.0.1:80",
            64,
            &mut warnings,
        )
        .unwrap();
        assert_eq!(
            warnings[0].message,
            "conflicting server name \"a.com\" on 127.0.0.1:80, ignored"
        );
    }
}
