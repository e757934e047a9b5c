//! The directive registry: which directives rginx implements, where each may
//! appear, and the setter that lowers it into typed configuration.
//!
//! Where a directive may appear and how many arguments it takes are not
//! restated here: they come from nginx's own table
//! ([`rginx_conf::known_directives`]), so rginx accepts and refuses exactly
//! what nginx does. A module registers a directive by naming nginx's module
//! and directive and giving the setter; a directive nginx has but no module
//! registers is refused as "not supported by rginx".

use crate::compile::{Compiler, Target};
use rginx_conf::known_directives::{self, KnownDirective};
use rginx_conf::nginx_flags::*;
use rginx_conf::{ConfError, Directive};

/// A setter: reads the directive into the configuration being built.
pub type SetFn = fn(&mut Compiler, &Directive, &mut Target<'_>) -> Result<(), ConfError>;

/// One implemented directive.
pub struct Spec {
    /// nginx's module that declares it (`ngx_http_core_module`).
    pub module: &'static str,
    pub name: &'static str,
    pub set: SetFn,
    /// What rginx does with it, for `docs/directives.md`.
    pub note: &'static str,
}

/// Where the compiler is, in nginx's terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    Main,
    Events,
    Http,
    Server,
    Location,
    ServerIf,
    LocationIf,
    LimitExcept,
    Upstream,
}

impl Context {
    /// The kind of module whose directives are looked up here.
    pub fn module_kind(self) -> ModuleKind {
        match self {
            Context::Main => ModuleKind::Core,
            Context::Events => ModuleKind::Event,
            _ => ModuleKind::Http,
        }
    }

    /// nginx's `cf->cmd_type` for this context.
    pub fn cmd_type(self) -> u32 {
        match self {
            Context::Main => NGX_MAIN_CONF,
            Context::Events => NGX_EVENT_CONF,
            Context::Http => NGX_HTTP_MAIN_CONF,
            Context::Server => NGX_HTTP_SRV_CONF,
            Context::Location => NGX_HTTP_LOC_CONF,
            Context::ServerIf => NGX_HTTP_SIF_CONF,
            Context::LocationIf => NGX_HTTP_LIF_CONF,
            Context::LimitExcept => NGX_HTTP_LMT_CONF,
            Context::Upstream => NGX_HTTP_UPS_CONF,
        }
    }
}

/// Every directive rginx implements, module by module.
pub fn specs() -> impl Iterator<Item = &'static Spec> {
    crate::MODULES.iter().flat_map(|specs| specs.iter())
}

fn implemented(known: &KnownDirective) -> Option<&'static Spec> {
    specs().find(|spec| spec.name == known.name && spec.module == known.module)
}

const ARGUMENT_NUMBER: [u32; 8] = [
    NGX_CONF_NOARGS,
    NGX_CONF_TAKE1,
    NGX_CONF_TAKE2,
    NGX_CONF_TAKE3,
    NGX_CONF_TAKE4,
    NGX_CONF_TAKE5,
    NGX_CONF_TAKE6,
    NGX_CONF_TAKE7,
];

/// nginx's `ngx_conf_handler`: finds the directive for this context and runs
/// nginx's generic checks (place, `;` or `{`, argument count) in nginx's
/// order, so the first error is nginx's first error.
pub fn resolve(directive: &Directive, context: Context) -> Result<&'static Spec, ConfError> {
    let name = directive.name.as_bytes();
    let mut found = false;
    for known in known_directives::lookup(name) {
        found = true;
        if known.kind != ModuleKind::Conf && known.kind != context.module_kind() {
            continue;
        }
        if known.flags & context.cmd_type() == 0 {
            continue;
        }
        let is_block = known.flags & NGX_CONF_BLOCK != 0;
        if !is_block && directive.block.is_some() {
            return Err(ConfError::at(
                &directive.loc,
                format!(
                    "directive \"{}\" is not terminated by \";\"",
                    directive.name_str()
                ),
            ));
        }
        if is_block && directive.block.is_none() {
            return Err(ConfError::at(
                &directive.loc,
                format!(
                    "directive \"{}\" has no opening \"{{\"",
                    directive.name_str()
                ),
            ));
        }
        if !arity_ok(known.flags, directive.args.len()) {
            return Err(invalid_arguments(directive));
        }
        return match implemented(known) {
            Some(spec) => Ok(spec),
            None => Err(ConfError::at(
                &directive.loc,
                format!(
                    "\"{}\" directive is not supported by rginx",
                    directive.name_str()
                ),
            )),
        };
    }
    if found {
        return Err(ConfError::at(
            &directive.loc,
            format!("\"{}\" directive is not allowed here", directive.name_str()),
        ));
    }
    let mut error = ConfError::at(
        &directive.loc,
        format!("unknown directive \"{}\"", directive.name_str()),
    );
    if let Some(close) = closest_name(name) {
        error = error.with_hint(format!("did you mean \"{close}\"?"));
    }
    Err(error)
}

