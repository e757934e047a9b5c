//! Running a level's rewrite program against a request (nginx's script
//! engine in the server-rewrite and rewrite phases).

use super::condition;
use super::{Flag, Stmt};
use crate::http_core::request::{Ctx, Flow, OutBody, Outcome};
use crate::variables::eval::render;
use bytes::Bytes;
use http::HeaderValue;

/// How a statement left the program.
enum Exec {
    Next,
    Done(Flow),
}

/// The server-rewrite phase.
pub fn server_rewrite(ctx: &mut Ctx<'_>) -> Flow {
    let server = ctx.server;
    let mut uri_changed = false;
    match run(ctx, &server.conf.rewrite.program, &mut uri_changed) {
        Exec::Done(Flow::Respond(outcome)) => Flow::Respond(outcome),
        _ => Flow::Continue,
    }
}

/// The rewrite phase of the location the request is in.
pub fn location_rewrite(ctx: &mut Ctx<'_>) -> Flow {
    let Some(location) = ctx.location else {
        return Flow::Continue;
    };
    let mut uri_changed = false;
    match run(ctx, &location.conf.rewrite.program, &mut uri_changed) {
        Exec::Done(flow) => flow,
        Exec::Next if uri_changed => Flow::FindConfig,
        Exec::Next => Flow::Continue,
    }
}

fn run<'a>(ctx: &mut Ctx<'a>, program: &'a [Stmt], uri_changed: &mut bool) -> Exec {
    for stmt in program {
        match stmt {
            Stmt::Return { status, text } => {
                // A literal empty text is no text; a variable one counts
                // even when it renders empty (nginx's `code->text.lengths`).
                let text = text
                    .as_ref()
                    .filter(|t| t.has_variables() || t.literal() != Some(b""))
                    .map(|t| render(ctx, t));
                return Exec::Done(Flow::Respond(Box::new(return_outcome(ctx, *status, text))));
            }
            Stmt::Rewrite {
                regex,
                replacement,
                flag,
                drop_args,
            } => {
                let subject = ctx.uri.clone();
                let Some(offsets) = regex.captures(&subject) else {
                    continue;
                };
                ctx.set_captures(&subject, offsets, &regex.capture_names);
                let mut new = render(ctx, replacement);
                if let Flag::Redirect(status) = flag {
                    if !drop_args && let Some(args) = ctx.args.as_ref().filter(|a| !a.is_empty()) {
                        new.push(if new.contains(&b'?') { b'&' } else { b'?' });
                        new.extend_from_slice(args);
                    }
                    let mut outcome = Outcome::status(*status, ctx.loc_conf());
                    outcome.location = HeaderValue::from_bytes(&new).ok();
                    return Exec::Done(Flow::Respond(Box::new(outcome)));
                }
                match new.iter().position(|&b| b == b'?') {
                    Some(at) => {
                        let mut args = new[at + 1..].to_vec();
                        if !drop_args && let Some(old) = ctx.args.as_ref().filter(|a| !a.is_empty())
                        {
                            args.push(b'&');
                            args.extend_from_slice(old);
                        }
                        ctx.args = Some(args);
                        new.truncate(at);
                    }
                    None if *drop_args => ctx.args = None,
                    None => {}
                }
                if new.is_empty() {
                    crate::log::error(
                        ctx,
                        crate::core_main::LogLevel::Error,
                        "the rewritten URI has a zero length",
                    );
                    return Exec::Done(Flow::Respond(Box::new(Outcome::status(
                        500,
                        ctx.loc_conf(),
                    ))));
                }
                ctx.uri = new;
                match flag {
                    Flag::None => *uri_changed = true,
                    Flag::Last => return Exec::Done(Flow::FindConfig),
                    Flag::Break => return Exec::Done(Flow::Continue),
                    Flag::Redirect(_) => {}
                }
            }
            Stmt::Set { id, value } => {
                let value = render(ctx, value);
                if let Some(slot) = ctx.slots.get_mut(*id) {
                    *slot = Some(value);
                }
            }
            Stmt::Break => return Exec::Done(Flow::Continue),
            Stmt::If {
                condition,
                body,
                location,
            } => {
                if !condition::holds(condition, ctx) {
                    continue;
                }
                if let Some(location) = location {
                    ctx.location = Some(location);
                }
                if let Exec::Done(flow) = run(ctx, body, uri_changed) {
                    return Exec::Done(flow);
                }
            }
        }
    }
    Exec::Next
}

/// `return`: a redirect, a body, or nginx's page for the status
/// (`ngx_http_script_return_code` and `ngx_http_send_response`).
fn return_outcome(ctx: &Ctx<'_>, status: u16, text: Option<Vec<u8>>) -> Outcome {
    let conf = ctx.loc_conf();
    // 444 and 499: nginx closes the connection without a response.
    if status == 444 || status == 499 {
        return Outcome {
            status,
            abort: true,
            ..Outcome::default()
        };
    }
    if status >= 400 && text.is_none() {
        return Outcome::status(status, conf);
    }
    if status == 204 {
        // nginx sends a 204 as header only: no type, no length.
        return Outcome {
            status,
            server_tokens: conf.server_tokens.unwrap_or(true),
            ..Outcome::default()
        };
    }
    if matches!(status, 301 | 302 | 303 | 307 | 308) {
        let mut outcome = Outcome::status(status, conf);
        outcome.location = text.and_then(|t| HeaderValue::from_bytes(&t).ok());
        return outcome;
    }
    let body = text.unwrap_or_default();
    Outcome::with_body(
        status,
        conf,
        OutBody::Full(Bytes::from(body)),
        Some(ctx.mime_type()),
    )
}
