//! Compile-time behaviour of the log module: nginx's messages, shared
//! files and buffers, inheritance.

use super::*;
use crate::CompileOptions;
use rginx_conf::parse_bytes;

fn prefix() -> PathBuf {
    PathBuf::from("/tmp/rginx-log-unit/")
}

fn compile(http: &str) -> Result<Config, String> {
    let text = format!("events {{}}\nhttp {{\n{http}\n}}\n");
    let path = prefix().join("nginx.conf");
    let parsed = parse_bytes(text.as_bytes(), &path);
    let options = CompileOptions {
        prefix: prefix(),
        conf_file: path,
        conf_prefix: prefix(),
        is_root: true,
    };
    crate::compile(&parsed, None, options).map_err(|f| f.error.to_string())
}

fn error(http: &str) -> String {
    match compile(http) {
        Ok(_) => panic!("compiled: {http}"),
        Err(message) => message,
    }
}

fn at(line: usize) -> String {
    format!(" in {}:{line}", prefix().join("nginx.conf").display())
}

fn server_log(config: &Config, server: usize) -> &LogConf {
    &config.http.as_ref().unwrap().servers[server].conf.log
}

fn paths(conf: &LogConf) -> Vec<String> {
    conf.access
        .iter()
        .flatten()
        .map(|log| match &log.destination {
            Destination::File(file) => file.path.display().to_string(),
            Destination::Script(_) => "script".to_string(),
        })
        .collect()
}

#[test]
fn format_errors_are_nginxs() {
    assert_eq!(
        error("log_format main '$remote_addr';\nlog_format main '$status';"),
        format!("duplicate \"log_format\" name \"main\"{}", at(4))
    );
    assert_eq!(
        error("log_format combined '$remote_addr';"),
        format!("duplicate \"log_format\" name \"combined\"{}", at(3))
    );
    // Duplicates are case-sensitive: "Main" and "main" may coexist.
    compile("log_format Main a;\nlog_format main b;").unwrap();
    assert_eq!(
        error("log_format x escape=js a;"),
        format!("unknown log format escaping \"js\"{}", at(3))
    );
    assert_eq!(
        error("log_format x 'a $ b';"),
        format!("invalid parameter \"$ b\"{}", at(3))
    );
    // Unknown variables are found at the end of http, without a line.
    assert_eq!(error("log_format x '$1';"), "unknown \"1\" variable");
    assert_eq!(error("log_format x '$nope';"), "unknown \"nope\" variable");
}

#[test]
fn access_log_errors_are_nginxs() {
    assert_eq!(
        error("access_log logs/access.log fancy;"),
        format!("unknown log format \"fancy\"{}", at(3))
    );
    // A format must be defined before its use.
    assert_eq!(
        error("access_log logs/a.log main;\nlog_format main x;"),
        format!("unknown log format \"main\"{}", at(3))
    );
    let cases = [
        ("combined buffer=abc", "invalid buffer size \"abc\""),
        ("combined buffer=0", "invalid buffer size \"0\""),
        ("combined buffer=1k flush=0", "invalid flush time \"0\""),
        ("combined buffer=1k flush=x", "invalid flush time \"x\""),
        (
            "combined flush=1s",
            "no buffer is defined for access_log \"logs/a.log\"",
        ),
        ("combined gzip=0", "invalid compression level \"0\""),
        ("combined gzip=10", "invalid compression level \"10\""),
        ("combined gzipx", "invalid parameter \"gzipx\""),
        ("combined if=$", "invalid variable name"),
    ];
    for (params, message) in cases {
        assert_eq!(
            error(&format!("access_log logs/a.log {params};")),
            format!("{message}{}", at(3)),
            "{params}"
        );
    }
    assert_eq!(
        error("access_log off foo;"),
        format!("invalid parameter \"foo\"{}", at(3))
    );
    assert_eq!(
        error("access_log logs/$host.log combined buffer=1k;"),
        format!("buffered logs cannot have variables in name{}", at(3))
    );
    assert_eq!(
        error(
            "access_log logs/a.log combined buffer=1k;\naccess_log logs/a.log combined buffer=2k;"
        ),
        format!(
            "access_log \"logs/a.log\" already defined with conflicting parameters{}",
            at(4)
        )
    );
    assert_eq!(
        error("access_log syslog:server=127.0.0.1;"),
        format!(
            "\"syslog:server=127.0.0.1\" access log is not supported by rginx{}",
            at(3)
        )
    );
    // gzip alone gets nginx's 64k buffer, so flush= is allowed with it.
    compile("access_log logs/a.log combined gzip flush=1m;").unwrap();
    // Format names are looked up case-insensitively.
    compile("log_format Main a;\naccess_log logs/a.log MAIN;").unwrap();
}

#[test]
fn open_log_file_cache_validation() {
    let cases = [
        (
            "max=x",
            "invalid \"open_log_file_cache\" parameter \"max=x\"",
        ),
        (
            "max=10 inactive=1ms",
            "invalid \"open_log_file_cache\" parameter \"inactive=1ms\"",
        ),
        ("foo", "invalid \"open_log_file_cache\" parameter \"foo\""),
        (
            "inactive=10s",
            "\"open_log_file_cache\" must have \"max\" parameter",
        ),
    ];
    for (params, message) in cases {
        assert_eq!(
            error(&format!("open_log_file_cache {params};")),
            format!("{message}{}", at(3)),
            "{params}"
        );
    }
    assert_eq!(
        error("open_log_file_cache off;\nopen_log_file_cache max=1;"),
        format!("\"open_log_file_cache\" directive is duplicate{}", at(4))
    );
    compile("open_log_file_cache max=100 inactive=20s valid=1m min_uses=2;").unwrap();
    compile("open_log_file_cache off;").unwrap();
}

