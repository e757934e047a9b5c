//! gzip: the directives of nginx's gzip filter, gzip_static and gunzip
//! modules and the core's `gzip_vary`, `gzip_http_version`,
//! `gzip_proxied`, `gzip_disable`, with nginx's checks; nginx's decision
//! whether a client gets gzip (`ngx_http_gzip_ok`), which `gzip_static`
//! (static_files) and the output filters (`output`) share; the streaming
//! compressor and decompressor bodies (`body`, flate2 with zlib-rs).

mod body;
mod output;

pub use body::member;
pub use output::{compresses, filter};

use crate::compile::{Compiler, Target};
use crate::http_core::request::{Ctx, Outcome};
use crate::regex::Regex;
use crate::registry::Spec;
use crate::values;
use http::{HeaderName, Version};
use rginx_conf::{ConfError, Directive};
use std::sync::Arc;

/// `gzip_types`: `*` or a list of MIME types (text/html always included).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GzipTypes {
    Any,
    List(Vec<Vec<u8>>),
}

/// `gzip_static`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GzipStatic {
    Off,
    On,
    Always,
}

/// `gzip_proxied` bits, as nginx's mask.
pub mod proxied {
    pub const OFF: u32 = 0x0002;
    pub const EXPIRED: u32 = 0x0004;
    pub const NO_CACHE: u32 = 0x0008;
    pub const NO_STORE: u32 = 0x0010;
    pub const PRIVATE: u32 = 0x0020;
    pub const NO_LM: u32 = 0x0040;
    pub const NO_ETAG: u32 = 0x0080;
    pub const AUTH: u32 = 0x0100;
    pub const ANY: u32 = 0x0200;
}

const PROXIED: [(&str, u32); 9] = [
    ("off", proxied::OFF),
    ("expired", proxied::EXPIRED),
    ("no-cache", proxied::NO_CACHE),
    ("no-store", proxied::NO_STORE),
    ("private", proxied::PRIVATE),
    ("no_last_modified", proxied::NO_LM),
    ("no_etag", proxied::NO_ETAG),
    ("auth", proxied::AUTH),
    ("any", proxied::ANY),
];

/// gzip settings of a location (and of server/http levels).
#[derive(Clone, Debug, Default)]
pub struct GzipConf {
    pub enable: Option<bool>,
    pub buffers: Option<(u64, u64)>,
    pub types: Option<GzipTypes>,
    pub comp_level: Option<u64>,
    /// `gzip_window` as zlib's window bits.
    pub window_bits: Option<u64>,
    /// `gzip_hash` as zlib's memory level.
    pub mem_level: Option<u64>,
    pub postpone_gzipping: Option<u64>,
    pub no_buffer: Option<bool>,
    pub min_length: Option<u64>,
    pub vary: Option<bool>,
    /// `gzip_http_version`: true for 1.0.
    pub http_version_10: Option<bool>,
    pub proxied: Option<u32>,
    pub disable: Option<Arc<Vec<Regex>>>,
    pub disable_msie6: Option<bool>,
    pub gzip_static: Option<GzipStatic>,
    pub gunzip: Option<bool>,
    pub gunzip_buffers: Option<(u64, u64)>,
}

fn inherit<T: Clone>(slot: &mut Option<T>, parent: &Option<T>) {
    if slot.is_none() {
        slot.clone_from(parent);
    }
}

impl GzipConf {
    pub fn merge(&mut self, parent: &GzipConf) {
        inherit(&mut self.enable, &parent.enable);
        inherit(&mut self.buffers, &parent.buffers);
        inherit(&mut self.types, &parent.types);
        inherit(&mut self.comp_level, &parent.comp_level);
        inherit(&mut self.window_bits, &parent.window_bits);
        inherit(&mut self.mem_level, &parent.mem_level);
        inherit(&mut self.postpone_gzipping, &parent.postpone_gzipping);
        inherit(&mut self.no_buffer, &parent.no_buffer);
        inherit(&mut self.min_length, &parent.min_length);
        inherit(&mut self.vary, &parent.vary);
        inherit(&mut self.http_version_10, &parent.http_version_10);
        inherit(&mut self.proxied, &parent.proxied);
        inherit(&mut self.disable, &parent.disable);
        inherit(&mut self.disable_msie6, &parent.disable_msie6);
        inherit(&mut self.gzip_static, &parent.gzip_static);
        inherit(&mut self.gunzip, &parent.gunzip);
        inherit(&mut self.gunzip_buffers, &parent.gunzip_buffers);
    }

