//! nginx's http core module, configuration side: the `http`, `server` and
//! `location` blocks, `listen`, `server_name`, `types`, `default_type`, the
//! hash sizing knobs, and how a location inherits from its server and the
//! server from `http`.

pub mod client;
pub mod error_page;
pub mod find_location;
pub mod header_filter;
pub mod headers_in;
pub mod limits;
pub mod listen;
pub mod location;
pub mod phases;
pub mod request;
pub mod server_names;
pub mod special_response;
pub mod uri;

use crate::compile::{Compiler, Target};
use crate::registry::{Context, Spec};
use crate::upstream::{self, UpstreamConf};
use crate::values;
use crate::variables::VarRegistry;
use find_location::LocationIndex;
use listen::{AddressEntry, AddressTable, Listen};
pub use location::{LocationBuild, LocationKind};
use rginx_conf::{Arg, ConfError, Directive, Loc};
use server_names::{NameTable, ServerName};
use std::sync::Arc;

/// Extension -> MIME type, from `types {}`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Types {
    pub entries: Vec<(Vec<u8>, Arg)>,
}

impl Types {
    pub fn lookup(&self, extension: &[u8]) -> Option<&Arg> {
        self.entries
            .iter()
            .find(|(ext, _)| ext.eq_ignore_ascii_case(extension))
            .map(|(_, mime)| mime)
    }
}

/// Location-level settings of the http core module (also set at http and
/// server level, inherited downwards).
#[derive(Clone, Debug, Default)]
pub struct LocConf {
    pub types: Option<Arc<Types>>,
    pub default_type: Option<Arg>,
    pub types_hash_max_size: Option<u64>,
    pub types_hash_bucket_size: Option<u64>,
    /// `server_tokens`: the version in `Server:` and error pages.
    pub server_tokens: Option<bool>,
    pub error_pages: Option<Arc<Vec<error_page::ErrorPage>>>,
    pub recursive_error_pages: Option<bool>,
    pub absolute_redirect: Option<bool>,
    pub port_in_redirect: Option<bool>,
    pub server_name_in_redirect: Option<bool>,
    pub msie_padding: Option<bool>,
    /// `stub_status`: the location answers with the status page.
    pub stub_status: Option<bool>,
    /// `empty_gif`: the location answers with the 43-byte GIF (not
    /// inherited: nginx sets it as the location's content handler).
    pub empty_gif: bool,
    pub client: client::ClientLoc,
    pub limits: limits::LimitsLoc,
    pub rewrite: crate::rewrite::RewriteConf,
    pub static_files: crate::static_files::StaticConf,
    pub proxy: crate::proxy::ProxyConf,
    pub access: crate::access::AccessConf,
    pub auth: crate::auth::AuthConf,
    pub realip: crate::realip::RealIpConf,
    pub log: crate::log::LogConf,
    pub charset: crate::charset::CharsetConf,
    pub referer: crate::referer::RefererConf,
}

impl LocConf {
    /// nginx's merge: what this level leaves unset comes from `parent`.
    pub fn merge(&mut self, parent: &LocConf) {
        if self.types.is_none() {
            self.types.clone_from(&parent.types);
        }
        if self.default_type.is_none() {
            self.default_type.clone_from(&parent.default_type);
        }
        self.types_hash_max_size = self.types_hash_max_size.or(parent.types_hash_max_size);
        self.types_hash_bucket_size = self
            .types_hash_bucket_size
            .or(parent.types_hash_bucket_size);
        self.server_tokens = self.server_tokens.or(parent.server_tokens);
        if self.error_pages.is_none() {
            self.error_pages.clone_from(&parent.error_pages);
        }
        self.recursive_error_pages = self.recursive_error_pages.or(parent.recursive_error_pages);
        self.absolute_redirect = self.absolute_redirect.or(parent.absolute_redirect);
        self.port_in_redirect = self.port_in_redirect.or(parent.port_in_redirect);
        self.server_name_in_redirect = self
            .server_name_in_redirect
            .or(parent.server_name_in_redirect);
        self.msie_padding = self.msie_padding.or(parent.msie_padding);
        self.stub_status = self.stub_status.or(parent.stub_status);
        self.client.merge(&parent.client);
        self.limits.merge(&parent.limits);
        self.rewrite.merge(&parent.rewrite);
        self.static_files.merge(&parent.static_files);
        self.proxy.merge(&parent.proxy);
        self.access.merge(&parent.access);
        self.auth.merge(&parent.auth);
        self.realip.merge(&parent.realip);
        self.log.merge(&parent.log);
        self.charset.merge(&parent.charset);
        self.referer.merge(&parent.referer);
    }

