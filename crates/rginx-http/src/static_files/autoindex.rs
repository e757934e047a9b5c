//! nginx's autoindex module: a listing of the directory for a URI ending in
//! `/` (after the index module found no index file), as html (with
//! `autoindex_exact_size` and `autoindex_localtime`), json, jsonp or xml,
//! byte for byte as nginx writes it. Names starting with `.` are hidden;
//! directories come first, then names in byte order.

use super::escape::{self, EscapeKind};
use super::file::http_time;
use super::path::{self, libc_errno};
use super::{AutoindexFormat, RequestState, Step};
use crate::core_main::LogLevel;
use crate::http_core::request::{Ctx, OutBody, Outcome};
use bytes::Bytes;
use http::Method;
use http_body_util::BodyExt;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;

/// Width of the name column of the html listing.
const NAME_LEN: usize = 50;

/// One directory entry.
#[derive(Debug)]
pub struct Entry {
    pub name: Vec<u8>,
    pub dir: bool,
    pub file: bool,
    pub mtime: i64,
    pub size: u64,
}

/// The autoindex handler.
pub fn handle(ctx: &mut Ctx<'_>, state: &RequestState) -> Step {
    if !ctx.uri.ends_with(b"/") {
        return Step::Declined;
    }
    let method = &ctx.method;
    if method != Method::GET && method != Method::HEAD {
        return Step::Declined;
    }
    let conf = ctx.loc_conf();
    let sconf = &conf.static_files;
    if !sconf.autoindex.unwrap_or(false) {
        return Step::Declined;
    }
    let root = sconf.root();
    let mut dir = path::map_uri_to_path(ctx, &root, &ctx.uri, state.add_uri_to_alias).path;
    // nginx drops the last byte (the URI's slash) from the path.
    if dir.len() > 1 {
        dir.pop();
    }
    let mut format = sconf.autoindex_format.unwrap_or(AutoindexFormat::Html);
    let mut callback = Vec::new();
    if format == AutoindexFormat::Jsonp {
        match jsonp_callback(ctx) {
            Ok(name) => callback = name,
            Err(()) => return Step::respond(Outcome::status(400, conf)),
        }
        if callback.is_empty() {
            format = AutoindexFormat::Json;
        }
    }
    let listing = match std::fs::read_dir(path::os_path(&dir)) {
        Ok(listing) => listing,
        Err(err) => {
            let (level, status) = match err.raw_os_error() {
                Some(libc_errno::ENOENT | libc_errno::ENOTDIR | libc_errno::ENAMETOOLONG) => {
                    (LogLevel::Error, 404)
                }
                Some(libc_errno::EACCES) => (LogLevel::Error, 403),
                _ => (LogLevel::Crit, 500),
            };
            crate::log::error(
                ctx,
                level,
                &format!(
                    "opendir() \"{}\" failed {}",
                    String::from_utf8_lossy(&dir),
                    path::errno_suffix(&err)
                ),
            );
            return Step::respond(Outcome::status(status, conf));
        }
    };
    let content_type = match format {
        AutoindexFormat::Json => "application/json",
        AutoindexFormat::Jsonp => "application/javascript",
        AutoindexFormat::Xml => "text/xml; charset=utf-8",
        AutoindexFormat::Html => "text/html",
    };
    if ctx.method == Method::HEAD {
        // nginx sends the header before reading the directory; a HEAD
        // request stops there.
        return Step::respond(Outcome::with_body(
            200,
            conf,
            OutBody::Stream(super::empty_body()),
            Some(content_type.to_string()),
        ));
    }
    let mut entries = Vec::new();
    for item in listing {
        let item = match item {
            Ok(item) => item,
            Err(err) => {
                crate::log::error(
                    ctx,
                    LogLevel::Crit,
                    &format!(
                        "readdir() \"{}\" failed {}",
                        String::from_utf8_lossy(&dir),
                        path::errno_suffix(&err)
                    ),
                );
                return Step::respond(Outcome::status(500, conf));
            }
        };
        let name = item.file_name().as_bytes().to_vec();
        if name.first() == Some(&b'.') {
            continue;
        }
        let mut full = dir.clone();
        full.push(b'/');
        full.extend_from_slice(&name);
        let meta = match std::fs::metadata(path::os_path(&full)) {
            Ok(meta) => meta,
            Err(err)
                if !matches!(
                    err.raw_os_error(),
                    Some(libc_errno::ENOENT | libc_errno::ELOOP)
                ) =>
            {
                crate::log::error(
                    ctx,
                    LogLevel::Crit,
                    &format!(
                        "stat() \"{}\" failed {}",
                        String::from_utf8_lossy(&full),
                        path::errno_suffix(&err)
                    ),
                );
                if err.raw_os_error() == Some(libc_errno::EACCES) {
                    continue;
                }
                return Step::respond(Outcome::status(500, conf));
            }
            // A dangling symlink: its own lstat() data.
            Err(_) => match std::fs::symlink_metadata(path::os_path(&full)) {
                Ok(meta) => meta,
                Err(err) => {
                    crate::log::error(
                        ctx,
                        LogLevel::Crit,
                        &format!(
                            "lstat() \"{}\" failed {}",
                            String::from_utf8_lossy(&full),
                            path::errno_suffix(&err)
                        ),
                    );
                    return Step::respond(Outcome::status(500, conf));
                }
            },
        };
        // nginx's stat() overrides readdir's d_type: a symlink to a
        // directory lists as a directory.
        let (is_dir, is_file) = (meta.is_dir(), meta.is_file());
        entries.push(Entry {
            name,
            dir: is_dir,
            file: is_file,
            mtime: meta.mtime(),
            size: meta.len(),
        });
    }
    entries.sort_by(|a, b| b.dir.cmp(&a.dir).then_with(|| a.name.cmp(&b.name)));
    let body = match format {
        AutoindexFormat::Html => html(
            &ctx.uri,
            &entries,
            sconf.autoindex_exact_size.unwrap_or(true),
            if sconf.autoindex_localtime.unwrap_or(false) {
                local_offset()
            } else {
                0
            },
            false,
        ),
        AutoindexFormat::Json => json(&entries, None),
        AutoindexFormat::Jsonp => json(&entries, Some(&callback)),
        AutoindexFormat::Xml => xml(&entries),
    };
    // nginx sends listings without Content-Length (chunked on HTTP/1.1).
    let body = super::body::UnsizedBody::new(Bytes::from(body)).boxed();
    Step::respond(Outcome::with_body(
        200,
        conf,
        OutBody::Stream(body),
        Some(content_type.to_string()),
    ))
}

