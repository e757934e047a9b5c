//! The outside tools the harness needs (nginx, wrk, taskset), where the workspace is, and
//! building rginx. The harness installs nothing: it says what to install.

use std::path::{Path, PathBuf};
use std::process::Command;

pub const NGINX: &str = "/usr/sbin/nginx";

pub struct Tools {
    pub nginx: PathBuf,
}

pub fn find_on_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    })
}

/// Checks for nginx and wrk (and taskset when pinning); on failure the error says how to
/// install what is missing.
pub fn check(pin: bool) -> Result<Tools, String> {
    let nginx = Some(PathBuf::from(NGINX))
        .filter(|p| p.is_file())
        .or_else(|| find_on_path("nginx"));
    let mut missing = Vec::new();
    if nginx.is_none() {
        missing.push("nginx");
    }
    if find_on_path("wrk").is_none() {
        missing.push("wrk");
    }
    if pin && find_on_path("taskset").is_none() {
        missing.push("util-linux (taskset)");
    }
    match nginx {
        Some(nginx) if missing.is_empty() => Ok(Tools { nginx }),
        _ => Err(format!(
            "missing: {}. Install them with:\n    apt-get install -y nginx wrk{}",
            missing.join(", "),
            if pin { " util-linux" } else { "" }
        )),
    }
}

/// The workspace root (xtask lives one level below it).
pub fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// `cargo build --release -p rginx`; returns the binary's path.
pub fn build_rginx(root: &Path) -> Result<PathBuf, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    eprintln!("building rginx (release) ...");
    let status = Command::new(cargo)
        .current_dir(root)
        .args(["build", "--release", "-p", "rginx"])
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err(format!("cargo build --release -p rginx failed ({status})"));
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|t| if t.is_absolute() { t } else { root.join(t) })
        .unwrap_or_else(|| root.join("target"));
    let bin = target.join("release/rginx");
    if bin.is_file() {
        Ok(bin)
    } else {
        Err(format!("built, but {} is missing", bin.display()))
    }
}

/// Splits the CPUs we may use into the servers' half (first) and the load's half (rest),
/// as `taskset -c` lists. `None` with fewer than two CPUs.
pub fn split_cpus(cpus: &[u32]) -> Option<(String, String)> {
    if cpus.len() < 2 {
        return None;
    }
    let half = cpus.len().div_ceil(2);
    let list = |c: &[u32]| c.iter().map(u32::to_string).collect::<Vec<_>>().join(",");
    Some((list(&cpus[..half]), list(&cpus[half..])))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_cpus_in_halves() {
        assert_eq!(split_cpus(&[0, 1]), Some(("0".into(), "1".into())));
        assert_eq!(split_cpus(&[0, 1, 2]), Some(("0,1".into(), "2".into())));
        assert_eq!(
            split_cpus(&[2, 3, 6, 7]),
            Some(("2,3".into(), "6,7".into()))
        );
        assert_eq!(split_cpus(&[0]), None);
    }

    #[test]
    fn finds_programs_on_path() {
        assert!(find_on_path("sh").is_some());
        assert!(find_on_path("surely-no-such-program-xyz").is_none());
    }

    #[test]
    fn workspace_root_holds_the_workspace_manifest() {
        let text = std::fs::read_to_string(workspace_root().join("Cargo.toml")).unwrap();
        assert!(text.contains("[workspace]"));
    }
}
