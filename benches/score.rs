//! Extraction and scoring throughput, next to the bare HTML parse of the same pages.
//!
//! A crawl folder is built without the network — the archive written through the crawler's
//! own writer — holding the five real government pages of `tests/fixtures/realworld/` and
//! generated list and article pages, 2 000 pages over 20 sites. `extract_and_score` runs the
//! whole `govscore score` stage on it (read the WARC, decode, extract facts, score, rank);
//! `html5ever_parse_only` parses the same bodies into a DOM and nothing else, on one thread
//! and on two;
//! `page_facts_only` extracts each page's facts from the same bodies (extraction without
//! the archive read and the scoring);
//! `crawl_link_scan` reads their links as the crawler does, off the token stream;
//! `archive_read` what the stage reads before it parses (the archive inflated, the bodies
//! decoded).
//! With `GOVSCORE_BENCH_RATIO=N` the bench prints issue 14's ratio instead — the bare parse
//! and the stage timed in turn, N rounds at one thread and at two — and runs nothing else;
//! with `GOVSCORE_BENCH_ONCE=parse|stage|setup` it runs one pass of one of them, for an
//! instruction count; with `GOVSCORE_BENCH_PAIRED=SECONDS` it runs the two side by side, one
//! thread each, for that long.
//! Figures go in BENCHMARKS.md.

use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use govscore::archive::log::{Event, Purpose, SiteStatus};
use govscore::archive::{Exchange, SiteArchive, site_file_stem};
use govscore::evaluate::{ScoreInputs, evaluate};
use govscore::input::{Method, MethodPaths, SiteList, Source};

const SITES: usize = 20;
const PAGES_PER_SITE: usize = 100;

fn generated_page(site: usize, n: usize) -> String {
    let mut html = String::from(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>示例区人民政府</title>",
    );
    html.push_str("<meta name=\"SiteIDCode\" content=\"5101000001\"><meta name=\"PubDate\" content=\"2026-11-18\"></head><body>");
    html.push_str("<div class=\"nav\"><a href=\"/\">首页</a><a href=\"/p/1.html\">要闻动态</a><a href=\"/p/2.html\">通知公告</a><a href=\"/p/3.html\">政策文件</a><a href=\"/p/4.html\">办事服务</a><a href=\"/p/5.html\">领导信箱</a></div><ul>");
    for k in 0..20 {
        html.push_str(&format!(
            "<li><a href=\"/p/{}.html\">关于第{site}区第{k}项工作的通知</a><span>[2026-11-{:02}]</span></li>",
            (n * 7 + k) % PAGES_PER_SITE,
            1 + (n + k) % 28
        ));
    }
    html.push_str("</ul><div class=\"content\">");
    for _ in 0..30 {
        html.push_str("<p>为深入贯彻落实党中央、国务院决策部署，进一步提升政府网站建设管理水平，推进政务公开和政务服务工作。</p>");
    }
    html.push_str("</div><div class=\"footer\">主办单位：示例区人民政府办公室 网站标识码：5101000001 蜀ICP备12345678号 川公网安备 51010402000507号</div></body></html>");
    html
}

/// Writes the crawl folder and returns the pages it holds, each address with its body.
fn build_crawl(dir: &Path) -> Vec<(url::Url, Vec<u8>)> {
    let real: Vec<Vec<u8>> = [
        "gz-gov-article.html",
        "sc-gov-article.html",
        "shanxi-gov-article.html",
        "zj-fgw-article.html",
        "gov-cn-document.html",
    ]
    .iter()
    .map(|f| {
        std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/realworld")
                .join(f),
        )
        .unwrap()
    })
    .collect();
    let list: String = (0..SITES)
        .map(|i| format!("http://www.site{i:02}.gov.cn/ district 第{i}区\n"))
        .collect();
    std::fs::write(dir.join("sites.txt"), &list).unwrap();
    let sites = SiteList::parse(&list, "sites.txt").unwrap();
    let mut bodies = Vec::new();
    for (i, site) in sites.sites.iter().enumerate() {
        let stem = site_file_stem(&site.key());
        let mut archive = SiteArchive::create(dir, &stem, &[]).unwrap();
        for n in 0..PAGES_PER_SITE {
            let url = if n == 0 {
                site.url.to_string()
            } else {
                format!("{}p/{n}.html", site.url)
            };
            // One page in five is a real portal page, the rest generated.
            let body = if n % 5 == 0 {
                real[(n / 5) % real.len()].clone()
            } else {
                generated_page(i, n).into_bytes()
            };
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: text/html\r\nContent-Length: {}\r\n\r\n",
                body.len()
            );
            archive
                .write_exchange(&Exchange {
                    url: &url,
                    request_head: b"GET / HTTP/1.1\r\n\r\n",
                    response_head: head.as_bytes(),
                    body: &body,
                    truncated: false,
                    ip: None,
                    protocol: None,
                })
                .unwrap();
            archive
                .log(&Event::Fetch {
                    url: url.clone(),
                    final_url: url.clone(),
                    method: "GET".into(),
                    purpose: Purpose::Page,
                    depth: Some(if n == 0 { 0 } else { 1 }),
                    platform: false,
                    status: Some(200),
                    redirects: Vec::new(),
                    ms: 120,
                    bytes: body.len() as u64,
                    truncated: false,
                    content_type: Some("text/html".into()),
                    charset: None,
                    charset_source: None,
                    attempts: 1,
                    error: None,
                })
                .unwrap();
            bodies.push((url::Url::parse(&url).unwrap(), body));
        }
        archive
            .log(&Event::Site {
                url: site.url.to_string(),
                name: site.name.clone(),
                status: SiteStatus::Ok,
                reason: None,
                cause: None,
                cut_short: None,
                final_url: site.url.to_string(),
                pages: PAGES_PER_SITE as u32,
                errors: 0,
                bytes: 0,
                seconds: 1.0,
            })
            .unwrap();
        archive.finish().unwrap();
    }
    bodies
}

