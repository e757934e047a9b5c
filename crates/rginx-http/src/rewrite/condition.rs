//! `if (...)` conditions: nginx's parsing of the parenthesised arguments
//! (`ngx_http_rewrite_if_condition`) and their evaluation.

use crate::http_core::request::Ctx;
use crate::regex::Regex;
use crate::variables::{self, Template, Var, VarRegistry};
use rginx_conf::{Arg, ConfError, Directive};

/// A file test: `-f -d -e -x`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileTest {
    Plain,
    Dir,
    Exists,
    Exec,
}

#[derive(Clone, Debug)]
pub enum Condition {
    /// `($var)`: true unless empty or "0".
    Var(Var),
    /// `($var = value)` / `($var != value)`.
    Equals {
        var: Var,
        value: Template,
        negate: bool,
    },
    /// `($var ~ re)`, `~*`, `!~`, `!~*`.
    Matches {
        var: Var,
        regex: Regex,
        negate: bool,
    },
    /// `(-f path)`, `(!-d path)` ...
    File {
        test: FileTest,
        path: Template,
        negate: bool,
    },
}

fn invalid(d: &Directive, arg: &[u8]) -> ConfError {
    ConfError::at(
        &d.loc,
        format!("invalid condition \"{}\"", String::from_utf8_lossy(arg)),
    )
}

/// Parses the arguments of `if`.
pub fn parse(d: &Directive, registry: &mut VarRegistry) -> Result<Condition, ConfError> {
    let mut args: Vec<Vec<u8>> = d.args.iter().map(|a| a.as_bytes().to_vec()).collect();
    if args[0].first() != Some(&b'(') {
        return Err(invalid(d, &args[0]));
    }
    let mut cur = 0;
    if args[0].len() == 1 {
        cur = 1;
    } else {
        args[0].remove(0);
    }
    let mut last = args.len() - 1;
    if args[last].last() != Some(&b')') {
        return Err(invalid(d, &args[last]));
    }
    if args[last].len() == 1 {
        if last == 0 {
            return Err(invalid(d, &args[last]));
        }
        last -= 1;
    } else {
        args[last].pop();
    }
    if cur > last {
        return Err(invalid(d, b")"));
    }
    let first = &args[cur];
    if first.len() > 1 && first[0] == b'$' {
        if cur != last && cur + 2 != last {
            return Err(invalid(d, first));
        }
        let var = variable(d, &first[1..], registry)?;
        if cur == last {
            return Ok(Condition::Var(var));
        }
        let op = args[cur + 1].as_slice();
        let operand = &args[last];
        return match op {
            b"=" | b"!=" => Ok(Condition::Equals {
                var,
                value: variables::compile(&Arg::new(operand.clone()), registry, &d.loc)?,
                negate: op == b"!=",
            }),
            b"~" | b"~*" | b"!~" | b"!~*" => Ok(Condition::Matches {
                var,
                regex: Regex::compile(&Arg::new(operand.clone()), op.ends_with(b"*"), &d.loc)?,
                negate: op[0] == b'!',
            }),
            _ => Err(ConfError::at(
                &d.loc,
                format!(
                    "unexpected \"{}\" in condition",
                    String::from_utf8_lossy(op)
                ),
            )),
        };
    }
    let negate = first.first() == Some(&b'!');
    let op = if negate { &first[1..] } else { &first[..] };
    if op.len() == 2 && op[0] == b'-' {
        if cur + 1 != last {
            return Err(invalid(d, first));
        }
        let test = match op[1] {
            b'f' => FileTest::Plain,
            b'd' => FileTest::Dir,
            b'e' => FileTest::Exists,
            b'x' => FileTest::Exec,
            _ => return Err(invalid(d, first)),
        };
        let path = variables::compile(&Arg::new(args[last].clone()), registry, &d.loc)?;
        return Ok(Condition::File { test, path, negate });
    }
    Err(invalid(d, first))
}

/// `$name` in a condition: nginx's `ngx_http_get_variable_index` takes
/// the rest of the argument as the name, whatever it holds (so `$a=b` is a
/// variable named "a=b", unknown at the end of `http`).
fn variable(_d: &Directive, name: &[u8], registry: &mut VarRegistry) -> Result<Var, ConfError> {
    Ok(registry.resolve(&String::from_utf8_lossy(name)))
}

/// Evaluates a condition; a matching regex leaves its captures in `ctx`.
pub fn holds(condition: &Condition, ctx: &mut Ctx<'_>) -> bool {
    match condition {
        Condition::Var(var) => {
            let value = variables::eval::value(ctx, var);
            !matches!(value.as_deref(), None | Some(b"") | Some(b"0"))
        }
        Condition::Equals { var, value, negate } => {
            let left = variables::eval::value(ctx, var)
                .map(|v| v.into_owned())
                .unwrap_or_default();
            let right = variables::eval::render(ctx, value);
            (left == right) != *negate
        }
        Condition::Matches { var, regex, negate } => {
            let subject = variables::eval::value(ctx, var)
                .map(|v| v.into_owned())
                .unwrap_or_default();
            match regex.captures(&subject) {
                Some(offsets) => {
                    if !negate {
                        ctx.set_captures(&subject, offsets, &regex.capture_names);
                    }
                    !negate
                }
                None => *negate,
            }
        }
        Condition::File { test, path, negate } => {
            let path = variables::eval::render(ctx, path);
            use std::os::unix::ffi::OsStrExt;
            let metadata = std::fs::metadata(std::ffi::OsStr::from_bytes(&path));
            let result = match test {
                FileTest::Plain => metadata.is_ok_and(|m| m.is_file()),
                FileTest::Dir => metadata.is_ok_and(|m| m.is_dir()),
                FileTest::Exists => metadata.is_ok(),
                FileTest::Exec => metadata.is_ok_and(|m| {
                    use std::os::unix::fs::PermissionsExt;
                    m.permissions().mode() & 0o111 != 0
                }),
            };
            result != *negate
        }
    }
}
