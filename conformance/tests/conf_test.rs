//! Every case under `testdata/conf-cases/` through `nginx -t` and `rginx -t`:
//! the suite fails on any mismatch. Pending cases (a module rginx does not
//! implement yet) are listed, not failed.

use conformance::{Verdict, report, run_dir};
use std::path::{Path, PathBuf};

fn rginx_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("RGINX_BIN") {
        return PathBuf::from(path);
    }
    // target/<profile>/deps/conf_test-HASH -> target/<profile>/rginx, built
    // by `cargo test --workspace` for the rginx package's own tests.
    let exe = std::env::current_exe().expect("the test binary has a path");
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("test binaries live in target/<profile>/deps");
    profile_dir.join("rginx")
}

fn nginx_binary() -> PathBuf {
    PathBuf::from(std::env::var_os("NGINX_BIN").unwrap_or_else(|| "/usr/sbin/nginx".into()))
}

#[test]
fn nginx_t_and_rginx_t_agree_on_every_case() {
    let rginx = rginx_binary();
    let nginx = nginx_binary();
    assert!(
        rginx.is_file(),
        "{} is missing: run the whole suite with `cargo test --workspace` (it builds rginx), \
         or set RGINX_BIN",
        rginx.display()
    );
    assert!(
        nginx.is_file(),
        "{} is missing: the reference nginx is Debian's (`apt-get install -y nginx`)",
        nginx.display()
    );
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/conf-cases");
    let results = run_dir(&root, &nginx, &rginx).expect("cases run");
    println!("{}", report::summary(&results));
    assert!(results.len() >= 80, "only {} cases found", results.len());
    let mismatches: Vec<&str> = results
        .iter()
        .filter(|r| r.verdict == Verdict::Mismatch)
        .map(|r| r.name.as_str())
        .collect();
    assert!(mismatches.is_empty(), "mismatches: {mismatches:?}");
}