    /// The values nginx uses where nothing was set anywhere.
    fn fill_defaults(&mut self) {
        if self.types.is_none() {
            self.types = Some(Arc::new(Types {
                entries: vec![
                    (b"html".to_vec(), Arg::new("text/html")),
                    (b"gif".to_vec(), Arg::new("image/gif")),
                    (b"jpg".to_vec(), Arg::new("image/jpeg")),
                ],
            }));
        }
        if self.default_type.is_none() {
            self.default_type = Some(Arg::new("text/plain"));
        }
    }
}

/// A compiled location.
pub type Location = LocationBuild;

/// A server block while it is read, then as compiled.
#[derive(Clone, Debug, Default)]
pub struct ServerBuild {
    pub listens: Vec<Listen>,
    pub names: Vec<ServerName>,
    pub conf: LocConf,
    pub locations: Vec<LocationBuild>,
    pub index: LocationIndex,
    pub loc: Option<Loc>,
    pub merge_slashes: Option<bool>,
    pub client_srv: client::ClientSrv,
    /// The ssl and http2 modules' server settings.
    pub ssl: crate::ssl::SrvConf,
}

/// A compiled server block.
pub type Server = ServerBuild;

impl ServerBuild {
    /// nginx's `$server_name`: the first name given.
    /// (nginx keeps a regex name's `~` and drops a leading dot.)
    pub fn primary_name(&self) -> std::borrow::Cow<'_, [u8]> {
        match self.names.first() {
            Some(ServerName::Plain(name)) => {
                std::borrow::Cow::Borrowed(name.strip_prefix(b".").unwrap_or(name))
            }
            Some(ServerName::Regex(re)) => {
                let mut name = b"~".to_vec();
                name.extend_from_slice(re.pattern.as_bytes());
                std::borrow::Cow::Owned(name)
            }
            None => std::borrow::Cow::Borrowed(b""),
        }
    }
}

/// One listening address with its servers and their name table.
#[derive(Clone, Debug)]
pub struct Address {
    pub entry: AddressEntry,
    pub names: NameTable,
}

/// The http block, compiled.
#[derive(Debug)]
pub struct HttpConf {
    pub servers: Vec<Server>,
    pub addresses: Vec<Address>,
    pub upstreams: Vec<UpstreamConf>,
    pub variables: VarRegistry,
    pub maps: Vec<crate::map::Map>,
    pub split_clients: Vec<crate::split_clients::SplitClients>,
    pub geos: Vec<crate::geo::Geo>,
    pub charsets: crate::charset::Charsets,
}

impl HttpConf {
    /// How many sockets nginx opens: on each port, a wildcard address takes
    /// every address that does not ask for its own socket (`bind` or any
    /// other socket option).
    pub fn listening_sockets(&self) -> usize {
        let entries: Vec<&AddressEntry> = self.addresses.iter().map(|a| &a.entry).collect();
        let mut count = 0;
        for entry in &entries {
            let shares_wildcard = !entry.wildcard
                && !entry.options.bind
                && entries
                    .iter()
                    .any(|other| other.wildcard && other.addr.same_port(&entry.addr));
            if !shares_wildcard {
                count += 1;
            }
        }
        count
    }
}

/// The http block while it is read.
#[derive(Default)]
pub struct HttpBuild {
    pub conf: LocConf,
    pub servers: Vec<ServerBuild>,
    pub addresses: AddressTable,
    pub upstreams: Vec<UpstreamConf>,
    pub map_conf: crate::map::MapConf,
    pub client_srv: client::ClientSrv,
    pub ssl: crate::ssl::HttpSsl,
    merge_slashes: Option<bool>,
    server_names_hash_max_size: Option<u64>,
    server_names_hash_bucket_size: Option<u64>,
    variables_hash_max_size: Option<u64>,
    variables_hash_bucket_size: Option<u64>,
}

