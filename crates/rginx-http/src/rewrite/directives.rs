//! The rewrite module's directives, compiled into each level's program with
//! nginx's validation messages.

use super::{Flag, RewriteConf, Stmt, condition};
use crate::compile::{Compiler, Target};
use crate::http_core::location::{LocationBuild, LocationKind};
use crate::regex::Regex;
use crate::registry::{Context, Spec};
use crate::values;
use crate::variables::{self, UserKind};
use rginx_conf::{Arg, ConfError, Directive};

fn rewrite_conf<'a>(target: &'a mut Target<'_>) -> Result<&'a mut RewriteConf, ConfError> {
    match target {
        Target::Http(http) => Ok(&mut http.conf.rewrite),
        Target::Server(_, server) => Ok(&mut server.conf.rewrite),
        Target::Location(location) => Ok(&mut location.conf.rewrite),
        _ => Err(ConfError::bare(
            "internal error: rewrite directive out of place",
        )),
    }
}

fn set_return(c: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    let first = &d.args[0];
    let bytes = first.as_bytes();
    let invalid = || ConfError::at(&d.loc, format!("invalid return code \"{first}\""));
    let stmt = match values::atoi(bytes) {
        Some(status) => {
            if status > 999 {
                return Err(invalid());
            }
            let text = match d.args.get(1) {
                Some(text) => Some(variables::compile(text, &mut c.variables, &d.loc)?),
                None => None,
            };
            Stmt::Return {
                status: status as u16,
                text,
            }
        }
        None => {
            let is_url = bytes.starts_with(b"http://")
                || bytes.starts_with(b"https://")
                || bytes.starts_with(b"$scheme");
            if d.args.len() != 1 || !is_url {
                return Err(invalid());
            }
            Stmt::Return {
                status: 302,
                text: Some(variables::compile(first, &mut c.variables, &d.loc)?),
            }
        }
    };
    rewrite_conf(t)?.program.push(stmt);
    Ok(())
}

fn set_rewrite(c: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    let replacement = &d.args[1];
    if replacement.is_empty() {
        return Err(ConfError::at(&d.loc, "empty replacement"));
    }
    let regex = Regex::compile(&d.args[0], false, &d.loc)?;
    define_named_captures(c, &regex);
    let mut text = replacement.as_bytes().to_vec();
    let drop_args = text.last() == Some(&b'?');
    if drop_args {
        text.pop();
    }
    let mut flag = if text.starts_with(b"http://")
        || text.starts_with(b"https://")
        || text.starts_with(b"$scheme")
    {
        Flag::Redirect(302)
    } else {
        Flag::None
    };
    if let Some(word) = d.args.get(2) {
        flag = match word.as_bytes() {
            b"last" => Flag::Last,
            b"break" => Flag::Break,
            b"redirect" => Flag::Redirect(302),
            b"permanent" => Flag::Redirect(301),
            _ => {
                return Err(ConfError::at(
                    &d.loc,
                    format!("invalid parameter \"{word}\""),
                ));
            }
        };
    }
    let replacement = variables::compile(&Arg::new(text), &mut c.variables, &d.loc)?;
    rewrite_conf(t)?.program.push(Stmt::Rewrite {
        regex,
        replacement,
        flag,
        drop_args,
    });
    Ok(())
}

/// Named captures of a regex become variables, as in nginx.
pub fn define_named_captures(c: &mut Compiler, regex: &Regex) {
    for name in regex.capture_names.iter().flatten() {
        let _ = c.variables.define(name, UserKind::Slot);
    }
}

fn set_set(c: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    let name = d.args[0].as_bytes();
    if name.first() != Some(&b'$') {
        return Err(ConfError::at(
            &d.loc,
            format!("invalid variable name \"{}\"", d.args[0]),
        ));
    }
    let name = String::from_utf8_lossy(&name[1..]).into_owned();
    let id = c
        .variables
        .define(&name, UserKind::Slot)
        .map_err(|message| ConfError::at(&d.loc, message))?;
    let value = variables::compile(&d.args[1], &mut c.variables, &d.loc)?;
    rewrite_conf(t)?.program.push(Stmt::Set { id, value });
    Ok(())
}

fn set_break(_: &mut Compiler, _: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    rewrite_conf(t)?.program.push(Stmt::Break);
    Ok(())
}

fn set_if(c: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    let (inner_context, parent_name) = match t {
        Target::Server(..) => (Context::ServerIf, None),
        Target::Location(location) => (Context::LocationIf, Some(location.name.clone())),
        _ => {
            return Err(ConfError::bare("internal error: if out of place"));
        }
    };
    let condition = condition::parse(d, &mut c.variables)?;
    if let condition::Condition::Matches { regex, .. } = &condition {
        define_named_captures(c, regex);
    }
    let mut block = LocationBuild::noname(parent_name.unwrap_or_default(), d.loc.clone());
    if let Some(body) = &d.block {
        c.run_block(body, inner_context, &mut Target::Location(&mut block))?;
    }
    let body = std::mem::take(&mut block.conf.rewrite.program);
    let location = (inner_context == Context::LocationIf).then(|| Box::new(block));
    rewrite_conf(t)?.program.push(Stmt::If {
        condition,
        body,
        location,
    });
    Ok(())
}

fn set_rewrite_log(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    values::flag_slot(&mut rewrite_conf(t)?.rewrite_log, d)
}

fn set_uninitialized_variable_warn(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    values::flag_slot(&mut rewrite_conf(t)?.uninitialized_variable_warn, d)
}

impl LocationBuild {
    /// nginx's "noname" location of an `if` block.
    pub fn noname(name: Arg, loc: rginx_conf::Loc) -> LocationBuild {
        LocationBuild {
            kind: LocationKind::Noname,
            name,
            loc,
            conf: Default::default(),
            children: Vec::new(),
            index: Default::default(),
            internal: false,
            limit_except: None,
        }
    }
}

const MODULE: &str = "ngx_http_rewrite_module";

pub static SPECS: &[Spec] = &[
    Spec {
        module: MODULE,
        name: "return",
        set: set_return,
        note: "code, code + text, code + URL, URL; 444 closes",
    },
    Spec {
        module: MODULE,
        name: "rewrite",
        set: set_rewrite,
        note: "last, break, redirect, permanent, `?` drops arguments",
    },
    Spec {
        module: MODULE,
        name: "if",
        set: set_if,
        note: "variables, =, !=, ~, ~*, !~, !~*, -f -d -e -x and negations",
    },
    Spec {
        module: MODULE,
        name: "set",
        set: set_set,
        note: "user variables",
    },
    Spec {
        module: MODULE,
        name: "break",
        set: set_break,
        note: "stop the rewrite directives",
    },
    Spec {
        module: MODULE,
        name: "rewrite_log",
        set: set_rewrite_log,
        note: "notice-level log of rewrites",
    },
    Spec {
        module: MODULE,
        name: "uninitialized_variable_warn",
        set: set_uninitialized_variable_warn,
        note: "warn about variables used unset",
    },
];
