//! Test helpers: the one runner of the real binary ([`bin`]), fixture web servers on
//! 127.0.0.1 (ephemeral ports, one per site or shared by host name through `--resolve`), a
//! request log to assert on, and a runner for `govscore crawl` that returns the crawl log's
//! events.

#![allow(dead_code)]

pub mod bin;
pub mod portal;
pub mod results;

// Each test file uses some of these; none uses them all.
#[allow(unused_imports)]
pub use bin::{Outcome, finish, govscore, govscore_cmd, govscore_in, govscore_path};

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{HeaderMap, Request, Response, StatusCode};
use serde_json::Value;

/// What a route answers.
#[derive(Clone)]
pub enum Reply {
    Page {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Waits, then answers.
    Slow(Duration, Box<Reply>),
    /// The n-th request gets the n-th reply; the last one repeats.
    Sequence(Vec<Reply>),
}

impl Reply {
    pub fn html(body: &str) -> Self {
        Reply::Page {
            status: 200,
            headers: vec![("content-type".into(), "text/html; charset=utf-8".into())],
            body: body.as_bytes().to_vec(),
        }
    }

    pub fn bytes(status: u16, content_type: &str, body: Vec<u8>) -> Self {
        Reply::Page {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            body,
        }
    }

    pub fn status(status: u16) -> Self {
        Reply::Page {
            status,
            headers: vec![("content-type".into(), "text/html".into())],
            body: format!("<html><body>{status}</body></html>").into_bytes(),
        }
    }

    pub fn redirect(to: &str) -> Self {
        Reply::Page {
            status: 302,
            headers: vec![("location".into(), to.into())],
            body: Vec::new(),
        }
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        if let Reply::Page { headers, .. } = &mut self {
            headers.push((name.into(), value.into()));
        }
        self
    }
}

/// One request the server saw.
#[derive(Debug, Clone)]
pub struct Seen {
    pub host: String,
    pub method: String,
    pub path: String,
    pub at: Instant,
}

struct Route {
    reply: Reply,
    hits: AtomicUsize,
}

/// A fixture server. Routes are keyed by path (with query), optionally by host name too.
pub struct Server {
    pub port: u16,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    /// Starts a server on an ephemeral port of 127.0.0.1. `routes` maps `path` or
    /// `host path` to a reply; anything else is a 404.
    pub fn start(routes: Vec<(&str, Reply)>) -> Self {
        Self::start_with(|_| routes.into_iter().map(|(k, r)| (k.to_owned(), r)).collect())
    }

    /// Like [`Server::start`], for pages that must name the server's own port.
    pub fn start_with(routes: impl FnOnce(u16) -> Vec<(String, Reply)>) -> Self {
        Self::start_inner(routes, None)
    }

    /// Like [`Server::start_with`], serving HTTPS with the certificate of `tls`.
    pub fn start_tls(tls: &Tls, routes: impl FnOnce(u16) -> Vec<(String, Reply)>) -> Self {
        Self::start_inner(routes, Some(tls.server_config()))
    }

    fn start_inner(
        routes: impl FnOnce(u16) -> Vec<(String, Reply)>,
        tls: Option<Arc<tokio_rustls::rustls::ServerConfig>>,
    ) -> Self {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let table: HashMap<String, Route> = routes(port)
            .into_iter()
            .map(|(k, reply)| {
                (
                    k,
                    Route {
                        reply,
                        hits: AtomicUsize::new(0),
                    },
                )
            })
            .collect();
        let table = Arc::new(table);
        let seen = Arc::new(Mutex::new(Vec::new()));
        let (table2, seen2) = (table.clone(), seen.clone());
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                let app = axum::Router::new().fallback(move |req: Request<Body>| {
                    let table = table2.clone();
                    let seen = seen2.clone();
                    async move { answer(&table, &seen, req).await }
                });
                match tls {
                    None => axum::serve(listener, app).await.unwrap(),
                    Some(config) => serve_tls(listener, app, config).await,
                }
            });
        });
        Self { port, seen }
    }

    /// Serves a folder as the web root, as a static copy of a site is served: every file
    /// at its path, a folder's `index.html` at the folder's path too. HTML goes out as
    /// `text/html` with no charset, so the crawler reads the page's own declaration.
    pub fn serve_dir(root: &std::path::Path) -> Self {
        fn walk(dir: &std::path::Path, root: &std::path::Path, out: &mut Vec<(String, Reply)>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(&path, root, out);
                    continue;
                }
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                let body = std::fs::read(&path).unwrap();
                let html =
                    rel.ends_with(".html") || rel.ends_with(".htm") || rel.ends_with(".shtml");
                let kind = if html {
                    "text/html"
                } else {
                    "application/octet-stream"
                };
                if let Some(folder) = rel.strip_suffix("index.html") {
                    out.push((format!("/{folder}"), Reply::bytes(200, kind, body.clone())));
                }
                out.push((format!("/{rel}"), Reply::bytes(200, kind, body)));
            }
        }
        let root = root.to_path_buf();
        Self::start_with(move |_| {
            let mut routes = Vec::new();
            walk(&root, &root, &mut routes);
            routes
        })
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    /// Requests for a path (any host, any method).
    pub fn hits(&self, path: &str) -> Vec<Seen> {
        self.seen().into_iter().filter(|s| s.path == path).collect()
    }
}

