//! nginx's stub_status module: the basic status page (connections and
//! requests, all workers together) and the `$connections_*` variables.

use crate::compile::{Compiler, Target};
use crate::http_core::request::{Ctx, OutBody, Outcome};
use crate::registry::Spec;
use bytes::Bytes;
use http::Method;
use rginx_conf::{ConfError, Directive};

fn set_stub_status(_: &mut Compiler, _: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    // nginx 1.22 takes an optional, ignored argument (the old `on`).
    let conf = match t {
        Target::Server(_, server) => &mut server.conf,
        Target::Location(location) => &mut location.conf,
        _ => return Err(ConfError::bare("internal error: stub_status out of place")),
    };
    conf.stub_status = Some(true);
    Ok(())
}

/// Whether the location answers with the status page.
pub fn handles(ctx: &Ctx<'_>) -> bool {
    ctx.loc_conf().stub_status.unwrap_or(false)
}

/// The status page: GET and HEAD only, `text/plain`.
pub fn content(ctx: &Ctx<'_>) -> Outcome {
    if ctx.method != Method::GET && ctx.method != Method::HEAD {
        return Outcome::status(405, ctx.loc_conf());
    }
    let page = crate::stats::get().page();
    Outcome::with_body(
        200,
        ctx.loc_conf(),
        OutBody::Full(Bytes::from(page)),
        Some("text/plain".to_string()),
    )
}

pub static SPECS: &[Spec] = &[Spec {
    module: "ngx_http_stub_status_module",
    name: "stub_status",
    set: set_stub_status,
    note: "nginx's status page, counted across all workers",
}];
