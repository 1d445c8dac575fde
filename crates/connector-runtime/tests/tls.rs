//! TLS against a real handshake on loopback: a private CA bundle is trusted, an unknown
//! one is refused, the minimum protocol version holds, and an mTLS client identity is
//! presented. Certificates are made at test time with rcgen.
#![allow(missing_docs)]

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::fast_retry;
use connector_runtime::{Client, ErrorCode, TlsConfig, TlsVersion};
use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

struct Pki {
    ca_pem: String,
    ca_der: CertificateDer<'static>,
    server_cert: CertificateDer<'static>,
    server_key: Vec<u8>,
    client_identity_pem: String,
}

fn pki() -> Pki {
    let ca_key = KeyPair::generate().expect("CA key");
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = ca_params.self_signed(&ca_key).expect("CA cert");

    let server_key = KeyPair::generate().expect("server key");
    let server = CertificateParams::new(vec!["127.0.0.1".to_owned(), "localhost".to_owned()])
        .expect("server params")
        .signed_by(&server_key, &ca, &ca_key)
        .expect("server cert");

    let client_key = KeyPair::generate().expect("client key");
    let client = CertificateParams::new(vec!["client.test".to_owned()])
        .expect("client params")
        .signed_by(&client_key, &ca, &ca_key)
        .expect("client cert");

    Pki {
        ca_pem: ca.pem(),
        ca_der: ca.der().clone(),
        server_cert: server.der().clone(),
        server_key: server_key.serialize_der(),
        client_identity_pem: format!("{}{}", client.pem(), client_key.serialize_pem()),
    }
}

struct Server {
    url: String,
    /// Handshakes completed with a client certificate.
    with_client_cert: Arc<AtomicUsize>,
}

/// Serve `200 {}` over TLS with the given protocol versions, optionally requiring a
/// client certificate signed by the CA.
async fn serve(
    pki: &Pki,
    versions: &[&'static rustls::SupportedProtocolVersion],
    mtls: bool,
) -> Server {
    let ok = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}";
    serve_answering(pki, versions, mtls, ok.to_vec()).await
}

/// [`serve`] answering every request with the raw HTTP `answer`.
async fn serve_answering(
    pki: &Pki,
    versions: &[&'static rustls::SupportedProtocolVersion],
    mtls: bool,
    answer: Vec<u8>,
) -> Server {
    let answer = Arc::new(answer);
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ServerConfig::builder_with_provider(provider.clone())
        .with_protocol_versions(versions)
        .expect("versions");
    let builder = if mtls {
        let mut roots = rustls::RootCertStore::empty();
        roots.add(pki.ca_der.clone()).expect("CA root");
        let verifier =
            rustls::server::WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
                .build()
                .expect("client verifier");
        builder.with_client_cert_verifier(verifier)
    } else {
        builder.with_no_client_auth()
    };
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(pki.server_key.clone()));
    let config = builder
        .with_single_cert(vec![pki.server_cert.clone()], key)
        .expect("server config");
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let with_client_cert = Arc::new(AtomicUsize::new(0));
    let counter = with_client_cert.clone();
    tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            let acceptor = acceptor.clone();
            let counter = counter.clone();
            let answer = answer.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                if tls
                    .get_ref()
                    .1
                    .peer_certificates()
                    .is_some_and(|c| !c.is_empty())
                {
                    counter.fetch_add(1, Ordering::SeqCst);
                }
                let mut head = Vec::new();
                let mut buf = [0u8; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                let _ = tls.write_all(&answer).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    Server {
        url: format!("https://127.0.0.1:{port}"),
        with_client_cert,
    }
}

fn client(url: &str, tls: TlsConfig) -> Client {
    Client::builder(url)
        .tls(tls)
        .retry(fast_retry(1))
        .build()
        .expect("client builds")
}

fn trusting(pki: &Pki) -> TlsConfig {
    TlsConfig {
        ca_pem: vec![pki.ca_pem.clone().into_bytes()],
        only_custom_roots: true,
        ..TlsConfig::default()
    }
}

#[tokio::test]
async fn custom_ca_bundle_is_trusted_and_unknown_issuer_is_refused() {
    let pki = pki();
    let server = serve(
        &pki,
        &[&rustls::version::TLS13, &rustls::version::TLS12],
        false,
    )
    .await;

    let ok = client(&server.url, trusting(&pki)).get("/ping").await;
    assert!(ok.is_ok(), "the private CA is trusted: {ok:?}");

    let err = client(&server.url, TlsConfig::default())
        .get("/ping")
        .await
        .expect_err("a certificate from an unknown CA is refused");
    assert_eq!(err.code, ErrorCode::NetworkError, "{err}");
}

#[tokio::test]
async fn minimum_tls_version_refuses_an_older_server() {
    let pki = pki();
    let tls12_only = serve(&pki, &[&rustls::version::TLS12], false).await;

    let at_least_13 = TlsConfig {
        min_version: Some(TlsVersion::Tls13),
        ..trusting(&pki)
    };
    let err = client(&tls12_only.url, at_least_13)
        .get("/ping")
        .await
        .expect_err("a TLS 1.2-only server is refused when 1.3 is the minimum");
    assert_eq!(err.code, ErrorCode::NetworkError, "{err}");

    let at_least_12 = TlsConfig {
        min_version: Some(TlsVersion::Tls12),
        ..trusting(&pki)
    };
    let ok = client(&tls12_only.url, at_least_12).get("/ping").await;
    assert!(
        ok.is_ok(),
        "TLS 1.2 is accepted when it is the minimum: {ok:?}"
    );
}

#[tokio::test]
async fn mtls_client_identity_is_presented_and_required() {
    let pki = pki();
    let server = serve(
        &pki,
        &[&rustls::version::TLS13, &rustls::version::TLS12],
        true,
    )
    .await;

    let anonymous = client(&server.url, trusting(&pki)).get("/ping").await;
    assert!(
        anonymous.is_err(),
        "the server requires a client certificate"
    );
    assert_eq!(server.with_client_cert.load(Ordering::SeqCst), 0);

    let with_identity = TlsConfig {
        identity_pem: Some(pki.client_identity_pem.clone().into()),
        ..trusting(&pki)
    };
    let ok = client(&server.url, with_identity).get("/ping").await;
    assert!(ok.is_ok(), "the client identity is accepted: {ok:?}");
    assert_eq!(server.with_client_cert.load(Ordering::SeqCst), 1);
    let shown = format!(
        "{:?}",
        TlsConfig {
            identity_pem: Some(pki.client_identity_pem.clone().into()),
            ..TlsConfig::default()
        }
    );
    assert!(
        !shown.contains("PRIVATE KEY"),
        "the identity never appears in Debug: {shown}"
    );
}

#[tokio::test]
async fn https_to_http_redirect_is_refused() {
    let plain = common::FaultServer::scripted(vec![common::Action::json(200, "{}")]).await;
    let pki = pki();
    let answer = format!(
        "HTTP/1.1 302 Found\r\nlocation: {}/landing\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
        plain.url
    );
    let server =
        serve_answering(&pki, &[&rustls::version::TLS13], false, answer.into_bytes()).await;
    let c = Client::builder(&server.url)
        .tls(trusting(&pki))
        .retry(fast_retry(1))
        .auth(connector_runtime::Auth::bearer("bearer-secret"))
        .build()
        .expect("client builds");
    let err = c.get("/start").await.expect_err("downgrade refused");
    assert_eq!(err.status, Some(302));
    assert!(err.message.contains("https to http"), "{err}");
    assert_eq!(plain.hits(), 0, "nothing was sent in clear text");
}