    pub fn vary(&self) -> bool {
        self.vary.unwrap_or(false)
    }
}

/// The first value of a request header (nginx keeps the first of these).
fn first<'a>(ctx: &'a Ctx<'_>, name: &HeaderName) -> Option<&'a [u8]> {
    crate::http_core::headers_in::first(&ctx.parts.headers, name)
}

/// `ngx_http_gzip_ok`: does this client get gzip? `response` gives the
/// response's headers for the `gzip_proxied` tests (none yet for
/// gzip_static, which decides before the response exists).
pub fn gzip_ok(ctx: &Ctx<'_>, conf: &GzipConf, response: Option<&Outcome>) -> bool {
    let Some(accept) = first(ctx, &http::header::ACCEPT_ENCODING) else {
        return false;
    };
    if accept.len() < 4 {
        return false;
    }
    if !accept.starts_with(b"gzip,") && !accept_encoding(accept) {
        return false;
    }
    let user_agent = first(ctx, &http::header::USER_AGENT).unwrap_or_default();
    if conf.disable_msie6.unwrap_or(false)
        && crate::http_core::header_filter::Browser::of(user_agent).msie6
    {
        return false;
    }
    if ctx.head.version == Version::HTTP_10 && !conf.http_version_10.unwrap_or(false) {
        return false;
    }
    if ctx.head.version == Version::HTTP_09 {
        return false;
    }
    if first(ctx, &http::header::VIA).is_some() && !proxied_ok(ctx, conf, response) {
        return false;
    }
    if let Some(disable) = &conf.disable
        && first(ctx, &http::header::USER_AGENT).is_some()
        && disable.iter().any(|re| re.is_match(user_agent))
    {
        return false;
    }
    true
}

/// The `gzip_proxied` part of `ngx_http_gzip_ok`, for requests with `Via`.
fn proxied_ok(ctx: &Ctx<'_>, conf: &GzipConf, response: Option<&Outcome>) -> bool {
    let p = conf.proxied.unwrap_or(proxied::OFF);
    if p & proxied::OFF != 0 {
        return false;
    }
    if p & proxied::ANY != 0 {
        return true;
    }
    if first(ctx, &http::header::AUTHORIZATION).is_some() && p & proxied::AUTH != 0 {
        return true;
    }
    let header = |name: &str| {
        response.and_then(|r| {
            r.headers
                .iter()
                .find(|(n, _)| n.as_str() == name)
                .map(|(_, v)| v.as_bytes())
        })
    };
    if let Some(expires) = header("expires") {
        if p & proxied::EXPIRED == 0 {
            return false;
        }
        let expires = crate::static_files::conditional::parse_http_time(expires);
        if expires == -1 {
            return false;
        }
        // Against the response's own Date when it has one (an upstream's,
        // passed with proxy_pass_header), else now.
        let date = match header("date") {
            Some(date) => crate::static_files::conditional::parse_http_time(date),
            None => std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64),
        };
        if date == -1 {
            return false;
        }
        return expires < date;
    }
    let cache_control: Vec<&[u8]> = response
        .map(|r| {
            r.headers
                .iter()
                .filter(|(n, _)| n.as_str() == "cache-control")
                .map(|(_, v)| v.as_bytes())
                .collect()
        })
        .unwrap_or_default();
    if !cache_control.is_empty() {
        let has = |token: &[u8]| cache_control.iter().any(|value| has_token(value, token));
        return (p & proxied::NO_CACHE != 0 && has(b"no-cache"))
            || (p & proxied::NO_STORE != 0 && has(b"no-store"))
            || (p & proxied::PRIVATE != 0 && has(b"private"));
    }
    // nginx's `headers_out.last_modified` is set by an upstream's header
    // (or add_header), not by the static module, whose Last-Modified is
    // written from the file's time only after the filters ran.
    if p & proxied::NO_LM != 0 && header("last-modified").is_some() {
        return false;
    }
    if p & proxied::NO_ETAG != 0 && header("etag").is_some() {
        return false;
    }
    true
}

