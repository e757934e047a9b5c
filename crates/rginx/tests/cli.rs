//! The command line as an nginx user drives it: `-t`, `-T`, `-q`, `-g`,
//! `-v`, `-V`, `-h`, bad options, with nginx's output and exit codes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const RGINX: &str = env!("CARGO_BIN_EXE_rginx");

/// A throwaway prefix directory with files in it.
struct Prefix(PathBuf);

impl Prefix {
    fn new(name: &str, files: &[(&str, &str)]) -> Prefix {
        let dir = std::env::temp_dir().join(format!("rginx-cli-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for (path, text) in files {
            let path = dir.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        Prefix(dir)
    }

    fn path(&self, file: &str) -> PathBuf {
        self.0.join(file)
    }

    fn rginx(&self, args: &[&str]) -> Output {
        let conf = self.path("nginx.conf");
        let log = self.path("error.log");
        Command::new(RGINX)
            .arg("-p")
            .arg(&self.0)
            .arg("-c")
            .arg(&conf)
            .arg("-e")
            .arg(&log)
            .args(args)
            .output()
            .unwrap()
    }
}

impl Drop for Prefix {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

const MINIMAL: &str =
    "events {}\nhttp {\n    server {\n        listen 127.0.0.1:18080;\n    }\n}\n";

#[test]
fn test_prints_nginxs_two_lines() {
    let prefix = Prefix::new("ok", &[("nginx.conf", MINIMAL)]);
    let output = prefix.rginx(&["-t"]);
    assert!(output.status.success());
    let conf = prefix.path("nginx.conf");
    assert_eq!(
        stderr(&output),
        format!(
            "rginx: the configuration file {0} syntax is ok\nrginx: configuration file {0} test is successful\n",
            conf.display()
        )
    );
    let quiet = prefix.rginx(&["-t", "-q"]);
    assert!(quiet.status.success());
    assert_eq!(stderr(&quiet), "");
}

#[test]
fn a_bad_config_gets_emerg_with_file_and_line_and_fails() {
    let prefix = Prefix::new(
        "bad",
        &[(
            "nginx.conf",
            "events {}\nhttp {\n    proxy_passs http://x;\n}\n",
        )],
    );
    let output = prefix.rginx(&["-t"]);
    assert_eq!(output.status.code(), Some(1));
    let conf = prefix.path("nginx.conf");
    assert_eq!(
        stderr(&output),
        format!(
            "rginx: [emerg] unknown directive \"proxy_passs\" in {0}:3\ndid you mean \"proxy_pass\"?\nrginx: configuration file {0} test failed\n",
            conf.display()
        )
    );
    let logged = std::fs::read_to_string(prefix.path("error.log")).unwrap();
    assert!(
        logged.contains("[emerg] ") && logged.contains("unknown directive \"proxy_passs\""),
        "{logged}"
    );
}

#[test]
fn unsupported_directives_are_refused_not_ignored() {
    let prefix = Prefix::new(
        "unsupported",
        &[(
            "nginx.conf",
            "events {}\nhttp {\n    server {\n        listen 127.0.0.1:18080;\n        location / {\n            ssi on;\n        }\n    }\n}\n",
        )],
    );
    let output = prefix.rginx(&["-t"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output)
            .starts_with("rginx: [emerg] \"ssi\" directive is not supported by rginx in "),
        "{}",
        stderr(&output)
    );
}

/// As `nginx -T`: a file lacking a final newline gets one, but not the
/// blank line that follows the other files.
#[test]
fn dump_prints_every_file_under_its_header() {
    let prefix = Prefix::new(
        "dump",
        &[
            (
                "nginx.conf",
                "events {}\nhttp {\n    include conf.d/*.conf;\n}\n",
            ),
            ("conf.d/b.conf", "server { listen 127.0.0.1:18082; }\n"),
            ("conf.d/a.conf", "server { listen 127.0.0.1:18081; }"),
        ],
    );
    let output = prefix.rginx(&["-T", "-q"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let expected = format!(
        "# configuration file {}:\nevents {{}}\nhttp {{\n    include conf.d/*.conf;\n}}\n\n\
         # configuration file {}:\nserver {{ listen 127.0.0.1:18081; }}\n\
         # configuration file {}:\nserver {{ listen 127.0.0.1:18082; }}\n\n",
        prefix.path("nginx.conf").display(),
        prefix.path("conf.d/a.conf").display(),
        prefix.path("conf.d/b.conf").display()
    );
    assert_eq!(stdout, expected);
}

#[test]
fn g_directives_run_before_the_file_and_say_command_line() {
    let prefix = Prefix::new("g", &[("nginx.conf", &format!("daemon on;\n{MINIMAL}"))]);
    let output = prefix.rginx(&["-t", "-g", "daemon off;"]);
    assert_eq!(output.status.code(), Some(1));
    let conf = prefix.path("nginx.conf");
    assert!(
        stderr(&output).starts_with(&format!(
            "rginx: [emerg] \"daemon\" directive is duplicate in {}:1\n",
            conf.display()
        )),
        "{}",
        stderr(&output)
    );
    let output = prefix.rginx(&["-t", "-g", "worker_processes 2"]);
    assert!(
        stderr(&output).starts_with(
            "rginx: [emerg] unexpected end of parameter, expecting \";\" in command line\n"
        ),
        "{}",
        stderr(&output)
    );
}

#[test]
fn missing_config_file_is_nginxs_open_error() {
    let prefix = Prefix::new("missing", &[]);
    let output = prefix.rginx(&["-t"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output).lines().next().unwrap(),
        format!(
            "rginx: [emerg] open() \"{}\" failed (2: No such file or directory)",
            prefix.path("nginx.conf").display()
        )
    );
}

#[test]
fn include_cycles_are_refused_with_the_chain() {
    let prefix = Prefix::new(
        "cycle",
        &[
            ("nginx.conf", "events {}\ninclude a.conf;\n"),
            ("a.conf", "include b.conf;\n"),
            ("b.conf", "include a.conf;\n"),
        ],
    );
    let output = prefix.rginx(&["-t"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output);
    assert!(text.contains("include cycle"), "{text}");
    assert!(text.contains("a.conf"), "{text}");
}

#[test]
fn version_help_and_bad_options() {
    let version = Command::new(RGINX).arg("-v").output().unwrap();
    assert!(version.status.success());
    assert!(stderr(&version).starts_with("rginx version: rginx/"));

    let configure = Command::new(RGINX).arg("-V").output().unwrap();
    let text = stderr(&configure);
    assert!(
        text.contains("\nconfigure arguments: --prefix=/usr/share/nginx "),
        "{text}"
    );
    // The SSI module is not implemented: -V must say so.
    assert!(text.contains("--without-http_ssi_module"), "{text}");

    let help = Command::new(RGINX).arg("-h").output().unwrap();
    assert!(stderr(&help).contains("-t            : test configuration and exit"));

    let bad = Command::new(RGINX).arg("-x").output().unwrap();
    assert_eq!(bad.status.code(), Some(1));
    assert_eq!(stderr(&bad), "rginx: invalid option: \"x\"\n");

    let signal = Command::new(RGINX)
        .args(["-s", "restart"])
        .output()
        .unwrap();
    assert_eq!(stderr(&signal), "rginx: invalid option: \"-s restart\"\n");
}

#[test]
fn the_bundled_example_config_passes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../conf/");
    let output = Command::new(RGINX)
        .arg("-t")
        .arg("-p")
        .arg(&root)
        .args(["-c", "nginx.conf", "-e", "stderr"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
}
