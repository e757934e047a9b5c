//! nginx's static handler: the file for `$uri` with `Content-Type`,
//! `Content-Length`, `Last-Modified`, `ETag`; a directory without its
//! trailing slash is a 301 to `uri/`. The response then goes through the
//! not-modified filter (304/412) and the range filter (206/416,
//! `Accept-Ranges`), as nginx's header filters run in that order.
//!
//! A small file's contents are kept by the worker (`content_cache`), so
//! serving it again is one stat() of its path instead of open(), fstat(),
//! pread() and close().

use super::body::{FileBody, READ_AT_ONCE, Segment, Source};
use super::conditional::{self, ImsMode, Validators};
use super::content_cache;
use super::escape::{EscapeKind, escape_uri};
use super::path::{self, Failure};
use super::range::{self, RangeInput, RangeVerdict};
use super::{RequestState, Step};
use crate::core_main::LogLevel;
use crate::http_core::request::{Ctx, OutBody, Outcome};
use bytes::Bytes;
use http::header::{HeaderName, HeaderValue};
use http::{Method, Version};
use http_body_util::BodyExt;
use std::fs::Metadata;
use std::os::unix::fs::MetadataExt;
use std::sync::Arc;
use std::time::SystemTime;

/// The static handler.
pub fn handle(ctx: &mut Ctx<'_>, state: &RequestState) -> Step {
    let conf = ctx.loc_conf();
    let method = &ctx.method;
    if method != Method::GET && method != Method::HEAD && method != Method::POST {
        return Step::respond(Outcome::status(405, conf));
    }
    if ctx.uri.ends_with(b"/") {
        return Step::Declined;
    }
    let sconf = &conf.static_files;
    let root = sconf.root();
    let mapped = path::map_uri_to_path(ctx, &root, &ctx.uri, state.add_uri_to_alias);
    let options = FileOptions {
        gzip_encoded: false,
        vary: state.gzip_vary,
    };
    let get = method == Method::GET;
    if (get || method == Method::HEAD)
        && let Some((content, meta)) = content_cache::lookup(&mapped.path)
    {
        let uri = ctx.uri.clone();
        return Step::done(respond(ctx, Source::Memory(content), &meta, &uri, options));
    }
    // Taken before the open: only a ctime older than this, by a margin,
    // is sure to change with any later write.
    let opened_at = SystemTime::now();
    let (file, meta) = match path::open(&mapped.path) {
        Ok(opened) => opened,
        Err(err) => {
            path::log_failure(ctx, "open()", &mapped.path, &err, sconf.log_not_found());
            let status = match path::classify(&err) {
                Failure::NotFound => 404,
                Failure::Forbidden => 403,
                Failure::Other => 500,
            };
            return Step::respond(Outcome::status(status, conf));
        }
    };
    if meta.is_dir() {
        return Step::respond(directory_redirect(ctx));
    }
    let Some(file) = file.filter(|_| meta.is_file()) else {
        crate::log::error(
            ctx,
            LogLevel::Crit,
            &format!(
                "\"{}\" is not a regular file",
                String::from_utf8_lossy(&mapped.path)
            ),
        );
        return Step::respond(Outcome::status(404, conf));
    };
    if method == Method::POST {
        return Step::respond(Outcome::status(405, conf));
    }
    // A small file is read whole now, whatever part of it is asked for,
    // so the worker can keep it. On a read error the file is sent as
    // before, which reports the error the way nginx does.
    let small = get && meta.len() <= READ_AT_ONCE;
    let source = match small.then(|| FileBody::read_range(&file, 0, meta.len())) {
        Some(Ok(content)) => {
            content_cache::insert(&mapped.path, &meta, content.clone(), opened_at);
            Source::Memory(content)
        }
        _ => Source::File(Arc::new(file)),
    };
    let uri = ctx.uri.clone();
    Step::done(respond(ctx, source, &meta, &uri, options))
}

