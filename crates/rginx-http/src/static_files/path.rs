//! From `$uri` to a file: `root` and `alias` as `ngx_http_map_uri_to_path`
//! joins them, opening and stat-ing with nginx's verdict for each errno,
//! and the MIME type from the URI's extension.

use crate::core_main::LogLevel;
use crate::http_core::request::Ctx;
use crate::variables::Template;
use std::ffi::OsStr;
use std::fs::{File, Metadata, OpenOptions};
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

/// How the location's URI is replaced by the path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AliasKind {
    /// `root`: the whole URI is appended.
    Root,
    /// `alias` in a prefix location: the URI after the first N bytes (the
    /// location name's length) is appended.
    Prefix(usize),
    /// `alias` in a regex location: the evaluated value is the whole path.
    Regex,
}

/// A `root` or `alias` value.
#[derive(Clone, Debug)]
pub struct Root {
    pub alias: AliasKind,
    /// The value when it needs no evaluation (already a full path).
    pub literal: Vec<u8>,
    /// Set when nginx runs it as a script: it has variables, or it is an
    /// alias in a regex location.
    pub template: Option<Template>,
    /// nginx's prefix (`-p`), with a trailing `/`, for relative values that
    /// come out of variables.
    pub prefix: Vec<u8>,
}

impl Root {
    /// nginx's default root: `html` under the prefix.
    pub fn default_for(prefix: &[u8]) -> Root {
        // An unknown prefix leaves the name relative to the working directory.
        let prefix = if prefix.is_empty() {
            Vec::new()
        } else {
            with_slash(prefix)
        };
        let mut literal = prefix.clone();
        literal.extend_from_slice(b"html");
        Root {
            alias: AliasKind::Root,
            literal,
            template: None,
            prefix,
        }
    }

    /// The root directory for this request (`$document_root`).
    pub fn evaluate(&self, ctx: &Ctx<'_>) -> Vec<u8> {
        match &self.template {
            None => self.literal.clone(),
            Some(template) => {
                let value = crate::variables::eval::render(ctx, template);
                full_name(&self.prefix, value)
            }
        }
    }
}

/// The prefix as a directory name ending in `/`.
pub fn with_slash(prefix: &[u8]) -> Vec<u8> {
    let mut prefix = prefix.to_vec();
    if !prefix.ends_with(b"/") {
        prefix.push(b'/');
    }
    prefix
}

/// `ngx_get_full_name`: relative names are taken from the prefix.
pub fn full_name(prefix: &[u8], name: Vec<u8>) -> Vec<u8> {
    if name.first() == Some(&b'/') {
        return name;
    }
    let mut full = prefix.to_vec();
    full.extend_from_slice(&name);
    full
}

/// A mapped path: the file name and how much of it is the root.
#[derive(Debug, Clone)]
pub struct Mapped {
    pub path: Vec<u8>,
    pub root_len: usize,
}

/// `ngx_http_map_uri_to_path` for `uri`.
pub fn map_uri_to_path(ctx: &Ctx<'_>, root: &Root, uri: &[u8], add_uri_to_alias: bool) -> Mapped {
    let mut path = root.evaluate(ctx);
    let root_len = path.len();
    match root.alias {
        AliasKind::Root => path.extend_from_slice(uri),
        AliasKind::Prefix(skip) => path.extend_from_slice(uri.get(skip..).unwrap_or_default()),
        AliasKind::Regex => {
            if add_uri_to_alias {
                path.extend_from_slice(uri);
            }
        }
    }
    Mapped { path, root_len }
}

pub fn os_path(path: &[u8]) -> &Path {
    Path::new(OsStr::from_bytes(path))
}

/// What nginx answers for a failed open() or stat().
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// ENOENT, ENOTDIR, ENAMETOOLONG: 404.
    NotFound,
    /// EACCES, EMLINK, ELOOP: 403.
    Forbidden,
    /// Anything else: 500 (logged at crit).
    Other,
}

