//! The tokenizer and parser against nginx's own behaviour. Every case was run
//! through the reference (`nginx -t` of Debian's nginx 1.22.1, in a scratch
//! prefix `D/`) first; the comment above each assertion says what nginx
//! printed. nginx runs each directive's handler as soon as it is read, so when
//! it names the first directive ("unknown directive "foo#bar"") that shows how
//! it split the text, and `user ARG;` (`getpwnam("ARG") failed`) shows the
//! exact bytes of an argument.

use rginx_conf::parser::MAX_BLOCK_DEPTH;
use rginx_conf::{Directive, Parsed, parse_bytes, parse_file, parse_param};
use std::path::Path;

const NAME: &str = "/conf/nginx.conf";

fn parse(text: &[u8]) -> Parsed {
    parse_bytes(text, Path::new(NAME))
}

/// The tree as text: every word quoted (escaped as Rust escapes bytes), the
/// line each directive was read on, and where each block closed.
fn render(directives: &[Directive]) -> String {
    let mut out = String::new();
    render_into(directives, 0, &mut out);
    out
}

fn render_into(directives: &[Directive], depth: usize, out: &mut String) {
    for d in directives {
        out.push_str(&"    ".repeat(depth));
        out.push_str(&word(d.name.as_bytes()));
        for arg in &d.args {
            out.push(' ');
            out.push_str(&word(arg.as_bytes()));
        }
        out.push_str(&format!(" @{}", d.loc.line));
        match &d.block {
            None => out.push('\n'),
            Some(block) => {
                out.push_str(" {\n");
                render_into(&block.directives, depth + 1, out);
                out.push_str(&"    ".repeat(depth));
                match &block.end {
                    Some(end) => out.push_str(&format!("}} @{}\n", end.line)),
                    None => out.push_str("} INCOMPLETE\n"),
                }
            }
        }
    }
}

fn word(bytes: &[u8]) -> String {
    format!("\"{}\"", bytes.escape_ascii())
}

/// Parses text that must be free of syntax errors; returns the rendered tree.
fn ok(text: &str) -> String {
    ok_bytes(text.as_bytes())
}

fn ok_bytes(text: &[u8]) -> String {
    let parsed = parse(text);
    if let Some(error) = &parsed.error {
        panic!("unexpected error: {error}\nin: {text:?}");
    }
    render(&parsed.directives)
}

/// Parses text that must fail; returns (the tree read before the error,
/// the error as nginx prints it).
fn fails(text: &str) -> (String, String) {
    fails_bytes(text.as_bytes())
}

fn fails_bytes(text: &[u8]) -> (String, String) {
    let parsed = parse(text);
    let Some(error) = &parsed.error else {
        panic!(
            "no error for {text:?}; tree:\n{}",
            render(&parsed.directives)
        );
    };
    (render(&parsed.directives), error.to_string())
}

fn error_of(text: &str) -> String {
    fails(text).1
}

/// The only argument of the only directive.
fn single_arg(text: &[u8]) -> Vec<u8> {
    let parsed = parse(text);
    assert!(parsed.error.is_none(), "{:?}", parsed.error);
    assert_eq!(parsed.directives.len(), 1);
    assert_eq!(parsed.directives[0].args.len(), 1);
    parsed.directives[0].args[0].as_bytes().to_vec()
}

// ---------------------------------------------------------------- tokens --

#[test]
fn a_token_ends_at_whitespace_semicolon_and_brace() {
    // nginx: `foo\ta\r\nb "c" ;` -> unknown directive "foo" in D/nginx.conf:2
    // (tab, CR and LF all separate words; the directive is placed on the
    // line of its `;`).
    assert_eq!(
        ok("foo\ta\r\nb \"c\" ;"),
        r#""foo" "a" "b" "c" @2
"#
    );
    // `;` and `{` end the word they touch.
    assert_eq!(
        ok("a b;c d{e;}"),
        r#""a" "b" @1
"c" "d" @1 {
    "e" @1
} @1
"#
    );
}

#[test]
fn a_closing_quote_may_be_followed_by_a_parenthesis() {
    // nginx: `if ($host = b) { return 200; } if ( $host ) ... if ($host ~*
    // "^a{2}$") {return 202;}` inside a location -> test is successful.
    let tree = ok(r#"if ($host ~* "^a{2}$") { return 202; }"#);
    assert_eq!(
        tree,
        r#""if" "($host" "~*" "^a{2}$" ")" @1 {
    "return" "202" @1
} @1
"#
    );
    // `)` right after the quote starts a new word: nginx -t on `foo "a")b;`
    // -> unknown directive "foo" (no syntax error).
    assert_eq!(ok(r#"foo "a")b;"#), "\"foo\" \"a\" \")b\" @1\n");
}

#[test]
fn if_conditions_keep_their_parentheses_as_nginx_splits_them() {
    // nginx -t on `if ($host = b) { return 200; } if ( $host ) { return 201; }`
    // inside a location -> test is successful.
    assert_eq!(
        ok("if ($a = b) {\n}\nif ( $a ) { }\n"),
        r#""if" "($a" "=" "b)" @1 {
} @2
"if" "(" "$a" ")" @3 {
} @3
"#
    );
}

#[test]
fn a_closing_brace_inside_a_word_is_literal() {
    // nginx: `return 200 a}b;` in a location -> test is successful.
    assert_eq!(
        ok("location / { return 200 a}b; }"),
        r#""location" "/" @1 {
    "return" "200" "a}b" @1
} @1
"#
    );
}

