//! nginx's charset filter: `charset`, `source_charset`, `override_charset`,
//! `charset_types` and `charset_map`. The header part adds nginx's
//! `; charset=NAME` to the `Content-Type` of responses whose type is in
//! `charset_types`; when the source and destination charsets differ and a
//! `charset_map` links them, the body is recoded as nginx recodes it
//! (byte tables, to UTF-8, and from UTF-8 with `&#N;` for characters the
//! table lacks).

use crate::compile::{Compiler, Target};
use crate::core_main::LogLevel;
use crate::http_core::header_filter;
use crate::http_core::request::{Ctx, OutBody, Outcome};
use crate::http_core::{LocConf, LocationBuild, ServerBuild};
use crate::registry::Spec;
use crate::serve::handler::Body;
use crate::values;
use crate::variables::Var;
use bytes::Bytes;
use http::{Method, Version};
use http_body_util::{BodyExt, Full};
use rginx_conf::{Arg, ConfError, Directive};
use std::collections::HashMap;
use std::sync::Arc;

/// nginx's `ngx_http_charset_default_types`: the types where
/// `charset_types` is not set (a set list always has `text/html`).
const DEFAULT_TYPES: [&str; 6] = [
    "text/html",
    "text/xml",
    "text/plain",
    "text/vnd.wap.wml",
    "application/javascript",
    "application/rss+xml",
];

/// A `charset` or `source_charset` value.
#[derive(Clone, Debug)]
pub enum CharsetRef {
    /// `charset off`, and what an unset `source_charset` means.
    Off,
    /// An index into the http block's charset list.
    Name(usize),
    /// `$variable`: the name is looked up per request.
    Var(Var),
}

/// `charset_types`.
#[derive(Clone, Debug)]
pub enum CharsetTypes {
    Any,
    /// Lowercased, `text/html` included.
    List(Vec<Vec<u8>>),
}

/// The charset settings of a location (and of server and http level).
#[derive(Clone, Debug, Default)]
pub struct CharsetConf {
    pub charset: Option<CharsetRef>,
    pub source_charset: Option<CharsetRef>,
    pub override_charset: Option<bool>,
    pub types: Option<CharsetTypes>,
}

impl CharsetConf {
    pub fn merge(&mut self, parent: &CharsetConf) {
        if self.charset.is_none() {
            self.charset.clone_from(&parent.charset);
        }
        if self.source_charset.is_none() {
            self.source_charset.clone_from(&parent.source_charset);
        }
        self.override_charset = self.override_charset.or(parent.override_charset);
        if self.types.is_none() {
            self.types.clone_from(&parent.types);
        }
    }

    fn types_match(&self, mime: &str) -> bool {
        let lower = mime.to_ascii_lowercase();
        match &self.types {
            Some(CharsetTypes::Any) => true,
            Some(CharsetTypes::List(list)) => list.iter().any(|t| t.as_slice() == lower.as_bytes()),
            None => DEFAULT_TYPES.contains(&lower.as_str()),
        }
    }
}

/// One `charset_map` block.
#[derive(Clone, Debug)]
struct Table {
    src: usize,
    dst: usize,
    map: TableMap,
}

#[derive(Clone, Debug)]
enum TableMap {
    /// Between two single-byte charsets.
    Bytes {
        src2dst: Arc<[u8; 256]>,
        dst2src: Arc<[u8; 256]>,
    },
    /// From a single-byte charset to UTF-8: each byte's UTF-8 sequence,
    /// and back, code point (below U+10000) to byte (0: none).
    Utf8 {
        src2dst: Arc<Vec<Vec<u8>>>,
        dst2src: Arc<HashMap<u32, u8>>,
    },
}

/// The http block's charsets (nginx's main configuration of the module):
/// every name `charset`, `source_charset` or `charset_map` mentioned, in
/// the order first seen and spelled as first seen, and the maps.
#[derive(Clone, Debug, Default)]
pub struct Charsets {
    names: Vec<Vec<u8>>,
    tables: Vec<Table>,
}

