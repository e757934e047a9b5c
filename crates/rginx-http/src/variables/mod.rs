//! nginx variables, compiled at config time: a value with `$name`,
//! `${name}` or `$1` becomes a [`Template`] of literal bytes and variable
//! references, so a request only looks values up, once each.
//!
//! Names resolve in nginx's order: built-in variables, then the prefix
//! families (`$http_*`, `$arg_*`, `$cookie_*`, `$sent_http_*`,
//! `$upstream_http_*`), then variables defined by `set`, `map`, named regex
//! captures and the like, which may be used before they are defined; a name
//! still undefined at the end of `http` is nginx's `unknown "x" variable`.

pub mod builtin;
pub mod eval;

pub use builtin::Builtin;
use rginx_conf::{Arg, ConfError, Loc};

/// A reference to one variable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Var {
    Builtin(Builtin),
    /// `$http_user_agent`: a request header (name lowercased, `_` as `-`).
    Header(HeaderKey),
    /// `$cookie_name`.
    Cookie(Vec<u8>),
    /// `$arg_name`.
    Arg(Vec<u8>),
    /// `$sent_http_name`: a response header.
    SentHeader(Vec<u8>),
    /// `$upstream_http_name`: a header of the upstream's response.
    UpstreamHeader(Vec<u8>),
    /// `$1` .. `$9` of the last regex match.
    Capture(usize),
    /// A variable defined by the configuration (`set`, `map`, named capture).
    User(usize),
}

impl Var {
    /// Whether the access log may have to write this value after the
    /// response is sent (`$upstream_response_length`,
    /// `$upstream_bytes_received`, `$upstream_response_time`: they grow
    /// while a body streams).
    pub fn may_be_late(&self) -> bool {
        matches!(
            self,
            Var::Builtin(
                Builtin::UpstreamResponseLength
                    | Builtin::UpstreamBytesReceived
                    | Builtin::UpstreamResponseTime
            )
        )
    }
}

/// A request header's name as a `$http_*` variable names it, with the
/// header map's key made once at config time (parsing the name per lookup
/// showed in profiles of the access log).
#[derive(Clone, Debug)]
pub struct HeaderKey {
    pub name: Vec<u8>,
    /// `None`: a name no header map can hold (the variable is always empty).
    pub key: Option<http::HeaderName>,
}

impl HeaderKey {
    pub fn new(name: Vec<u8>) -> HeaderKey {
        let key = http::HeaderName::from_bytes(&name).ok();
        HeaderKey { name, key }
    }
}

impl PartialEq for HeaderKey {
    fn eq(&self, other: &HeaderKey) -> bool {
        self.name == other.name
    }
}

impl Eq for HeaderKey {}

impl PartialEq<[u8]> for HeaderKey {
    fn eq(&self, other: &[u8]) -> bool {
        self.name == other
    }
}

/// One piece of a template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    Literal(Vec<u8>),
    Var(Var),
}

/// A compiled value with variables.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Template {
    pub parts: Vec<Part>,
}

impl Template {
    /// The value when it has no variables.
    pub fn literal(&self) -> Option<&[u8]> {
        match self.parts.as_slice() {
            [] => Some(b""),
            [Part::Literal(bytes)] => Some(bytes),
            _ => None,
        }
    }

    pub fn has_variables(&self) -> bool {
        self.parts.iter().any(|p| matches!(p, Part::Var(_)))
    }

    /// Whether it refers to `$1`..`$9`.
    pub fn uses_captures(&self) -> bool {
        self.parts
            .iter()
            .any(|p| matches!(p, Part::Var(Var::Capture(_))))
    }
}

/// How a configuration-defined variable gets its value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UserKind {
    /// A per-request slot written by `set` or a named regex capture.
    Slot,
    /// Computed by a module (`map`, `split_clients`, `geo`): the module's
    /// own table, by index.
    Computed { module: &'static str, index: usize },
}

/// A variable the configuration mentions or defines.
#[derive(Clone, Debug)]
pub struct UserVar {
    pub name: String,
    pub kind: Option<UserKind>,
}

/// The variables of an http block: every user variable by id.
#[derive(Clone, Debug, Default)]
pub struct VarRegistry {
    pub user: Vec<UserVar>,
    /// Some `$sent_http_*` was named: the log phase must keep the
    /// response's headers for it.
    pub sent_headers_used: bool,
}

impl VarRegistry {
    /// Resolves a name to a reference, interning unknown names so they can
    /// be defined later.
    pub fn resolve(&mut self, name: &str) -> Var {
        let lower = name.to_ascii_lowercase();
        if let Some(builtin) = Builtin::from_name(&lower) {
            return Var::Builtin(builtin);
        }
        let dashed = |rest: &str| rest.replace('_', "-").into_bytes();
        if let Some(rest) = lower.strip_prefix("http_") {
            return Var::Header(HeaderKey::new(dashed(rest)));
        }
        if let Some(rest) = lower.strip_prefix("sent_http_") {
            self.sent_headers_used = true;
            return Var::SentHeader(dashed(rest));
        }
        if let Some(rest) = lower.strip_prefix("upstream_http_") {
            return Var::UpstreamHeader(dashed(rest));
        }
        if let Some(rest) = name.strip_prefix("cookie_") {
            return Var::Cookie(rest.as_bytes().to_vec());
        }
        if let Some(rest) = name.strip_prefix("arg_") {
            return Var::Arg(rest.as_bytes().to_vec());
        }
        Var::User(self.intern(&lower))
    }