/// The WARC files of a crawl folder, in name order.
fn warc_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut warcs: Vec<_> = std::fs::read_dir(dir.join("warc"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".warc.gz"))
        .collect();
    warcs.sort();
    warcs
}

/// The HTML pages of an existing crawl folder that the score stage reads, decoded as it
/// decodes them: the first stored response of each page its crawl log says was fetched
/// (a 2xx page fetch), when it is HTML by its type or its first character; each with its
/// address.
fn crawl_pages(dir: &Path) -> Vec<(url::Url, String)> {
    let mut pages = Vec::new();
    for path in warc_files(dir) {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let stem = name.trim_end_matches(".warc.gz");
        let log = govscore::archive::log_path(dir, stem);
        let fetched: std::collections::HashSet<String> = govscore::archive::read_log(&log)
            .unwrap()
            .into_iter()
            .filter_map(|event| match event {
                Event::Fetch {
                    final_url,
                    purpose: Purpose::Page,
                    depth: Some(_),
                    status: Some(200..=299),
                    error: None,
                    ..
                } => Some(final_url),
                _ => None,
            })
            .collect();
        let mut kept = std::collections::HashSet::new();
        for resp in govscore::archive::responses(&path).unwrap() {
            let resp = resp.unwrap();
            if !fetched.contains(&resp.url) || !kept.insert(resp.url.clone()) {
                continue;
            }
            let content_type = resp.header("content-type");
            let host = url::Url::parse(&resp.url).ok();
            let decoded = govscore::charset::decode_html(
                resp.body(),
                content_type,
                host.as_ref().and_then(|u| u.host_str()),
            );
            let html = content_type.is_none_or(|ct| ct.to_ascii_lowercase().contains("html"))
                || decoded.text.trim_start().starts_with('<');
            if let (true, Some(url)) = (html, host) {
                pages.push((url, decoded.text));
            }
        }
    }
    pages
}

/// The bare html5ever parse of every page, each tree dropped: what the stage is measured
/// against.
fn bare_parse(bodies: &[&str]) {
    for text in bodies {
        std::hint::black_box(scraper::Html::parse_document(text));
    }
}

/// What every run of the stage here scores with: the bench's pages are dated November 2026.
fn score_inputs(method: &Method, threads: usize) -> ScoreInputs<'_> {
    ScoreInputs {
        method,
        as_of: chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
        year: 2026,
        threads: Some(threads),
        shard: None,
    }
}