/// 301 to the URI with a slash added (escaped, with the arguments when
/// there are any), as an absolute URL unless `absolute_redirect off`.
fn directory_redirect(ctx: &Ctx<'_>) -> Outcome {
    let conf = ctx.loc_conf();
    let mut target = Vec::with_capacity(ctx.uri.len() + 1);
    escape_uri(&ctx.uri, EscapeKind::Uri, &mut target);
    target.push(b'/');
    if let Some(args) = ctx.args.as_deref().filter(|a| !a.is_empty()) {
        target.push(b'?');
        target.extend_from_slice(args);
    }
    // The header filter (request::process) makes it absolute.
    let mut outcome = Outcome::status(301, conf);
    outcome.location = HeaderValue::from_bytes(&target).ok();
    outcome
}

/// `Last-Modified` / `Date` format for a Unix time (`ngx_http_time`),
/// computed directly: it is on every static response's path.
pub fn http_time(secs: i64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let days = secs.div_euclid(86400);
    let seconds = secs.rem_euclid(86400);
    // Howard Hinnant's civil-from-days: the proleptic Gregorian date.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let weekday = DAYS[days.rem_euclid(7) as usize];
    let month = MONTHS[(month - 1) as usize];
    if !(0..=9999).contains(&year) {
        return format!(
            "{weekday}, {day:02} {month} {year:04} {:02}:{:02}:{:02} GMT",
            seconds / 3600,
            seconds / 60 % 60,
            seconds % 60
        );
    }
    // By hand: the formatting machinery cost more than the date arithmetic.
    let digit = |n: i64| char::from(b'0' + (n % 10) as u8);
    let mut out = String::with_capacity(29);
    out.push_str(weekday);
    out.push_str(", ");
    out.extend([digit(day / 10), digit(day)]);
    out.push(' ');
    out.push_str(month);
    out.push(' ');
    out.extend([
        digit(year / 1000),
        digit(year / 100),
        digit(year / 10),
        digit(year),
    ]);
    out.push(' ');
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    out.extend([digit(h / 10), digit(h), ':', digit(m / 10), digit(m), ':']);
    out.extend([digit(s / 10), digit(s)]);
    out.push_str(" GMT");
    out
}

/// nginx's ETag, `"<mtime hex>-<size hex>"`, written by hand: format!
/// showed in profiles of small static files.
fn etag_of(mtime: i64, size: u64) -> String {
    fn hex(mut n: u64, out: &mut String) {
        let mut digits = [0u8; 16];
        let mut at = digits.len();
        loop {
            at -= 1;
            digits[at] = b"0123456789abcdef"[(n & 15) as usize];
            n >>= 4;
            if n == 0 {
                break;
            }
        }
        out.extend(digits[at..].iter().map(|&d| char::from(d)));
    }
    let mut out = String::with_capacity(24);
    out.push('"');
    // A negative time prints as its two's complement, as {:x} does.
    hex(mtime as u64, &mut out);
    out.push('-');
    hex(size, &mut out);
    out.push('"');
    out
}

fn header(name: &'static str, value: &str) -> Option<(HeaderName, HeaderValue)> {
    Some((
        HeaderName::from_static(name),
        HeaderValue::from_str(value).ok()?,
    ))
}

/// How a file is sent beyond the plain static case.
#[derive(Clone, Copy, Debug, Default)]
pub struct FileOptions {
    /// The file is `uri.gz` (gzip_static): `Content-Encoding: gzip`, and
    /// no byte ranges, as nginx's gzip_static module sends it.
    pub gzip_encoded: bool,
    /// nginx's `r->gzip_vary`: with `gzip_vary on`, `Vary: Accept-Encoding`.
    pub vary: bool,
}