impl HttpBuild {
    /// nginx's end of the http block: merge, check locations, build the
    /// per-address server tables.
    fn finish(mut self, compiler: &mut Compiler, end: &Loc) -> Result<HttpConf, ConfError> {
        // nginx's upstream init_main_conf: peers resolved and checked.
        self.upstreams = upstream::init_main_conf(compiler)?;
        self.conf.fill_defaults();
        {
            use std::os::unix::ffi::OsStrExt;
            let prefix = compiler.options.prefix.as_os_str().as_bytes().to_vec();
            self.conf.static_files.fill_defaults(&prefix);
        }
        for server in &mut self.servers {
            server.conf.merge(&self.conf);
            merge_if_locations(&mut server.conf);
            server.merge_slashes = server.merge_slashes.or(self.merge_slashes);
            server.client_srv.merge(&self.client_srv);
            merge_locations(&mut server.locations, &server.conf);
            server.index = LocationIndex::build(&server.locations);
        }
        // nginx reports what its merge refuses at the http block's end.
        if let Some(error) = crate::proxy::check_merged(&self.servers, end) {
            return Err(error);
        }
        crate::referer::finish(&mut self.servers)?;
        crate::charset::finish(&compiler.charsets, &self.servers)?;
        crate::ssl::merge_servers(compiler, &self.ssl, &mut self.servers)?;
        for server in &self.servers {
            location::check_duplicates(&server.locations)?;
        }
        crate::ssl::check_addresses(&self.addresses, &self.servers)?;
        // nginx rounds the bucket size up to the CPU cache line (64 bytes).
        let bucket_size = self
            .server_names_hash_bucket_size
            .unwrap_or(64)
            .div_ceil(64)
            * 64;
        let mut addresses = Vec::new();
        for entry in &self.addresses.entries {
            // nginx builds name tables only where a choice exists: several
            // servers on the address, or captures the default server needs.
            let default_has_captures = self.servers[entry.default_server]
                .names
                .iter()
                .any(|name| matches!(name, ServerName::Regex(re) if re.captures_len() > 0));
            if entry.servers.len() < 2 && !default_has_captures {
                addresses.push(Address {
                    entry: entry.clone(),
                    names: NameTable::default(),
                });
                continue;
            }
            let names = NameTable::build(
                entry
                    .servers
                    .iter()
                    .map(|&i| (i, self.servers[i].names.as_slice())),
                &entry.addr.text(),
                bucket_size,
                &mut compiler.warnings,
            )?;
            addresses.push(Address {
                entry: entry.clone(),
                names,
            });
        }
        compiler.variables.check_defined()?;
        Ok(HttpConf {
            servers: self.servers,
            addresses,
            upstreams: self.upstreams,
            variables: std::mem::take(&mut compiler.variables),
            maps: std::mem::take(&mut compiler.maps),
            split_clients: std::mem::take(&mut compiler.split_clients),
            geos: std::mem::take(&mut compiler.geos),
            charsets: std::mem::take(&mut compiler.charsets),
        })
    }
}

fn merge_locations(locations: &mut [LocationBuild], parent: &LocConf) {
    for location in locations {
        location.conf.merge(parent);
        merge_if_locations(&mut location.conf);
        if let Some(limit) = location.limit_except.as_mut() {
            limit.location.conf.merge(&location.conf);
        }
        let conf = location.conf.clone();
        merge_locations(&mut location.children, &conf);
        location.index = LocationIndex::build(&location.children);
    }
}

/// An `if` block's configuration inherits from the level it is in.
fn merge_if_locations(conf: &mut LocConf) {
    if !conf
        .rewrite
        .program
        .iter()
        .any(|stmt| matches!(stmt, crate::rewrite::Stmt::If { .. }))
    {
        return;
    }
    let parent = conf.clone();
    for location in conf.rewrite.if_locations_mut() {
        location.conf.merge(&parent);
    }
}

/// The machine's host name (`$hostname`, `server_name $hostname`).
pub fn hostname() -> Vec<u8> {
    nix::unistd::gethostname()
        .map(|name| name.to_string_lossy().into_owned().into_bytes())
        .unwrap_or_default()
}