fn benches(c: &mut Criterion) {
    // To profile the stage on the bench's own pages (`valgrind --tool=callgrind govscore
    // score --crawl DIR ...`), GOVSCORE_BENCH_KEEP=DIR builds the crawl folder there and
    // keeps it.
    //
    // GOVSCORE_BENCH_CRAWL=DIR measures an existing crawl folder instead (`govscore crawl
    // --out DIR`): the same stage over real pages, and the bare parse of its HTML responses.
    let temp = tempfile::tempdir().unwrap();
    let (dir, pages) = match std::env::var_os("GOVSCORE_BENCH_CRAWL") {
        Some(crawl) => {
            let dir = std::path::PathBuf::from(crawl);
            let pages = crawl_pages(&dir);
            (dir, pages)
        }
        None => {
            let dir = match std::env::var_os("GOVSCORE_BENCH_KEEP") {
                Some(keep) => std::path::PathBuf::from(keep),
                None => temp.path().to_path_buf(),
            };
            std::fs::create_dir_all(&dir).unwrap();
            let pages = build_crawl(&dir)
                .into_iter()
                .map(|(url, b)| (url, String::from_utf8(b).unwrap()))
                .collect();
            (dir, pages)
        }
    };
    let bodies: Vec<&str> = pages.iter().map(|(_, text)| text.as_str()).collect();
    let indicators_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("indicators.yaml");
    let method = Method::load(
        &MethodPaths {
            indicators: Source::File(indicators_path),
            cases: None,
            manual: None,
        },
        &SiteList::default(),
    )
    .unwrap();
    let total_bytes: usize = bodies.iter().map(|b| b.len()).sum();
    eprintln!(
        "{} pages, {:.1} MiB of HTML",
        bodies.len(),
        total_bytes as f64 / 1048576.0
    );

    // GOVSCORE_BENCH_ONCE=parse|stage|setup: one pass of the bare parse or of the stage at
    // one thread, or neither, and nothing else: under `valgrind --tool=callgrind` the three
    // give the ratio in instructions, which the machine's speed does not move (the clock's
    // ratio moved by ten points between runs of one binary on a busy machine).
    if let Ok(what) = std::env::var("GOVSCORE_BENCH_ONCE") {
        match what.as_str() {
            "parse" => {
                bare_parse(&bodies);
            }
            "stage" => {
                let inputs = score_inputs(&method, 1);
                std::hint::black_box(evaluate(&dir, &inputs).unwrap());
            }
            "setup" => {}
            other => panic!("GOVSCORE_BENCH_ONCE is parse, stage or setup, not {other:?}"),
        }
        return;
    }

    // GOVSCORE_BENCH_PAIRED=SECONDS: the one-thread ratio read with the bare parse and the
    // stage running at the same time, each on a thread of its own, for SECONDS: on a shared
    // machine whose speed drifts (the bench's rounds moved by a fifth within one process),
    // the drift falls on both at once instead of on whichever ran at the time.
    if let Some(seconds) = std::env::var("GOVSCORE_BENCH_PAIRED")
        .ok()
        .and_then(|n| n.parse::<f64>().ok())
    {
        paired(seconds, &dir, &bodies, &method);
        return;
    }

    // GOVSCORE_BENCH_RATIO=N: issue 14's ratio read in N rounds instead of criterion's
    // groups, each round timing the bare parse of every page and then the whole stage, one
    // right after the other, so that the machine's drift (the parse alone moved 4% between
    // criterion runs here) falls on both; each is run three times in a row and read on the
    // last two, so neither is timed in caches the other has just filled.
    if let Some(rounds) = std::env::var("GOVSCORE_BENCH_RATIO")
        .ok()
        .and_then(|n| n.parse::<usize>().ok())
    {
        ratio_rounds(rounds, &dir, &bodies, &method);
        return;
    }

    let mut group = c.benchmark_group("pages");
    group.sample_size(10);
    group.throughput(Throughput::Elements(bodies.len() as u64));
    group.bench_function("html5ever_parse_only_1_thread", |b| {
        b.iter(|| {
            bare_parse(&bodies);
        })
    });
    // The stage's own parse: the same, through the depth guard (extract::parse).
    group.bench_function("bounded_parse_only_1_thread", |b| {
        b.iter(|| {
            for text in &bodies {
                std::hint::black_box(govscore::extract::parse::parse_document(text));
            }
        })
    });
    // Extraction alone (the parse included), from the same bodies in memory, each page
    // read at its own address: the stage without the archive read and the scoring, so the
    // figures tell the three apart.
    group.bench_function("page_facts_only_1_thread", |b| {
        let config = govscore::extract::ExtractConfig::for_method(&method.indicators);
        b.iter(|| {
            for (url, text) in &pages {
                std::hint::black_box(govscore::extract::page_facts(text, url, &config));
            }
        })
    });
    // The same parse on two threads, beside extract_and_score_2_threads: the aim compares
    // the two at the same thread count.
    group.bench_function("html5ever_parse_only_2_threads", |b| {
        use rayon::prelude::*;
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        b.iter(|| {
            pool.install(|| {
                bodies.par_iter().for_each(|text| {
                    std::hint::black_box(scraper::Html::parse_document(text));
                })
            })
        })
    });
    // What the crawler reads off each page it fetches (links, their text and tags), from the
    // token stream without building the document: beside the bare parse above, it shows
    // what the crawl saves.
    group.bench_function("crawl_link_scan_1_thread", |b| {
        let page = url::Url::parse("http://www.site00.gov.cn/p/1.html").unwrap();
        b.iter(|| {
            for text in &bodies {
                std::hint::black_box(govscore::extract::links(text, &page));
            }
        })
    });
    // What the stage reads before it parses: every response record of the archive
    // inflated and read, and each body decoded to text. Beside the parse, it bounds the
    // ratio extract + score can reach when everything else costs nothing.
    group.bench_function("archive_read_1_thread", |b| {
        let warcs = warc_files(&dir);
        b.iter(|| {
            for path in &warcs {
                for resp in govscore::archive::responses(path).unwrap() {
                    let resp = resp.unwrap();
                    std::hint::black_box(govscore::charset::decode_html_borrowed(
                        resp.body(),
                        resp.header("content-type"),
                        None,
                    ));
                }
            }
        })
    });
    for threads in [1, 2] {
        group.bench_function(format!("extract_and_score_{threads}_threads"), |b| {
            b.iter(|| {
                let inputs = score_inputs(&method, threads);
                std::hint::black_box(evaluate(&dir, &inputs).unwrap())
            })
        });
    }
    group.finish();
}

