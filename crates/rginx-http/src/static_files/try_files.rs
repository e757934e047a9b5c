//! `try_files` (nginx's precontent phase): each candidate is the root (or
//! alias) followed by the evaluated name, tested with stat(); the first that
//! exists (as a directory for a name ending in `/`) becomes `$uri` and the
//! content handlers run on it; when none does, the last argument decides:
//! `=code`, `@named` location, or a URI to redirect to internally.

use super::path::{self, AliasKind};
use super::{IndexName, RequestState, Step};
use crate::core_main::LogLevel;
use crate::http_core::request::{Ctx, Outcome};

/// The value of a name for this request.
pub fn evaluate(ctx: &Ctx<'_>, name: &IndexName) -> Vec<u8> {
    match name {
        IndexName::Literal(bytes) => bytes.clone(),
        IndexName::Template(template) => crate::variables::eval::render(ctx, template),
    }
}

/// The precontent phase of the location.
pub fn phase(ctx: &mut Ctx<'_>, state: &mut RequestState) -> Step {
    let conf = ctx.loc_conf();
    let Some(try_files) = conf.static_files.try_files.clone() else {
        return Step::Declined;
    };
    let root = conf.static_files.root();
    let last = try_files.files.len() - 1;
    for (i, candidate) in try_files.files.iter().enumerate() {
        let mut name = evaluate(ctx, &candidate.name);
        if let AliasKind::Prefix(skip) = root.alias
            && matches!(candidate.name, IndexName::Template(_))
            && ctx
                .uri
                .get(..skip)
                .is_some_and(|prefix| name.starts_with(prefix))
        {
            // An alias location's URI prefix in the name stands for the alias.
            name.drain(..skip);
        }
        if i == last {
            if try_files.code != 0 {
                return Step::respond(Outcome::status(try_files.code, conf));
            }
            if name.first() == Some(&b'@') {
                return Step::Named(name);
            }
            return match name.iter().position(|&b| b == b'?') {
                Some(at) => Step::Redirect {
                    args: Some(name[at + 1..].to_vec()),
                    uri: name[..at].to_vec(),
                },
                None => Step::Redirect {
                    uri: name,
                    args: None,
                },
            };
        }
        let mut file = root.evaluate(ctx);
        file.extend_from_slice(&name);
        let meta = match path::stat(&file) {
            Ok(meta) => meta,
            Err(err) => {
                if !matches!(
                    err.raw_os_error(),
                    Some(path::libc_errno::ENOENT)
                        | Some(path::libc_errno::ENOTDIR)
                        | Some(path::libc_errno::ENAMETOOLONG)
                ) {
                    crate::log::error(
                        ctx,
                        LogLevel::Crit,
                        &format!(
                            "stat() \"{}\" failed {}",
                            String::from_utf8_lossy(&file),
                            path::errno_suffix(&err)
                        ),
                    );
                }
                continue;
            }
        };
        if meta.is_dir() != candidate.test_dir {
            continue;
        }
        match root.alias {
            AliasKind::Root => ctx.uri = name,
            AliasKind::Regex => {
                if !candidate.test_dir {
                    ctx.uri = name;
                    state.add_uri_to_alias = true;
                }
            }
            AliasKind::Prefix(skip) => {
                let mut uri = ctx.uri.get(..skip).unwrap_or(&ctx.uri).to_vec();
                uri.extend_from_slice(&name);
                ctx.uri = uri;
            }
        }
        return Step::Declined;
    }
    Step::Declined
}
