//! `-T` output against nginx's, and the tree written back as text.

use rginx_conf::dump::{dump_files, to_text};
use rginx_conf::{parse_bytes, parse_file};
use std::path::Path;

fn write(dir: &Path, name: &str, contents: &[u8]) {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(path, contents).expect("write");
}

#[test]
fn dump_matches_nginx_minus_t() {
    // These files, run through `nginx -T -p D/ -c D/nginx.conf`, print
    // exactly the text expected below (with D for the directory): files in
    // the order first read; a file read twice shown once, but `./a.conf` is
    // another name than `a.conf`; each file's bytes followed by one newline,
    // so a file without a final newline runs straight into the next header
    // and an empty file shows as an empty line.
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    write(
        d,
        "nginx.conf",
        b"events {}\ninclude a.conf;\ninclude ./a.conf;\ninclude a.conf;\ninclude conf.d/*.conf;\nhttp {\n  include b.conf;\n}",
    );
    write(d, "a.conf", b"env A;");
    write(d, "b.conf", b"\n\n");
    write(d, "conf.d/y.conf", b"env Y;\n");
    write(d, "conf.d/x.conf", b"env X;\n");
    write(d, "conf.d/z.conf", b"");
    let parsed = parse_file(&d.join("nginx.conf"), d);
    assert!(parsed.error.is_none(), "{:?}", parsed.error);
    let dump = String::from_utf8(dump_files(&parsed.files))
        .expect("utf-8")
        .replace(&d.display().to_string(), "D");
    assert_eq!(
        dump,
        "# configuration file D/nginx.conf:
events {}
include a.conf;
include ./a.conf;
include a.conf;
include conf.d/*.conf;
http {
  include b.conf;
}
# configuration file D/a.conf:
env A;
# configuration file D/./a.conf:
env A;
# configuration file D/conf.d/x.conf:
env X;

# configuration file D/conf.d/y.conf:
env Y;

# configuration file D/conf.d/z.conf:

# configuration file D/b.conf:



"
    );
}

#[test]
fn dump_keeps_bytes_as_read() {
    // nginx copies the file's bytes into the dump as it reads them: CRLF,
    // comments and invalid UTF-8 come out unchanged.
    let text = b"# comment\r\nenv \xff;\r\n";
    let parsed = parse_bytes(text, Path::new("/x/nginx.conf"));
    assert!(parsed.error.is_none());
    let mut expected = b"# configuration file /x/nginx.conf:\n".to_vec();
    expected.extend_from_slice(text);
    expected.push(b'\n');
    assert_eq!(dump_files(&parsed.files), expected);
}

#[test]
fn to_text_writes_plain_words_bare_and_quotes_the_rest() {
    let parsed = parse_bytes(
        br#"events {} http { server { listen 80; location ~ "^/a{2}$" { return 200 'a b'; } set $x "${y}z"; add_header X "" ; } }"#,
        Path::new("/x/nginx.conf"),
    );
    assert!(parsed.error.is_none());
    let text = String::from_utf8(to_text(&parsed.directives)).expect("utf-8");
    assert_eq!(
        text,
        r#"events {
}
http {
    server {
        listen 80;
        location ~ "^/a{2}$" {
            return 200 "a b";
        }
        set $x "${y}z";
        add_header X "";
    }
}
"#
    );
}

#[test]
fn to_text_escapes_quotes_and_backslashes() {
    // Parsed from `a "x\"y" 'p\'q' "\\" "\t";`: the words are x"y, p'q, a
    // single backslash and a tab.
    let parsed = parse_bytes(br#"a "x\"y" 'p\'q' "\\" "\t" #;"#, Path::new("/x/n.conf"));
    // The `#` after a space starts a comment, so the statement is not closed.
    assert!(parsed.error.is_some());
    let parsed = parse_bytes(
        br##"a "x\"y" 'p\'q' "\\" "\t" "#";"##,
        Path::new("/x/n.conf"),
    );
    assert!(parsed.error.is_none(), "{:?}", parsed.error);
    assert_eq!(
        to_text(&parsed.directives),
        b"a \"x\\\"y\" \"p'q\" \"\\\\\" \"\t\" \"#\";\n"
    );
}
