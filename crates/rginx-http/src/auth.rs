//! The access phase, as nginx's core runs it (`ngx_http_core_access_phase`
//! and `ngx_http_core_post_access_phase`): realip's second chance
//! (preaccess), then the access module (`allow`/`deny`) and auth_basic in
//! nginx's order, combined by `satisfy all|any`; `auth_delay` holds back
//! a 401. Also where the `WWW-Authenticate` challenges of a request are
//! put on its final response.

use crate::auth_basic::{self, AuthBasicConf, Verdict};
use crate::compile::{Compiler, Target};
use crate::core_main::LogLevel;
use crate::http_core::request::{Ctx, Outcome};
use crate::registry::Spec;
use crate::values;
use http::HeaderValue;
use rginx_conf::{ConfError, Directive};
use std::time::Duration;

/// `satisfy`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Satisfy {
    /// Every access module must let the client in (nginx's default).
    All,
    /// One is enough.
    Any,
}

/// Access-phase settings of one level.
#[derive(Clone, Debug, Default)]
pub struct AuthConf {
    pub satisfy: Option<Satisfy>,
    /// `auth_delay`: how long a 401 is held back.
    pub delay: Option<Duration>,
    pub basic: AuthBasicConf,
}

impl AuthConf {
    pub fn merge(&mut self, parent: &AuthConf) {
        self.satisfy = self.satisfy.or(parent.satisfy);
        self.delay = self.delay.or(parent.delay);
        self.basic.merge(&parent.basic);
    }
}

fn conf<'a>(t: &'a mut Target<'_>) -> Result<&'a mut AuthConf, ConfError> {
    match t {
        Target::Http(http) => Ok(&mut http.conf.auth),
        Target::Server(_, server) => Ok(&mut server.conf.auth),
        Target::Location(location) => Ok(&mut location.conf.auth),
        _ => Err(ConfError::bare("internal error: satisfy out of place")),
    }
}

/// `satisfy all|any`: nginx's enum slot.
fn set_satisfy(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    let conf = conf(t)?;
    if conf.satisfy.is_some() {
        return Err(values::duplicate(d));
    }
    conf.satisfy = Some(match d.args[0].as_bytes() {
        b"all" => Satisfy::All,
        b"any" => Satisfy::Any,
        _ => return Err(values::invalid_value(d, &d.args[0])),
    });
    Ok(())
}

/// `auth_delay TIME`: nginx's msec slot.
fn set_auth_delay(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    values::msec_slot(&mut conf(t)?.delay, d)
}

/// The preaccess and access phases of a request in its location: `None`
/// to go on to the content phase, or the response that ends it there.
pub async fn access_phase(ctx: &mut Ctx<'_>) -> Option<Outcome> {
    crate::realip::preaccess(ctx);
    let conf = ctx.loc_conf();
    let satisfy = conf.auth.satisfy.unwrap_or(Satisfy::All);
    // nginx's access_code: the refusal kept while `satisfy any` looks for
    // a module that lets the client in.
    let mut refused: Option<u16> = None;

    // The access module runs first (nginx calls access handlers in the
    // reverse of their registration, and auth_basic registers first).
    if let Some(rules) = conf.access.rules.as_deref() {
        match crate::access::verdict(rules, ctx.client.map(|c| c.ip())) {
            Some(true) if satisfy == Satisfy::Any => return None,
            Some(false) if satisfy == Satisfy::All => {
                crate::log::error(ctx, LogLevel::Error, "access forbidden by rule");
                return Some(Outcome::status(403, conf));
            }
            Some(false) => refused = Some(403),
            _ => {}
        }
    }

    match auth_basic::check(ctx) {
        Verdict::Declined => {}
        Verdict::Granted if satisfy == Satisfy::Any => return None,
        Verdict::Granted => {}
        Verdict::Unauthorized(challenge) => {
            ctx.www_authenticate.push(challenge);
            if satisfy == Satisfy::All {
                return Some(unauthorized(ctx).await_delay().await);
            }
            refused = Some(401);
        }
        Verdict::Forbidden if satisfy == Satisfy::Any => {
            if refused != Some(401) {
                refused = Some(403);
            }
        }
        Verdict::Forbidden => return Some(Outcome::status(403, conf)),
        Verdict::Error => return Some(Outcome::status(500, conf)),
    }

    // The post-access phase.
    match refused? {
        401 => Some(unauthorized(ctx).await_delay().await),
        status => {
            crate::log::error(ctx, LogLevel::Error, "access forbidden by rule");
            Some(Outcome::status(status, conf))
        }
    }
}

/// A 401 and the `auth_delay` to wait before sending it.
struct Delayed(Outcome, Option<Duration>);

impl Delayed {
    async fn await_delay(self) -> Outcome {
        if let Some(delay) = self.1 {
            tokio::time::sleep(delay).await;
        }
        self.0
    }
}

/// A 401, held back by `auth_delay` if one is set
/// (`ngx_http_core_auth_delay`).
fn unauthorized(ctx: &Ctx<'_>) -> Delayed {
    let conf = ctx.loc_conf();
    let delay = conf.auth.delay.filter(|d| !d.is_zero());
    if delay.is_some() {
        crate::log::error(ctx, LogLevel::Info, "delaying unauthorized request");
    }
    Delayed(Outcome::status(401, conf), delay)
}

/// Puts the request's `WWW-Authenticate` challenges on its response. In
/// nginx they are response headers from the moment auth_basic refuses, so
/// they stay through an `error_page` redirect, before the headers the
/// content handler and add_header append.
pub fn add_challenges(ctx: &Ctx<'_>, outcome: &mut Outcome) {
    if ctx.www_authenticate.is_empty() || outcome.abort {
        return;
    }
    let name = http::header::WWW_AUTHENTICATE;
    let challenges = ctx
        .www_authenticate
        .iter()
        .map(|value: &HeaderValue| (name.clone(), value.clone()));
    outcome.headers.splice(0..0, challenges);
}

const CORE: &str = "ngx_http_core_module";

pub static SPECS: &[Spec] = &[
    Spec {
        module: CORE,
        name: "satisfy",
        set: set_satisfy,
        note: "all: allow/deny and auth_basic must both pass; any: one is enough",
    },
    Spec {
        module: CORE,
        name: "auth_delay",
        set: set_auth_delay,
        note: "holds back 401 responses",
    },
];
