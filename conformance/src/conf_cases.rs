//! `nginx -t` versus `rginx -t` on the cases under `testdata/conf-cases/`.

use rginx_conf::known_directives;
use std::fs;
use std::io;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// What one server said about one case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseOutcome {
    pub success: bool,
    /// The first line of stderr, normalised.
    pub first_line: String,
    /// All of stderr, normalised (for reports).
    pub stderr: String,
}

/// How rginx compares with nginx on a case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    Match,
    /// rginx does not implement a directive of this nginx module yet.
    Pending {
        module: String,
    },
    /// rginx answers differently on purpose, for the reason given, and the
    /// verdicts agree.
    DeliberateDifference {
        reason: String,
    },
    Mismatch,
}

#[derive(Clone, Debug)]
pub struct CaseResult {
    pub name: String,
    pub about: String,
    pub nginx: CaseOutcome,
    pub rginx: CaseOutcome,
    pub verdict: Verdict,
}

/// Runs every case directory under `root`, sorted by name.
pub fn run_dir(root: &Path, nginx: &Path, rginx: &Path) -> io::Result<Vec<CaseResult>> {
    let mut cases: Vec<PathBuf> = fs::read_dir(root)?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.join("nginx.conf").is_file())
        .collect();
    cases.sort();
    cases
        .iter()
        .map(|case| run_case(case, nginx, rginx))
        .collect()
}

/// Runs one case through both servers.
pub fn run_case(case: &Path, nginx: &Path, rginx: &Path) -> io::Result<CaseResult> {
    let name = case
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let conf = fs::read(case.join("nginx.conf"))?;
    let about = about_line(&conf);
    let nginx_outcome = check(case, nginx, &name, "nginx")?;
    let rginx_outcome = check(case, rginx, &name, "rginx")?;
    let differs = fs::read_to_string(case.join("rginx-differs")).ok();
    let verdict = judge(&nginx_outcome, &rginx_outcome, differs);
    Ok(CaseResult {
        name,
        about,
        nginx: nginx_outcome,
        rginx: rginx_outcome,
        verdict,
    })
}

fn judge(nginx: &CaseOutcome, rginx: &CaseOutcome, differs: Option<String>) -> Verdict {
    if let Some(module) = first_emerg(&rginx.stderr).and_then(pending_module) {
        return Verdict::Pending { module };
    }
    if let Some(reason) = differs {
        if nginx.success == rginx.success {
            return Verdict::DeliberateDifference {
                reason: reason.trim().to_string(),
            };
        }
        return Verdict::Mismatch;
    }
    if nginx.success == rginx.success
        && nginx.first_line == rginx.first_line
        && first_emerg(&nginx.stderr) == first_emerg(&rginx.stderr)
    {
        Verdict::Match
    } else {
        Verdict::Mismatch
    }
}

/// The first `[emerg]` line: where nginx says "syntax is ok" before the
/// error (checks made after reading), the first line alone says little.
fn first_emerg(stderr: &str) -> Option<&str> {
    stderr.lines().find(|line| line.starts_with("[emerg]"))
}

/// `[emerg] "X" directive is not supported by rginx in F:L` -> X's module;
/// `... is not supported by rginx (needs MODULE)` -> MODULE.
fn pending_module(line: &str) -> Option<String> {
    let at = line.find(" is not supported by rginx")?;
    let tail = &line[at..];
    if let Some(needs) = tail
        .split_once("(needs ")
        .and_then(|(_, n)| n.split_once(')'))
    {
        return Some(needs.0.to_string());
    }
    let name = line[..at]
        .strip_prefix("[emerg] \"")?
        .strip_suffix("\" directive")?;
    let module = known_directives::lookup(name.as_bytes())
        .next()
        .map_or("unknown", |known| known.module);
    Some(module.to_string())
}

fn about_line(conf: &[u8]) -> String {
    let text = String::from_utf8_lossy(conf);
    text.lines()
        .find_map(|line| line.trim().strip_prefix("# about:"))
        .map(|about| about.trim().to_string())
        .unwrap_or_default()
}

/// Copies the case into a fresh 0755 prefix and runs `server -t` there.
fn check(case: &Path, server: &Path, name: &str, who: &str) -> io::Result<CaseOutcome> {
    let prefix =
        std::env::temp_dir().join(format!("rginx-conf-{}-{name}-{who}", std::process::id()));
    if prefix.exists() {
        fs::remove_dir_all(&prefix)?;
    }
    copy_dir(case, &prefix)?;
    fs::create_dir_all(prefix.join("logs"))?;
    fs::set_permissions(&prefix, fs::Permissions::from_mode(0o755))?;
    let prefix_text = format!("{}/", prefix.display());
    let conf = prefix.join("nginx.conf");
    let error_log = prefix.join("error.log");
    let output = run_bounded(
        Command::new(server)
            .arg("-t")
            .arg("-p")
            .arg(&prefix_text)
            .arg("-c")
            .arg(&conf)
            .arg("-e")
            .arg(&error_log),
        Duration::from_secs(20),
    )?;
    fs::remove_dir_all(&prefix)?;
    let stderr = normalise(&String::from_utf8_lossy(&output.stderr), &prefix);
    Ok(CaseOutcome {
        success: output.status.success(),
        first_line: stderr.lines().next().unwrap_or_default().to_string(),
        stderr,
    })
}

