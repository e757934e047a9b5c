//! `cargo xtask`: the project's developer tasks: `bench` (rginx against
//! nginx, side by side) and `soak` (reloads under load).

mod bench;
mod soak;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("bench") => bench::main(&args[1..]),
        Some("soak") => soak::main(&args[1..]),
        _ => Err("usage: cargo xtask bench [--help] | cargo xtask soak [--help]".to_string()),
    };
    if let Err(e) = result {
        eprintln!("{e}");
        std::process::exit(1);
    }
}
