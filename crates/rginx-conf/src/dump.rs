//! Writing configuration back out: `-T` (the files exactly as read) and the
//! tree as text (quoted so that reading it again gives the same tree).

use crate::ast::Directive;
use crate::parser::SourceFile;
use std::os::unix::ffi::OsStrExt;

/// nginx's `-T` output: for each file, in the order first read, the line
/// `# configuration file PATH:`, the bytes of the file, then one newline
/// (so a file that ends with a newline is followed by a blank line, and one
/// that does not is not). A file read twice is shown once: nginx keys its dump
/// on the name as written after prefixing, so `a.conf` and `./a.conf` are two
/// files to it, and to us.
pub fn dump_files(files: &[SourceFile]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut seen: Vec<&[u8]> = Vec::new();
    for file in files {
        let name = file.path.as_os_str().as_bytes();
        if seen.contains(&name) {
            continue;
        }
        seen.push(name);
        out.extend_from_slice(b"# configuration file ");
        out.extend_from_slice(name);
        out.extend_from_slice(b":\n");
        out.extend_from_slice(&file.contents);
        out.push(b'\n');
    }
    out
}

/// The tree as configuration text, one directive per line, blocks indented by
/// four spaces. Words made only of plain bytes are written bare; any other is
/// double-quoted with `"` and `\` escaped, which the tokenizer reads back to
/// exactly the same bytes (inside double quotes only `"` and `\` are special;
/// `$`, `{`, `}`, `;`, `#`, quotes and newlines are literal).
///
/// Two things cannot be written so that they read back the same: a directive
/// named `include` with one argument and no block (reading it includes the
/// file, except inside `split_clients` and `charset_map`), and a word whose
/// quoted form does not fit nginx's 4096-byte buffer (`too long parameter`).
pub fn to_text(directives: &[Directive]) -> Vec<u8> {
    let mut out = Vec::new();
    // Explicit stack instead of recursion: the tree can be as deep as the
    // parser allows.
    let mut stack: Vec<std::slice::Iter<'_, Directive>> = vec![directives.iter()];
    while let Some(level) = stack.last_mut() {
        let Some(directive) = level.next() else {
            stack.pop();
            if !stack.is_empty() {
                indent(stack.len() - 1, &mut out);
                out.extend_from_slice(b"}\n");
            }
            continue;
        };
        indent(stack.len() - 1, &mut out);
        write_word(directive.name.as_bytes(), &mut out);
        for arg in &directive.args {
            out.push(b' ');
            write_word(arg.as_bytes(), &mut out);
        }
        match &directive.block {
            None => out.extend_from_slice(b";\n"),
            Some(block) => {
                out.extend_from_slice(b" {\n");
                stack.push(block.directives.iter());
            }
        }
    }
    out
}

fn indent(depth: usize, out: &mut Vec<u8>) {
    out.extend(std::iter::repeat_n(b' ', depth * 4));
}

/// Bytes that mean nothing to the tokenizer anywhere in a word. Everything
/// else (whitespace, `;`, `{`, `}`, quotes, `\`, `#`, control and non-ASCII
/// bytes) makes the word quoted, so that no rule about a word's first byte, a
/// `$` before `{` or an escape can apply.
fn is_plain(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"_-./:*~^=+,@%!?&|<>[]()$".contains(&b)
}

fn write_word(word: &[u8], out: &mut Vec<u8>) {
    if !word.is_empty() && word.iter().all(|&b| is_plain(b)) {
        out.extend_from_slice(word);
        return;
    }
    out.push(b'"');
    for &b in word {
        if b == b'"' || b == b'\\' {
            out.push(b'\\');
        }
        out.push(b);
    }
    out.push(b'"');
}