fn loc_conf<'a>(target: &'a mut Target<'_>) -> Result<&'a mut LocConf, ConfError> {
    match target {
        Target::Http(http) => Ok(&mut http.conf),
        Target::Server(_, server) => Ok(&mut server.conf),
        Target::Location(location) => Ok(&mut location.conf),
        _ => Err(ConfError::bare(
            "internal error: location directive out of place",
        )),
    }
}

fn http_build<'a>(target: &'a mut Target<'_>) -> Result<&'a mut HttpBuild, ConfError> {
    match target {
        Target::Http(http) => Ok(http),
        _ => Err(ConfError::bare(
            "internal error: http directive out of place",
        )),
    }
}

fn set_http(compiler: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    let Target::Main(main) = t else {
        return Err(ConfError::bare("internal error: http outside main"));
    };
    if main.http.is_some() {
        return Err(values::duplicate(d));
    }
    let mut http = HttpBuild::default();
    if let Some(block) = &d.block {
        compiler.run_block(block, Context::Http, &mut Target::Http(&mut http))?;
        http.ssl.end.clone_from(&block.end);
    }
    let end = d
        .block
        .as_ref()
        .and_then(|block| block.end.clone())
        .unwrap_or_else(|| d.loc.clone());
    main.http = Some(http.finish(compiler, &end)?);
    Ok(())
}

fn set_server(compiler: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    let http = http_build(t)?;
    let mut server = ServerBuild {
        loc: Some(d.loc.clone()),
        ..ServerBuild::default()
    };
    let index = http.servers.len();
    if let Some(block) = &d.block {
        compiler.run_block(
            block,
            Context::Server,
            &mut Target::Server(http, &mut server),
        )?;
        if server.listens.is_empty() {
            let end = block.end.clone().unwrap_or_else(|| d.loc.clone());
            let listen = listen::default_listen(compiler.options.is_root, &end);
            for addr in &listen.addrs {
                http.addresses.add(index, addr, &listen.options, &end)?;
            }
            server.listens.push(listen);
        }
    }
    if server.names.is_empty() {
        server.names.push(ServerName::Plain(Vec::new()));
    }
    http.servers.push(server);
    Ok(())
}

fn set_listen(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    let Target::Server(http, server) = t else {
        return Err(ConfError::bare("internal error: listen outside server"));
    };
    let parsed = listen::parse(d)?;
    let index = http.servers.len();
    for addr in &parsed.addrs {
        http.addresses.add(index, addr, &parsed.options, &d.loc)?;
    }
    server.listens.push(parsed);
    Ok(())
}

fn set_server_name(
    compiler: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    let Target::Server(_, server) = t else {
        return Err(ConfError::bare(
            "internal error: server_name outside server",
        ));
    };
    let names = server_names::parse(d, &hostname(), &mut compiler.warnings)?;
    for name in &names {
        if let ServerName::Regex(regex) = name {
            crate::rewrite::define_named_captures(compiler, regex);
        }
    }
    server.names.extend(names);
    Ok(())
}

fn set_location(
    compiler: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    let (parent, siblings) = match t {
        Target::Server(_, server) => (None, &mut server.locations),
        Target::Location(location) => {
            let parent = (*location).clone_shallow();
            (Some(parent), &mut location.children)
        }
        _ => return Err(ConfError::bare("internal error: location out of place")),
    };
    let mut location = location::parse(d, parent.as_ref())?;
    // Named captures of a regex location are variables, as in nginx.
    if let location::LocationKind::Regex(regex) = &location.kind {
        crate::rewrite::define_named_captures(compiler, regex);
    }
    if let Some(block) = &d.block {
        compiler.run_block(
            block,
            Context::Location,
            &mut Target::Location(&mut location),
        )?;
    }
    siblings.push(location);
    Ok(())
}

impl LocationBuild {
    /// The parts of a location its nested locations are checked against.
    fn clone_shallow(&self) -> LocationBuild {
        LocationBuild {
            kind: self.kind.clone(),
            name: self.name.clone(),
            loc: self.loc.clone(),
            conf: LocConf::default(),
            children: Vec::new(),
            index: LocationIndex::default(),
            internal: false,
            limit_except: None,
        }
    }
}

