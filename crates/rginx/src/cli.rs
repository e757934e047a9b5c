//! nginx's command line: `-?hvVtTq`, `-s signal`, `-p prefix`, `-e file`,
//! `-c file`, `-g directives`, with nginx's parsing quirks (flags bundled as
//! `-tq`, values attached as `-cFILE` or separate) and its error messages.

use std::ffi::OsString;
use std::os::unix::ffi::{OsStrExt, OsStringExt};

/// What the command line asked for.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Options {
    pub help: bool,
    pub version: bool,
    pub configure: bool,
    pub test: bool,
    pub dump: bool,
    pub quiet: bool,
    pub signal: Option<String>,
    pub prefix: Option<Vec<u8>>,
    pub error_log: Option<Vec<u8>>,
    pub conf_file: Option<Vec<u8>>,
    pub directives: Option<Vec<u8>>,
}

/// The signals `-s` accepts.
pub const SIGNALS: [&str; 4] = ["stop", "quit", "reopen", "reload"];

/// Parses the arguments after the program name; `Err` is nginx's message.
pub fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Options, String> {
    let args: Vec<Vec<u8>> = args.into_iter().map(OsStringExt::into_vec).collect();
    let mut options = Options::default();
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        if arg.first() != Some(&b'-') {
            return Err(format!(
                "invalid option: \"{}\"",
                String::from_utf8_lossy(arg)
            ));
        }
        let mut p = 1;
        while p < arg.len() {
            let flag = arg[p];
            p += 1;
            match flag {
                b'?' | b'h' => options.help = true,
                b'v' => options.version = true,
                b'V' => {
                    options.version = true;
                    options.configure = true;
                }
                b't' => options.test = true,
                b'T' => {
                    options.test = true;
                    options.dump = true;
                }
                b'q' => options.quiet = true,
                b'p' | b'e' | b'c' | b'g' | b's' => {
                    let value = if p < arg.len() {
                        arg[p..].to_vec()
                    } else if i + 1 < args.len() {
                        i += 1;
                        args[i].clone()
                    } else {
                        return Err(match flag {
                            b'p' => "option \"-p\" requires directory name".into(),
                            b'e' => "option \"-e\" requires file name".into(),
                            b'c' => "option \"-c\" requires file name".into(),
                            b'g' => "option \"-g\" requires parameter".into(),
                            _ => "option \"-s\" requires parameter".into(),
                        });
                    };
                    match flag {
                        b'p' => options.prefix = Some(value),
                        b'e' => options.error_log = Some(value),
                        b'c' => options.conf_file = Some(value),
                        b'g' => options.directives = Some(value),
                        _ => {
                            let text = String::from_utf8_lossy(&value).into_owned();
                            if !SIGNALS.contains(&text.as_str()) {
                                return Err(format!("invalid option: \"-s {text}\""));
                            }
                            options.signal = Some(text);
                        }
                    }
                    break;
                }
                other => {
                    return Err(format!("invalid option: \"{}\"", char::from(other)));
                }
            }
        }
        i += 1;
    }
    Ok(options)
}

/// nginx's `-h` text, with rginx's name and defaults.
pub fn usage(prefix: &str, error_log: &str, conf_file: &str) -> String {
    format!(
        "Usage: rginx [-?hvVtTq] [-s signal] [-p prefix]\n\
         \x20            [-e filename] [-c filename] [-g directives]\n\
         \n\
         Options:\n\
         \x20 -?,-h         : this help\n\
         \x20 -v            : show version and exit\n\
         \x20 -V            : show version and configure options then exit\n\
         \x20 -t            : test configuration and exit\n\
         \x20 -T            : test configuration, dump it and exit\n\
         \x20 -q            : suppress non-error messages during configuration testing\n\
         \x20 -s signal     : send signal to a master process: stop, quit, reopen, reload\n\
         \x20 -p prefix     : set prefix path (default: {prefix})\n\
         \x20 -e filename   : set error log file (default: {error_log})\n\
         \x20 -c filename   : set configuration file (default: {conf_file})\n\
         \x20 -g directives : set global directives out of configuration file\n\n"
    )
}

/// Bytes as an OS path.
pub fn path(bytes: &[u8]) -> std::path::PathBuf {
    std::path::PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Result<Options, String> {
        parse(args.iter().map(OsString::from))
    }

    #[test]
    fn bundled_flags_and_attached_values() {
        let options = run(&["-tq", "-cfoo.conf", "-p", "/x/"]).unwrap();
        assert!(options.test && options.quiet);
        assert_eq!(options.conf_file.as_deref(), Some(&b"foo.conf"[..]));
        assert_eq!(options.prefix.as_deref(), Some(&b"/x/"[..]));
        let options = run(&["-T"]).unwrap();
        assert!(options.test && options.dump);
    }

    #[test]
    fn nginx_error_messages() {
        assert_eq!(run(&["-x"]), Err("invalid option: \"x\"".into()));
        assert_eq!(run(&["-c"]), Err("option \"-c\" requires file name".into()));
        assert_eq!(
            run(&["-s", "foo"]),
            Err("invalid option: \"-s foo\"".into())
        );
        assert_eq!(run(&["t"]), Err("invalid option: \"t\"".into()));
        assert_eq!(
            run(&["-s", "reload"]).unwrap().signal.as_deref(),
            Some("reload")
        );
    }
}