async fn answer(
    table: &HashMap<String, Route>,
    seen: &Mutex<Vec<Seen>>,
    req: Request<Body>,
) -> Response<Body> {
    let host = req
        .headers()
        .get("host")
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default()
        .rsplit_once(':')
        .map_or_else(String::new, |(h, _)| h.to_owned());
    let path = req
        .uri()
        .path_and_query()
        .map_or("/".to_owned(), |p| p.as_str().to_owned());
    seen.lock().unwrap().push(Seen {
        host: host.clone(),
        method: req.method().to_string(),
        path: path.clone(),
        at: Instant::now(),
    });
    let route = table
        .get(&format!("{host} {path}"))
        .or_else(|| table.get(&path));
    let Some(route) = route else {
        return build(&Reply::status(404), req.method() == "HEAD");
    };
    let n = route.hits.fetch_add(1, Ordering::SeqCst);
    let mut reply = &route.reply;
    loop {
        match reply {
            Reply::Sequence(items) => reply = &items[n.min(items.len() - 1)],
            Reply::Slow(wait, inner) => {
                tokio::time::sleep(*wait).await;
                reply = inner;
            }
            Reply::Page { .. } => return build(reply, req.method() == "HEAD"),
        }
    }
}

fn build(reply: &Reply, head: bool) -> Response<Body> {
    let Reply::Page {
        status,
        headers,
        body,
    } = reply
    else {
        unreachable!()
    };
    let mut map = HeaderMap::new();
    for (k, v) in headers {
        map.append(
            axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
            // from_bytes, not parse: portals send raw UTF-8 in headers such as Location.
            axum::http::HeaderValue::from_bytes(v.as_bytes()).unwrap(),
        );
    }
    let mut resp = Response::new(if head {
        Body::empty()
    } else {
        Body::from(body.clone())
    });
    *resp.status_mut() = StatusCode::from_u16(*status).unwrap();
    *resp.headers_mut() = map;
    resp
}

/// A port with nothing listening on it.
pub fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// GBK bytes of a text, as a GBK portal serves them.
pub fn gbk(text: &str) -> Vec<u8> {
    encoding_rs::GBK.encode(text).0.into_owned()
}

/// A finished crawl: its folder, exit code, output and the events of every site log.
pub struct Crawl {
    pub dir: tempfile::TempDir,
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Crawl {
    pub fn out(&self) -> PathBuf {
        self.dir.path().join("crawl")
    }

    /// Every event of every site's log.
    pub fn events(&self) -> Vec<Value> {
        let mut all = Vec::new();
        let logs = self.out().join("log");
        let mut files: Vec<PathBuf> = std::fs::read_dir(&logs)
            .map(|d| d.map(|e| e.unwrap().path()).collect())
            .unwrap_or_default();
        files.sort();
        for f in files {
            if f.extension().is_some_and(|e| e == "jsonl") {
                for line in std::fs::read_to_string(&f).unwrap().lines() {
                    all.push(serde_json::from_str(line).unwrap());
                }
            }
        }
        all
    }

    /// Events of one kind.
    pub fn of(&self, kind: &str) -> Vec<Value> {
        self.events()
            .into_iter()
            .filter(|e| e["event"] == kind)
            .collect()
    }

    /// The fetch event for a URL (first one).
    pub fn fetch(&self, url: &str) -> Value {
        self.of("fetch")
            .into_iter()
            .find(|e| e["url"] == url)
            .unwrap_or_else(|| panic!("no fetch of {url} in {:#?}", self.events()))
    }

    pub fn link(&self, url: &str) -> Value {
        self.of("link")
            .into_iter()
            .find(|e| e["url"] == url)
            .unwrap_or_else(|| panic!("no link event for {url} in {:#?}", self.of("link")))
    }

    /// The decompressed text of every WARC file.
    pub fn warc_text(&self) -> String {
        let mut text = Vec::new();
        for entry in std::fs::read_dir(self.out().join("warc")).unwrap() {
            let path = entry.unwrap().path();
            let raw = std::fs::read(&path).unwrap();
            std::io::Read::read_to_end(&mut flate2::read::MultiGzDecoder::new(&raw[..]), &mut text)
                .unwrap();
        }
        String::from_utf8_lossy(&text).into_owned()
    }
}

/// `../shared/realsites`, or `None` (with a message) when it is not there.
pub fn realsites() -> Option<PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/realsites");
    if dir.join("SOURCES.md").is_file() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("GOVSCORE_REQUIRE_REALSITES").is_none(),
        "GOVSCORE_REQUIRE_REALSITES is set but {} is missing",
        dir.display()
    );
    eprintln!(
        "SKIPPED: {} not found; the real-site tests need the shared folder beside the project",
        dir.display()
    );
    None
}

