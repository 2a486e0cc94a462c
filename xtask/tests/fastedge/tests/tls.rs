//! HTTPS with each TLS feature: a local TLS server with a certificate made
//! for the test, trusted through `ClientBuilder::add_root_certificate`; and,
//! without a TLS feature, a clear error for an `https` base URL. Run by the
//! test suite once per feature set (`rustls`, `rustls-aws-lc-rs`,
//! `native-tls`, none).

use fastedge_api::{Client, ConfigError};

#[cfg(feature = "__tls")]
mod server {
    use std::sync::Arc;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;
    use tokio_rustls::TlsAcceptor;
    use tokio_rustls::rustls::ServerConfig;
    use tokio_rustls::rustls::crypto::ring;
    use tokio_rustls::rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};

    /// A TLS server for `localhost` that answers every request with `body`
    /// as JSON; returns its URL and the certificate (PEM) to trust.
    pub async fn start(body: &'static str) -> (String, String) {
        let certified = rcgen::generate_simple_self_signed(vec!["localhost".to_string()])
            .expect("test certificate");
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(
            certified.signing_key.serialize_der(),
        ));
        let config = ServerConfig::builder_with_provider(Arc::new(ring::default_provider()))
            .with_safe_default_protocol_versions()
            .expect("protocol versions")
            .with_no_client_auth()
            .with_single_cert(vec![certified.cert.der().clone()], key)
            .expect("server certificate");
        let acceptor = TlsAcceptor::from(Arc::new(config));
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("address").port();
        tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    let Ok(mut tls) = acceptor.accept(tcp).await else {
                        return;
                    };
                    // Read the request head (no body for a GET).
                    let mut head = Vec::new();
                    let mut buf = [0u8; 1024];
                    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                        match tls.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => head.extend_from_slice(&buf[..n]),
                        }
                    }
                    let response = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                         content-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = tls.write_all(response.as_bytes()).await;
                    let _ = tls.shutdown().await;
                });
            }
        });
        (format!("https://localhost:{port}"), certified.cert.pem())
    }
}

#[cfg(feature = "__tls")]
#[tokio::test]
async fn an_https_request_reaches_a_server_trusted_through_the_builder() {
    use fastedge_api::reqwest::Certificate;

    let app =
        r#"{"id":1,"name":"app-1","status":1,"binary":12,"api_type":"wasi-http","plan_id":1}"#;
    let (url, pem) = server::start(app).await;
    let client = Client::builder()
        .api_key("test-key")
        .base_url(&url)
        .add_root_certificate(Certificate::from_pem(pem.as_bytes()).expect("PEM"))
        .max_retries(0)
        .build()
        .expect("client");
    let got = client.get_app(1).await.expect("HTTPS request");
    assert_eq!(got.name.as_deref(), Some("app-1"));

    // Without the certificate, the same server is not trusted.
    let untrusting = Client::builder()
        .api_key("test-key")
        .base_url(&url)
        .max_retries(0)
        .build()
        .expect("client");
    let err = untrusting.get_app(1).await.unwrap_err();
    assert!(matches!(err, fastedge_api::Error::Transport(_)), "{err:?}");
}

#[cfg(not(feature = "__tls"))]
#[test]
fn without_tls_an_https_base_url_is_a_config_error() {
    let err = Client::builder()
        .api_key("test-key")
        .base_url("https://api.gcore.com")
        .build()
        .unwrap_err();
    assert!(matches!(err, ConfigError::TlsUnavailable { .. }), "{err:?}");
    assert!(err.to_string().contains("`rustls`"), "{err}");
    // Plain HTTP still works (tests, a local proxy).
    Client::builder()
        .api_key("test-key")
        .base_url("http://localhost:8080")
        .build()
        .expect("an http client");
}

#[test]
fn the_default_base_url_is_https() {
    // What `TlsUnavailable` guards: the spec's server needs TLS.
    let built = Client::builder().api_key("test-key").build();
    if cfg!(feature = "__tls") {
        assert!(built.expect("client").base_url().starts_with("https://"));
    } else {
        assert!(matches!(built, Err(ConfigError::TlsUnavailable { .. })));
    }
}
