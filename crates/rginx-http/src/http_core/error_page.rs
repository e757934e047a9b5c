//! `error_page`, `recursive_error_pages`, `internal`, and the redirect
//! knobs of the core module (`absolute_redirect`, `port_in_redirect`,
//! `server_name_in_redirect`).

use super::LocConf;
use crate::compile::{Compiler, Target};
use crate::values;
use crate::variables::{self, Template};
use rginx_conf::{ConfError, Directive};
use std::sync::Arc;

/// What status the response to an `error_page` redirect carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Overwrite {
    /// No `=`: the original error status.
    Keep,
    /// `=`: whatever the redirect target answers.
    Response,
    /// `=code`.
    Code(u16),
}

/// One status of an `error_page` directive.
#[derive(Clone, Debug)]
pub struct ErrorPage {
    pub status: u16,
    pub overwrite: Overwrite,
    /// A URI, `@name`, or an absolute URL.
    pub target: Template,
    /// The arguments of a literal `/uri?args` target.
    pub args: Option<Vec<u8>>,
}

fn loc_conf<'a>(target: &'a mut Target<'_>) -> Result<&'a mut LocConf, ConfError> {
    match target {
        Target::Http(http) => Ok(&mut http.conf),
        Target::Server(_, server) => Ok(&mut server.conf),
        Target::Location(location) => Ok(&mut location.conf),
        _ => Err(ConfError::bare("internal error: directive out of place")),
    }
}

/// `error_page CODE... [=[RESPONSE]] URI`, as `ngx_http_core_error_page`.
pub fn set_error_page(
    c: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    let count = d.args.len();
    let maybe_overwrite = &d.args[count - 2];
    let (overwrite, codes_end) = if maybe_overwrite.as_bytes().first() == Some(&b'=') {
        if count - 2 == 0 {
            return Err(ConfError::at(
                &d.loc,
                format!("invalid value \"{maybe_overwrite}\""),
            ));
        }
        let overwrite = if maybe_overwrite.len() > 1 {
            let code = values::atoi(&maybe_overwrite.as_bytes()[1..]).ok_or_else(|| {
                ConfError::at(&d.loc, format!("invalid value \"{maybe_overwrite}\""))
            })?;
            Overwrite::Code(u16::try_from(code).unwrap_or(u16::MAX))
        } else {
            Overwrite::Response
        };
        (overwrite, count - 2)
    } else {
        (Overwrite::Keep, count - 1)
    };
    let uri = &d.args[count - 1];
    let target = variables::compile(uri, &mut c.variables, &d.loc)?;
    let (target, args) = match target.literal() {
        Some(literal) if literal.first() == Some(&b'/') => {
            match literal.iter().position(|&b| b == b'?') {
                Some(at) => (
                    Template {
                        parts: vec![variables::Part::Literal(literal[..at].to_vec())],
                    },
                    Some(literal[at + 1..].to_vec()),
                ),
                None => (target.clone(), None),
            }
        }
        _ => (target, None),
    };
    let mut pages = Vec::new();
    for code in &d.args[..codes_end] {
        let status = values::atoi(code.as_bytes())
            .filter(|s| *s != 499)
            .ok_or_else(|| ConfError::at(&d.loc, format!("invalid value \"{code}\"")))?;
        if !(300..=599).contains(&status) {
            return Err(ConfError::at(
                &d.loc,
                format!("value \"{code}\" must be between 300 and 599"),
            ));
        }
        let status = status as u16;
        let overwrite = match (overwrite, status) {
            (Overwrite::Keep, 494..=497) => Overwrite::Code(400),
            (other, _) => other,
        };
        pages.push(ErrorPage {
            status,
            overwrite,
            target: target.clone(),
            args: args.clone(),
        });
    }
    let conf = loc_conf(t)?;
    let mut all = conf.error_pages.as_deref().cloned().unwrap_or_default();
    all.extend(pages);
    conf.error_pages = Some(Arc::new(all));
    Ok(())
}

pub fn set_recursive_error_pages(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    values::flag_slot(&mut loc_conf(t)?.recursive_error_pages, d)
}

pub fn set_absolute_redirect(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    values::flag_slot(&mut loc_conf(t)?.absolute_redirect, d)
}

pub fn set_port_in_redirect(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    values::flag_slot(&mut loc_conf(t)?.port_in_redirect, d)
}

pub fn set_server_name_in_redirect(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    values::flag_slot(&mut loc_conf(t)?.server_name_in_redirect, d)
}

/// `internal`: the location answers only internal redirects.
pub fn set_internal(_: &mut Compiler, _: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    match t {
        Target::Location(location) => {
            location.internal = true;
            Ok(())
        }
        _ => Err(ConfError::bare("internal error: internal out of place")),
    }
}