/// The crawl's address guard opened to loopback, where the fixture servers listen.
pub const LOOPBACK: [&str; 2] = ["--allow-net", "127.0.0.0/8"];

/// A `sites.txt` line for a fixture server's site, as a district.
pub fn site_line(server: &Server, name: &str) -> String {
    format!("{} district {name}", server.url("/"))
}

/// [`LOOPBACK`] and `extra`.
pub fn loopback_args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut v = LOOPBACK.to_vec();
    v.extend_from_slice(extra);
    v
}

/// A homepage linking `n` pages `/{prefix}{i}.html`, each answering `page`.
pub fn homepage_and_pages(n: usize, prefix: &str, page: Reply) -> Vec<(String, Reply)> {
    let home: String = (0..n)
        .map(|i| format!("<a href=\"/{prefix}{i}.html\">页{i}</a>"))
        .collect();
    let mut routes = vec![("/".to_owned(), Reply::html(&home))];
    routes.extend((0..n).map(|i| (format!("/{prefix}{i}.html"), page.clone())));
    routes
}

/// Writes `lines` as `dir/sites.txt` and runs `govscore run` there on loopback, reports in
/// `dir/report`, at the fixtures' evaluation date 2026-11-20, with `extra` arguments.
pub fn run_sites(dir: &std::path::Path, lines: &[String], extra: &[&str]) -> Outcome {
    std::fs::write(dir.join("sites.txt"), lines.join("\n") + "\n").unwrap();
    let mut args = vec![
        "run",
        "--sites",
        "sites.txt",
        "--out",
        "report",
        "--as-of",
        "2026-11-20",
        "--delay",
        "0",
        "--timeout",
        "5s",
        "-q",
    ];
    args.extend_from_slice(&LOOPBACK);
    args.extend_from_slice(extra);
    govscore_in(dir, &args)
}

/// Writes a sites file into a fresh folder and runs `govscore crawl` on it with the given
/// extra arguments; `--delay 0` unless the test gives a delay.
pub fn crawl(sites: &[String], args: &[&str]) -> Crawl {
    let dir = tempfile::tempdir().unwrap();
    crawl_in(dir, sites, args)
}

pub fn crawl_in(dir: tempfile::TempDir, sites: &[String], args: &[&str]) -> Crawl {
    let sites_file = dir.path().join("sites.txt");
    let mut f = std::fs::File::create(&sites_file).unwrap();
    for line in sites {
        writeln!(f, "{line}").unwrap();
    }
    let mut cmd = govscore_cmd();
    cmd.arg("crawl")
        .arg("--sites")
        .arg(&sites_file)
        .arg("--out")
        .arg(dir.path().join("crawl"));
    if !args.contains(&"--timeout") {
        cmd.args(["--timeout", "5s"]);
    }
    if !args.contains(&"--delay") {
        cmd.args(["--delay", "0"]);
    }
    let out = finish(cmd.args(args).timeout(Duration::from_secs(120)));
    Crawl {
        dir,
        code: out.code,
        stdout: out.stdout,
        stderr: out.stderr,
    }
}