/// The machine's current UTC offset in seconds (nginx's cached `gmtoff`).
fn local_offset() -> i64 {
    i64::from(chrono::Local::now().offset().local_minus_utc())
}

/// `$arg_callback` checked as nginx does: at most 128 of `[A-Za-z0-9_.]`.
fn jsonp_callback(ctx: &Ctx<'_>) -> Result<Vec<u8>, ()> {
    let Some(value) = ctx
        .args
        .as_deref()
        .and_then(|args| crate::variables::eval::arg(args, b"callback"))
    else {
        return Ok(Vec::new());
    };
    let shown = String::from_utf8_lossy(value);
    if value.len() > 128 {
        crate::log::error(
            ctx,
            LogLevel::Info,
            &format!("client sent too long callback name: \"{shown}\""),
        );
        return Err(());
    }
    if !value
        .iter()
        .all(|&c| c.is_ascii_alphanumeric() || c == b'_' || c == b'.')
    {
        crate::log::error(
            ctx,
            LogLevel::Info,
            &format!("client sent invalid callback name: \"{shown}\""),
        );
        return Err(());
    }
    Ok(value.to_vec())
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn broken_down(secs: i64) -> chrono::NaiveDateTime {
    chrono::DateTime::from_timestamp(secs, 0)
        .unwrap_or_default()
        .naive_utc()
}

/// The html listing. `utf8`: the response charset is UTF-8, so names are
/// measured and cut in characters rather than bytes.
pub fn html(uri: &[u8], entries: &[Entry], exact_size: bool, offset: i64, utf8: bool) -> Vec<u8> {
    use chrono::{Datelike, Timelike};
    let mut out = Vec::with_capacity(256 + entries.len() * 120);
    let mut escaped_uri = Vec::new();
    escape::escape_html(uri, &mut escaped_uri);
    out.extend_from_slice(b"<html>\r\n<head><title>Index of ");
    out.extend_from_slice(&escaped_uri);
    out.extend_from_slice(b"</title></head>\r\n<body>\r\n<h1>Index of ");
    out.extend_from_slice(&escaped_uri);
    out.extend_from_slice(b"</h1><hr><pre><a href=\"../\">../</a>\r\n");
    for entry in entries {
        let name = &entry.name;
        out.extend_from_slice(b"<a href=\"");
        escape::escape_uri(name, EscapeKind::UriComponent, &mut out);
        if entry.dir {
            out.push(b'/');
        }
        out.extend_from_slice(b"\">");
        let mut len = if utf8 {
            escape::utf8_length(name)
        } else {
            name.len()
        };
        let last;
        if name.len() != len {
            let chars = if len > NAME_LEN {
                NAME_LEN - 3 + 1
            } else {
                NAME_LEN + 1
            };
            let copied = escape::utf8_prefix_len(name, chars);
            escape::escape_html(&name[..copied], &mut out);
            last = out.len();
        } else if escape::html_needs_escape(name) {
            let chars = if len > NAME_LEN { NAME_LEN - 3 } else { len };
            escape::escape_html(&name[..chars], &mut out);
            last = out.len();
        } else {
            out.extend_from_slice(&name[..name.len().min(NAME_LEN)]);
            last = out.len().saturating_sub(3);
        }
        if len > NAME_LEN {
            out.truncate(last);
            out.extend_from_slice(b"..&gt;</a>");
        } else {
            if entry.dir && NAME_LEN - len > 0 {
                out.push(b'/');
                len += 1;
            }
            out.extend_from_slice(b"</a>");
            out.resize(out.len() + (NAME_LEN - len), b' ');
        }
        out.push(b' ');
        let tm = broken_down(entry.mtime + offset);
        out.extend_from_slice(
            format!(
                "{:02}-{}-{} {:02}:{:02} ",
                tm.day(),
                MONTHS[tm.month0() as usize],
                tm.year(),
                tm.hour(),
                tm.minute()
            )
            .as_bytes(),
        );
        if exact_size {
            if entry.dir {
                out.extend_from_slice(b"                  -");
            } else {
                out.extend_from_slice(format!("{:>19}", entry.size).as_bytes());
            }
        } else if entry.dir {
            out.extend_from_slice(b"      -");
        } else {
            out.extend_from_slice(human_size(entry.size).as_bytes());
        }
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"</pre><hr></body>\r\n</html>\r\n");
    out
}

/// `autoindex_exact_size off`: K, M or G rounded half up, 7 columns.
fn human_size(length: u64) -> String {
    const G: u64 = 1024 * 1024 * 1024;
    const M: u64 = 1024 * 1024;
    let (size, scale) = if length > G - 1 {
        (length / G + u64::from(length % G > G / 2 - 1), Some('G'))
    } else if length > M - 1 {
        (length / M + u64::from(length % M > M / 2 - 1), Some('M'))
    } else if length > 9999 {
        (length / 1024 + u64::from(length % 1024 > 511), Some('K'))
    } else {
        (length, None)
    };
    match scale {
        Some(scale) => format!("{size:>6}{scale}"),
        None => format!(" {size:>6}"),
    }
}

/// The json listing, wrapped in `callback(...)` for jsonp.
pub fn json(entries: &[Entry], callback: Option<&[u8]>) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 + entries.len() * 100);
    if let Some(callback) = callback {
        out.extend_from_slice(b"/* callback */\r\n");
        out.extend_from_slice(callback);
        out.push(b'(');
    }
    out.push(b'[');
    for (i, entry) in entries.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"\r\n{ \"name\":\"");
        escape::escape_json(&entry.name, &mut out);
        out.extend_from_slice(b"\", \"type\":\"");
        out.extend_from_slice(kind(entry).as_bytes());
        out.extend_from_slice(b"\", \"mtime\":\"");
        out.extend_from_slice(http_time(entry.mtime).as_bytes());
        if entry.file {
            out.extend_from_slice(format!("\", \"size\":{}", entry.size).as_bytes());
        } else {
            out.push(b'"');
        }
        out.extend_from_slice(b" }");
    }
    out.extend_from_slice(b"\r\n]");
    if callback.is_some() {
        out.extend_from_slice(b");");
    }
    out
}