pub fn classify(err: &io::Error) -> Failure {
    match err.raw_os_error() {
        Some(code) if code == libc_errno::ENOENT => Failure::NotFound,
        Some(code) if code == libc_errno::ENOTDIR => Failure::NotFound,
        Some(code) if code == libc_errno::ENAMETOOLONG => Failure::NotFound,
        Some(code) if code == libc_errno::EACCES => Failure::Forbidden,
        Some(code) if code == libc_errno::EMLINK => Failure::Forbidden,
        Some(code) if code == libc_errno::ELOOP => Failure::Forbidden,
        _ => Failure::Other,
    }
}

/// errno values, from nix so no libc dependency is needed.
pub mod libc_errno {
    use nix::errno::Errno;
    pub const ENOENT: i32 = Errno::ENOENT as i32;
    pub const ENOTDIR: i32 = Errno::ENOTDIR as i32;
    pub const ENAMETOOLONG: i32 = Errno::ENAMETOOLONG as i32;
    pub const EACCES: i32 = Errno::EACCES as i32;
    pub const EMLINK: i32 = Errno::EMLINK as i32;
    pub const ELOOP: i32 = Errno::ELOOP as i32;
}

/// nginx's `(errno: text)` suffix.
pub fn errno_suffix(err: &io::Error) -> String {
    rginx_conf::error::os_error_suffix(err)
}

/// Logs `CALL "path" failed (errno: text)` at nginx's level for the error.
pub fn log_failure(ctx: &Ctx<'_>, call: &str, path: &[u8], err: &io::Error, log_not_found: bool) {
    let level = match classify(err) {
        Failure::NotFound if !log_not_found => return,
        Failure::NotFound | Failure::Forbidden => LogLevel::Error,
        Failure::Other => LogLevel::Crit,
    };
    crate::log::error(
        ctx,
        level,
        &format!(
            "{call} \"{}\" failed {}",
            String::from_utf8_lossy(path),
            errno_suffix(err)
        ),
    );
}

/// open() for reading without blocking on FIFOs, then fstat(), as nginx's
/// static handler does. Directories are stat-ed but not kept open.
pub fn open(path: &[u8]) -> io::Result<(Option<File>, Metadata)> {
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(nix::fcntl::OFlag::O_NONBLOCK.bits())
        .open(os_path(path))?;
    let meta = file.metadata()?;
    if meta.is_dir() {
        return Ok((None, meta));
    }
    Ok((Some(file), meta))
}

/// stat() (following symlinks), as nginx's "test only" lookups do.
pub fn stat(path: &[u8]) -> io::Result<Metadata> {
    std::fs::metadata(os_path(path))
}

/// `ngx_http_set_exten`: the extension of the last path segment, if its dot
/// is not the segment's first character.
pub fn extension(uri: &[u8]) -> &[u8] {
    let mut i = uri.len();
    while i > 2 {
        i -= 1;
        if uri[i] == b'.' && uri[i - 1] != b'/' {
            return &uri[i + 1..];
        }
        if uri[i] == b'/' {
            return b"";
        }
    }
    b""
}

/// The MIME type for `uri` (`types`, else `default_type`).
pub fn content_type(ctx: &Ctx<'_>, uri: &[u8]) -> String {
    let conf = ctx.loc_conf();
    let ext = extension(uri);
    if !ext.is_empty()
        && let Some(mime) = conf.types.as_deref().and_then(|t| t.lookup(ext))
    {
        return mime.lossy().into_owned();
    }
    match &conf.default_type {
        Some(default) => default.lossy().into_owned(),
        None => "text/plain".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_as_nginx_finds_them() {
        assert_eq!(extension(b"/a/b.html"), b"html");
        assert_eq!(extension(b"/a/b.tar.GZ"), b"GZ");
        assert_eq!(extension(b"/a/.hidden"), b"");
        assert_eq!(extension(b"/a.d/file"), b"");
        assert_eq!(extension(b"/x."), b"");
        assert_eq!(extension(b"/.a"), b"");
        assert_eq!(extension(b"/ab.c"), b"c");
    }

    #[test]
    fn full_names() {
        assert_eq!(full_name(b"/p/", b"html".to_vec()), b"/p/html");
        assert_eq!(full_name(b"/p/", b"/abs".to_vec()), b"/abs");
        assert_eq!(
            Root::default_for(b"/usr/share/nginx").literal,
            b"/usr/share/nginx/html"
        );
    }
}
