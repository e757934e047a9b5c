//! `docs/directives.md`, generated from the registry and nginx's directive
//! table, so the support matrix can never claim more than the code does.
//! A test compares the file with this output; `UPDATE_DOCS=1 cargo test -p
//! rginx-http directives_doc` rewrites it.

use crate::registry;
use rginx_conf::known_directives::NGINX_DIRECTIVES;
use std::fmt::Write;

/// The whole Markdown page.
pub fn markdown() -> String {
    let mut out = String::new();
    let total = NGINX_DIRECTIVES.len();
    let supported = NGINX_DIRECTIVES
        .iter()
        .filter(|known| spec_for(known.module, known.name).is_some())
        .count();
    let _ = writeln!(out, "# Directive support\n");
    let _ = writeln!(
        out,
        "Generated from rginx's directive registry and nginx 1.22.1's own directive table \
         (`crates/rginx-http/src/directives_doc.rs`); do not edit by hand.\n"
    );
    let _ = writeln!(
        out,
        "rginx implements {supported} of nginx's {total} directives. A directive marked \
         \"not yet\" is refused by `rginx -t` with `\"X\" directive is not supported by rginx`, \
         never silently ignored. Where and with how many arguments a directive may appear is \
         checked exactly as nginx checks it, supported or not.\n"
    );
    let mut modules: Vec<&str> = Vec::new();
    for known in NGINX_DIRECTIVES {
        if !modules.contains(&known.module) {
            modules.push(known.module);
        }
    }
    for module in modules {
        let directives: Vec<_> = NGINX_DIRECTIVES
            .iter()
            .filter(|known| known.module == module)
            .collect();
        let done = directives
            .iter()
            .filter(|known| spec_for(module, known.name).is_some())
            .count();
        let _ = writeln!(out, "## {module} ({done}/{})\n", directives.len());
        let _ = writeln!(out, "| directive | rginx |\n|---|---|");
        for known in directives {
            let status = match spec_for(module, known.name) {
                Some(spec) => format!("yes: {}", spec.note),
                None => "not yet".to_string(),
            };
            let _ = writeln!(out, "| `{}` | {status} |", known.name);
        }
        let _ = writeln!(out);
    }
    out
}

fn spec_for(module: &str, name: &str) -> Option<&'static registry::Spec> {
    registry::specs().find(|spec| spec.module == module && spec.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn docs_directives_md_is_current() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/directives.md");
        let expected = markdown();
        if std::env::var_os("UPDATE_DOCS").is_some() {
            std::fs::write(&path, &expected).expect("docs/directives.md is writable");
        }
        let actual = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            actual == expected,
            "docs/directives.md is stale: run `UPDATE_DOCS=1 cargo test -p rginx-http directives_doc`"
        );
    }

    #[test]
    fn the_page_lists_supported_and_missing_directives() {
        let page = markdown();
        assert!(page.contains("| `listen` | yes: "));
        assert!(page.contains("| `gzip` | not yet |") || page.contains("| `gzip` | yes: "));
    }
}