/// The address a server listens on, for `--resolve` arguments.
pub fn resolve_arg(host: &str, server: &Server) -> String {
    format!("{host}:{}:127.0.0.1", server.port)
}

/// The `warcio` command, from `GOVSCORE_WARCIO` or the `PATH`. When it is missing the test
/// is skipped with a plain message — unless `GOVSCORE_REQUIRE_WARCIO=1` (set by `.ci/run`,
/// which installs it), where a missing tool is a failure.
pub fn warcio() -> Option<PathBuf> {
    let found = std::env::var_os("GOVSCORE_WARCIO")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("PATH").and_then(|paths| {
                std::env::split_paths(&paths)
                    .map(|p| p.join("warcio"))
                    .find(|p| p.is_file())
            })
        });
    let found = found.filter(|p| p.is_file());
    if found.is_none() {
        if std::env::var("GOVSCORE_REQUIRE_WARCIO").is_ok_and(|v| v == "1") {
            panic!(
                "warcio is required (GOVSCORE_REQUIRE_WARCIO=1) but was not found; set GOVSCORE_WARCIO or put it on PATH"
            );
        }
        eprintln!(
            "SKIPPED: warcio not found (pip install warcio, or set GOVSCORE_WARCIO); the WARC files were not checked with it"
        );
    }
    found
}

/// Runs `warcio check` and `warcio index` on every WARC file of a crawl; returns the index
/// lines.
pub fn warcio_check_and_index(warcio: &std::path::Path, crawl_dir: &std::path::Path) -> Vec<Value> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(crawl_dir.join("warc"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty());
    let check = std::process::Command::new(warcio)
        .arg("check")
        .arg("-v")
        .args(&files)
        .output()
        .unwrap();
    let check_out = String::from_utf8_lossy(&check.stdout);
    assert!(
        check.status.success(),
        "warcio check failed:\n{check_out}\n{}",
        String::from_utf8_lossy(&check.stderr)
    );
    assert!(!check_out.contains("digest failed"), "{check_out}");
    let index = std::process::Command::new(warcio)
        .arg("index")
        .args(&files)
        .output()
        .unwrap();
    assert!(
        index.status.success(),
        "warcio index failed: {}",
        String::from_utf8_lossy(&index.stderr)
    );
    String::from_utf8(index.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// A test certificate authority and a certificate it signed for some host names.
pub struct Tls {
    /// The CA certificate, for the crawler's `--ca-cert`.
    pub ca_pem: String,
    cert_der: Vec<u8>,
    key_der: Vec<u8>,
}

impl Tls {
    pub fn for_hosts(hosts: &[&str]) -> Self {
        let ca_key = rcgen::KeyPair::generate().unwrap();
        let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "govscore test CA");
        ca_params.key_usages = vec![
            rcgen::KeyUsagePurpose::KeyCertSign,
            rcgen::KeyUsagePurpose::CrlSign,
        ];
        let ca_cert = ca_params.self_signed(&ca_key).unwrap();
        let issuer = rcgen::Issuer::new(ca_params, ca_key);
        let leaf_key = rcgen::KeyPair::generate().unwrap();
        let names: Vec<String> = hosts.iter().map(|h| h.to_string()).collect();
        let leaf = rcgen::CertificateParams::new(names)
            .unwrap()
            .signed_by(&leaf_key, &issuer)
            .unwrap();
        Self {
            ca_pem: ca_cert.pem(),
            cert_der: leaf.der().to_vec(),
            key_der: leaf_key.serialize_der(),
        }
    }

    fn server_config(&self) -> Arc<tokio_rustls::rustls::ServerConfig> {
        use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
        let config = tokio_rustls::rustls::ServerConfig::builder()
            .with_no_client_auth()
            .with_single_cert(
                vec![CertificateDer::from(self.cert_der.clone())],
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(self.key_der.clone())),
            )
            .unwrap();
        Arc::new(config)
    }
}

async fn serve_tls(
    listener: tokio::net::TcpListener,
    app: axum::Router,
    config: Arc<tokio_rustls::rustls::ServerConfig>,
) {
    let acceptor = tokio_rustls::TlsAcceptor::from(config);
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let acceptor = acceptor.clone();
        let app = app.clone();
        tokio::spawn(async move {
            let Ok(tls) = acceptor.accept(stream).await else {
                return;
            };
            let service = hyper_util::service::TowerToHyperService::new(app);
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(hyper_util::rt::TokioIo::new(tls), service)
                .await;
        });
    }
}
