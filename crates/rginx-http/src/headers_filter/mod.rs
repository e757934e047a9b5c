//! nginx's headers filter: `expires` (with the `Cache-Control` it implies)
//! and `add_header` / `add_trailer`, with nginx's inheritance (a level that
//! has any `add_header` drops its parent's) and its rule that only
//! 2xx/3xx "safe" statuses get them unless `always` is given.

use crate::compile::{Compiler, Target};
use crate::http_core::request::{Ctx, Outcome};
use crate::registry::Spec;
use crate::static_files::conditional::parse_http_time;
use crate::values;
use crate::variables::Template;
use http::header::{HeaderName, HeaderValue};
use rginx_conf::{Arg, ConfError, Directive};
use std::sync::Arc;

/// When the response expires.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExpiresKind {
    Off,
    Epoch,
    Max,
    /// `expires T`: T after the request.
    Access,
    /// `expires modified T`: T after the file's modification time.
    Modified,
    /// `expires @T`: the next T o'clock.
    Daily,
}

/// `expires`, as set at one level.
#[derive(Clone, Debug)]
pub struct Expires {
    pub kind: ExpiresKind,
    /// Seconds (negative for `-T`); for `Daily`, the time of day.
    pub time: i64,
    /// A value with variables, parsed per request.
    pub value: Option<Template>,
}

/// Which of nginx's special handlers an `add_header` name gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeaderKind {
    Plain,
    /// `Cache-Control`, `Link`: one more line.
    Multi,
    /// `Last-Modified`: replaces the response's (empty removes it).
    LastModified,
    /// `ETag`: replaces the response's (empty removes it).
    Etag,
}

/// One `add_header` or `add_trailer`.
#[derive(Clone, Debug)]
pub struct HeaderVal {
    pub name: Arg,
    pub value: Template,
    pub kind: HeaderKind,
    pub always: bool,
}

/// Headers-filter settings of a location (and of server/http levels).
#[derive(Clone, Debug, Default)]
pub struct HeadersConf {
    pub expires: Option<Expires>,
    pub headers: Option<Arc<Vec<HeaderVal>>>,
    pub trailers: Option<Arc<Vec<HeaderVal>>>,
}

impl HeadersConf {
    /// nginx's merge: each of the three is inherited only when this level
    /// sets none of it.
    pub fn merge(&mut self, parent: &HeadersConf) {
        if self.expires.is_none() {
            self.expires.clone_from(&parent.expires);
        }
        if self.headers.is_none() {
            self.headers.clone_from(&parent.headers);
        }
        if self.trailers.is_none() {
            self.trailers.clone_from(&parent.trailers);
        }
    }
}

/// The statuses nginx adds headers to without `always`.
pub fn safe_status(status: u16) -> bool {
    matches!(
        status,
        200 | 201 | 204 | 206 | 301 | 302 | 303 | 304 | 307 | 308
    )
}

/// The filter, run on a response about to be sent with the settings of the
/// location it ends in.
pub fn apply(ctx: &Ctx<'_>, conf: &HeadersConf, outcome: &mut Outcome) {
    let expires = conf
        .expires
        .as_ref()
        .filter(|e| e.kind != ExpiresKind::Off || e.value.is_some());
    if expires.is_none() && conf.headers.is_none() {
        return;
    }
    let safe = safe_status(outcome.status);
    if let Some(expires) = expires
        && safe
    {
        set_expires(ctx, expires, outcome);
    }
    for header in conf.headers.iter().flat_map(|h| h.iter()) {
        if !safe && !header.always {
            continue;
        }
        let value = crate::variables::eval::render(ctx, &header.value);
        add_header(header, &value, outcome);
    }
}

fn header_name(name: &Arg) -> Option<HeaderName> {
    HeaderName::from_bytes(name.as_bytes()).ok()
}

