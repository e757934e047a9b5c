//! The built-in variables rginx provides, by nginx's names.

macro_rules! builtins {
    ($($variant:ident => $name:literal,)*) => {
        /// A variable nginx's core (or a core-like module) provides.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Builtin {
            $($variant,)*
        }

        impl Builtin {
            pub const ALL: &'static [Builtin] = &[$(Builtin::$variant,)*];

            /// The variable for a (lowercase) name.
            pub fn from_name(name: &str) -> Option<Builtin> {
                match name {
                    $($name => Some(Builtin::$variant),)*
                    _ => None,
                }
            }

            pub fn name(self) -> &'static str {
                match self {
                    $(Builtin::$variant => $name,)*
                }
            }
        }
    };
}

builtins! {
    Host => "host",
    HttpHost => "http_host",
    RemoteAddr => "remote_addr",
    BinaryRemoteAddr => "binary_remote_addr",
    RemotePort => "remote_port",
    RemoteUser => "remote_user",
    RealipRemoteAddr => "realip_remote_addr",
    RealipRemotePort => "realip_remote_port",
    ProxyProtocolAddr => "proxy_protocol_addr",
    ProxyProtocolPort => "proxy_protocol_port",
    ProxyProtocolServerAddr => "proxy_protocol_server_addr",
    ProxyProtocolServerPort => "proxy_protocol_server_port",
    ServerAddr => "server_addr",
    ServerPort => "server_port",
    ServerName => "server_name",
    ServerProtocol => "server_protocol",
    Scheme => "scheme",
    Https => "https",
    SslProtocol => "ssl_protocol",
    SslCipher => "ssl_cipher",
    SslServerName => "ssl_server_name",
    SslSessionReused => "ssl_session_reused",
    SslAlpnProtocol => "ssl_alpn_protocol",
    SslClientVerify => "ssl_client_verify",
    SslClientSDn => "ssl_client_s_dn",
    SslClientIDn => "ssl_client_i_dn",
    Http2 => "http2",
    Request => "request",
    RequestUri => "request_uri",
    Uri => "uri",
    DocumentUri => "document_uri",
    RequestMethod => "request_method",
    Args => "args",
    QueryString => "query_string",
    IsArgs => "is_args",
    ContentType => "content_type",
    ContentLength => "content_length",
    DocumentRoot => "document_root",
    RealpathRoot => "realpath_root",
    RequestFilename => "request_filename",
    RequestLength => "request_length",
    RequestTime => "request_time",
    RequestId => "request_id",
    RequestCompletion => "request_completion",
    Status => "status",
    BodyBytesSent => "body_bytes_sent",
    BytesSent => "bytes_sent",
    Connection => "connection",
    ConnectionRequests => "connection_requests",
    ConnectionTime => "connection_time",
    Msec => "msec",
    TimeLocal => "time_local",
    TimeIso8601 => "time_iso8601",
    Hostname => "hostname",
    Pid => "pid",
    NginxVersion => "nginx_version",
    LimitRate => "limit_rate",
    ProxyAddXForwardedFor => "proxy_add_x_forwarded_for",
    ProxyHost => "proxy_host",
    ProxyPort => "proxy_port",
    UpstreamAddr => "upstream_addr",
    UpstreamStatus => "upstream_status",
    UpstreamResponseTime => "upstream_response_time",
    UpstreamConnectTime => "upstream_connect_time",
    UpstreamHeaderTime => "upstream_header_time",
    UpstreamResponseLength => "upstream_response_length",
    UpstreamBytesReceived => "upstream_bytes_received",
    UpstreamBytesSent => "upstream_bytes_sent",
    InvalidReferer => "invalid_referer",
    ConnectionsActive => "connections_active",
    ConnectionsReading => "connections_reading",
    ConnectionsWriting => "connections_writing",
    ConnectionsWaiting => "connections_waiting",
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for builtin in Builtin::ALL {
            assert_eq!(Builtin::from_name(builtin.name()), Some(*builtin));
        }
        assert_eq!(Builtin::from_name("nope"), None);
    }
}
