//! `govscore demo`: the product showing itself on any machine, offline. Nine generated
//! portals (see [`portal`]) are served from one server on a loopback port under real-looking
//! `*.gov.cn` names, and evaluated through the real pipeline — crawl to WARC, extract, score
//! with the default `indicators.yaml`, rank, write the report folder — at a fixed evaluation
//! date, so the demo prints the same tables every time.
//!
//! The portals cover what an evaluator meets: a city in both the provincial-capital and the
//! sub-provincial tables, a GBK-encoded portal, broken links, a bonus case above the cap,
//! three vetoes, and districts with missing features.

pub mod portal;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, Response, StatusCode};

use crate::crawl::fetch::FetchOptions;
use crate::crawl::guard::NameOverride;
use crate::crawl::{CrawlOptions, PlatformBudget, Progress};
use crate::evaluate::ScoreInputs;
use crate::files::sha256_hex;
use crate::input::{
    BUILTIN_INDICATORS, Cases, INDICATORS_FILE, IndicatorSet, ManualScores, Method, SiteList,
    Source,
};
use crate::lang::Lang;
use crate::pipeline::{self, Job, PipelineError};
use crate::results::Results;
use portal::{EXTERNAL_HOSTS, Page, Spec};

/// The evaluators' awards of the demo: 7 points for 南湖市, above the 5-point cap.
pub const CASES: &str = "- {site: 南湖市, title: 一网通办掌上办, points: 3}\n- {site: 南湖市, title: 政民互动智能答复, points: 4}\n";

/// A demo portal and the categories it is ranked in.
pub struct DemoPortal {
    /// What the portal serves and what is wrong with it.
    pub spec: Spec,
    /// Comma-separated categories, as the site list's second column writes them.
    pub categories: &'static str,
}

fn portal(
    host: &str,
    name: &str,
    categories: &'static str,
    tweak: impl FnOnce(&mut Spec),
) -> DemoPortal {
    let mut spec = Spec {
        host: host.to_owned(),
        name: name.to_owned(),
        ..Spec::default()
    };
    tweak(&mut spec);
    DemoPortal { spec, categories }
}

/// The nine demo portals.
pub fn portals() -> Vec<DemoPortal> {
    vec![
        portal(
            "www.shili.gov.cn",
            "示例市",
            "provincial-capital,sub-provincial",
            |_| {},
        ),
        portal(
            "www.dongjiang.gov.cn",
            "东江市",
            "provincial-capital",
            |s| s.gbk = true,
        ),
        portal(
            "www.xiling.gov.cn",
            "西岭市",
            "provincial-capital",
            |s| {
                s.broken_home_links = 4;
                s.broken_other_links = 3;
            },
        ),
        portal("www.nanhu.gov.cn", "南湖市", "sub-provincial", |s| {
            s.missing = vec!["English".into()]
        }),
        portal("www.beishan.gov.cn", "北山市", "sub-provincial", |s| {
            s.stale_homepage = true
        }),
        portal("www.qingyun.gov.cn", "青云区", "district", |_| {}),
        portal("www.baisha.gov.cn", "白沙区", "district", |s| {
            s.missing = ["English", "无障碍", "图解", "在线访谈", "手机版"]
                .map(String::from)
                .to_vec();
        }),
        portal("www.jinshui.gov.cn", "金水区", "district", |s| {
            s.no_consultation = true
        }),
        portal("www.hongqi.gov.cn", "红旗区", "district", |s| {
            s.guides = 5;
            s.failing_guides = 5;
        }),
    ]
}