fn add_header(header: &HeaderVal, value: &[u8], outcome: &mut Outcome) {
    let Some(name) = header_name(&header.name) else {
        return;
    };
    match header.kind {
        HeaderKind::Plain | HeaderKind::Multi => {
            if let (false, Ok(value)) = (value.is_empty(), HeaderValue::from_bytes(value)) {
                // nginx writes the name as configured.
                let spelled = header.name.as_bytes();
                if !crate::serve::answer::is_usual_spelling(&name, spelled) {
                    outcome
                        .header_case
                        .push(bytes::Bytes::copy_from_slice(spelled));
                }
                outcome.headers.push((name, value));
            }
        }
        HeaderKind::LastModified => {
            // The built-in Last-Modified line gives way to a listed one,
            // which nginx writes in list order (after Connection).
            outcome.last_modified = None;
            replace_or_push(outcome, name, value);
        }
        HeaderKind::Etag => replace_or_push(outcome, name, value),
    }
}

/// nginx's `ngx_http_set_response_header`: the existing line keeps its
/// place with the new value; an empty value removes it.
fn replace_or_push(outcome: &mut Outcome, name: HeaderName, value: &[u8]) {
    let existing = outcome.headers.iter().position(|(n, _)| *n == name);
    if value.is_empty() {
        if let Some(at) = existing {
            outcome.headers.remove(at);
        }
        return;
    }
    let Ok(value) = HeaderValue::from_bytes(value) else {
        return;
    };
    match existing {
        Some(at) => outcome.headers[at].1 = value,
        None => outcome.headers.push((name, value)),
    }
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// `ngx_http_set_expires`: `Expires` and `Cache-Control`, reusing lines the
/// response already has (the first Cache-Control; the others go).
fn set_expires(ctx: &Ctx<'_>, conf: &Expires, outcome: &mut Outcome) {
    let mut kind = conf.kind;
    let mut time = conf.time;
    if let Some(template) = &conf.value {
        let value = crate::variables::eval::render(ctx, template);
        match parse_expires(&value, kind) {
            Ok((parsed_kind, parsed_time)) => {
                kind = parsed_kind;
                time = parsed_time;
            }
            Err(_) => return,
        }
        if kind == ExpiresKind::Off {
            return;
        }
    }
    let now = now();
    let (expires, cache_control) = match kind {
        ExpiresKind::Epoch => (
            "Thu, 01 Jan 1970 00:00:01 GMT".to_string(),
            "no-cache".to_string(),
        ),
        ExpiresKind::Max => (
            "Thu, 31 Dec 2037 23:55:55 GMT".to_string(),
            "max-age=315360000".to_string(),
        ),
        _ if time == 0 && kind != ExpiresKind::Daily => (
            crate::static_files::file::http_time(now),
            "max-age=0".to_string(),
        ),
        _ => {
            let last_modified = outcome
                .last_modified
                .as_ref()
                .map_or(-1, |v| parse_http_time(v.as_bytes()));
            let (at, max_age) = if kind == ExpiresKind::Daily {
                let at = next_time(time, now);
                (at, at - now)
            } else if kind == ExpiresKind::Access || last_modified == -1 {
                (time + now, time)
            } else {
                let at = time + last_modified;
                (at, at - now)
            };
            let cache_control = if conf.time < 0 || max_age < 0 {
                "no-cache".to_string()
            } else {
                format!("max-age={max_age}")
            };
            (crate::static_files::file::http_time(at), cache_control)
        }
    };
    let expires_name = HeaderName::from_static("expires");
    let cc_name = HeaderName::from_static("cache-control");
    let Ok(expires) = HeaderValue::from_str(&expires) else {
        return;
    };
    match outcome.headers.iter().position(|(n, _)| *n == expires_name) {
        Some(at) => outcome.headers[at].1 = expires,
        None => outcome.headers.push((expires_name, expires)),
    }
    let Ok(cache_control) = HeaderValue::from_str(&cache_control) else {
        return;
    };
    match outcome.headers.iter().position(|(n, _)| *n == cc_name) {
        Some(first) => {
            outcome.headers[first].1 = cache_control;
            let mut index = 0;
            outcome.headers.retain(|(n, _)| {
                let keep = *n != cc_name || index == first;
                index += 1;
                keep
            });
        }
        None => outcome.headers.push((cc_name, cache_control)),
    }
}

/// `ngx_next_time`: the next moment the local clock shows `when` seconds
/// past midnight (today if still ahead, else tomorrow).
fn next_time(when: i64, now: i64) -> i64 {
    use chrono::{Duration, Local, NaiveTime, TimeZone};
    let Some(today) = Local.timestamp_opt(now, 0).single() else {
        return -1;
    };
    let Some(clock) = NaiveTime::from_num_seconds_from_midnight_opt(when.clamp(0, 86399) as u32, 0)
    else {
        return -1;
    };
    let date = today.date_naive();
    for day in 0..2 {
        let naive = (date + Duration::days(day)).and_time(clock);
        if let Some(at) = Local.from_local_datetime(&naive).earliest() {
            let at = at.timestamp();
            if day == 1 || at - now > 0 {
                return at;
            }
        }
    }
    -1
}

/// `ngx_http_parse_expires`: `epoch`, `max`, `off` (not after `modified`),
/// `@T` (daily), `+T`, `-T`, `T`.
pub fn parse_expires(value: &[u8], kind: ExpiresKind) -> Result<(ExpiresKind, i64), &'static str> {
    let mut kind = kind;
    if kind != ExpiresKind::Modified {
        match value {
            b"epoch" => return Ok((ExpiresKind::Epoch, 0)),
            b"max" => return Ok((ExpiresKind::Max, 0)),
            b"off" => return Ok((ExpiresKind::Off, 0)),
            _ => {}
        }
    }
    let (rest, minus) = match value.first() {
        Some(b'@') => {
            if kind == ExpiresKind::Modified {
                return Err("daily time cannot be used with \"modified\" parameter");
            }
            kind = ExpiresKind::Daily;
            (&value[1..], false)
        }
        Some(b'+') => (&value[1..], false),
        Some(b'-') => (&value[1..], true),
        _ => (value, false),
    };
    let seconds = values::parse_time(rest, true)
        .ok_or("invalid value")?
        .as_secs() as i64;
    if kind == ExpiresKind::Daily && seconds > 24 * 60 * 60 {
        return Err("daily time value must be less than 24 hours");
    }
    Ok((kind, if minus { -seconds } else { seconds }))
}