/// `invalid number of arguments in "X" directive`.
pub fn invalid_arguments(directive: &Directive) -> ConfError {
    ConfError::at(
        &directive.loc,
        format!(
            "invalid number of arguments in \"{}\" directive",
            directive.name_str()
        ),
    )
}

fn arity_ok(flags: u32, args: usize) -> bool {
    if flags & NGX_CONF_ANY != 0 {
        return true;
    }
    if flags & NGX_CONF_FLAG != 0 {
        return args == 1;
    }
    if flags & NGX_CONF_1MORE != 0 {
        return args >= 1;
    }
    if flags & NGX_CONF_2MORE != 0 {
        return args >= 2;
    }
    match ARGUMENT_NUMBER.get(args) {
        Some(bit) => flags & bit != 0,
        None => false,
    }
}

/// The known directive nearest to a misspelt name, when it is near enough to
/// be a typo (edit distance at most 2, or 1 for short names).
pub fn closest_name(name: &[u8]) -> Option<&'static str> {
    let limit = if name.len() <= 4 { 1 } else { 2 };
    let mut best: Option<(usize, &'static str)> = None;
    for known in known_directives::NGINX_DIRECTIVES {
        let distance = edit_distance(name, known.name.as_bytes());
        if distance <= limit && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, known.name));
        }
    }
    best.map(|(_, name)| name)
}

fn edit_distance(a: &[u8], b: &[u8]) -> usize {
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, &ca) in a.iter().enumerate() {
        current[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(!ca.eq_ignore_ascii_case(&cb));
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spec_is_a_directive_nginx_has() {
        for spec in specs() {
            assert!(
                known_directives::lookup(spec.name.as_bytes()).any(|k| k.module == spec.module),
                "{} of {} is not in nginx's table",
                spec.name,
                spec.module
            );
        }
    }

    #[test]
    fn no_directive_is_registered_twice() {
        let all: Vec<_> = specs().map(|s| (s.module, s.name)).collect();
        for (i, a) in all.iter().enumerate() {
            assert!(!all[i + 1..].contains(a), "{a:?} registered twice");
        }
    }

    #[test]
    fn arity_follows_nginx_bits() {
        assert!(arity_ok(NGX_CONF_TAKE12, 1));
        assert!(arity_ok(NGX_CONF_TAKE12, 2));
        assert!(!arity_ok(NGX_CONF_TAKE12, 3));
        assert!(!arity_ok(NGX_CONF_TAKE12, 0));
        assert!(arity_ok(NGX_CONF_FLAG, 1));
        assert!(!arity_ok(NGX_CONF_FLAG, 2));
        assert!(!arity_ok(NGX_CONF_2MORE, 1));
        assert!(arity_ok(NGX_CONF_1MORE, 9));
        assert!(!arity_ok(NGX_CONF_TAKE7, 8));
    }

    #[test]
    fn typos_find_their_directive() {
        assert_eq!(closest_name(b"proxy_passs"), Some("proxy_pass"));
        assert_eq!(closest_name(b"servr_name"), Some("server_name"));
        assert_eq!(closest_name(b"completely_unrelated_words"), None);
    }
}