/// `ngx_http_parse_multi_header_lines` for one token: it must stand alone
/// between separators (`,`, `;`, space) and match case-insensitively.
fn has_token(value: &[u8], token: &[u8]) -> bool {
    let mut start = 0;
    while let Some(at) = find_ci(&value[start..], token) {
        let at = start + at;
        let before_ok = at == 0 || matches!(value[at - 1], b',' | b' ');
        let end = at + token.len();
        let after_ok = end == value.len() || matches!(value[end], b',' | b';' | b' ' | b'=');
        if before_ok && after_ok {
            return true;
        }
        start = at + 1;
    }
    false
}

fn find_ci(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

/// `ngx_http_gzip_accept_encoding`: `gzip` as a token, with a quality
/// above zero if one is given.
pub fn accept_encoding(value: &[u8]) -> bool {
    let mut start = 0;
    let at = loop {
        let Some(found) = find_ci(&value[start..], b"gzip") else {
            return false;
        };
        let at = start + found;
        if at == 0 || matches!(value[at - 1], b',' | b' ') {
            break at;
        }
        start = at + 4;
    };
    let mut p = at + 4;
    while p < value.len() {
        let c = value[p];
        p += 1;
        match c {
            b',' => return true,
            b';' => return quantity_part(&value[p..]),
            b' ' => continue,
            _ => return false,
        }
    }
    true
}

/// After `gzip;`: optional spaces, `q=`, and a quality above zero.
fn quantity_part(rest: &[u8]) -> bool {
    let mut p = 0;
    loop {
        let Some(&c) = rest.get(p) else {
            return true;
        };
        p += 1;
        match c {
            b'q' | b'Q' => break,
            b' ' => continue,
            _ => return false,
        }
    }
    if p + 2 > rest.len() || rest[p] != b'=' {
        return false;
    }
    quantity(&rest[p + 1..]) != 0
}

/// `ngx_http_gzip_quantity`: the quality times 1000 (0 when invalid).
fn quantity(value: &[u8]) -> u32 {
    let mut p = 0;
    let Some(&c) = value.first() else {
        return 0;
    };
    p += 1;
    if c != b'0' && c != b'1' {
        return 0;
    }
    let mut q = u32::from(c - b'0') * 100;
    let Some(&c) = value.get(p) else {
        return q;
    };
    p += 1;
    if c == b',' || c == b' ' {
        return q;
    }
    if c != b'.' {
        return 0;
    }
    let mut n = 0;
    while let Some(&c) = value.get(p) {
        p += 1;
        if c == b',' || c == b' ' {
            break;
        }
        if c.is_ascii_digit() {
            q += u32::from(c - b'0');
            n += 1;
            continue;
        }
        return 0;
    }
    if q > 100 || n > 3 {
        return 0;
    }
    q
}

fn gzip_conf<'a>(t: &'a mut Target<'_>) -> Result<&'a mut GzipConf, ConfError> {
    match t {
        Target::Http(http) => Ok(&mut http.conf.static_files.gzip),
        Target::Server(_, server) => Ok(&mut server.conf.static_files.gzip),
        Target::Location(location) => Ok(&mut location.conf.static_files.gzip),
        _ => Err(ConfError::bare(
            "internal error: gzip directive out of place",
        )),
    }
}

macro_rules! flag_setter {
    ($name:ident, $field:ident) => {
        fn $name(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
            values::flag_slot(&mut gzip_conf(t)?.$field, d)
        }
    };
}

flag_setter!(set_gzip, enable);
flag_setter!(set_no_buffer, no_buffer);
flag_setter!(set_vary, vary);
flag_setter!(set_gunzip, gunzip);

fn once<T>(slot: &Option<T>, d: &Directive) -> Result<(), ConfError> {
    if slot.is_some() {
        return Err(values::duplicate(d));
    }
    Ok(())
}

fn set_buffers(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    values::bufs_slot(&mut gzip_conf(t)?.buffers, d)
}

fn set_gunzip_buffers(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    values::bufs_slot(&mut gzip_conf(t)?.gunzip_buffers, d)
}

/// `ngx_http_types_slot`: accumulates over directives of one level,
/// `*` means every type, a repeated type only warns.
fn set_types(compiler: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    let conf = gzip_conf(t)?;
    if conf.types == Some(GzipTypes::Any) {
        return Ok(());
    }
    let mut list = match conf.types.take() {
        Some(GzipTypes::List(list)) => list,
        _ => vec![b"text/html".to_vec()],
    };
    for arg in &d.args {
        if arg.as_bytes() == b"*" {
            conf.types = Some(GzipTypes::Any);
            return Ok(());
        }
        let lower = arg.as_bytes().to_ascii_lowercase();
        if list.contains(&lower) {
            compiler.warn(ConfError::at(
                &d.loc,
                format!(
                    "duplicate MIME type \"{}\"",
                    String::from_utf8_lossy(&lower)
                ),
            ));
            continue;
        }
        list.push(lower);
    }
    conf.types = Some(GzipTypes::List(list));
    Ok(())
}

fn set_comp_level(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    let conf = gzip_conf(t)?;
    once(&conf.comp_level, d)?;
    let level = values::number(d, &d.args[0])?;
    if !(1..=9).contains(&level) {
        return Err(ConfError::at(&d.loc, "value must be between 1 and 9"));
    }
    conf.comp_level = Some(level);
    Ok(())
}

/// A power-of-two size turned into zlib's parameter, as nginx's post
/// handlers for `gzip_window` and `gzip_hash` do.
fn power_setting(
    slot: &mut Option<u64>,
    d: &Directive,
    largest: u64,
    top: u64,
    message: &str,
) -> Result<(), ConfError> {
    once(slot, d)?;
    let size = values::size(d, &d.args[0])?;
    let mut value = top;
    let mut candidate = largest;
    while candidate > 256 {
        if candidate == size {
            *slot = Some(value);
            return Ok(());
        }
        candidate >>= 1;
        value -= 1;
    }
    Err(values::directive_error(d, message))
}

fn set_window(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    power_setting(
        &mut gzip_conf(t)?.window_bits,
        d,
        32 * 1024,
        15,
        "must be 512, 1k, 2k, 4k, 8k, 16k, or 32k",
    )
}

fn set_hash(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    power_setting(
        &mut gzip_conf(t)?.mem_level,
        d,
        128 * 1024,
        9,
        "must be 512, 1k, 2k, 4k, 8k, 16k, 32k, 64k, or 128k",
    )
}

fn set_postpone(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    let conf = gzip_conf(t)?;
    once(&conf.postpone_gzipping, d)?;
    conf.postpone_gzipping = Some(values::size(d, &d.args[0])?);
    Ok(())
}

fn set_min_length(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    let conf = gzip_conf(t)?;
    once(&conf.min_length, d)?;
    conf.min_length = Some(values::size(d, &d.args[0])?);
    Ok(())
}

fn set_http_version(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    let conf = gzip_conf(t)?;
    once(&conf.http_version_10, d)?;
    conf.http_version_10 = Some(match d.args[0].as_bytes() {
        b"1.0" => true,
        b"1.1" => false,
        _ => return Err(values::invalid_value(d, &d.args[0])),
    });
    Ok(())
}

/// nginx's bitmask slot: values add up over directives; a repeated value
/// only warns.
fn set_proxied(
    compiler: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    let conf = gzip_conf(t)?;
    conf.proxied = Some(values::bitmask(
        compiler,
        d,
        conf.proxied.unwrap_or(0),
        &PROXIED,
    )?);
    Ok(())
}

fn set_disable(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    let mut regexes = Vec::new();
    let mut msie6 = false;
    for arg in &d.args {
        if arg.as_bytes() == b"msie6" {
            msie6 = true;
            continue;
        }
        regexes.push(Regex::compile(arg, true, &d.loc)?);
    }
    let conf = gzip_conf(t)?;
    if msie6 {
        conf.disable_msie6 = Some(true);
    }
    let mut list = conf.disable.as_deref().cloned().unwrap_or_default();
    list.extend(regexes);
    conf.disable = Some(Arc::new(list));
    Ok(())
}

fn set_gzip_static(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    let conf = gzip_conf(t)?;
    once(&conf.gzip_static, d)?;
    let value = d.args[0].as_bytes();
    let mode = [
        ("off", GzipStatic::Off),
        ("on", GzipStatic::On),
        ("always", GzipStatic::Always),
    ]
    .iter()
    .find(|(name, _)| name.as_bytes().eq_ignore_ascii_case(value))
    .map(|(_, mode)| *mode)
    .ok_or_else(|| values::invalid_value(d, &d.args[0]))?;
    conf.gzip_static = Some(mode);
    Ok(())
}

const FILTER: &str = "ngx_http_gzip_filter_module";
const CORE: &str = "ngx_http_core_module";

pub static SPECS: &[Spec] = &[
    Spec {
        module: CORE,
        name: "gzip_vary",
        set: set_vary,
        note: "Vary: Accept-Encoding",
    },
    Spec {
        module: CORE,
        name: "gzip_http_version",
        set: set_http_version,
        note: "1.0 or 1.1",
    },
    Spec {
        module: CORE,
        name: "gzip_proxied",
        set: set_proxied,
        note: "requests with Via",
    },
    Spec {
        module: CORE,
        name: "gzip_disable",
        set: set_disable,
        note: "msie6 and User-Agent regexes",
    },
    Spec {
        module: "ngx_http_gzip_static_module",
        name: "gzip_static",
        set: set_gzip_static,
        note: "on, always: serves file.gz",
    },
    Spec {
        module: FILTER,
        name: "gzip",
        set: set_gzip,
        note: "streaming, flate2 (zlib-rs); 200/403/404, HEAD gets the headers",
    },
    Spec {
        module: FILTER,
        name: "gzip_buffers",
        set: set_buffers,
        note: "bounds one compressed output frame (number x size)",
    },
    Spec {
        module: FILTER,
        name: "gzip_types",
        set: set_types,
        note: "text/html always; `*`",
    },
    Spec {
        module: FILTER,
        name: "gzip_comp_level",
        set: set_comp_level,
        note: "zlib-rs levels: same format, other bytes than zlib",
    },
    Spec {
        module: FILTER,
        name: "gzip_window",
        set: set_window,
        note: "shrunk for short bodies as nginx does",
    },
    Spec {
        module: FILTER,
        name: "gzip_hash",
        set: set_hash,
        note: "accepted; flate2 keeps zlib's default memory level",
    },
    Spec {
        module: FILTER,
        name: "postpone_gzipping",
        set: set_postpone,
        note: "accepted; compression streams from the first byte",
    },
    Spec {
        module: FILTER,
        name: "gzip_no_buffer",
        set: set_no_buffer,
        note: "accepted; compressed output goes out as it is produced",
    },
    Spec {
        module: FILTER,
        name: "gzip_min_length",
        set: set_min_length,
        note: "against Content-Length when known",
    },
    Spec {
        module: "ngx_http_gunzip_filter_module",
        name: "gunzip",
        set: set_gunzip,
        note: "streaming; several gzip members",
    },
    Spec {
        module: "ngx_http_gunzip_filter_module",
        name: "gunzip_buffers",
        set: set_gunzip_buffers,
        note: "bounds one inflated output frame",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_encoding_as_nginx_reads_it() {
        assert!(accept_encoding(b"gzip"));
        assert!(accept_encoding(b"deflate, gzip"));
        assert!(accept_encoding(b"br,gzip;q=0.5"));
        assert!(accept_encoding(b"GZIP"));
        assert!(accept_encoding(b"gzip; q=1"));
        assert!(accept_encoding(b"gzip;q=0.001"));
        assert!(!accept_encoding(b"gzip;q=0"));
        assert!(!accept_encoding(b"gzip;q=0.000"));
        assert!(!accept_encoding(b"x-gzip"));
        assert!(!accept_encoding(b"gzipx"));
        assert!(!accept_encoding(b"identity"));
        assert!(!accept_encoding(b"gzip;q=2"));
        assert!(!accept_encoding(b"gzip;q=0.0001"));
    }

    #[test]
    fn cache_control_tokens() {
        assert!(has_token(b"no-cache", b"no-cache"));
        assert!(has_token(b"max-age=0, Private", b"private"));
        assert!(!has_token(b"no-cache-x", b"no-cache"));
    }
}