/// The 200 response for an open regular file (or its contents), through
/// the not-modified, headers and range filters. `uri` gives the extension
/// for the MIME type.
pub fn respond(
    ctx: &Ctx<'_>,
    source: Source,
    meta: &Metadata,
    uri: &[u8],
    options: FileOptions,
) -> Outcome {
    let mut outcome = respond_filtered(ctx, source, meta, uri, options);
    if options.vary && ctx.loc_conf().static_files.gzip.vary() {
        // nginx writes it right after Connection, before the listed headers.
        outcome.headers.insert(
            0,
            (
                HeaderName::from_static("vary"),
                HeaderValue::from_static("Accept-Encoding"),
            ),
        );
    }
    outcome
}

fn respond_filtered(
    ctx: &Ctx<'_>,
    source: Source,
    meta: &Metadata,
    uri: &[u8],
    options: FileOptions,
) -> Outcome {
    let conf = ctx.loc_conf();
    let sconf = &conf.static_files;
    let size = meta.len();
    let mtime = meta.mtime();
    // The ETag's text becomes its header value without a copy.
    let etag_value = sconf
        .etag
        .unwrap_or(true)
        .then(|| HeaderValue::from_maybe_shared(Bytes::from(etag_of(mtime, size))).ok())
        .flatten();
    let etag = etag_value.as_ref().and_then(|v| v.to_str().ok());
    let content_type = path::content_type(ctx, uri);
    let last_modified = last_modified_value(mtime);
    let headers = &ctx.parts.headers;

    let verdict = conditional::check(
        headers,
        sconf.if_modified_since.unwrap_or(ImsMode::Exact),
        &Validators {
            last_modified: Some(mtime),
            etag,
        },
    );
    if let Some(mut answer) = conditional::answer(verdict, conf, &last_modified, etag) {
        super::header_filters(ctx, &mut answer);
        return answer;
    }
    let mut outcome = Outcome::status(200, conf);
    // A multipart body names the file's type in each part.
    let part_type = headers
        .contains_key(http::header::RANGE)
        .then(|| content_type.clone());
    outcome.content_type = Some(content_type);
    outcome.last_modified = last_modified;
    if let Some(value) = etag_value.clone() {
        outcome.headers.push((http::header::ETAG, value));
    }
    if options.gzip_encoded {
        outcome.headers.extend(header("content-encoding", "gzip"));
    }
    super::header_filters(ctx, &mut outcome);

    let max_ranges = sconf.max_ranges.unwrap_or(i32::MAX as u64);
    // The gzip filter clears nginx's allow_ranges: a body it compresses
    // goes out whole.
    let ranges = if max_ranges == 0
        || ctx.head.version == Version::HTTP_09
        || options.gzip_encoded
        || crate::gzip::compresses(ctx, &outcome, Some(size))
    {
        None
    } else {
        Some(range::check(
            headers,
            &RangeInput {
                length: size,
                last_modified: Some(mtime),
                etag,
                max_ranges,
            },
        ))
    };
    let head_only = ctx.method == Method::HEAD;
    match ranges {
        None => {
            outcome.body = Some(body(
                &source,
                vec![Segment::File {
                    start: 0,
                    end: size,
                }],
                size,
                head_only,
            ));
        }
        Some(RangeVerdict::Full) => {
            outcome.headers.push((
                http::header::ACCEPT_RANGES,
                HeaderValue::from_static("bytes"),
            ));
            outcome.body = Some(body(
                &source,
                vec![Segment::File {
                    start: 0,
                    end: size,
                }],
                size,
                head_only,
            ));
        }
        Some(RangeVerdict::NotSatisfiable) => {
            // nginx answers with its 416 page: the headers gathered so far
            // stay, except the validators, and the header filters run again
            // for the new status.
            let mut failed = Outcome::status(416, conf);
            failed.headers = std::mem::take(&mut outcome.headers);
            failed
                .headers
                .retain(|(name, _)| name != "etag" && name != "last-modified");
            failed
                .headers
                .extend(header("content-range", &format!("bytes */{size}")));
            super::header_filters(ctx, &mut failed);
            return failed;
        }
        Some(RangeVerdict::Partial(ranges)) if ranges.len() == 1 => {
            let r = ranges[0];
            outcome.status = 206;
            outcome.headers.extend(header(
                "content-range",
                &format!("bytes {}-{}/{size}", r.start, r.end - 1),
            ));
            outcome.body = Some(body(
                &source,
                vec![Segment::File {
                    start: r.start,
                    end: r.end,
                }],
                r.end - r.start,
                head_only,
            ));
        }
        Some(RangeVerdict::Partial(ranges)) => {
            let parts = range::multipart(&ranges, &part_type.unwrap_or_default(), size);
            outcome.status = 206;
            outcome.content_type = Some(parts.content_type);
            let mut segments = Vec::with_capacity(ranges.len() * 2 + 1);
            for (r, part_header) in ranges.iter().zip(parts.part_headers) {
                segments.push(Segment::Bytes(Bytes::from(part_header)));
                segments.push(Segment::File {
                    start: r.start,
                    end: r.end,
                });
            }
            segments.push(Segment::Bytes(Bytes::from(parts.trailer)));
            outcome.body = Some(body(&source, segments, parts.length, head_only));
        }
    }
    outcome
}

