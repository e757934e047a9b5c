//! The static directives' setters, with nginx's checks and messages:
//! `root`/`alias` and the file-serving knobs of the core module, `try_files`,
//! `index` and `autoindex*`.

use super::conditional::ImsMode;
use super::path::{self, AliasKind, Root};
use super::{
    AutoindexFormat, DisableSymlinks, IndexName, OpenFileCache, StaticConf, TryFile, TryFiles,
};
use crate::compile::{Compiler, Target};
use crate::http_core::LocationKind;
use crate::registry::Spec;
use crate::values;
use rginx_conf::{Arg, ConfError, Directive};
use std::os::unix::ffi::OsStrExt;
use std::sync::Arc;

fn static_conf<'a>(t: &'a mut Target<'_>) -> Result<&'a mut StaticConf, ConfError> {
    match t {
        Target::Http(http) => Ok(&mut http.conf.static_files),
        Target::Server(_, server) => Ok(&mut server.conf.static_files),
        Target::Location(location) => Ok(&mut location.conf.static_files),
        _ => Err(ConfError::bare(
            "internal error: static directive out of place",
        )),
    }
}

/// nginx's `ngx_http_script_variables_count`: how many `$` a value has.
fn variables_count(value: &[u8]) -> usize {
    value.iter().filter(|&&b| b == b'$').count()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// A value that may hold variables: compiled when it does.
fn index_name(
    compiler: &mut Compiler,
    d: &Directive,
    value: &[u8],
) -> Result<IndexName, ConfError> {
    if variables_count(value) == 0 {
        return Ok(IndexName::Literal(value.to_vec()));
    }
    let template = crate::variables::compile(&Arg::new(value), &mut compiler.variables, &d.loc)?;
    Ok(IndexName::Template(template))
}

fn set_root(compiler: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    let is_alias = d.name == "alias";
    let (named, regex, name_len) = match t {
        Target::Location(l) => (
            matches!(l.kind, LocationKind::Named),
            matches!(l.kind, LocationKind::Regex(_)),
            l.name.len(),
        ),
        _ => (false, false, 0),
    };
    if let Some(existing) = &static_conf(t)?.root {
        let existing_alias = existing.alias != AliasKind::Root;
        if existing_alias == is_alias {
            return Err(values::duplicate(d));
        }
        return Err(ConfError::at(
            &d.loc,
            format!(
                "\"{}\" directive is duplicate, \"{}\" directive was specified earlier",
                d.name_str(),
                if existing_alias { "alias" } else { "root" }
            ),
        ));
    }
    if named && is_alias {
        return Err(ConfError::at(
            &d.loc,
            "the \"alias\" directive cannot be used inside the named location",
        ));
    }
    let raw = d.args[0].as_bytes();
    for variable in ["document_root", "realpath_root"] {
        if contains(raw, format!("${variable}").as_bytes())
            || contains(raw, format!("${{{variable}}}").as_bytes())
        {
            return Err(ConfError::at(
                &d.loc,
                format!(
                    "the ${variable} variable cannot be used in the \"{}\" directive",
                    d.name_str()
                ),
            ));
        }
    }
    let prefix = path::with_slash(compiler.options.prefix.as_os_str().as_bytes());
    let mut value = raw.to_vec();
    if !is_alias && value.ends_with(b"/") {
        value.pop();
    }
    if value.first() != Some(&b'$') {
        value = path::full_name(&prefix, value);
    }
    let alias = match (is_alias, regex) {
        (false, _) => AliasKind::Root,
        (true, false) => AliasKind::Prefix(name_len),
        (true, true) => AliasKind::Regex,
    };
    let template = if variables_count(&value) > 0 || alias == AliasKind::Regex {
        Some(crate::variables::compile(
            &Arg::new(value.clone()),
            &mut compiler.variables,
            &d.loc,
        )?)
    } else {
        None
    };
    static_conf(t)?.root = Some(Arc::new(Root {
        alias,
        literal: value,
        template,
        prefix,
    }));
    Ok(())
}

fn set_try_files(
    compiler: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    if static_conf(t)?.try_files.is_some() {
        return Err(values::duplicate(d));
    }
    let count = d.args.len();
    let mut files = Vec::with_capacity(count);
    for (i, arg) in d.args.iter().enumerate() {
        let mut name = arg.as_bytes().to_vec();
        let test_dir = name.ends_with(b"/") && i + 1 < count;
        if test_dir {
            name.pop();
        }
        files.push(TryFile {
            name: index_name(compiler, d, &name)?,
            test_dir,
        });
    }
    let mut code = 0;
    let last = d.args[count - 1].as_bytes();
    if last.first() == Some(&b'=') {
        // nginx reads the code from the stored name, whose length counts a
        // terminating NUL only when the value has no variables.
        let shown = if variables_count(last) == 0 {
            last
        } else {
            &last[..last.len() - 1]
        };
        match values::atoi(&shown[1..]) {
            Some(n) if n <= 999 => code = n as u16,
            _ => {
                return Err(ConfError::at(
                    &d.loc,
                    format!("invalid code \"{}\"", String::from_utf8_lossy(shown)),
                ));
            }
        }
    }
    static_conf(t)?.try_files = Some(Arc::new(TryFiles { files, code }));
    Ok(())
}

fn set_index(compiler: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    let last = d.args.len() - 1;
    let mut names = Vec::with_capacity(d.args.len());
    for (i, arg) in d.args.iter().enumerate() {
        let value = arg.as_bytes();
        if value.first() == Some(&b'/') && i != last {
            compiler.warn(ConfError::at(
                &d.loc,
                "only the last index in \"index\" directive should be absolute",
            ));
        }
        if value.is_empty() {
            // nginx names the first argument here, whichever is empty.
            return Err(ConfError::at(
                &d.loc,
                format!("index \"{}\" in \"index\" directive is invalid", d.args[0]),
            ));
        }
        names.push(index_name(compiler, d, value)?);
    }
    static_conf(t)?
        .index
        .get_or_insert_with(Vec::new)
        .extend(names);
    Ok(())
}

/// nginx's enum slot: once per level, case-insensitive names.
fn enum_slot<T: Copy>(
    slot: &mut Option<T>,
    d: &Directive,
    choices: &[(&str, T)],
) -> Result<(), ConfError> {
    if slot.is_some() {
        return Err(values::duplicate(d));
    }
    let value = d.args[0].as_bytes();
    match choices
        .iter()
        .find(|(name, _)| name.as_bytes().eq_ignore_ascii_case(value))
    {
        Some((_, choice)) => {
            *slot = Some(*choice);
            Ok(())
        }
        None => Err(values::invalid_value(d, &d.args[0])),
    }
}

fn set_autoindex_format(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    enum_slot(
        &mut static_conf(t)?.autoindex_format,
        d,
        &[
            ("html", AutoindexFormat::Html),
            ("json", AutoindexFormat::Json),
            ("jsonp", AutoindexFormat::Jsonp),
            ("xml", AutoindexFormat::Xml),
        ],
    )
}

fn set_if_modified_since(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    enum_slot(
        &mut static_conf(t)?.if_modified_since,
        d,
        &[
            ("off", ImsMode::Off),
            ("exact", ImsMode::Exact),
            ("before", ImsMode::Before),
        ],
    )
}

/// A flag directive stored in one field of [`StaticConf`].
macro_rules! flag_setter {
    ($name:ident, $field:ident) => {
        fn $name(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
            values::flag_slot(&mut static_conf(t)?.$field, d)
        }
    };
}

flag_setter!(set_autoindex, autoindex);
flag_setter!(set_autoindex_localtime, autoindex_localtime);
flag_setter!(set_autoindex_exact_size, autoindex_exact_size);
flag_setter!(set_etag, etag);
flag_setter!(set_log_not_found, log_not_found);
flag_setter!(set_aio_write, aio_write);
flag_setter!(set_open_file_cache_errors, open_file_cache_errors);
flag_setter!(set_open_file_cache_events, open_file_cache_events);

/// A once-per-level value parsed by one of nginx's slot parsers; the
/// duplicate check comes first, as in nginx.
fn value_slot<T>(
    slot: &mut Option<T>,
    d: &Directive,
    parse: impl FnOnce(&Directive, &Arg) -> Result<T, ConfError>,
) -> Result<(), ConfError> {
    values::set_parsed(slot, d, parse(d, &d.args[0]))
}

fn set_max_ranges(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    value_slot(&mut static_conf(t)?.max_ranges, d, values::number)
}

fn set_sendfile_max_chunk(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    value_slot(&mut static_conf(t)?.sendfile_max_chunk, d, values::size)
}

fn set_read_ahead(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    value_slot(&mut static_conf(t)?.read_ahead, d, values::size)
}

fn set_directio_alignment(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    value_slot(&mut static_conf(t)?.directio_alignment, d, |d, v| {
        values::parse_offset(v.as_bytes())
            .ok_or_else(|| values::directive_error(d, "invalid value"))
    })
}

fn set_open_file_cache_valid(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    value_slot(&mut static_conf(t)?.open_file_cache_valid, d, values::sec)
}

fn set_open_file_cache_min_uses(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    value_slot(
        &mut static_conf(t)?.open_file_cache_min_uses,
        d,
        values::number,
    )
}

fn set_directio(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    value_slot(&mut static_conf(t)?.directio, d, |d, v| {
        if v.as_bytes() == b"off" {
            return Ok(None);
        }
        values::parse_offset(v.as_bytes())
            .map(Some)
            .ok_or_else(|| values::directive_error(d, "invalid value"))
    })
}

fn set_aio(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    value_slot(&mut static_conf(t)?.aio, d, |d, v| {
        let v = v.as_bytes();
        match v {
            b"off" => Ok(false),
            // Debian's nginx is built without file AIO.
            b"on" => Err(ConfError::at(
                &d.loc,
                "\"aio on\" is unsupported on this platform",
            )),
            _ if v.starts_with(b"threads") && (v.len() == 7 || v[7] == b'=') => Ok(true),
            _ => Err(values::directive_error(d, "invalid value")),
        }
    })
}

fn set_output_buffers(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    let conf = static_conf(t)?;
    if conf.output_buffers.is_some() {
        return Err(values::duplicate(d));
    }
    let invalid = || values::directive_error(d, "invalid value");
    let number = values::atoi(d.args[0].as_bytes())
        .filter(|n| *n > 0)
        .ok_or_else(invalid)?;
    let size = values::parse_size(d.args[1].as_bytes())
        .filter(|n| *n > 0)
        .ok_or_else(invalid)?;
    conf.output_buffers = Some((number, size));
    Ok(())
}

fn set_disable_symlinks(
    compiler: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    if static_conf(t)?.disable_symlinks.is_some() {
        return Err(values::duplicate(d));
    }
    let mut mode = None;
    let mut from = false;
    for arg in &d.args {
        match arg.as_bytes() {
            b"off" => mode = Some(DisableSymlinks::Off),
            b"if_not_owner" => mode = Some(DisableSymlinks::IfNotOwner),
            b"on" => mode = Some(DisableSymlinks::On),
            v if v.starts_with(b"from=") => {
                crate::variables::compile(&Arg::new(&v[5..]), &mut compiler.variables, &d.loc)?;
                from = true;
            }
            _ => {
                return Err(ConfError::at(
                    &d.loc,
                    format!("invalid parameter \"{arg}\""),
                ));
            }
        }
    }
    let Some(mode) = mode else {
        return Err(ConfError::at(
            &d.loc,
            format!(
                "\"{}\" must have \"off\", \"on\" or \"if_not_owner\" parameter",
                d.name_str()
            ),
        ));
    };
    if d.args.len() == 2 {
        if !from {
            return Err(ConfError::at(
                &d.loc,
                format!("duplicate parameters \"{} {}\"", d.args[0], d.args[1]),
            ));
        }
        if mode == DisableSymlinks::Off {
            return Err(ConfError::at(
                &d.loc,
                "\"from=\" cannot be used with \"off\" parameter",
            ));
        }
    }
    static_conf(t)?.disable_symlinks = Some(mode);
    Ok(())
}

fn set_open_file_cache(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    let conf = static_conf(t)?;
    if conf.open_file_cache.is_some() {
        return Err(values::duplicate(d));
    }
    let mut max = 0;
    let mut inactive = std::time::Duration::from_secs(60);
    let mut off = false;
    for arg in &d.args {
        let v = arg.as_bytes();
        let ok = if let Some(n) = v.strip_prefix(b"max=") {
            match values::atoi(n) {
                Some(n) if n > 0 => {
                    max = n;
                    true
                }
                _ => false,
            }
        } else if let Some(time) = v.strip_prefix(b"inactive=") {
            match values::parse_time(time, true) {
                Some(t) => {
                    inactive = t;
                    true
                }
                None => false,
            }
        } else if v == b"off" {
            off = true;
            true
        } else {
            false
        };
        if !ok {
            return Err(ConfError::at(
                &d.loc,
                format!("invalid \"open_file_cache\" parameter \"{arg}\""),
            ));
        }
    }
    if off {
        conf.open_file_cache = Some(None);
        return Ok(());
    }
    if max == 0 {
        return Err(ConfError::at(
            &d.loc,
            "\"open_file_cache\" must have the \"max\" parameter",
        ));
    }
    conf.open_file_cache = Some(Some(OpenFileCache { max, inactive }));
    Ok(())
}

const CORE: &str = "ngx_http_core_module";
const AUTOINDEX: &str = "ngx_http_autoindex_module";
const ACCEPTED: &str = "accepted (rginx reads files through the page cache)";

pub static SPECS: &[Spec] = &[
    Spec {
        module: CORE,
        name: "root",
        set: set_root,
        note: "document root, with variables",
    },
    Spec {
        module: CORE,
        name: "alias",
        set: set_root,
        note: "prefix and regex (captures) locations",
    },
    Spec {
        module: CORE,
        name: "etag",
        set: set_etag,
        note: "\"mtime-size\" entity tags",
    },
    Spec {
        module: CORE,
        name: "if_modified_since",
        set: set_if_modified_since,
        note: "off, exact, before",
    },
    Spec {
        module: CORE,
        name: "max_ranges",
        set: set_max_ranges,
        note: "0 disables byte ranges",
    },
    Spec {
        module: CORE,
        name: "log_not_found",
        set: set_log_not_found,
        note: "log missing files",
    },
    Spec {
        module: CORE,
        name: "disable_symlinks",
        set: set_disable_symlinks,
        note: "accepted; only off is enforced",
    },
    Spec {
        module: CORE,
        name: "sendfile_max_chunk",
        set: set_sendfile_max_chunk,
        note: ACCEPTED,
    },
    Spec {
        module: CORE,
        name: "aio",
        set: set_aio,
        note: ACCEPTED,
    },
    Spec {
        module: CORE,
        name: "aio_write",
        set: set_aio_write,
        note: ACCEPTED,
    },
    Spec {
        module: CORE,
        name: "read_ahead",
        set: set_read_ahead,
        note: ACCEPTED,
    },
    Spec {
        module: CORE,
        name: "directio",
        set: set_directio,
        note: ACCEPTED,
    },
    Spec {
        module: CORE,
        name: "directio_alignment",
        set: set_directio_alignment,
        note: ACCEPTED,
    },
    Spec {
        module: CORE,
        name: "open_file_cache",
        set: set_open_file_cache,
        note: "accepted; the kernel caches open and stat",
    },
    Spec {
        module: CORE,
        name: "open_file_cache_valid",
        set: set_open_file_cache_valid,
        note: ACCEPTED,
    },
    Spec {
        module: CORE,
        name: "open_file_cache_min_uses",
        set: set_open_file_cache_min_uses,
        note: ACCEPTED,
    },
    Spec {
        module: CORE,
        name: "open_file_cache_errors",
        set: set_open_file_cache_errors,
        note: ACCEPTED,
    },
    Spec {
        module: CORE,
        name: "open_file_cache_events",
        set: set_open_file_cache_events,
        note: ACCEPTED,
    },
    Spec {
        module: "ngx_http_copy_filter_module",
        name: "output_buffers",
        set: set_output_buffers,
        note: ACCEPTED,
    },
    Spec {
        module: "ngx_http_try_files_module",
        name: "try_files",
        set: set_try_files,
        note: "files, dir/, =code, URI and @named fallbacks",
    },
    Spec {
        module: "ngx_http_index_module",
        name: "index",
        set: set_index,
        note: "several names, variables, an absolute URI",
    },
    Spec {
        module: AUTOINDEX,
        name: "autoindex",
        set: set_autoindex,
        note: "directory listings",
    },
    Spec {
        module: AUTOINDEX,
        name: "autoindex_format",
        set: set_autoindex_format,
        note: "html, json, jsonp, xml",
    },
    Spec {
        module: AUTOINDEX,
        name: "autoindex_localtime",
        set: set_autoindex_localtime,
        note: "local times in html listings",
    },
    Spec {
        module: AUTOINDEX,
        name: "autoindex_exact_size",
        set: set_autoindex_exact_size,
        note: "bytes or K/M/G in html listings",
    },
];
