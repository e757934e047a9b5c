//! nginx's phase engine: server rewrite, find config, rewrite, (access),
//! content, then `error_page`; internal redirects (`error_page`,
//! `try_files`, `index`) and named locations start it again. It is a loop,
//! not recursion, and counts nginx's `uri_changes` so a redirection cycle
//! ends in 500 as in nginx.

use super::error_page::Overwrite;
use super::find_location;
use super::request::{Ctx, Outcome};
use crate::core_main::LogLevel;
use http::{HeaderValue, Method};

/// What a phase decided.
pub enum Flow {
    /// Go on to the next phase.
    Continue,
    /// The request is answered.
    Respond(Box<Outcome>),
    /// `$uri` changed: search the location again (`rewrite ... last`).
    FindConfig,
}

/// Where a handler sends the request instead of answering it.
#[derive(Debug)]
pub enum Redirect {
    /// An internal redirect to a URI: the phases start at server rewrite.
    Uri { uri: Vec<u8>, args: Option<Vec<u8>> },
    /// A named location: its rewrite phase and content, no search.
    Named(Vec<u8>),
}

/// nginx's `NGX_HTTP_MAX_URI_CHANGES + 1`.
pub const URI_CHANGES: u8 = 11;

/// An internal redirect to `uri`, for content handlers (`try_files`,
/// `index`): the engine performs it.
pub fn internal_redirect(_ctx: &mut Ctx<'_>, uri: Vec<u8>, args: Option<Vec<u8>>) -> Outcome {
    Outcome {
        redirect: Some(Redirect::Uri { uri, args }),
        ..Outcome::default()
    }
}

/// A redirect to a named location, for content handlers.
pub fn named_location(_ctx: &mut Ctx<'_>, name: &[u8]) -> Outcome {
    Outcome {
        redirect: Some(Redirect::Named(name.to_vec())),
        ..Outcome::default()
    }
}

enum Entry {
    ServerRewrite,
    Named(Vec<u8>),
    /// Finalized with a status before the phases (nginx's 497 for plain
    /// HTTP on a TLS port); `error_page` still applies.
    Finalized(u16),
}

/// Runs a request through the phases until it has a response.
pub async fn run(ctx: &mut Ctx<'_>) -> Box<Outcome> {
    run_from(ctx, Entry::ServerRewrite).await
}

/// Answers a request with `status` without running its phases, through
/// `error_page` as nginx's `ngx_http_finalize_request` does.
pub async fn finalize(ctx: &mut Ctx<'_>, status: u16) -> Box<Outcome> {
    run_from(ctx, Entry::Finalized(status)).await
}