/// `Last-Modified` for a file's mtime. Files seldom change, so each
/// thread keeps the value of the last mtime it formatted.
fn last_modified_value(mtime: i64) -> Option<HeaderValue> {
    thread_local! {
        static LAST: HttpTimeCache = const { std::cell::RefCell::new(None) };
    }
    http_time_value(&LAST, mtime)
}

/// The last time a thread formatted for one header, and its value.
pub type HttpTimeCache = std::cell::RefCell<Option<(i64, HeaderValue)>>;

/// [`http_time`] as a header value, formatted again only when `secs`
/// differs from the last call's with the same cache.
pub fn http_time_value(
    cache: &'static std::thread::LocalKey<HttpTimeCache>,
    secs: i64,
) -> Option<HeaderValue> {
    cache.with(|last| {
        let mut last = last.borrow_mut();
        if let Some((at, value)) = last.as_ref()
            && *at == secs
        {
            return Some(value.clone());
        }
        let value = HeaderValue::from_str(&http_time(secs)).ok()?;
        *last = Some((secs, value.clone()));
        Some(value)
    })
}

/// A body of known length: nothing is read for HEAD, small bodies are read
/// now, large ones streamed.
fn body(source: &Source, segments: Vec<Segment>, length: u64, head_only: bool) -> OutBody {
    if head_only {
        return OutBody::Sized(super::empty_body(), length);
    }
    if length <= READ_AT_ONCE
        && let [Segment::File { start, end }] = segments.as_slice()
    {
        // On a read error fall through to streaming, which reports it in
        // the body as nginx does once the header is out.
        if let Ok(bytes) = source.read_range(*start, *end) {
            return OutBody::Full(bytes);
        }
    }
    OutBody::Sized(FileBody::new(source.clone(), segments).boxed(), length)
}

#[cfg(test)]
mod tests {
    use super::http_time;

    #[test]
    fn etags_are_nginxs_hex() {
        for (mtime, size) in [(0i64, 0u64), (1_700_000_000, 5), (-1, 1 << 40), (15, 255)] {
            assert_eq!(
                super::etag_of(mtime, size),
                format!("\"{mtime:x}-{size:x}\""),
                "{mtime} {size}"
            );
        }
    }

    #[test]
    fn http_time_matches_chrono() {
        for secs in [
            0i64,
            1,
            951_782_400,
            1_700_000_000,
            2_147_483_647,
            4_102_444_800,
            -86_401,
        ] {
            let expected = chrono::DateTime::from_timestamp(secs, 0)
                .unwrap()
                .format("%a, %d %b %Y %H:%M:%S GMT")
                .to_string();
            assert_eq!(http_time(secs), expected, "{secs}");
        }
    }
}