fn headers_conf<'a>(t: &'a mut Target<'_>) -> Result<&'a mut HeadersConf, ConfError> {
    match t {
        Target::Http(http) => Ok(&mut http.conf.static_files.headers),
        Target::Server(_, server) => Ok(&mut server.conf.static_files.headers),
        Target::Location(location) => Ok(&mut location.conf.static_files.headers),
        _ => Err(ConfError::bare(
            "internal error: headers directive out of place",
        )),
    }
}

fn set_expires_directive(
    compiler: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    if headers_conf(t)?.expires.is_some() {
        return Err(values::duplicate(d));
    }
    let (kind, value) = if d.args.len() == 1 {
        (ExpiresKind::Access, &d.args[0])
    } else {
        if d.args[0].as_bytes() != b"modified" {
            return Err(values::directive_error(d, "invalid value"));
        }
        (ExpiresKind::Modified, &d.args[1])
    };
    let template = crate::variables::compile(value, &mut compiler.variables, &d.loc)?;
    let expires = if template.has_variables() {
        Expires {
            kind,
            time: 0,
            value: Some(template),
        }
    } else {
        let (kind, time) =
            parse_expires(value.as_bytes(), kind).map_err(|err| values::directive_error(d, err))?;
        Expires {
            kind,
            time,
            value: None,
        }
    };
    headers_conf(t)?.expires = Some(expires);
    Ok(())
}