async fn run_from(ctx: &mut Ctx<'_>, mut entry: Entry) -> Box<Outcome> {
    // The status an `error_page` redirect's response carries (nginx's
    // `err_status`), when the redirect target answers normally.
    let mut status_override: Option<u16> = None;
    // nginx's special response handler turns keep-alive off for these
    // errors before it looks at error_page; what the error page answers
    // still closes the connection.
    let mut close = false;
    loop {
        let mut outcome = match std::mem::replace(&mut entry, Entry::ServerRewrite) {
            Entry::ServerRewrite => match crate::rewrite::server_rewrite(ctx) {
                Flow::Respond(outcome) => outcome,
                _ => search_and_run(ctx).await,
            },
            Entry::Named(name) => run_named(ctx, &name).await,
            Entry::Finalized(status) => Box::new(Outcome::status(status, ctx.loc_conf())),
        };
        if let Some(redirect) = outcome.redirect.take() {
            if !ctx.count_uri_change() {
                return Box::new(Outcome::status(500, ctx.loc_conf()));
            }
            ctx.internal = true;
            entry = match redirect {
                Redirect::Uri { uri, args } => {
                    ctx.uri = uri;
                    ctx.args = args;
                    Entry::ServerRewrite
                }
                Redirect::Named(name) => Entry::Named(name),
            };
            continue;
        }
        let action = error_page(ctx, &outcome);
        if action.is_some()
            && outcome.close
            && matches!(
                outcome.status,
                400 | 413 | 414 | 495 | 496 | 497 | 500 | 501
            )
        {
            close = true;
        }
        match action {
            Some(ErrorPageAction::Redirect(redirect, err_status)) => {
                status_override = err_status;
                outcome.redirect = Some(redirect);
                // Performed by the next turn, like a handler's redirect.
                if !ctx.count_uri_change() {
                    return Box::new(Outcome::status(500, ctx.loc_conf()));
                }
                ctx.internal = true;
                entry = match outcome.redirect.take() {
                    Some(Redirect::Uri { uri, args }) => {
                        ctx.uri = uri;
                        ctx.args = args;
                        Entry::ServerRewrite
                    }
                    Some(Redirect::Named(name)) => Entry::Named(name),
                    None => Entry::ServerRewrite,
                };
                continue;
            }
            Some(ErrorPageAction::Respond(redirect)) => {
                let mut outcome = redirect;
                outcome.close |= close;
                return outcome;
            }
            None => {}
        }
        outcome.close |= close;
        if let Some(status) = status_override
            && outcome.body.is_some()
        {
            outcome.status = status;
            // nginx drops the status line of a response whose status
            // error_page overrides (a proxied reason phrase).
            outcome.reason = None;
        }
        return outcome;
    }
}

/// Location search, rewrite phase and content, repeated while rewrites
/// change the URI.
async fn search_and_run(ctx: &mut Ctx<'_>) -> Box<Outcome> {
    let mut first = true;
    loop {
        // nginx counts a search again after a rewrite changed the URI.
        if !first && !ctx.count_uri_change() {
            return Box::new(Outcome::status(500, ctx.loc_conf()));
        }
        first = false;
        let auto_redirect = find_config(ctx);
        if let Some(location) = ctx.location
            && location.internal
            && !ctx.internal
        {
            return Box::new(Outcome::status(404, ctx.loc_conf()));
        }
        if super::header_filter::body_too_large(ctx) {
            return Box::new(Outcome::status(413, ctx.loc_conf()));
        }
        if auto_redirect {
            return Box::new(auto_redirect_outcome(ctx));
        }
        match crate::rewrite::location_rewrite(ctx) {
            Flow::Continue => return content(ctx).await,
            Flow::Respond(outcome) => return outcome,
            Flow::FindConfig => continue,
        }
    }
}

async fn run_named(ctx: &mut Ctx<'_>, name: &[u8]) -> Box<Outcome> {
    let server = ctx.server;
    let Some(location) = find_location::find_named(&server.locations, &server.index, name) else {
        crate::log::error(
            ctx,
            LogLevel::Error,
            &format!(
                "could not find named location \"{}\"",
                String::from_utf8_lossy(name)
            ),
        );
        return Box::new(Outcome::status(500, ctx.loc_conf()));
    };
    ctx.location = Some(location);
    match crate::rewrite::location_rewrite(ctx) {
        Flow::Continue => content(ctx).await,
        Flow::Respond(outcome) => outcome,
        Flow::FindConfig => search_and_run(ctx).await,
    }
}

/// nginx's answer to a URI that lacks the trailing slash of a proxied
/// location: 301 to the location's name, with the arguments.
fn auto_redirect_outcome(ctx: &Ctx<'_>) -> Outcome {
    let mut target = ctx
        .location
        .map(|location| location.name.as_bytes().to_vec())
        .unwrap_or_default();
    if let Some(args) = ctx.args.as_deref().filter(|a| !a.is_empty()) {
        target.push(b'?');
        target.extend_from_slice(args);
    }
    // The header filter (request::process) makes it absolute.
    let mut outcome = Outcome::status(301, ctx.loc_conf());
    outcome.location = http::HeaderValue::from_bytes(&target).ok();
    outcome
}