#[test]
fn one_file_per_path_with_its_buffer() {
    let config = compile(
        "access_log logs/a.log combined buffer=1k;\n\
         server { listen 127.0.0.1:19990; access_log logs/a.log; \
                  access_log /tmp/rginx-log-unit/logs/a.log; error_log logs/a.log; }",
    )
    .unwrap();
    let conf = server_log(&config, 0);
    let logs = conf.access.as_ref().unwrap();
    let (Destination::File(a), Destination::File(b)) = (&logs[0].destination, &logs[1].destination)
    else {
        panic!("file destinations expected");
    };
    // Relative and absolute spellings of one path are one file, which has
    // the buffer given at http level, shared with the error log too.
    assert!(Arc::ptr_eq(a, b));
    assert_eq!(a.buffer().map(|b| b.size), Some(1024));
    let error_file = conf.error_logs.as_ref().unwrap()[0].file.as_ref().unwrap();
    assert!(Arc::ptr_eq(a, error_file));
    assert_eq!(files(&config).len(), 1);
}

#[test]
fn inner_levels_replace_outer_lists() {
    let config = compile(
        "log_format short '$status';\n\
         access_log logs/http.log;\n\
         access_log logs/http2.log short;\n\
         error_log logs/http-error.log warn;\n\
         server { listen 127.0.0.1:19991;\n\
           location /a { }\n\
           location /b { access_log logs/b.log short; }\n\
           location /c { access_log off; location /c/d { } }\n\
         }\n\
         server { listen 127.0.0.1:19992; access_log logs/s.log;\n\
           error_log stderr info;\n\
           location /e { }\n\
         }",
    );
    let config = config.unwrap();
    let http = config.http.as_ref().unwrap();
    let first = &http.servers[0];
    let p = |name: &str| prefix().join(name).display().to_string();
    assert_eq!(
        paths(&first.conf.log),
        [p("logs/http.log"), p("logs/http2.log")]
    );
    let locations = &first.locations;
    assert_eq!(paths(&locations[0].conf.log), paths(&first.conf.log));
    assert_eq!(paths(&locations[1].conf.log), [p("logs/b.log")]);
    assert!(locations[2].conf.log.off);
    assert!(locations[2].children[0].conf.log.off);
    let error_level = |conf: &LogConf| conf.error_logs.as_ref().map(|e| e[0].level);
    assert_eq!(error_level(&locations[1].conf.log), Some(LogLevel::Warn));
    let second = &http.servers[1];
    assert_eq!(paths(&second.conf.log), [p("logs/s.log")]);
    assert_eq!(paths(&second.locations[0].conf.log), [p("logs/s.log")]);
    let errors = second.locations[0].conf.log.error_logs.as_ref().unwrap();
    assert!(errors[0].file.is_none() && errors[0].level == LogLevel::Info);
}

#[test]
fn default_is_debians_access_log_in_combined() {
    let config = compile("server { listen 127.0.0.1:19993; }").unwrap();
    let conf = server_log(&config, 0);
    let logs = conf.access.as_ref().unwrap();
    assert_eq!(paths(conf), [DEFAULT_ACCESS_LOG]);
    assert_eq!(logs[0].format.name, "combined");
}

#[test]
fn merge_follows_nginx() {
    let file = |name: &str| {
        Arc::new(AccessLog {
            destination: Destination::File(LogFile::new(PathBuf::from(name))),
            format: combined(),
            filter: None,
        })
    };
    let parent = LogConf {
        access: Some(vec![file("/p.log")]),
        open_file_cache: Some(None),
        ..LogConf::default()
    };
    let mut inherits = LogConf::default();
    inherits.merge(&parent);
    assert_eq!(paths(&inherits), ["/p.log"]);
    assert_eq!(inherits.open_file_cache, Some(None));
    let mut own = LogConf {
        access: Some(vec![file("/c.log")]),
        ..LogConf::default()
    };
    own.merge(&parent);
    assert_eq!(paths(&own), ["/c.log"]);
    let mut off = LogConf {
        off: true,
        ..LogConf::default()
    };
    off.merge(&parent);
    assert!(off.off && off.access.is_none());
    let mut below_off = LogConf::default();
    below_off.merge(&off);
    assert!(below_off.off);
    let mut top = LogConf::default();
    top.merge(&LogConf::default());
    assert_eq!(paths(&top), [DEFAULT_ACCESS_LOG]);
}

#[test]
fn compilations_do_not_share_formats() {
    compile("log_format later '$status';\naccess_log logs/a.log later;").unwrap();
    // A new compilation starts with only "combined", even when its first
    // log directive is in a location.
    assert_eq!(
        error(
            "server { listen 127.0.0.1:19994;\n\
             location / { access_log logs/a.log later; } }"
        ),
        format!("unknown log format \"later\"{}", at(4))
    );
    let config = compile(
        "server { listen 127.0.0.1:19995;\n\
         location / { access_log logs/a.log combined buffer=1k; } }",
    )
    .unwrap();
    // and its files are its own: another buffer size is no conflict.
    compile(
        "server { listen 127.0.0.1:19996;\n\
         location / { access_log logs/a.log combined buffer=2k; } }",
    )
    .unwrap();
    drop(config);
}