/// `limit_except METHOD... { ... }`, as `ngx_http_core_limit_except`.
fn set_limit_except(
    compiler: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    let Target::Location(location) = t else {
        return Err(ConfError::bare("internal error: limit_except out of place"));
    };
    if location.limit_except.is_some() {
        return Err(values::duplicate(d));
    }
    let mut methods = Vec::new();
    for arg in &d.args {
        let Some(name) = location::METHOD_NAMES
            .iter()
            .find(|name| arg.as_bytes().eq_ignore_ascii_case(name.as_bytes()))
        else {
            return Err(ConfError::at(&d.loc, format!("invalid method \"{arg}\"")));
        };
        methods.push(*name);
    }
    if methods.contains(&"GET") && !methods.contains(&"HEAD") {
        methods.push("HEAD");
    }
    let mut block = LocationBuild::noname(location.name.clone(), d.loc.clone());
    if let Some(body) = &d.block {
        compiler.run_block(
            body,
            Context::LimitExcept,
            &mut Target::Location(&mut block),
        )?;
    }
    location.limit_except = Some(Box::new(location::LimitExcept {
        methods,
        location: block,
    }));
    Ok(())
}

fn set_types(compiler: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    let conf = loc_conf(t)?;
    let mut types = conf.types.as_deref().cloned().unwrap_or_default();
    let Some(block) = &d.block else {
        return Ok(());
    };
    for entry in &block.directives {
        if entry.block.is_some() {
            return Err(ConfError::at(&entry.loc, "unexpected \"{\""));
        }
        if entry.name == "include" {
            // A well-formed include was expanded by the parser already.
            return Err(ConfError::at(
                &entry.loc,
                "invalid number of arguments in \"include\" directive",
            ));
        }
        for extension in &entry.args {
            let extension = extension.as_bytes().to_ascii_lowercase();
            if let Some(existing) = types.entries.iter_mut().find(|(ext, _)| *ext == extension) {
                compiler.warn(ConfError::at(
                    &entry.loc,
                    format!(
                        "duplicate extension \"{}\", content type: \"{}\", previous content type: \"{}\"",
                        String::from_utf8_lossy(&extension),
                        entry.name,
                        existing.1
                    ),
                ));
                existing.1 = entry.name.clone();
            } else {
                types.entries.push((extension, entry.name.clone()));
            }
        }
    }
    conf.types = Some(Arc::new(types));
    if !block.is_complete() {
        return Err(compiler.syntax_error());
    }
    Ok(())
}

fn set_default_type(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    values::set_once(&mut loc_conf(t)?.default_type, d, d.args[0].clone())
}

fn set_types_hash_max_size(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    let value = values::number(d, &d.args[0]);
    values::set_parsed(&mut loc_conf(t)?.types_hash_max_size, d, value)
}

fn set_types_hash_bucket_size(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    let value = values::size(d, &d.args[0]);
    values::set_parsed(&mut loc_conf(t)?.types_hash_bucket_size, d, value)
}

fn main_number(
    d: &Directive,
    slot: &mut Option<u64>,
    parse: fn(&Directive, &Arg) -> Result<u64, ConfError>,
) -> Result<(), ConfError> {
    if slot.is_some() {
        return Err(values::duplicate(d));
    }
    *slot = Some(parse(d, &d.args[0])?);
    Ok(())
}

fn set_server_names_hash_max_size(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    main_number(
        d,
        &mut http_build(t)?.server_names_hash_max_size,
        values::number,
    )
}

fn set_server_names_hash_bucket_size(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    main_number(
        d,
        &mut http_build(t)?.server_names_hash_bucket_size,
        values::size,
    )
}

fn set_variables_hash_max_size(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    main_number(
        d,
        &mut http_build(t)?.variables_hash_max_size,
        values::number,
    )
}

fn set_variables_hash_bucket_size(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    main_number(
        d,
        &mut http_build(t)?.variables_hash_bucket_size,
        values::size,
    )
}

fn set_server_tokens(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    let conf = loc_conf(t)?;
    if conf.server_tokens.is_some() {
        return Err(values::duplicate(d));
    }
    // nginx's `build` adds a build name rginx does not have: same as `on`.
    conf.server_tokens = Some(match d.args[0].as_bytes() {
        b"on" | b"build" => true,
        b"off" => false,
        _ => return Err(values::invalid_value(d, &d.args[0])),
    });
    Ok(())
}