impl Charsets {
    /// `ngx_http_add_charset`: the index of a name, added if new.
    fn add(&mut self, name: &[u8]) -> usize {
        if let Some(i) = self.find(name) {
            return i;
        }
        self.names.push(name.to_vec());
        self.names.len() - 1
    }

    /// `ngx_http_get_charset`: case-insensitive.
    fn find(&self, name: &[u8]) -> Option<usize> {
        self.names.iter().position(|n| n.eq_ignore_ascii_case(name))
    }

    fn name(&self, index: usize) -> &[u8] {
        self.names.get(index).map_or(&b""[..], Vec::as_slice)
    }

    /// nginx's `charsets[src].tables[dst]`: filled from the maps in order
    /// (a later map of the same pair wins), either direction.
    fn recoder(&self, src: usize, dst: usize) -> Option<Recoder> {
        let mut found = None;
        for table in &self.tables {
            let recoder = match &table.map {
                TableMap::Bytes { src2dst, dst2src } => {
                    if table.src == src && table.dst == dst {
                        Recoder::Bytes(src2dst.clone())
                    } else if table.src == dst && table.dst == src {
                        Recoder::Bytes(dst2src.clone())
                    } else {
                        continue;
                    }
                }
                TableMap::Utf8 { src2dst, dst2src } => {
                    if table.src == src && table.dst == dst {
                        Recoder::ToUtf8(src2dst.clone())
                    } else if table.src == dst && table.dst == src {
                        Recoder::FromUtf8 {
                            table: dst2src.clone(),
                            saved: Vec::new(),
                        }
                    } else {
                        continue;
                    }
                }
            };
            found = Some(recoder);
        }
        found
    }
}

fn conf<'a>(t: &'a mut Target<'_>) -> Result<&'a mut CharsetConf, ConfError> {
    match t {
        Target::Http(http) => Ok(&mut http.conf.charset),
        Target::Server(_, server) => Ok(&mut server.conf.charset),
        Target::Location(location) => Ok(&mut location.conf.charset),
        _ => Err(ConfError::bare(
            "internal error: charset directive out of place",
        )),
    }
}

/// `ngx_http_set_charset_slot`, for `charset` (`off` allowed) and
/// `source_charset` (where `off` is just a name).
fn charset_value(c: &mut Compiler, d: &Directive, off_allowed: bool) -> CharsetRef {
    let value = d.args[0].as_bytes();
    if off_allowed && value == b"off" {
        return CharsetRef::Off;
    }
    if let Some(name) = value.strip_prefix(b"$") {
        return CharsetRef::Var(c.variables.resolve(&String::from_utf8_lossy(name)));
    }
    CharsetRef::Name(c.charsets.add(value))
}

fn set_charset(c: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    if conf(t)?.charset.is_some() {
        return Err(values::duplicate(d));
    }
    let value = charset_value(c, d, true);
    conf(t)?.charset = Some(value);
    Ok(())
}

fn set_source_charset(
    c: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    if conf(t)?.source_charset.is_some() {
        return Err(values::duplicate(d));
    }
    let value = charset_value(c, d, false);
    conf(t)?.source_charset = Some(value);
    Ok(())
}

fn set_override_charset(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    values::flag_slot(&mut conf(t)?.override_charset, d)
}