#[test]
fn hash_starts_a_comment_only_at_the_start_of_a_word() {
    // nginx: `foo#bar baz;` -> unknown directive "foo#bar" in D/nginx.conf:1
    assert_eq!(ok("foo#bar baz;"), "\"foo#bar\" \"baz\" @1\n");
    // nginx: `foo #comment\n bar;` -> unknown directive "foo" in D/nginx.conf:2
    assert_eq!(ok("foo #comment\n bar;"), "\"foo\" \"bar\" @2\n");
    // A comment hides quotes, braces and semicolons up to the end of line.
    assert_eq!(ok("a; # \"x' { } ;\nb;"), "\"a\" @1\n\"b\" @2\n");
    // A comment at the end of a file without a newline is fine.
    assert_eq!(ok("a; # end"), "\"a\" @1\n");
}

#[test]
fn a_brace_right_after_dollar_does_not_open_a_block() {
    // nginx: `${v}x;` -> unknown directive "${v}x" in D/nginx.conf:1
    assert_eq!(ok("${v}x;"), "\"${v}x\" @1\n");
    // nginx: `a${v}x {` -> unknown directive "a${v}x" in D/nginx.conf:1
    let (tree, _) = fails("a${v}x {\n");
    assert_eq!(tree, "\"a${v}x\" @1 {\n} INCOMPLETE\n");
    // nginx: `set $x ${v}x;` in a server -> unknown "v" variable (one word).
    assert_eq!(ok("set $x ${v}x;"), "\"set\" \"$x\" \"${v}x\" @1\n");
    // nginx: `$${x};` -> unknown directive "$${x}"; `"${";` -> unknown
    // directive "${"; `$a{` -> unknown directive "$a" (block); `$ {` ->
    // unknown directive "$" (block).
    assert_eq!(ok("$${x};"), "\"$${x}\" @1\n");
    assert_eq!(ok("\"${\";"), "\"${\" @1\n");
    assert_eq!(ok("$a{}"), "\"$a\" @1 {\n} @1\n");
    assert_eq!(ok("$ {}"), "\"$\" @1 {\n} @1\n");
}

#[test]
fn an_unquoted_regex_with_braces_splits_into_a_block() {
    // nginx: `events {}\nhttp { server { location ~ ^/a{2}$ { } } }` ->
    // unknown directive "2}$" in D/nginx.conf:2. The `{` of `{2}` opens the
    // location; `2}$` becomes a directive of its own, opening a block at the
    // next `{`; the compiler reports it as unknown at line 2.
    let (tree, error) = fails("events {}\nhttp { server { location ~ ^/a{2}$ { } } }\n");
    assert_eq!(
        tree,
        r#""events" @1 {
} @1
"http" @2 {
    "server" @2 {
        "location" "~" "^/a" @2 {
            "2}$" @2 {
            } @2
        } @2
    } @2
} INCOMPLETE
"#
    );
    assert_eq!(
        error,
        "unexpected end of file, expecting \"}\" in /conf/nginx.conf:3"
    );
}

#[test]
fn only_space_semicolon_brace_or_parenthesis_may_follow_a_closing_quote() {
    // nginx: `foo "a"-b;` -> unexpected "-" in D/nginx.conf:1
    assert_eq!(
        error_of("foo \"a\"-b;"),
        "unexpected \"-\" in /conf/nginx.conf:1"
    );
    // nginx: `foo "a"b;` -> unexpected "b" in D/nginx.conf:1
    assert_eq!(
        error_of("foo 'a'b;"),
        "unexpected \"b\" in /conf/nginx.conf:1"
    );
    // nginx: `foo\n"a\nb\nc"x;` -> unexpected "x" in D/nginx.conf:4 (the line
    // where the offending byte is, after the newlines inside the quotes).
    assert_eq!(
        error_of("foo\n\"a\nb\nc\"x;"),
        "unexpected \"x\" in /conf/nginx.conf:4"
    );
    // `"a"{` and `"a";` are fine.
    assert_eq!(ok("a \"b\"{}"), "\"a\" \"b\" @1 {\n} @1\n");
    assert_eq!(ok("a 'b';"), "\"a\" \"b\" @1\n");
}

#[test]
fn a_quote_inside_a_word_is_literal() {
    // nginx: `user a"b;` -> getpwnam("a"b") failed in D/nginx.conf:1
    assert_eq!(single_arg(b"user a\"b;"), b"a\"b");
    // nginx: `user a'b;` -> getpwnam("a'b") failed in D/nginx.conf:1
    assert_eq!(single_arg(b"user a'b;"), b"a'b");
}

#[test]
fn empty_quotes_give_an_empty_argument() {
    // nginx: `user "";` and `user '';` -> getpwnam("") failed
    assert_eq!(single_arg(b"user \"\";"), b"");
    assert_eq!(single_arg(b"user '';"), b"");
    // An empty name, too.
    assert_eq!(ok("'' x;"), "\"\" \"x\" @1\n");
}