fn kind(entry: &Entry) -> &'static str {
    if entry.dir {
        "directory"
    } else if entry.file {
        "file"
    } else {
        "other"
    }
}

/// The xml listing.
pub fn xml(entries: &[Entry]) -> Vec<u8> {
    use chrono::{Datelike, Timelike};
    let mut out = Vec::with_capacity(64 + entries.len() * 100);
    out.extend_from_slice(b"<?xml version=\"1.0\"?>\r\n<list>\r\n");
    for entry in entries {
        let kind = kind(entry);
        let tm = broken_down(entry.mtime);
        out.extend_from_slice(
            format!(
                "<{kind} mtime=\"{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z\"",
                tm.year(),
                tm.month(),
                tm.day(),
                tm.hour(),
                tm.minute(),
                tm.second()
            )
            .as_bytes(),
        );
        if entry.file {
            out.extend_from_slice(format!(" size=\"{}\"", entry.size).as_bytes());
        }
        out.push(b'>');
        escape::escape_html(&entry.name, &mut out);
        out.extend_from_slice(format!("</{kind}>\r\n").as_bytes());
    }
    out.extend_from_slice(b"</list>\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(name: &str, dir: bool, size: u64) -> Entry {
        Entry {
            name: name.as_bytes().to_vec(),
            dir,
            file: !dir,
            mtime: 1_700_000_000,
            size,
        }
    }

    #[test]
    fn html_columns() {
        let page = html(
            b"/d/",
            &[entry("sub", true, 4096), entry("a b.txt", false, 12)],
            true,
            0,
            false,
        );
        let page = String::from_utf8(page).unwrap();
        assert!(page.starts_with("<html>\r\n<head><title>Index of /d/</title></head>\r\n"));
        let sub = format!(
            "<a href=\"sub/\">sub/</a>{} 14-Nov-2023 22:13                   -\r\n",
            " ".repeat(46)
        );
        assert!(page.contains(&sub), "{page}");
        let file = format!(
            "<a href=\"a%20b.txt\">a b.txt</a>{} 14-Nov-2023 22:13 {:>19}\r\n",
            " ".repeat(43),
            12
        );
        assert!(page.contains(&file), "{page}");
        assert!(page.ends_with("</pre><hr></body>\r\n</html>\r\n"));
    }

    #[test]
    fn long_names_are_cut() {
        let long = "x".repeat(60);
        let page =
            String::from_utf8(html(b"/", &[entry(&long, false, 1)], true, 0, false)).unwrap();
        assert!(
            page.contains(&format!(">{}..&gt;</a> ", "x".repeat(47))),
            "{page}"
        );
        let amp = format!("&{}", "y".repeat(59));
        let page = String::from_utf8(html(b"/", &[entry(&amp, false, 1)], true, 0, false)).unwrap();
        assert!(
            page.contains(&format!(">&amp;{}..&gt;</a> ", "y".repeat(46))),
            "{page}"
        );
    }

    #[test]
    fn human_sizes() {
        assert_eq!(human_size(9999), "   9999");
        assert_eq!(human_size(10000), "    10K");
        assert_eq!(human_size(10 * 1024 + 512), "    11K");
        assert_eq!(human_size(1024 * 1024), "     1M");
        assert_eq!(human_size(3 * 1024 * 1024 * 1024), "     3G");
    }

    #[test]
    fn json_and_xml() {
        let entries = [entry("d", true, 0), entry("f\"", false, 5)];
        let json = String::from_utf8(json(&entries, None)).unwrap();
        assert_eq!(
            json,
            "[\r\n{ \"name\":\"d\", \"type\":\"directory\", \"mtime\":\"Tue, 14 Nov 2023 22:13:20 GMT\" },\
             \r\n{ \"name\":\"f\\\"\", \"type\":\"file\", \"mtime\":\"Tue, 14 Nov 2023 22:13:20 GMT\", \"size\":5 }\r\n]"
        );
        let jsonp = String::from_utf8(super::json(&[], Some(b"cb"))).unwrap();
        assert_eq!(jsonp, "/* callback */\r\ncb([\r\n]);");
        let xml = String::from_utf8(xml(&entries)).unwrap();
        assert_eq!(
            xml,
            "<?xml version=\"1.0\"?>\r\n<list>\r\n<directory mtime=\"2023-11-14T22:13:20Z\">d</directory>\r\n\
             <file mtime=\"2023-11-14T22:13:20Z\" size=\"5\">f&quot;</file>\r\n</list>\r\n"
        );
    }
}