/// `ngx_http_types_slot` with the module's default types: the list grows
/// over the directives of one level, `*` takes every type, a type already
/// listed (the defaults included) only warns.
fn set_types(c: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    let conf = conf(t)?;
    let mut list = match conf.types.take() {
        Some(CharsetTypes::Any) => {
            conf.types = Some(CharsetTypes::Any);
            return Err(values::duplicate(d));
        }
        Some(CharsetTypes::List(list)) => list,
        // nginx's types slot seeds the list with the first default only.
        None => vec![b"text/html".to_vec()],
    };
    for arg in &d.args {
        if arg.as_bytes() == b"*" {
            conf.types = Some(CharsetTypes::Any);
            return Ok(());
        }
        let lower = arg.as_bytes().to_ascii_lowercase();
        if list.contains(&lower) {
            c.warn(ConfError::at(
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
    conf.types = Some(CharsetTypes::List(list));
    Ok(())
}

/// `ngx_hextoi`.
fn hextoi(text: &[u8]) -> Option<u64> {
    if text.is_empty() {
        return None;
    }
    text.iter().try_fold(0u64, |value, &b| {
        let digit = (b as char).to_digit(16)?;
        value.checked_mul(16)?.checked_add(u64::from(digit))
    })
}

/// `ngx_utf8_decode`, with nginx's results: the code point, 0xffffffff for
/// an invalid sequence, 0xfffffffe for one cut short. `pos` moves past what
/// was read, exactly as nginx's pointer does (an invalid continuation byte
/// is consumed).
fn utf8_decode(bytes: &[u8], pos: &mut usize) -> u32 {
    let available = bytes.len() - *pos;
    let mut u = u32::from(bytes[*pos]);
    let (valid, mut len) = if u >= 0xf0 {
        u &= 0x07;
        (0xffff, 3)
    } else if u >= 0xe0 {
        u &= 0x0f;
        (0x7ff, 2)
    } else if u >= 0xc2 {
        u &= 0x1f;
        (0x7f, 1)
    } else {
        *pos += 1;
        return 0xffff_ffff;
    };
    if available - 1 < len {
        return 0xffff_fffe;
    }
    *pos += 1;
    while len > 0 {
        let i = u32::from(bytes[*pos]);
        *pos += 1;
        if i < 0x80 {
            return 0xffff_ffff;
        }
        u = (u << 6) | (i & 0x3f);
        len -= 1;
    }
    if u > valid { u } else { 0xffff_ffff }
}

/// `charset_map FROM TO { XX YY; ... }` (`ngx_http_charset_map_block`).
fn set_charset_map(c: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    if !matches!(t, Target::Http(_)) {
        return Err(ConfError::bare("internal error: charset_map out of place"));
    }
    let src = c.charsets.add(d.args[0].as_bytes());
    let dst = c.charsets.add(d.args[1].as_bytes());
    if src == dst {
        return Err(ConfError::at(
            &d.loc,
            format!(
                "\"charset_map\" between the same charsets \"{}\" and \"{}\"",
                d.args[0], d.args[1]
            ),
        ));
    }
    // nginx compares with its first map only (its loop never advances).
    if let Some(first) = c.charsets.tables.first()
        && ((first.src == src && first.dst == dst) || (first.src == dst && first.dst == src))
    {
        return Err(ConfError::at(
            &d.loc,
            format!(
                "duplicate \"charset_map\" between \"{}\" and \"{}\"",
                d.args[0], d.args[1]
            ),
        ));
    }
    let to_utf8 = d.args[1].as_bytes().eq_ignore_ascii_case(b"utf-8");
    let map = if to_utf8 {
        read_utf8_map(c, d)?
    } else {
        read_byte_map(c, d)?
    };
    c.charsets.tables.push(Table { src, dst, map });
    Ok(())
}

/// The entries of a map block, each `XX YY`, with nginx's checks.
fn entries<'d>(
    c: &Compiler,
    d: &'d Directive,
) -> Result<Vec<(&'d Directive, usize, &'d Arg)>, ConfError> {
    let mut out = Vec::new();
    let Some(block) = &d.block else {
        return Ok(out);
    };
    for entry in &block.directives {
        if entry.block.is_some() {
            return Err(ConfError::at(&entry.loc, "unexpected \"{\""));
        }
        if entry.args.len() != 1 {
            return Err(ConfError::at(&entry.loc, "invalid parameters number"));
        }
        let src = hextoi(entry.name.as_bytes())
            .filter(|v| *v <= 255)
            .ok_or_else(|| {
                ConfError::at(&entry.loc, format!("invalid value \"{}\"", entry.name))
            })?;
        out.push((entry, src as usize, &entry.args[0]));
    }
    if !block.is_complete() {
        return Err(c.syntax_error());
    }
    Ok(out)
}

fn read_byte_map(c: &Compiler, d: &Directive) -> Result<TableMap, ConfError> {
    let mut src2dst = [b'?'; 256];
    let mut dst2src = [b'?'; 256];
    for i in 0..128u8 {
        src2dst[usize::from(i)] = i;
        dst2src[usize::from(i)] = i;
    }
    for (entry, src, value) in entries(c, d)? {
        let dst = hextoi(value.as_bytes())
            .filter(|v| *v <= 255)
            .ok_or_else(|| ConfError::at(&entry.loc, format!("invalid value \"{value}\"")))?;
        src2dst[src] = dst as u8;
        dst2src[dst as usize] = src as u8;
    }
    Ok(TableMap::Bytes {
        src2dst: Arc::new(src2dst),
        dst2src: Arc::new(dst2src),
    })
}

fn read_utf8_map(c: &Compiler, d: &Directive) -> Result<TableMap, ConfError> {
    let mut src2dst: Vec<Vec<u8>> = (0..=255u8)
        .map(|i| if i < 128 { vec![i] } else { vec![b'?'] })
        .collect();
    let mut dst2src: HashMap<u32, u8> = (0..128u8).map(|i| (u32::from(i), i)).collect();
    for (entry, src, value) in entries(c, d)? {
        let invalid = || ConfError::at(&entry.loc, format!("invalid value \"{value}\""));
        let hex = value.as_bytes();
        if hex.len() / 2 > 3 {
            return Err(invalid());
        }
        // nginx reads the hex digits two by two; an odd length reads the
        // string's terminator as a digit, which fails.
        let mut sequence = Vec::new();
        for pair in hex.chunks(2) {
            let byte = (pair.len() == 2)
                .then(|| hextoi(pair))
                .flatten()
                .ok_or_else(invalid)?;
            sequence.push(byte as u8);
        }
        let mut pos = 0;
        let code = if sequence.is_empty() {
            0xffff_ffff
        } else {
            utf8_decode(&sequence, &mut pos)
        };
        if code > 0xffff {
            return Err(invalid());
        }
        src2dst[src] = sequence;
        dst2src.insert(code, src as u8);
    }
    Ok(TableMap::Utf8 {
        src2dst: Arc::new(src2dst),
        dst2src: Arc::new(dst2src),
    })
}

/// The end of the http block: nginx's postconfiguration refuses a pair of
/// different named charsets, met in any merged location, that no
/// `charset_map` links (in either direction).
pub fn finish(charsets: &Charsets, servers: &[ServerBuild]) -> Result<(), ConfError> {
    let mut pairs = Vec::new();
    for server in servers {
        collect(&server.conf, &mut pairs);
        collect_locations(&server.locations, &mut pairs);
    }
    for (src, dst) in pairs {
        let linked = charsets
            .tables
            .iter()
            .any(|t| (t.src == src && t.dst == dst) || (t.src == dst && t.dst == src));
        if !linked {
            return Err(ConfError::bare(format!(
                "no \"charset_map\" between the charsets \"{}\" and \"{}\"",
                String::from_utf8_lossy(charsets.name(src)),
                String::from_utf8_lossy(charsets.name(dst))
            )));
        }
    }
    Ok(())
}

fn collect_locations(locations: &[LocationBuild], pairs: &mut Vec<(usize, usize)>) {
    for location in locations {
        collect(&location.conf, pairs);
        if let Some(limit) = &location.limit_except {
            collect(&limit.location.conf, pairs);
        }
        collect_locations(&location.children, pairs);
    }
}

fn collect(conf: &LocConf, pairs: &mut Vec<(usize, usize)>) {
    let mut conf = conf.clone();
    for location in conf.rewrite.if_locations_mut() {
        collect(&location.conf, pairs);
    }
    if let (Some(CharsetRef::Name(dst)), Some(CharsetRef::Name(src))) =
        (&conf.charset.charset, &conf.charset.source_charset)
        && dst != src
        && !pairs.contains(&(*src, *dst))
    {
        pairs.push((*src, *dst));
    }
}

/// `ngx_http_upstream_process_content_type`: a proxied `Content-Type`'s
/// type part ends at the `;` before a `charset=` parameter, whose value
/// (unquoted) is the response's charset.
fn split_charset(content_type: &str) -> (usize, Option<&str>) {
    let bytes = content_type.as_bytes();
    let mut at = 0;
    while let Some(semi) = bytes[at..].iter().position(|&b| b == b';') {
        let semi = at + semi;
        let mut p = semi + 1;
        while bytes.get(p) == Some(&b' ') {
            p += 1;
        }
        if p == bytes.len() {
            return (bytes.len(), None);
        }
        if bytes.len() - p >= 8 && bytes[p..p + 8].eq_ignore_ascii_case(b"charset=") {
            let mut value = &content_type[p + 8..];
            value = value.strip_prefix('"').unwrap_or(value);
            value = value.strip_suffix('"').unwrap_or(value);
            return (semi, Some(value));
        }
        at = semi + 1;
    }
    (bytes.len(), None)
}

/// `ngx_http_charset_header_filter` (and the body filter it sets up). Runs
/// after the headers filter and before gzip, nginx's filter order.
pub fn filter(ctx: &Ctx<'_>, outcome: &mut Outcome) {
    if outcome.abort {
        return;
    }
    let conf = &ctx.loc_conf().charset;
    let destination = match &conf.charset {
        None | Some(CharsetRef::Off) => return,
        Some(destination) => destination,
    };
    let charsets = &ctx.http.charsets;
    if outcome.body.is_none() {
        // nginx's built-in pages go through the filter with their
        // `text/html`: make the page (with its MSIE padding) now.
        header_filter::msie_padding(ctx, outcome);
        header_filter::builtin_page(outcome);
    }
    let Some(full) = outcome.content_type.clone().filter(|t| !t.is_empty()) else {
        return;
    };
    // Only a proxied response (and the XML autoindex) carries nginx's
    // separate `headers_out.charset`; a local type with a charset
    // parameter (`default_type "text/html; charset=x"`) is one whole type.
    let (type_len, response_charset) =
        if ctx.upstream.is_some() || full == "text/xml; charset=utf-8" {
            split_charset(&full)
        } else {
            (full.len(), None)
        };
    // ngx_http_destination_charset
    if response_charset.is_some() {
        if !conf.override_charset.unwrap_or(false) {
            return;
        }
    } else if !conf.types_match(&full[..type_len]) {
        return;
    }
    let dst_name: Vec<u8> = match destination {
        CharsetRef::Name(i) => charsets.name(*i).to_vec(),
        CharsetRef::Var(var) => match crate::variables::eval::value(ctx, var) {
            Some(value) => value.into_owned(),
            None => return,
        },
        CharsetRef::Off => return,
    };
    let dst = charsets.find(&dst_name);
    // ngx_http_source_charset: `None` is nginx's NGX_HTTP_CHARSET_OFF.
    let source: Option<(Option<usize>, Vec<u8>)> = match response_charset {
        Some(name) => Some((charsets.find(name.as_bytes()), name.as_bytes().to_vec())),
        None => match &conf.source_charset {
            None | Some(CharsetRef::Off) => None,
            Some(CharsetRef::Name(i)) => Some((Some(*i), charsets.name(*i).to_vec())),
            Some(CharsetRef::Var(var)) => {
                let Some(value) = crate::variables::eval::value(ctx, var) else {
                    return;
                };
                let value = value.into_owned();
                Some((charsets.find(&value), value))
            }
        },
    };
    let no_map = |src_name: &[u8]| {
        crate::log::error(
            ctx,
            LogLevel::Error,
            &format!(
                "no \"charset_map\" between the charsets \"{}\" and \"{}\"",
                String::from_utf8_lossy(src_name),
                String::from_utf8_lossy(&dst_name)
            ),
        );
    };
    let mut truncate = false;
    let mut recoder = None;
    if let Some((src, src_name)) = source {
        if dst.is_none() || src.is_none() {
            let same_name = src_name.len() >= dst_name.len()
                && src_name[..dst_name.len()].eq_ignore_ascii_case(&dst_name);
            if src != dst || !same_name {
                no_map(&src_name);
                return;
            }
        } else if src == dst {
            truncate = true;
        } else {
            let encoded = outcome
                .headers
                .iter()
                .any(|(n, v)| n.as_str() == "content-encoding" && !v.is_empty());
            if encoded {
                return;
            }
            let (Some(src), Some(dst)) = (src, dst) else {
                return;
            };
            let Some(found) = charsets.recoder(src, dst) else {
                no_map(&src_name);
                return;
            };
            truncate = true;
            recoder = Some(found);
        }
    }
    // ngx_http_set_charset: none on a 301/302 (old browsers used it for
    // the next page); then nginx's header filter appends it only to a type
    // that has no parameters of its own.
    let charset = if matches!(outcome.status, 301 | 302) {
        Vec::new()
    } else {
        dst_name.clone()
    };
    let (base, base_type_len) = if truncate {
        (&full[..type_len], type_len)
    } else {
        (full.as_str(), type_len)
    };
    let content_type = if base_type_len == base.len() && !charset.is_empty() {
        format!("{base}; charset={}", String::from_utf8_lossy(&charset))
    } else {
        base.to_string()
    };
    outcome.content_type = Some(content_type);
    if let Some(recoder) = recoder {
        recode_body(ctx, outcome, recoder);
    }
}

/// Sets up the body filter: a byte table keeps the length, a recoding to
/// or from UTF-8 does not (nginx clears `Content-Length`).
fn recode_body(ctx: &Ctx<'_>, outcome: &mut Outcome, mut recoder: Recoder) {
    let keeps_length = matches!(recoder, Recoder::Bytes(_));
    let (body, length): (Body, Option<u64>) = match outcome.body.take() {
        None => return,
        Some(OutBody::Full(bytes)) if keeps_length => {
            outcome.body = Some(OutBody::Full(recoder.recode(&bytes)));
            return;
        }
        Some(OutBody::Full(bytes)) => (
            Full::new(bytes).map_err(|never| match never {}).boxed(),
            None,
        ),
        Some(OutBody::Sized(body, length)) => (body, Some(length)),
        Some(OutBody::Stream(body)) => (body, None),
    };
    let mapped: Body = body
        .map_frame(move |frame| frame.map_data(|data| recoder.recode(&data)))
        .boxed();
    outcome.body = Some(match length {
        Some(length) if keeps_length => OutBody::Sized(mapped, length),
        _ => OutBody::Stream(mapped),
    });
    if !keeps_length {
        // Without a length nginx's range filter offers no ranges either;
        // a proxied response's own `Accept-Ranges` is passed on as is.
        let local = ctx.upstream.is_none();
        outcome.headers.retain(|(n, _)| {
            n.as_str() != "content-length" && !(local && n.as_str() == "accept-ranges")
        });
        if ctx.head.version == Version::HTTP_10 && ctx.head.method != Method::HEAD {
            outcome.close = true;
        }
    }
}

/// The body filter's state.
enum Recoder {
    Bytes(Arc<[u8; 256]>),
    ToUtf8(Arc<Vec<Vec<u8>>>),
    FromUtf8 {
        table: Arc<HashMap<u32, u8>>,
        /// An incomplete UTF-8 sequence at the end of the previous chunk.
        saved: Vec<u8>,
    },
}

impl Recoder {
    fn recode(&mut self, data: &[u8]) -> Bytes {
        match self {
            Recoder::Bytes(table) => data.iter().map(|&b| table[usize::from(b)]).collect(),
            Recoder::ToUtf8(table) => {
                let mut out = Vec::with_capacity(data.len() * 2);
                for &b in data {
                    out.extend_from_slice(&table[usize::from(b)]);
                }
                out.into()
            }
            Recoder::FromUtf8 { table, saved } => {
                let mut input = std::mem::take(saved);
                input.extend_from_slice(data);
                let mut out = Vec::with_capacity(input.len());
                let mut pos = 0;
                while pos < input.len() {
                    let b = input[pos];
                    if b < 0x80 {
                        out.push(b);
                        pos += 1;
                        continue;
                    }
                    let code = utf8_decode(&input, &mut pos);
                    if code < 0x10000 {
                        match table.get(&code) {
                            Some(&c) if c != 0 => out.push(c),
                            _ => out.extend_from_slice(format!("&#{code};").as_bytes()),
                        }
                        continue;
                    }
                    if code == 0xffff_fffe {
                        // Completed by the next chunk (or dropped at the
                        // end, as nginx drops it).
                        *saved = input[pos..].to_vec();
                        break;
                    }
                    if code > 0x10ffff {
                        out.push(b'?');
                        continue;
                    }
                    out.extend_from_slice(format!("&#{code};").as_bytes());
                }
                out.into()
            }
        }
    }
}

impl std::fmt::Debug for Recoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Recoder::Bytes(_) => "Bytes",
            Recoder::ToUtf8(_) => "ToUtf8",
            Recoder::FromUtf8 { .. } => "FromUtf8",
        })
    }
}