#[test]
fn escapes_in_quoted_words() {
    // nginx: `user "\"\'\\\t\r\n\q";` -> getpwnam(""'\<TAB><CR><LF>\q") failed
    assert_eq!(single_arg(br#"user "\"\'\\\t\r\n\q";"#), b"\"'\\\t\r\n\\q");
    // The same in single quotes.
    assert_eq!(single_arg(br#"user '\"\'\\\t\r\n\q';"#), b"\"'\\\t\r\n\\q");
    // An escaped quote does not close the word; `\\` before a quote does not
    // escape it.
    assert_eq!(single_arg(br#"user "a\"b";"#), b"a\"b");
    assert_eq!(single_arg(br#"user "a\\" ;"#), b"a\\");
}

#[test]
fn escapes_in_unquoted_words() {
    // nginx: `user a\"b\tc\q\\;` -> getpwnam("a"b<TAB>c\q\") failed
    assert_eq!(single_arg(br#"user a\"b\tc\q\\;"#), b"a\"b\tc\\q\\");
    // An escaped space, semicolon or brace does not end the word; the
    // backslash stays (only \" \' \\ \t \r \n are translated).
    assert_eq!(single_arg(br"user a\ b\;c\{;"), b"a\\ b\\;c\\{");
    // A backslash at the start of a word escapes its first byte.
    assert_eq!(single_arg(br"user \#x;"), b"\\#x");
    assert_eq!(single_arg(br#"user \"x;"#), b"\"x");
}

#[test]
fn lines_are_counted_inside_quoted_strings() {
    // nginx: `foo "a\nb\nc";\nbar "x"y;` -> unexpected "y" in D/nginx.conf:4
    let (tree, error) = fails("foo \"a\nb\nc\";\nbar \"x\"y;");
    assert_eq!(tree, "\"foo\" \"a\\nb\\nc\" @3\n");
    assert_eq!(error, "unexpected \"y\" in /conf/nginx.conf:4");
}

#[test]
fn crlf_line_endings() {
    // nginx: `env a;\r\nenv b;\r\nenv "x"y;\r\n` -> unexpected "y" in :3
    let (tree, error) = fails("env a;\r\nenv b;\r\nenv \"x\"y;\r\n");
    assert_eq!(tree, "\"env\" \"a\" @1\n\"env\" \"b\" @2\n");
    assert_eq!(error, "unexpected \"y\" in /conf/nginx.conf:3");
    // nginx: a whole CRLF config with `return 200 "ok\r\n";` -> successful.
    // CR inside quotes is kept.
    assert_eq!(
        ok("events {\r\n}\r\nhttp {\r\n    return 200 \"ok\r\n\";\r\n}\r\n"),
        r#""events" @1 {
} @2
"http" @3 {
    "return" "200" "ok\r\n" @5
} @6
"#
    );
}

#[test]
fn non_utf8_bytes_are_kept() {
    // nginx: `user \xff\xfe\xc3;` -> getpwnam("\xff\xfe\xc3") failed
    assert_eq!(single_arg(b"user \xff\xfe\xc3;"), b"\xff\xfe\xc3");
    assert_eq!(single_arg(b"user \"\xff;\";"), b"\xff;");
    assert_eq!(ok_bytes(b"\x80\x81 x;"), "\"\\x80\\x81\" \"x\" @1\n");
}

#[test]
fn a_file_without_a_final_newline() {
    // nginx: `events {}` (no newline) -> syntax is ok
    assert_eq!(ok("events {}"), "\"events\" @1 {\n} @1\n");
    assert_eq!(ok("a;"), "\"a\" @1\n");
    // nginx: `events {}\nhttp {}\nfoo` -> unexpected end of file, expecting
    // ";" or "}" in D/nginx.conf:3
    let (tree, error) = fails("events {}\nhttp {}\nfoo");
    assert_eq!(tree, "\"events\" @1 {\n} @1\n\"http\" @2 {\n} @2\n");
    assert_eq!(
        error,
        "unexpected end of file, expecting \";\" or \"}\" in /conf/nginx.conf:3"
    );
    // An unterminated quote at the end of the file is the same error.
    assert_eq!(
        error_of("a \"b\nc"),
        "unexpected end of file, expecting \";\" or \"}\" in /conf/nginx.conf:2"
    );
    // An empty file, or one with only comments and space, is an empty tree
    // (nginx: "syntax is ok", then `no "events" section` from the compiler).
    assert_eq!(ok(""), "");
    assert_eq!(ok("  \n# only a comment"), "");
}

#[test]
fn blocks_with_custom_handlers_take_any_words() {
    // nginx -t on exactly this text -> test is successful.
    let text = r#"events {}
http {
  map $http_user_agent $m {
    default 0;
    '~Opera Mini' 1;
    '' x;
    "~*a{2}" 2;
  }
  types {
    text/html html htm;
    'image/x y' xy;
  }
  split_clients "${remote_addr}a" $v {
    50% one;
    * '';
  }
  geo $g {
    default 0;
    '10.0.0.0/8' 'a b';
  }
}
"#;
    assert_eq!(
        ok(text),
        r#""events" @1 {
} @1
"http" @2 {
    "map" "$http_user_agent" "$m" @3 {
        "default" "0" @4
        "~Opera Mini" "1" @5
        "" "x" @6
        "~*a{2}" "2" @7
    } @8
    "types" @9 {
        "text/html" "html" "htm" @10
        "image/x y" "xy" @11
    } @12
    "split_clients" "${remote_addr}a" "$v" @13 {
        "50%" "one" @14
        "*" "" @15
    } @16
    "geo" "$g" @17 {
        "default" "0" @18
        "10.0.0.0/8" "a b" @19
    } @20
} @21
"#
    );
}

// --------------------------------------------------------- syntax errors --

#[test]
fn unexpected_closing_brace() {
    // nginx: `}` -> unexpected "}" in D/nginx.conf:1
    assert_eq!(error_of("}\n"), "unexpected \"}\" in /conf/nginx.conf:1");
    // nginx: `env a;\n env b }` -> unexpected "}" in D/nginx.conf:2
    let (tree, error) = fails("env a;\n env b }\n");
    assert_eq!(tree, "\"env\" \"a\" @1\n");
    assert_eq!(error, "unexpected \"}\" in /conf/nginx.conf:2");
    // One `}` too many after a complete block.
    let (tree, error) = fails("a {\n}\n}\n");
    assert_eq!(tree, "\"a\" @1 {\n} @2\n");
    assert_eq!(error, "unexpected \"}\" in /conf/nginx.conf:3");
}

#[test]
fn unexpected_end_of_file() {
    // nginx: `events {}\nhttp {\n` -> unexpected end of file, expecting "}"
    // in D/nginx.conf:3 (the line after the last newline).
    let (tree, error) = fails("events {}\nhttp {\n");
    assert_eq!(tree, "\"events\" @1 {\n} @1\n\"http\" @2 {\n} INCOMPLETE\n");
    assert_eq!(
        error,
        "unexpected end of file, expecting \"}\" in /conf/nginx.conf:3"
    );
    // nginx: `...server { location / {\n\n` -> expecting "}" in :8
    let (tree, error) =
        fails("events {}\nhttp {\n  server {\n    listen 8080;\n  }\n  server { location / {\n\n");
    assert_eq!(
        tree,
        r#""events" @1 {
} @1
"http" @2 {
    "server" @3 {
        "listen" "8080" @4
    } @5
    "server" @6 {
        "location" "/" @6 {
        } INCOMPLETE
    } INCOMPLETE
} INCOMPLETE
"#
    );
    assert_eq!(
        error,
        "unexpected end of file, expecting \"}\" in /conf/nginx.conf:8"
    );
    // nginx: `events {}\nhttp {}\nfoo` -> expecting ";" or "}" in :3
    assert_eq!(
        error_of("events {}\nhttp {}\nfoo"),
        "unexpected end of file, expecting \";\" or \"}\" in /conf/nginx.conf:3"
    );
}

#[test]
fn unexpected_semicolon_and_opening_brace() {
    // nginx: `env a;\r\n;\r\n` -> unexpected ";" in D/nginx.conf:2
    let (tree, error) = fails("env a;\r\n;\r\n");
    assert_eq!(tree, "\"env\" \"a\" @1\n");
    assert_eq!(error, "unexpected \";\" in /conf/nginx.conf:2");
    // nginx: `env a;\n\n  {\n` -> unexpected "{" in D/nginx.conf:3
    let (tree, error) = fails("env a;\n\n  {\n");
    assert_eq!(tree, "\"env\" \"a\" @1\n");
    assert_eq!(error, "unexpected \"{\" in /conf/nginx.conf:3");
}

#[test]
fn too_long_parameters() {
    let long = |prefix: &str, n: usize, suffix: &str| format!("{prefix}{}{suffix}", "a".repeat(n));
    // nginx: `env ` + 4095 x "a" + `;` -> syntax is ok; 4096 -> too long
    // parameter "aaaaaaaaaa..." started in D/nginx.conf:1
    assert!(parse(long("env ", 4095, ";\n").as_bytes()).error.is_none());
    assert_eq!(
        error_of(&long("env ", 4096, ";\n")),
        "too long parameter \"aaaaaaaaaa...\" started in /conf/nginx.conf:1"
    );
    // nginx: `env "` + 4094 x "a" + `";` -> ok; 4095 -> too long parameter
    // "aaaaaaaaaa..." started (the quote closed, the `;` did not fit);
    // 4096 -> too long parameter, probably missing terminating """ character
    assert!(
        parse(long("env \"", 4094, "\";\n").as_bytes())
            .error
            .is_none()
    );
    assert_eq!(
        error_of(&long("env \"", 4095, "\";\n")),
        "too long parameter \"aaaaaaaaaa...\" started in /conf/nginx.conf:1"
    );
    assert_eq!(
        error_of(&long("env \"", 4096, "\";\n")),
        "too long parameter, probably missing terminating \"\"\" character in /conf/nginx.conf:1"
    );
    // nginx: `foo '` + 5000 x "a" + `';` -> probably missing terminating "'"
    assert_eq!(
        error_of(&long("foo '", 5000, "';\n")),
        "too long parameter, probably missing terminating \"'\" character in /conf/nginx.conf:1"
    );
    // The buffer is counted from the word's start, wherever it falls in the
    // file. nginx: `env ` + 3000 x "b" + `;\nenv\n` + 4095 x "a" + `;` -> ok;
    // with 4096 -> too long parameter "aaaaaaaaaa..." started in :3 (the line
    // where the word started).
    let padded = |n: usize| format!("env {};\nenv\n{};\n", "b".repeat(3000), "a".repeat(n));
    assert!(parse(padded(4095).as_bytes()).error.is_none());
    assert_eq!(
        error_of(&padded(4096)),
        "too long parameter \"aaaaaaaaaa...\" started in /conf/nginx.conf:3"
    );
    // A long comment is a "parameter" too. nginx: `# ` + 5000 x "a" ->
    // too long parameter "# aaaaaaaa..." started in D/nginx.conf:1
    assert_eq!(
        error_of(&long("# ", 5000, "\nfoo;\n")),
        "too long parameter \"# aaaaaaaa...\" started in /conf/nginx.conf:1"
    );
    // Long runs of whitespace are not. nginx: `foo` + 5000 spaces + `bar;`
    // -> unknown directive "foo" in :1; 5000 newlines then `bar;` -> unknown
    // directive "bar" in :5001.
    assert_eq!(
        ok(&format!("foo{}bar;", " ".repeat(5000))),
        "\"foo\" \"bar\" @1\n"
    );
    assert_eq!(ok(&format!("{}bar;", "\n".repeat(5000))), "\"bar\" @5001\n");
}

// ------------------------------------------------------------------ -g ---

#[test]
fn command_line_parameters() {
    let prefix = Path::new("/conf/");
    let error = |text: &str| {
        parse_param(text.as_bytes(), prefix)
            .error
            .map(|e| e.to_string())
            .unwrap_or_default()
    };
    // nginx -g 'worker_processes 1' -> unexpected end of parameter,
    // expecting ";" in command line
    assert_eq!(
        error("worker_processes 1"),
        "unexpected end of parameter, expecting \";\" in command line"
    );
    assert_eq!(
        error("a \"b"),
        "unexpected end of parameter, expecting \";\" in command line"
    );
    // nginx -g 'events {}' and -g 'a b {' -> block directives are not
    // supported in -g option in command line
    assert_eq!(
        error("events {}"),
        "block directives are not supported in -g option in command line"
    );
    // nginx -g '}' -> unexpected "}" in command line; -g ';' -> unexpected ";"
    assert_eq!(error("}"), "unexpected \"}\" in command line");
    assert_eq!(error(";"), "unexpected \";\" in command line");
    // nginx -g 'a "b"c;' -> unexpected "c" in command line
    assert_eq!(error("a \"b\"c;"), "unexpected \"c\" in command line");
    // nginx -g 'worker_processes 1; worker_processes 2;' -> "worker_processes"
    // directive is duplicate in command line (both read).
    let parsed = parse_param(b"worker_processes 1; worker_processes 2;", prefix);
    assert!(parsed.error.is_none());
    assert_eq!(
        render(&parsed.directives),
        "\"worker_processes\" \"1\" @1\n\"worker_processes\" \"2\" @1\n"
    );
    assert!(parsed.directives[0].loc.file.is_none());
    assert_eq!(parsed.directives[0].loc.to_string(), "command line");
    // nginx -g '' -> nothing to do.
    let parsed = parse_param(b"", prefix);
    assert!(parsed.error.is_none() && parsed.directives.is_empty());
    // nginx -g 'a b; c' -> unknown directive "a" (the handler runs first);
    // the tree keeps `a b;` for the compiler.
    let parsed = parse_param(b"a b; c", prefix);
    assert_eq!(render(&parsed.directives), "\"a\" \"b\" @1\n");
    assert_eq!(
        parsed.error.map(|e| e.to_string()).unwrap_or_default(),
        "unexpected end of parameter, expecting \";\" in command line"
    );
}

// ---------------------------------------------------------- partial tree --

#[test]
fn the_tree_read_before_a_syntax_error_is_kept() {
    // nginx runs handlers while reading, so `worker_processes x;` on line 2
    // is reported before the syntax error on line 6: the compiler needs
    // everything before the error, with open blocks marked incomplete.
    let (tree, error) = fails(
        "events {}\nworker_processes x;\nhttp {\n  server {\n    listen 80;\n    return 200 \"a\"b;\n  }\n}\n",
    );
    assert_eq!(
        tree,
        r#""events" @1 {
} @1
"worker_processes" "x" @2
"http" @3 {
    "server" @4 {
        "listen" "80" @5
    } INCOMPLETE
} INCOMPLETE
"#
    );
    assert_eq!(error, "unexpected \"b\" in /conf/nginx.conf:6");
    let parsed = parse(b"a {\n b {\n  c;\n");
    let a = &parsed.directives[0];
    let a_block = a.block.as_ref().expect("a has a block");
    assert!(!a_block.is_complete());
    let b_block = a_block.directives[0].block.as_ref().expect("b has a block");
    assert!(!b_block.is_complete());
    assert_eq!(b_block.directives[0].name, "c");
}

#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    // nginx 1.22.1 accepts 12000 nested `location / {` and dies of a stack
    // overflow (SIGSEGV, no message) at 14000. rginx accepts MAX_BLOCK_DEPTH
    // levels and refuses the next one with a message.
    let nested = |n: usize| format!("{}{}", "a {\n".repeat(n), "}\n".repeat(n));
    assert!(parse(nested(MAX_BLOCK_DEPTH).as_bytes()).error.is_none());
    let (_, error) = fails(&nested(MAX_BLOCK_DEPTH + 1));
    assert_eq!(
        error,
        format!(
            "blocks nested more than {MAX_BLOCK_DEPTH} levels deep in /conf/nginx.conf:{}",
            MAX_BLOCK_DEPTH + 1
        )
    );
    // Far deeper than that, the parser still answers.
    let parsed = parse("a{".repeat(200_000).as_bytes());
    assert!(parsed.error.is_some());
}

// -------------------------------------------------------------- includes --

/// A scratch configuration directory: `files` are (relative path, contents).
fn conf_dir(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, contents) in files {
        let path = dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(path, contents).expect("write");
    }
    dir
}

fn parse_main(dir: &tempfile::TempDir) -> Parsed {
    parse_file(&dir.path().join("nginx.conf"), dir.path())
}

fn error_text(parsed: &Parsed, dir: &tempfile::TempDir) -> String {
    parsed
        .error
        .as_ref()
        .map(|e| e.to_string())
        .unwrap_or_default()
        .replace(&dir.path().display().to_string(), "D")
}

fn file_of(d: &Directive, dir: &tempfile::TempDir) -> String {
    d.loc
        .file
        .as_ref()
        .map(|f| f.display().to_string())
        .unwrap_or_default()
        .replace(&dir.path().display().to_string(), "D")
}

#[test]
fn includes_are_relative_to_the_conf_prefix() {
    // nginx: main `include sub/a.conf;`, sub/a.conf `include sub/b.conf;`,
    // sub/b.conf `b_conf;` -> unknown directive "b_conf" in D/sub/b.conf:1
    // (sub/b.conf, not sub/sub/b.conf: relative to the prefix).
    let dir = conf_dir(&[
        ("nginx.conf", b"before;\ninclude sub/a.conf;\nafter;\n"),
        ("sub/a.conf", b"\ninclude sub/b.conf;\n"),
        ("sub/b.conf", b"\n\nb_conf;\n"),
    ]);
    let parsed = parse_main(&dir);
    assert!(parsed.error.is_none(), "{:?}", parsed.error);
    assert_eq!(
        render(&parsed.directives),
        "\"before\" @1\n\"b_conf\" @3\n\"after\" @3\n"
    );
    assert_eq!(file_of(&parsed.directives[1], &dir), "D/sub/b.conf");
    assert_eq!(file_of(&parsed.directives[2], &dir), "D/nginx.conf");
    let files: Vec<String> = parsed
        .files
        .iter()
        .map(|f| {
            f.path
                .display()
                .to_string()
                .replace(&dir.path().display().to_string(), "D")
        })
        .collect();
    assert_eq!(files, ["D/nginx.conf", "D/sub/a.conf", "D/sub/b.conf"]);
}

#[test]
fn includes_inside_blocks_land_in_the_block() {
    let dir = conf_dir(&[
        ("nginx.conf", b"http {\n  include mime.types;\n  x;\n}\n"),
        ("mime.types", b"types {\n  text/html html;\n}\n"),
    ]);
    let parsed = parse_main(&dir);
    assert_eq!(
        render(&parsed.directives),
        r#""http" @1 {
    "types" @1 {
        "text/html" "html" @2
    } @3
    "x" @3
} @4
"#
    );
}

#[test]
fn glob_includes_are_sorted_bytewise_and_skip_dot_files() {
    // nginx: sub/{b,a,B,_}.conf with `worker_processes 1;` in B and _ ->
    // "worker_processes" directive is duplicate in D/sub/_.conf:1; in _ and a
    // -> duplicate in D/sub/a.conf:1: the order is B, _, a, b (bytes, not
    // locale). A `worker_processes 1;` in sub/.h.conf next to one in the main
    // file -> no error: `*` does not match a leading dot.
    let dir = conf_dir(&[
        ("nginx.conf", b"include sub/*.conf;\n"),
        ("sub/b.conf", b"b;"),
        ("sub/a.conf", b"a;"),
        ("sub/B.conf", b"B;"),
        ("sub/_.conf", b"_;"),
        ("sub/.h.conf", b"hidden;"),
        ("sub/c.txt", b"txt;"),
    ]);
    let parsed = parse_main(&dir);
    assert!(parsed.error.is_none(), "{:?}", parsed.error);
    assert_eq!(
        render(&parsed.directives),
        "\"B\" @1\n\"_\" @1\n\"a\" @1\n\"b\" @1\n"
    );
}

#[test]
fn glob_patterns_follow_glob3() {
    // nginx: `include sub/*/a.conf;` with sub/d1/, sub/d2/a.conf and a file
    // sub/f -> reads D/sub/d2/a.conf only.
    // nginx: `include sub/a\\*.conf;` (an escaped star) with files `a*.conf`
    // and `ab.conf` -> reads D/sub/a*.conf only.
    // nginx: `include sub/[x.conf;` (unclosed bracket) -> reads D/sub/[x.conf.
    // nginx: `include sub/[!a-c]?.conf;` -> reads D/sub/[x.conf again (a
    // `worker_processes 1;` in it -> "is duplicate in D/sub/[x.conf:1"), then
    // D/sub/dz.conf (-T lists d2/a.conf, a*.conf, [x.conf, dz.conf).
    let dir = conf_dir(&[
        (
            "nginx.conf",
            b"include sub/*/a.conf;\ninclude sub/a\\\\*.conf;\ninclude sub/[x.conf;\ninclude sub/[!a-c]?.conf;\n",
        ),
        ("sub/d1/b.conf", b"no;"),
        ("sub/d2/a.conf", b"d2;"),
        ("sub/f", b"no;"),
        ("sub/a*.conf", b"star;"),
        ("sub/ab.conf", b"ab;"),
        ("sub/[x.conf", b"bracket;"),
        ("sub/dz.conf", b"dz;"),
    ]);
    let parsed = parse_main(&dir);
    assert!(parsed.error.is_none(), "{:?}", parsed.error);
    assert_eq!(
        render(&parsed.directives),
        "\"d2\" @1\n\"star\" @1\n\"bracket\" @1\n\"bracket\" @1\n\"dz\" @1\n"
    );
}

#[test]
fn glob_brackets_classes_and_dot_entries() {
    // nginx -T with sub/{1.conf,2a.conf,a1.conf,b],bx.conf,b-} and
    // `include sub/[[:digit:]]*.conf; include sub/?[]x-]*;` lists 1.conf,
    // 2a.conf, b-, b], bx.conf.
    let dir = conf_dir(&[
        (
            "nginx.conf",
            b"include sub/[[:digit:]]*.conf;\ninclude sub/?[]x-]*;\n",
        ),
        ("sub/1.conf", b"one;"),
        ("sub/2a.conf", b"two_a;"),
        ("sub/a1.conf", b"a_one;"),
        ("sub/b]", b"b_bracket;"),
        ("sub/bx.conf", b"b_x;"),
        ("sub/b-", b"b_dash;"),
    ]);
    let parsed = parse_main(&dir);
    assert!(parsed.error.is_none(), "{:?}", parsed.error);
    assert_eq!(
        render(&parsed.directives),
        "\"one\" @1\n\"two_a\" @1\n\"b_dash\" @1\n\"b_bracket\" @1\n\"b_x\" @1\n"
    );
    // nginx: `include sub/.*;` -> [crit] pread() "D/sub/." failed (21: Is a
    // directory): a pattern starting with a dot matches `.` and `..` too.
    let dir = conf_dir(&[("nginx.conf", b"include sub/.*;\n"), ("sub/.h", b"h;")]);
    assert_eq!(
        error_text(&parse_main(&dir), &dir),
        "pread() \"D/sub/.\" failed (21: Is a directory)"
    );
}

#[test]
fn an_empty_glob_is_fine_and_a_missing_file_is_not() {
    // nginx: `include sub/*.conf;\ninclude nothere.conf;` with sub/ empty ->
    // open() "D/nothere.conf" failed (2: No such file or directory) in
    // D/nginx.conf:2
    let dir = conf_dir(&[(
        "nginx.conf",
        b"a;\ninclude sub/*.conf;\ninclude nothere.conf;\nb;\n",
    )]);
    std::fs::create_dir(dir.path().join("sub")).expect("mkdir");
    let parsed = parse_main(&dir);
    assert_eq!(render(&parsed.directives), "\"a\" @1\n");
    assert_eq!(
        error_text(&parsed, &dir),
        "open() \"D/nothere.conf\" failed (2: No such file or directory) in D/nginx.conf:3"
    );
}

#[test]
fn a_missing_main_file_is_reported_without_a_place() {
    // nginx -c D/nonexist.conf -> open() "D/nonexist.conf" failed (2: No
    // such file or directory)
    let dir = conf_dir(&[]);
    let parsed = parse_main(&dir);
    assert_eq!(
        error_text(&parsed, &dir),
        "open() \"D/nginx.conf\" failed (2: No such file or directory)"
    );
}

#[test]
fn including_a_directory_fails_at_read() {
    // nginx: `include sub/*;` matching a directory sub/d.conf -> [crit]
    // pread() "D/sub/d.conf" failed (21: Is a directory); `include "";` ->
    // pread() "D/" failed (21: Is a directory). No place is printed.
    let dir = conf_dir(&[("nginx.conf", b"include sub/*;\n")]);
    std::fs::create_dir_all(dir.path().join("sub/d.conf")).expect("mkdir");
    assert_eq!(
        error_text(&parse_main(&dir), &dir),
        "pread() \"D/sub/d.conf\" failed (21: Is a directory)"
    );
    let dir = conf_dir(&[("nginx.conf", b"include \"\";\n")]);
    assert_eq!(
        error_text(&parse_main(&dir), &dir),
        "pread() \"D/\" failed (21: Is a directory)"
    );
}

#[test]
fn include_cycles_are_refused() {
    // nginx: nginx.conf `include a.conf;`, a.conf `include nginx.conf;` ->
    // killed by SIGSEGV (exit 139), nothing printed. rginx names the cycle.
    let dir = conf_dir(&[
        ("nginx.conf", b"x;\ninclude a.conf;\n"),
        ("a.conf", b"y;\n\ninclude nginx.conf;\n"),
    ]);
    let parsed = parse_main(&dir);
    assert_eq!(render(&parsed.directives), "\"x\" @1\n\"y\" @1\n");
    assert_eq!(
        error_text(&parsed, &dir),
        "include cycle: \"D/nginx.conf\" -> \"D/a.conf\" -> \"D/nginx.conf\" in D/a.conf:3"
    );
    // A file including itself, through a glob and another spelling.
    let dir = conf_dir(&[
        ("nginx.conf", b""),
        ("s/self.conf", b"include s/./*.conf;\n"),
    ]);
    std::fs::write(dir.path().join("nginx.conf"), b"include s/self.conf;\n").expect("write");
    let parsed = parse_main(&dir);
    assert_eq!(
        error_text(&parsed, &dir),
        "include cycle: \"D/s/self.conf\" -> \"D/s/./self.conf\" in D/s/self.conf:1"
    );
    // The same file twice, not nested, is no cycle.
    let dir = conf_dir(&[
        ("nginx.conf", b"include a.conf;\ninclude a.conf;\n"),
        ("a.conf", b"a;\n"),
    ]);
    let parsed = parse_main(&dir);
    assert!(parsed.error.is_none());
    assert_eq!(render(&parsed.directives), "\"a\" @1\n\"a\" @1\n");
}

#[test]
fn syntax_errors_in_included_files_name_that_file() {
    // nginx: main `include inc.conf;`, inc.conf `worker_processes 1;\n}` ->
    // unexpected "}" in D/inc.conf:2 (an included file is not a block, even
    // when included inside one).
    let dir = conf_dir(&[
        ("nginx.conf", b"events {\n  include inc.conf;\n}\n"),
        ("inc.conf", b"worker_processes 1;\n}\n"),
    ]);
    let parsed = parse_main(&dir);
    assert_eq!(
        render(&parsed.directives),
        "\"events\" @1 {\n    \"worker_processes\" \"1\" @1\n} INCOMPLETE\n"
    );
    assert_eq!(
        error_text(&parsed, &dir),
        "unexpected \"}\" in D/inc.conf:2"
    );
    // nginx: inc.conf `events {\n  worker_connections 10;\n\n` -> unexpected
    // end of file, expecting "}" in D/inc.conf:4
    let dir = conf_dir(&[
        ("nginx.conf", b"include inc.conf;\n}\n"),
        ("inc.conf", b"events {\n  worker_connections 10;\n\n"),
    ]);
    let parsed = parse_main(&dir);
    assert_eq!(
        error_text(&parsed, &dir),
        "unexpected end of file, expecting \"}\" in D/inc.conf:4"
    );
    assert_eq!(
        render(&parsed.directives),
        "\"events\" @1 {\n    \"worker_connections\" \"10\" @2\n} INCOMPLETE\n"
    );
}

#[test]
fn an_include_name_ends_at_a_nul_byte() {
    // nginx: `include "a.conf<NUL>junk";` with a.conf `a_conf;` -> unknown
    // directive "a_conf" in D/a.conf:1 (the name is a C string).
    let dir = conf_dir(&[
        ("nginx.conf", b"include \"a.conf\0junk\";\n"),
        ("a.conf", b"a_conf;\n"),
    ]);
    let parsed = parse_main(&dir);
    assert!(parsed.error.is_none(), "{:?}", parsed.error);
    assert_eq!(render(&parsed.directives), "\"a_conf\" @1\n");
    assert_eq!(file_of(&parsed.directives[0], &dir), "D/a.conf");
}

#[test]
fn include_inside_blocks_with_their_own_reader() {
    // In these blocks nginx hands every entry to the module's reader.
    // nginx: `types { include p*.conf; }` with p.conf `text/x xx; text/y
    // xx;` -> [warn] duplicate extension "xx" ... in D/p.conf:1 (globbed);
    // `map $uri $m { include p*.conf; }` -> syntax is ok (globbed).
    let dir = conf_dir(&[
        (
            "nginx.conf",
            b"types { include p*.conf; }\nmap $uri $m { include p*.conf; }\n",
        ),
        ("p.conf", b"x y;\n"),
    ]);
    let parsed = parse_main(&dir);
    assert!(parsed.error.is_none(), "{:?}", parsed.error);
    assert_eq!(
        render(&parsed.directives),
        r#""types" @1 {
    "x" "y" @1
} @1
"map" "$uri" "$m" @2 {
    "x" "y" @1
} @2
"#
    );
    // nginx: `geo $g { include p*.conf; 1.2.3.4 c; }` with a file literally
    // named `p*.conf` holding `1.2.3.4 b;` -> [warn] duplicate network
    // "1.2.3.4", value: "c", old value: "b": geo opens the name as written;
    // without that file -> open() "D/p*.conf" failed (2: No such file or
    // directory) in D/nginx.conf:2, even though p.conf exists.
    let dir = conf_dir(&[
        ("nginx.conf", b"geo $g { include p*.conf; 1.2.3.4 c; }\n"),
        ("p*.conf", b"1.2.3.4 b;\n"),
        ("p.conf", b"other;\n"),
    ]);
    let parsed = parse_main(&dir);
    assert!(parsed.error.is_none(), "{:?}", parsed.error);
    assert_eq!(
        render(&parsed.directives),
        "\"geo\" \"$g\" @1 {\n    \"1.2.3.4\" \"b\" @1\n    \"1.2.3.4\" \"c\" @1\n} @1\n"
    );
    let dir = conf_dir(&[
        ("nginx.conf", b"events {}\ngeo $g { include p*.conf; }\n"),
        ("p.conf", b"other;\n"),
    ]);
    assert_eq!(
        error_text(&parse_main(&dir), &dir),
        "open() \"D/p*.conf\" failed (2: No such file or directory) in D/nginx.conf:2"
    );
    // nginx: `split_clients $remote_addr $v { include p.conf; * b; }` ->
    // invalid percent value "include"; `charset_map koi8-r utf-8 { include
    // p.conf; }` -> invalid value "include". Not includes: entries, kept.
    let dir = conf_dir(&[
        (
            "nginx.conf",
            b"split_clients $remote_addr $v { include p.conf; * b; }\ncharset_map koi8-r utf-8 { include p.conf; }\n",
        ),
        ("p.conf", b"50% a;\n"),
    ]);
    let parsed = parse_main(&dir);
    assert!(parsed.error.is_none(), "{:?}", parsed.error);
    assert_eq!(
        render(&parsed.directives),
        r#""split_clients" "$remote_addr" "$v" @1 {
    "include" "p.conf" @1
    "*" "b" @1
} @1
"charset_map" "koi8-r" "utf-8" @2 {
    "include" "p.conf" @2
} @2
"#
    );
}

#[test]
fn include_with_other_arities_is_left_to_the_compiler() {
    // nginx: `include a b;` -> invalid number of arguments in "include"
    // directive; `include a {` -> directive "include" is not terminated by
    // ";". Both need the directive table, so the parser keeps them as they are.
    assert_eq!(ok("include a b;"), "\"include\" \"a\" \"b\" @1\n");
    assert_eq!(ok("include a {}"), "\"include\" \"a\" @1 {\n} @1\n");
}
