//! Location and server-name lookup cost on large configurations: the
//! prefix trie keeps a lookup proportional to the URI, not to the number of
//! locations (compare 10, 100 and 1000 locations).

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use rginx_conf::parse_bytes;
use rginx_http::http_core::find_location;
use rginx_http::{CompileOptions, Config, compile};
use std::hint::black_box;
use std::path::Path;

fn config(locations: usize, servers: usize) -> Config {
    let mut text = String::from("events {}\nhttp {\n");
    for s in 0..servers {
        text.push_str(&format!(
            "server {{ listen 127.0.0.1:18000; server_name s{s}.example.com *.w{s}.example.org; \n"
        ));
        if s == 0 {
            for l in 0..locations {
                text.push_str(&format!("location /app{l}/section/ {{ }}\n"));
            }
            text.push_str("location ~ \\.php$ { }\n");
        }
        text.push_str("}\n");
    }
    text.push_str("}\n");
    let parsed = parse_bytes(text.as_bytes(), Path::new("/bench/nginx.conf"));
    let options = CompileOptions {
        prefix: "/bench/".into(),
        conf_file: "/bench/nginx.conf".into(),
        conf_prefix: "/bench/".into(),
        is_root: true,
    };
    match compile(&parsed, None, options) {
        Ok(config) => config,
        Err(failure) => panic!("bench config: {}", failure.error),
    }
}

fn locations(c: &mut Criterion) {
    let mut group = c.benchmark_group("location_lookup");
    for count in [10, 100, 1000] {
        let config = config(count, 1);
        let http = config.http.as_ref().expect("http block");
        let server = &http.servers[0];
        let uri = format!("/app{}/section/page.html", count / 2).into_bytes();
        group.bench_with_input(BenchmarkId::from_parameter(count), &uri, |b, uri| {
            b.iter(|| find_location::find(&server.locations, &server.index, black_box(uri)))
        });
    }
    group.finish();
}

fn server_names(c: &mut Criterion) {
    let mut group = c.benchmark_group("server_name_lookup");
    for count in [10, 100, 1000] {
        let config = config(1, count);
        let http = config.http.as_ref().expect("http block");
        let names = &http.addresses[0].names;
        let host = format!("x.w{}.example.org", count / 2).into_bytes();
        group.bench_with_input(BenchmarkId::from_parameter(count), &host, |b, host| {
            b.iter(|| names.find(black_box(host)))
        });
    }
    group.finish();
}

criterion_group!(benches, locations, server_names);
criterion_main!(benches);