pub static SPECS: &[Spec] = &[
    Spec {
        module: "ngx_http_charset_filter_module",
        name: "charset",
        set: set_charset,
        note: "adds `; charset=` as nginx does; recodes where a charset_map applies",
    },
    Spec {
        module: "ngx_http_charset_filter_module",
        name: "source_charset",
        set: set_source_charset,
        note: "the charset the content is in",
    },
    Spec {
        module: "ngx_http_charset_filter_module",
        name: "override_charset",
        set: set_override_charset,
        note: "over a proxied response's own charset",
    },
    Spec {
        module: "ngx_http_charset_filter_module",
        name: "charset_types",
        set: set_types,
        note: "text/html always included, as in nginx",
    },
    Spec {
        module: "ngx_http_charset_filter_module",
        name: "charset_map",
        set: set_charset_map,
        note: "byte tables and to/from UTF-8, nginx's checks",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upstream_charset_parameter() {
        assert_eq!(split_charset("text/html"), (9, None));
        assert_eq!(
            split_charset("text/html; charset=\"koi8-r\""),
            (9, Some("koi8-r"))
        );
        assert_eq!(split_charset("text/html;charset=UTF-8"), (9, Some("UTF-8")));
        assert_eq!(split_charset("a/b; x=1; charset=y"), (8, Some("y")));
    }

    #[test]
    fn hex_and_utf8_decoding() {
        assert_eq!(hextoi(b"C2"), Some(0xc2));
        assert_eq!(hextoi(b"0100"), Some(256));
        assert_eq!(hextoi(b"g"), None);
        let mut pos = 0;
        assert_eq!(utf8_decode("é".as_bytes(), &mut pos), 0xe9);
        assert_eq!(pos, 2);
        let mut pos = 0;
        assert_eq!(utf8_decode(&[0xe2, 0x82], &mut pos), 0xffff_fffe);
        let mut pos = 0;
        assert_eq!(utf8_decode(&[0xc2, 0x41], &mut pos), 0xffff_ffff);
        assert_eq!(pos, 2);
    }

    #[test]
    fn from_utf8_across_chunks() {
        let mut table = HashMap::new();
        table.insert(0x410u32, 0xe1u8);
        let mut r = Recoder::FromUtf8 {
            table: Arc::new(table),
            saved: Vec::new(),
        };
        let text = "aА€".as_bytes();
        let first = r.recode(&text[..2]);
        let second = r.recode(&text[2..]);
        assert_eq!(&first[..], b"a");
        assert_eq!(&second[..], b"\xe1&#8364;");
    }
}