fn set_msie_padding(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    values::flag_slot(&mut loc_conf(t)?.msie_padding, d)
}

fn set_merge_slashes(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    match t {
        Target::Http(http) => values::flag_slot(&mut http.merge_slashes, d),
        Target::Server(_, server) => values::flag_slot(&mut server.merge_slashes, d),
        _ => Err(ConfError::bare(
            "internal error: merge_slashes out of place",
        )),
    }
}

fn set_upstream(
    compiler: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    let http = http_build(t)?;
    upstream::set_upstream(compiler, d, &mut http.upstreams)
}

const CORE: &str = "ngx_http_core_module";
const HASH_NOTE: &str = "accepted: rginx's lookup tables need no sizing";

pub static SPECS: &[Spec] = &[
    Spec {
        module: "ngx_http_module",
        name: "http",
        set: set_http,
        note: "the http block",
    },
    Spec {
        module: CORE,
        name: "server",
        set: set_server,
        note: "a virtual server",
    },
    Spec {
        module: CORE,
        name: "listen",
        set: set_listen,
        note: "address and socket options",
    },
    Spec {
        module: CORE,
        name: "server_name",
        set: set_server_name,
        note: "exact, wildcard and regex names",
    },
    Spec {
        module: CORE,
        name: "location",
        set: set_location,
        note: "=, ^~, prefix, ~, ~*, @named, nested",
    },
    Spec {
        module: CORE,
        name: "limit_except",
        set: set_limit_except,
        note: "other methods get the block's configuration",
    },
    Spec {
        module: CORE,
        name: "types",
        set: set_types,
        note: "extension to MIME type map",
    },
    Spec {
        module: CORE,
        name: "default_type",
        set: set_default_type,
        note: "MIME type when no extension matches",
    },
    Spec {
        module: CORE,
        name: "server_tokens",
        set: set_server_tokens,
        note: "version in Server: and error pages (build = on)",
    },
    Spec {
        module: CORE,
        name: "error_page",
        set: error_page::set_error_page,
        note: "codes, =code, =, URIs, @named, URLs (302)",
    },
    Spec {
        module: CORE,
        name: "recursive_error_pages",
        set: error_page::set_recursive_error_pages,
        note: "error_page may apply again after a redirect",
    },
    Spec {
        module: CORE,
        name: "internal",
        set: error_page::set_internal,
        note: "location reachable by internal redirects only",
    },
    Spec {
        module: CORE,
        name: "absolute_redirect",
        set: error_page::set_absolute_redirect,
        note: "relative Location made absolute",
    },
    Spec {
        module: CORE,
        name: "port_in_redirect",
        set: error_page::set_port_in_redirect,
        note: "port in absolute redirects",
    },
    Spec {
        module: CORE,
        name: "server_name_in_redirect",
        set: error_page::set_server_name_in_redirect,
        note: "server_name instead of Host in redirects",
    },
    Spec {
        module: CORE,
        name: "msie_padding",
        set: set_msie_padding,
        note: "pad error pages for MSIE and Chrome",
    },
    Spec {
        module: CORE,
        name: "merge_slashes",
        set: set_merge_slashes,
        note: "collapse // in URIs before location matching",
    },
    Spec {
        module: CORE,
        name: "types_hash_max_size",
        set: set_types_hash_max_size,
        note: HASH_NOTE,
    },
    Spec {
        module: CORE,
        name: "types_hash_bucket_size",
        set: set_types_hash_bucket_size,
        note: HASH_NOTE,
    },
    Spec {
        module: CORE,
        name: "server_names_hash_max_size",
        set: set_server_names_hash_max_size,
        note: HASH_NOTE,
    },
    Spec {
        module: CORE,
        name: "server_names_hash_bucket_size",
        set: set_server_names_hash_bucket_size,
        note: HASH_NOTE,
    },
    Spec {
        module: CORE,
        name: "variables_hash_max_size",
        set: set_variables_hash_max_size,
        note: HASH_NOTE,
    },
    Spec {
        module: CORE,
        name: "variables_hash_bucket_size",
        set: set_variables_hash_bucket_size,
        note: HASH_NOTE,
    },
    Spec {
        module: "ngx_http_upstream_module",
        name: "upstream",
        set: set_upstream,
        note: "a group of backend servers",
    },
];
