//! split_clients buckets equal nginx's: the expected buckets below were
//! recorded from nginx 1.22 with the same block and keys.

mod common;
use common::{body, exchange, serve};

#[test]
fn buckets_match_nginx() {
    serve(
        r#"
events {}
http {
  split_clients "${arg_k}salt" $bucket { 10% a; 20.5% b; 0.25% c; * d; }
  server { listen 127.0.0.1:19541; location / { return 200 "$bucket"; } }
}
"#,
        &[],
    );
    let recorded = "0=d 1=d 2=d 3=d 4=b 5=d 6=d 7=b 8=d 9=c 10=d 11=d 12=d 13=d 14=d 15=d \
                    16=d 17=a 18=d 19=b alpha=d beta=b gamma=d delta=a x=d y=d z=d \
                    192.168.1.1=d 10.0.0.7=b abc=d";
    for pair in recorded.split_whitespace() {
        let (key, bucket) = pair.split_once('=').unwrap();
        let response = exchange(
            19541,
            format!("GET /?k={key} HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").as_bytes(),
        );
        assert_eq!(body(&response), bucket, "key {key}");
    }
}