fn add(
    compiler: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
    trailer: bool,
) -> Result<(), ConfError> {
    let name = d.args[0].clone();
    let kind = if trailer {
        HeaderKind::Plain
    } else {
        let lower = name.as_bytes().to_ascii_lowercase();
        match lower.as_slice() {
            b"cache-control" | b"link" => HeaderKind::Multi,
            b"last-modified" => HeaderKind::LastModified,
            b"etag" => HeaderKind::Etag,
            _ => HeaderKind::Plain,
        }
    };
    let value = if d.args[1].is_empty() {
        Template::default()
    } else {
        crate::variables::compile(&d.args[1], &mut compiler.variables, &d.loc)?
    };
    let mut always = false;
    if let Some(flag) = d.args.get(2) {
        if flag.as_bytes() != b"always" {
            return Err(ConfError::at(
                &d.loc,
                format!("invalid parameter \"{flag}\""),
            ));
        }
        always = true;
    }
    let conf = headers_conf(t)?;
    let list = if trailer {
        &mut conf.trailers
    } else {
        &mut conf.headers
    };
    // nginx pushes the entry before it checks the third argument, so the
    // list exists even when that check fails; the error stops everything
    // anyway.
    Arc::make_mut(list.get_or_insert_with(Default::default)).push(HeaderVal {
        name,
        value,
        kind,
        always,
    });
    Ok(())
}

fn set_add_header(
    compiler: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    add(compiler, d, t, false)
}

fn set_add_trailer(
    compiler: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    add(compiler, d, t, true)
}

const MODULE: &str = "ngx_http_headers_filter_module";

pub static SPECS: &[Spec] = &[
    Spec {
        module: MODULE,
        name: "expires",
        set: set_expires_directive,
        note: "time, modified, @daily, negative, epoch, max, off, variables",
    },
    Spec {
        module: MODULE,
        name: "add_header",
        set: set_add_header,
        note: "with always; an inner level's list replaces the outer one",
    },
    Spec {
        module: MODULE,
        name: "add_trailer",
        set: set_add_trailer,
        note: "accepted; trailers are not sent yet",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expires_values() {
        let access = ExpiresKind::Access;
        assert_eq!(parse_expires(b"epoch", access), Ok((ExpiresKind::Epoch, 0)));
        assert_eq!(parse_expires(b"max", access), Ok((ExpiresKind::Max, 0)));
        assert_eq!(parse_expires(b"off", access), Ok((ExpiresKind::Off, 0)));
        assert_eq!(parse_expires(b"1h", access), Ok((access, 3600)));
        assert_eq!(parse_expires(b"-1h", access), Ok((access, -3600)));
        assert_eq!(parse_expires(b"+30d", access), Ok((access, 30 * 86400)));
        assert_eq!(
            parse_expires(b"@15h30m", access),
            Ok((ExpiresKind::Daily, 55800))
        );
        assert_eq!(
            parse_expires(b"@25h", access),
            Err("daily time value must be less than 24 hours")
        );
        let modified = ExpiresKind::Modified;
        assert_eq!(parse_expires(b"epoch", modified), Err("invalid value"));
        assert_eq!(
            parse_expires(b"@1h", modified),
            Err("daily time cannot be used with \"modified\" parameter")
        );
        assert_eq!(parse_expires(b"later", access), Err("invalid value"));
    }

    #[test]
    fn daily_is_within_a_day_ahead() {
        let now = now();
        let next = next_time(3600, now);
        assert!(next > now && next - now <= 86400 + 3600, "{next} {now}");
    }

    #[test]
    fn safe_statuses() {
        assert!(safe_status(200) && safe_status(304) && safe_status(308));
        assert!(!safe_status(404) && !safe_status(500) && !safe_status(416));
    }
}