/// Runs a command with a time limit (a hung server must fail the case, not
/// the whole suite).
fn run_bounded(command: &mut Command, limit: Duration) -> io::Result<std::process::Output> {
    use std::process::Stdio;
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let started = Instant::now();
    loop {
        if child.try_wait()?.is_some() {
            return child.wait_with_output();
        }
        if started.elapsed() > limit {
            child.kill()?;
            let output = child.wait_with_output()?;
            return Err(io::Error::new(
                io::ErrorKind::TimedOut,
                format!(
                    "{:?} did not finish within {limit:?}; stderr: {}",
                    command.get_program(),
                    String::from_utf8_lossy(&output.stderr)
                ),
            ));
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Drops the program name and log timestamps, and writes the prefix as
/// `$PREFIX`, so the two servers' words can be compared.
pub fn normalise(stderr: &str, prefix: &Path) -> String {
    let prefix_text = prefix.display().to_string();
    stderr
        .lines()
        .map(|line| {
            let line = line
                .strip_prefix("nginx: ")
                .or_else(|| line.strip_prefix("rginx: "))
                .unwrap_or(line);
            let line = strip_log_stamp(line);
            line.replace(&prefix_text, "$PREFIX")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `2026/11/23 09:03:22 [emerg] 2833#2833: msg` -> `[emerg] msg`.
fn strip_log_stamp(line: &str) -> String {
    let bytes = line.as_bytes();
    let stamped = bytes.len() > 20
        && bytes[4] == b'/'
        && bytes[7] == b'/'
        && bytes[10] == b' '
        && bytes[13] == b':'
        && bytes[16] == b':'
        && bytes[19] == b' ';
    if !stamped {
        return line.to_string();
    }
    let rest = &line[20..];
    match rest.split_once("] ") {
        Some((level, tail)) => match tail.split_once(": ") {
            Some((pid, message)) if pid.contains('#') => format!("{level}] {message}"),
            _ => rest.to_string(),
        },
        None => rest.to_string(),
    }
}

fn copy_dir(from: &Path, to: &Path) -> io::Result<()> {
    fs::create_dir_all(to)?;
    fs::set_permissions(to, fs::Permissions::from_mode(0o755))?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        let kind = entry.file_type()?;
        if kind.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else if kind.is_symlink() {
            std::os::unix::fs::symlink(fs::read_link(entry.path())?, &target)?;
        } else {
            fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalising_makes_both_servers_comparable() {
        let prefix = Path::new("/tmp/p");
        assert_eq!(
            normalise(
                "nginx: [emerg] unknown directive \"x\" in /tmp/p/nginx.conf:3\nnginx: configuration file /tmp/p/nginx.conf test failed",
                prefix
            ),
            "[emerg] unknown directive \"x\" in $PREFIX/nginx.conf:3\nconfiguration file $PREFIX/nginx.conf test failed"
        );
        assert_eq!(
            normalise(
                "2026/11/23 09:03:22 [emerg] 2833#2833: open() \"/tmp/p/e\" failed",
                prefix
            ),
            "[emerg] open() \"$PREFIX/e\" failed"
        );
    }

    #[test]
    fn verdicts() {
        let out = |success: bool, line: &str| CaseOutcome {
            success,
            first_line: line.into(),
            stderr: line.into(),
        };
        let a = out(
            false,
            "[emerg] unknown directive \"x\" in $PREFIX/nginx.conf:1",
        );
        assert_eq!(judge(&a, &a.clone(), None), Verdict::Match);
        let b = out(
            false,
            "[emerg] unknown directive \"y\" in $PREFIX/nginx.conf:1",
        );
        assert_eq!(judge(&a, &b, None), Verdict::Mismatch);
        let pending = out(
            false,
            "[emerg] \"gzip\" directive is not supported by rginx in $PREFIX/nginx.conf:2",
        );
        assert_eq!(
            judge(&a, &pending, None),
            Verdict::Pending {
                module: "ngx_http_gzip_filter_module".into()
            }
        );
        assert!(matches!(
            judge(&a, &b, Some("clearer message".into())),
            Verdict::DeliberateDifference { .. }
        ));
        assert_eq!(
            judge(&out(true, "ok"), &b, Some("x".into())),
            Verdict::Mismatch
        );
    }
}
