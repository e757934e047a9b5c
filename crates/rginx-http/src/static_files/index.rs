//! nginx's index module: for a URI ending in `/`, the first `index` name
//! that exists under the directory becomes an internal redirect to
//! `$uri` + name; a name starting with `/` is a URI redirected to at once.
//! When the directory itself is missing the answer is 404, not the
//! autoindex or 403 of an existing directory.

use super::path::{self, libc_errno};
use super::try_files::evaluate;
use super::{IndexName, RequestState, Step};
use crate::core_main::LogLevel;
use crate::http_core::request::{Ctx, Outcome};
use http::Method;
use std::io;

/// The index handler.
pub fn handle(ctx: &mut Ctx<'_>, state: &RequestState) -> Step {
    if !ctx.uri.ends_with(b"/") {
        return Step::Declined;
    }
    let method = &ctx.method;
    if method != Method::GET && method != Method::HEAD && method != Method::POST {
        return Step::Declined;
    }
    let conf = ctx.loc_conf();
    let sconf = &conf.static_files;
    let default = [IndexName::Literal(b"index.html".to_vec())];
    let names = sconf.index.as_deref().unwrap_or(&default);
    let root = sconf.root();
    let dir = path::map_uri_to_path(ctx, &root, &ctx.uri, state.add_uri_to_alias).path;
    let mut dir_tested = false;
    for name in names {
        let value = evaluate(ctx, name);
        if value.first() == Some(&b'/') {
            return Step::Redirect {
                uri: value,
                args: ctx.args.clone(),
            };
        }
        let mut file = dir.clone();
        file.extend_from_slice(&value);
        let err = match path::stat(&file) {
            Ok(_) => {
                let mut uri = ctx.uri.clone();
                uri.extend_from_slice(&value);
                return Step::Redirect {
                    uri,
                    args: ctx.args.clone(),
                };
            }
            Err(err) => err,
        };
        match err.raw_os_error() {
            Some(libc_errno::ELOOP | libc_errno::EMLINK) => {
                return Step::respond(Outcome::status(403, conf));
            }
            Some(libc_errno::ENOTDIR | libc_errno::ENAMETOOLONG | libc_errno::EACCES) => {
                return Step::respond(index_error(ctx, &file, &err));
            }
            _ => {}
        }
        if !dir_tested {
            if let Some(outcome) = test_dir(ctx, &dir, &file) {
                return Step::respond(outcome);
            }
            dir_tested = true;
        }
        if err.raw_os_error() == Some(libc_errno::ENOENT) {
            continue;
        }
        crate::log::error(
            ctx,
            LogLevel::Crit,
            &format!(
                "stat() \"{}\" failed {}",
                String::from_utf8_lossy(&file),
                path::errno_suffix(&err)
            ),
        );
        return Step::respond(Outcome::status(500, conf));
    }
    Step::Declined
}

/// `ngx_http_index_test_dir`: is the directory there at all? `None` when it
/// is (or cannot be searched, which the index test already ruled on).
/// nginx names the index file in its messages, as it does.
fn test_dir(ctx: &Ctx<'_>, dir: &[u8], file: &[u8]) -> Option<Outcome> {
    let conf = ctx.loc_conf();
    let dir_name = match dir.strip_suffix(b"/") {
        Some(stripped) if !stripped.is_empty() => stripped,
        _ => dir,
    };
    match path::stat(dir_name) {
        Ok(meta) if meta.is_dir() => None,
        Ok(_) => {
            crate::log::error(
                ctx,
                LogLevel::Alert,
                &format!("\"{}\" is not a directory", String::from_utf8_lossy(file)),
            );
            Some(Outcome::status(500, conf))
        }
        Err(err) => match err.raw_os_error() {
            Some(libc_errno::ELOOP | libc_errno::EMLINK) => Some(Outcome::status(403, conf)),
            Some(libc_errno::ENOENT) => Some(index_error(ctx, file, &err)),
            Some(libc_errno::EACCES) => None,
            _ => {
                crate::log::error(
                    ctx,
                    LogLevel::Crit,
                    &format!(
                        "stat() \"{}\" failed {}",
                        String::from_utf8_lossy(dir_name),
                        path::errno_suffix(&err)
                    ),
                );
                Some(Outcome::status(500, conf))
            }
        },
    }
}

/// `ngx_http_index_error`: 403 for EACCES, else 404.
fn index_error(ctx: &Ctx<'_>, file: &[u8], err: &io::Error) -> Outcome {
    let conf = ctx.loc_conf();
    let file = String::from_utf8_lossy(file);
    if err.raw_os_error() == Some(libc_errno::EACCES) {
        crate::log::error(
            ctx,
            LogLevel::Error,
            &format!("\"{file}\" is forbidden {}", path::errno_suffix(err)),
        );
        return Outcome::status(403, conf);
    }
    if conf.static_files.log_not_found() {
        crate::log::error(
            ctx,
            LogLevel::Error,
            &format!("\"{file}\" is not found {}", path::errno_suffix(err)),
        );
    }
    Outcome::status(404, conf)
}
