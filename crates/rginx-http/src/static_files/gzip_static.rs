//! nginx's gzip_static handler: with `gzip_static on` and a client that
//! takes gzip (or `always`), `uri.gz` is sent instead of the file, with
//! `Content-Encoding: gzip` and the type of the uncompressed name. It runs
//! just before the static handler, which serves the plain file when there
//! is no `.gz` beside it.

use super::body::Source;
use super::file::{self, FileOptions};
use super::path::{self, libc_errno};
use super::{RequestState, Step};
use crate::core_main::LogLevel;
use crate::gzip::{GzipStatic, gzip_ok};
use crate::http_core::request::{Ctx, Outcome};
use http::Method;
use std::sync::Arc;

/// The gzip_static handler.
pub fn handle(ctx: &mut Ctx<'_>, state: &mut RequestState) -> Step {
    let method = &ctx.method;
    if method != Method::GET && method != Method::HEAD {
        return Step::Declined;
    }
    if ctx.uri.ends_with(b"/") {
        return Step::Declined;
    }
    let conf = ctx.loc_conf();
    let gzip = &conf.static_files.gzip;
    let mode = gzip.gzip_static.unwrap_or(GzipStatic::Off);
    let ok = match mode {
        GzipStatic::Off => return Step::Declined,
        GzipStatic::On => gzip_ok(ctx, gzip, None),
        GzipStatic::Always => true,
    };
    if !gzip.vary() && !ok {
        return Step::Declined;
    }
    let root = conf.static_files.root();
    let mut name = path::map_uri_to_path(ctx, &root, &ctx.uri, state.add_uri_to_alias).path;
    name.extend_from_slice(b".gz");
    let (file, meta) = match path::open(&name) {
        Ok(opened) => opened,
        Err(err) => {
            let level = match err.raw_os_error() {
                Some(libc_errno::ENOENT | libc_errno::ENOTDIR | libc_errno::ENAMETOOLONG) => {
                    return Step::Declined;
                }
                Some(libc_errno::EACCES | libc_errno::EMLINK | libc_errno::ELOOP) => {
                    LogLevel::Error
                }
                _ => LogLevel::Crit,
            };
            crate::log::error(
                ctx,
                level,
                &format!(
                    "open() \"{}\" failed {}",
                    String::from_utf8_lossy(&name),
                    path::errno_suffix(&err)
                ),
            );
            return Step::Declined;
        }
    };
    if mode == GzipStatic::On {
        state.gzip_vary = true;
        if !ok {
            return Step::Declined;
        }
    }
    if meta.is_dir() {
        return Step::Declined;
    }
    let Some(file) = file.filter(|_| meta.is_file()) else {
        crate::log::error(
            ctx,
            LogLevel::Crit,
            &format!(
                "\"{}\" is not a regular file",
                String::from_utf8_lossy(&name)
            ),
        );
        return Step::respond(Outcome::status(404, conf));
    };
    let options = FileOptions {
        gzip_encoded: true,
        vary: state.gzip_vary,
    };
    let source = Source::File(Arc::new(file));
    Step::done(file::respond(ctx, source, &meta, &ctx.uri.clone(), options))
}