/// Why the demo could not run.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// The loopback listener for the portals could not be opened.
    #[error("cannot start the demo server on 127.0.0.1: {0}")]
    Serve(#[source] std::io::Error),
    /// Crawling, scoring or writing the report failed.
    #[error(transparent)]
    Pipeline(#[from] PipelineError),
    /// The built-in site list, indicators or cases did not parse: a bug in govscore.
    #[error("the built-in demo data is invalid: {0}")]
    Data(String),
}

/// Serves every portal from one listener, telling them apart by the `Host` header; the
/// external hosts they link to get the first portal's pages. Returns the port.
async fn serve(portals: &[DemoPortal]) -> Result<u16, DemoError> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(DemoError::Serve)?;
    let port = listener.local_addr().map_err(DemoError::Serve)?.port();
    let sites: HashMap<String, HashMap<String, Page>> = portals
        .iter()
        .map(|p| {
            (
                p.spec.host.clone(),
                portal::routes(port, &p.spec).into_iter().collect(),
            )
        })
        .collect();
    let fallback_host = portals
        .first()
        .map(|p| p.spec.host.clone())
        .unwrap_or_default();
    let sites = Arc::new(sites);
    let app = axum::Router::new().fallback(move |req: Request<Body>| {
        let sites = sites.clone();
        let fallback_host = fallback_host.clone();
        async move {
            let host = req
                .headers()
                .get("host")
                .and_then(|h| h.to_str().ok())
                .and_then(|h| h.split(':').next())
                .unwrap_or_default()
                .to_owned();
            let path = req
                .uri()
                .path_and_query()
                .map_or("/".to_owned(), |p| p.as_str().to_owned());
            let routes = sites.get(&host).or_else(|| sites.get(&fallback_host));
            match routes.and_then(|r| r.get(&path)) {
                Some(page) => Response::builder()
                    .header("content-type", page.content_type.as_str())
                    .body(Body::from(page.body.clone()))
                    .expect("valid response"),
                None => Response::builder()
                    .status(StatusCode::NOT_FOUND)
                    .header("content-type", "text/html; charset=utf-8")
                    .body(Body::from("<html><body>404</body></html>"))
                    .expect("valid response"),
            }
        }
    });
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok(port)
}

/// Serves the portals, crawls and scores them, and writes the reports to `out` (the crawl
/// goes to `out/crawl`). Returns the results.
pub async fn run(
    out: &Path,
    lang: Lang,
    progress: Arc<dyn Progress>,
) -> Result<Results, DemoError> {
    let portals = portals();
    let port = serve(&portals).await?;
    let list: String = portals
        .iter()
        .map(|p| format!("{} {} {}\n", p.spec.url(port), p.categories, p.spec.name))
        .collect();
    let sites = SiteList::parse(&list, "demo sites").map_err(|e| DemoError::Data(e.to_string()))?;
    let resolve: Vec<NameOverride> = portals
        .iter()
        .map(|p| p.spec.host.as_str())
        .chain(EXTERNAL_HOSTS)
        .map(|host| NameOverride {
            host: host.to_owned(),
            port,
            addr: "127.0.0.1".parse().expect("valid address"),
        })
        .collect();
    let indicators = IndicatorSet::parse(BUILTIN_INDICATORS, INDICATORS_FILE)
        .map_err(|e| DemoError::Data(e.to_string()))?;
    let options = CrawlOptions {
        platform: Some(PlatformBudget::of(&indicators.platform)),
        fetch: FetchOptions {
            per_host: 4,
            delay: Duration::ZERO,
            timeout: Duration::from_secs(5),
            retries: 0,
            ..FetchOptions::default()
        },
        max_pages: 100,
        check_links: 20,
        allow_net: vec!["127.0.0.0/8".parse().expect("valid network")],
        resolve,
        ..CrawlOptions::default()
    };
    let cases =
        Cases::parse(CASES, "demo cases", &sites).map_err(|e| DemoError::Data(e.to_string()))?;
    let method = Method {
        indicators,
        indicators_sha256: sha256_hex(BUILTIN_INDICATORS.as_bytes()),
        indicators_file: Source::BuiltIn(INDICATORS_FILE).shown(),
        cases,
        manual: ManualScores::default(),
    };
    let job = Job {
        sites: &sites,
        sites_text: &list,
        crawl: &options,
        crawl_dir: &out.join("crawl"),
        score: ScoreInputs {
            method: &method,
            as_of: portal::as_of(),
            year: 2026,
            threads: None,
            shard: None,
        },
        out,
        previous: None,
        lang,
    };
    let (_, scored) = pipeline::run(&job, progress).await?;
    Ok(scored.results)
}