/// The bare parse and the stage, one thread each, passes repeated side by side until
/// `seconds` have gone; each pass timed, the first of each left out (it builds the lazily
/// made regexes and warms the caches). Prints the mean pass of each and their ratio.
fn paired(seconds: f64, dir: &Path, bodies: &[&str], method: &Method) {
    use std::time::{Duration, Instant};
    let until = Instant::now() + Duration::from_secs_f64(seconds);
    let passes = |pass: &dyn Fn()| {
        let mut times = Vec::new();
        while times.len() < 2 || Instant::now() < until {
            let start = Instant::now();
            pass();
            times.push(start.elapsed().as_secs_f64() * 1e3);
        }
        times.remove(0);
        times
    };
    let inputs = score_inputs(method, 1);
    let (parse, stage) = std::thread::scope(|s| {
        let parse = s.spawn(|| {
            passes(&|| {
                bare_parse(bodies);
            })
        });
        let stage = s.spawn(|| {
            passes(&|| {
                std::hint::black_box(evaluate(dir, &inputs).unwrap());
            })
        });
        (parse.join().unwrap(), stage.join().unwrap())
    });
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let (p, st) = (mean(&parse), mean(&stage));
    eprintln!(
        "side by side for {seconds} s: parse {} passes, mean {p:.1} ms; stage {} passes, mean {st:.1} ms; ratio {:.1}%",
        parse.len(),
        stage.len(),
        100.0 * p / st
    );
}

/// Rounds of (bare parse, stage) at one thread and at two, after one round that warms
/// caches and lazily built regexes; prints each round's times and ratio, then the medians.
fn ratio_rounds(rounds: usize, dir: &Path, bodies: &[&str], method: &Method) {
    use rayon::prelude::*;
    use std::time::Instant;
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    // Milliseconds of the second and third of three runs in a row, the faster.
    let warm = |run: &mut dyn FnMut()| {
        run();
        (0..2)
            .map(|_| {
                let start = Instant::now();
                run();
                start.elapsed().as_secs_f64() * 1e3
            })
            .fold(f64::INFINITY, f64::min)
    };
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let inputs = score_inputs(method, threads);
        let (mut parses, mut stages, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
        for round in 0..=rounds {
            let parse = warm(&mut || {
                pool.install(|| {
                    bodies.par_iter().for_each(|text| {
                        std::hint::black_box(scraper::Html::parse_document(text));
                    })
                })
            });
            let stage = warm(&mut || {
                std::hint::black_box(evaluate(dir, &inputs).unwrap());
            });
            if round == 0 {
                continue;
            }
            eprintln!(
                "{threads} thread(s), round {round}: parse {parse:.1} ms, stage {stage:.1} ms, {:.1}%",
                100.0 * parse / stage
            );
            parses.push(parse);
            stages.push(stage);
            ratios.push(parse / stage);
        }
        eprintln!(
            "{threads} thread(s), medians of {rounds}: parse {:.1} ms, stage {:.1} ms, ratio {:.1}%",
            median(parses),
            median(stages),
            100.0 * median(ratios)
        );
    }
}

criterion_group!(score, benches);
criterion_main!(score);