/// nginx's find-config phase: the location for the current `$uri`;
/// `true` when nginx would answer with its auto-redirect.
pub fn find_config(ctx: &mut Ctx<'_>) -> bool {
    ctx.location_searched = true;
    let server = ctx.server;
    match find_location::find(&server.locations, &server.index, &ctx.uri) {
        Some(found) => {
            // nginx's ngx_http_update_location_config: a method outside
            // `limit_except` gets the block's configuration.
            let location = match &found.location.limit_except {
                Some(limit) if !limit.lets_through(ctx.method.as_str()) => &limit.location,
                _ => found.location,
            };
            ctx.location = Some(location);
            if let (Some(offsets), Some(names)) = (found.captures, found.regex_captures_names) {
                let subject = ctx.uri.clone();
                ctx.set_captures(&subject, offsets, names);
            }
            found.auto_redirect
        }
        None => {
            ctx.location = None;
            false
        }
    }
}

/// The content phase: the location's handler, else the static module
/// (nginx's default content handler).
async fn content(ctx: &mut Ctx<'_>) -> Box<Outcome> {
    // The access phase, then the location's content handler.
    if let Some(denied) = crate::auth::access_phase(ctx).await {
        return Box::new(denied);
    }
    if crate::stub_status::handles(ctx) {
        return Box::new(crate::stub_status::content(ctx));
    }
    if crate::empty_gif::handles(ctx) {
        return Box::new(crate::empty_gif::content(ctx));
    }
    if crate::proxy::handles(ctx) {
        // Boxed: the proxy's future is kilobytes; inline, it made every
        // request's future (and the memory each connection keeps) that
        // large, proxied or not.
        return Box::new(Box::pin(crate::proxy::content(ctx)).await);
    }
    crate::static_files::content(ctx)
}

enum ErrorPageAction {
    Redirect(Redirect, Option<u16>),
    Respond(Box<Outcome>),
}

/// nginx's special-response handling: a response without a body of its own
/// (an error or redirect status) goes to a matching `error_page`.
fn error_page(ctx: &mut Ctx<'_>, outcome: &Outcome) -> Option<ErrorPageAction> {
    if outcome.body.is_some() || outcome.status < 300 || outcome.abort || ctx.error_page_used {
        return None;
    }
    let conf = ctx.loc_conf();
    let pages = conf.error_pages.as_ref()?;
    let page = pages.iter().find(|page| page.status == outcome.status)?;
    if !conf.recursive_error_pages.unwrap_or(false) {
        ctx.error_page_used = true;
    }
    let err_status = match page.overwrite {
        Overwrite::Keep => Some(super::special_response::wire_status(outcome.status)),
        Overwrite::Response => None,
        Overwrite::Code(code) => Some(code),
    };
    let target = crate::variables::eval::render(ctx, &page.target);
    if target.first() == Some(&b'/') {
        let (uri, args) = if page.target.has_variables() {
            match target.iter().position(|&b| b == b'?') {
                Some(at) => (target[..at].to_vec(), Some(target[at + 1..].to_vec())),
                None => (target, None),
            }
        } else {
            (target, page.args.clone())
        };
        if ctx.method != Method::HEAD {
            ctx.method = Method::GET;
        }
        return Some(ErrorPageAction::Redirect(
            Redirect::Uri { uri, args },
            err_status,
        ));
    }
    if target.first() == Some(&b'@') {
        return Some(ErrorPageAction::Redirect(
            Redirect::Named(target),
            err_status,
        ));
    }
    let status = match page.overwrite {
        Overwrite::Code(code @ (301 | 302 | 303 | 307 | 308)) => code,
        _ => 302,
    };
    let mut redirect = Outcome::status(status, ctx.loc_conf());
    redirect.location = HeaderValue::from_bytes(&target).ok();
    Some(ErrorPageAction::Respond(Box::new(redirect)))
}