    /// The id of a user variable (names are case-insensitive, as nginx's).
    pub fn intern(&mut self, name: &str) -> usize {
        let lower = name.to_ascii_lowercase();
        if let Some(id) = self.user.iter().position(|v| v.name == lower) {
            return id;
        }
        self.user.push(UserVar {
            name: lower,
            kind: None,
        });
        self.user.len() - 1
    }

    /// Defines a user variable; `Err` when the name is a built-in one
    /// nginx does not let a module redefine.
    pub fn define(&mut self, name: &str, kind: UserKind) -> Result<usize, String> {
        if Builtin::from_name(&name.to_ascii_lowercase()).is_some() {
            return Err(format!("the duplicate \"{name}\" variable"));
        }
        let id = self.intern(name);
        // A later `map` of the same variable wins, as in nginx; `set` only
        // defines a variable nothing else computes.
        if self.user[id].kind.is_none() || matches!(kind, UserKind::Computed { .. }) {
            self.user[id].kind = Some(kind);
        }
        Ok(id)
    }

    /// nginx's end-of-http check: every variable used is defined.
    pub fn check_defined(&self) -> Result<(), ConfError> {
        match self.user.iter().find(|v| v.kind.is_none()) {
            Some(var) => Err(ConfError::bare(format!(
                "unknown \"{}\" variable",
                var.name
            ))),
            None => Ok(()),
        }
    }

    pub fn slot_count(&self) -> usize {
        self.user.len()
    }
}

/// Compiles a value as nginx's script compiler does (`ngx_http_script_compile`).
pub fn compile(value: &Arg, registry: &mut VarRegistry, loc: &Loc) -> Result<Template, ConfError> {
    let source = value.as_bytes();
    let mut parts = Vec::new();
    let mut literal = Vec::new();
    let mut i = 0;
    while i < source.len() {
        if source[i] != b'$' {
            literal.push(source[i]);
            i += 1;
            continue;
        }
        i += 1;
        if i == source.len() {
            return Err(ConfError::at(loc, "invalid variable name"));
        }
        if (b'1'..=b'9').contains(&source[i]) {
            flush(&mut literal, &mut parts);
            parts.push(Part::Var(Var::Capture(usize::from(source[i] - b'0'))));
            i += 1;
            continue;
        }
        let bracket = source[i] == b'{';
        if bracket {
            i += 1;
            if i == source.len() {
                return Err(ConfError::at(loc, "invalid variable name"));
            }
        }
        let start = i;
        let mut closed = false;
        while i < source.len() {
            let ch = source[i];
            if ch == b'}' && bracket {
                closed = true;
                break;
            }
            if ch.is_ascii_alphanumeric() || ch == b'_' {
                i += 1;
                continue;
            }
            break;
        }
        let name = &source[start..i];
        if bracket && !closed {
            return Err(ConfError::at(
                loc,
                format!(
                    "the closing bracket in \"{}\" variable is missing",
                    String::from_utf8_lossy(name)
                ),
            ));
        }
        if closed {
            i += 1;
        }
        if name.is_empty() {
            return Err(ConfError::at(loc, "invalid variable name"));
        }
        flush(&mut literal, &mut parts);
        let name = String::from_utf8_lossy(name);
        parts.push(Part::Var(registry.resolve(&name)));
    }
    flush(&mut literal, &mut parts);
    Ok(Template { parts })
}

fn flush(literal: &mut Vec<u8>, parts: &mut Vec<Part>) {
    if !literal.is_empty() {
        parts.push(Part::Literal(std::mem::take(literal)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loc() -> Loc {
        Loc {
            file: None,
            line: 1,
        }
    }

    #[test]
    fn templates_split_literals_and_variables() {
        let mut registry = VarRegistry::default();
        let t = compile(
            &Arg::new("http://$host${uri}x?$args$1"),
            &mut registry,
            &loc(),
        )
        .unwrap();
        assert_eq!(
            t.parts,
            vec![
                Part::Literal(b"http://".to_vec()),
                Part::Var(Var::Builtin(Builtin::Host)),
                Part::Var(Var::Builtin(Builtin::Uri)),
                Part::Literal(b"x?".to_vec()),
                Part::Var(Var::Builtin(Builtin::Args)),
                Part::Var(Var::Capture(1)),
            ]
        );
        assert!(t.uses_captures());
        let t = compile(
            &Arg::new("$http_user_agent $cookie_SID $arg_q"),
            &mut registry,
            &loc(),
        )
        .unwrap();
        assert_eq!(
            t.parts[0],
            Part::Var(Var::Header(HeaderKey::new(b"user-agent".to_vec())))
        );
        assert_eq!(t.parts[2], Part::Var(Var::Cookie(b"SID".to_vec())));
        assert_eq!(t.parts[4], Part::Var(Var::Arg(b"q".to_vec())));
    }

    #[test]
    fn nginx_errors() {
        let mut registry = VarRegistry::default();
        let err =
            |v: &str, r: &mut VarRegistry| compile(&Arg::new(v), r, &loc()).unwrap_err().message;
        assert_eq!(err("a$", &mut registry), "invalid variable name");
        assert_eq!(err("$-", &mut registry), "invalid variable name");
        assert_eq!(
            err("${abc", &mut registry),
            "the closing bracket in \"abc\" variable is missing"
        );
        compile(&Arg::new("$undefined_thing"), &mut registry, &loc()).unwrap();
        assert_eq!(
            registry.check_defined().unwrap_err().message,
            "unknown \"undefined_thing\" variable"
        );
        registry.define("undefined_thing", UserKind::Slot).unwrap();
        assert!(registry.check_defined().is_ok());
        assert!(registry.define("host", UserKind::Slot).is_err());
    }
}
