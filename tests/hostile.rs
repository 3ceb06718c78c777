//! Hostile sites and hostile inputs, each on loopback as an attacker would serve it: pages
//! nested without end, servers slow on purpose, names that collide as file names, text that
//! a spreadsheet or a terminal would run. Each test is the attack, and what govscore must do
//! instead of stalling, lying or running it.

mod common;

use common::{Reply, Server, crawl, govscore_in};

use common::{loopback_args as args, site_line as site};

/// 100,000 nested `<div>`s (1.1 MB) with a link at the bottom, and 100,000 nested
/// `<ul><li>`: before the depth cap, minutes of parsing in the crawl and again in `score`.
/// Now the nesting is cut at the browsers' depth, the deep link is still followed, and the
/// page's evidence says what was cut.
#[test]
fn deeply_nested_pages_are_cut_at_a_browsers_depth_and_say_so() {
    let n = 100_000;
    let divs = format!(
        "<html><body>{}<a href=\"/inner.html\">内层</a>{}</body></html>",
        "<div>".repeat(n),
        "</div>".repeat(n)
    );
    let lists = format!(
        "<html><body>{}列表{}</body></html>",
        "<ul><li>".repeat(n),
        "</li></ul>".repeat(n)
    );
    let server = Server::start(vec![
        (
            "/",
            Reply::html("<a href=\"/deep.html\">深层</a><a href=\"/lists.html\">列表</a>"),
        ),
        ("/deep.html", Reply::html(&divs)),
        ("/lists.html", Reply::html(&lists)),
        ("/inner.html", Reply::html("<p>inner</p>")),
    ]);
    let c = crawl(&[site(&server, "深层区")], &args(&[]));
    assert_eq!(c.code, 0, "{}", c.stderr);
    // The link at the bottom of the nesting was read and followed.
    assert_eq!(server.hits("/inner.html").len(), 1);

    let score = govscore_in(
        c.dir.path(),
        &[
            "score",
            "--crawl",
            "crawl",
            "--out",
            "report",
            "--as-of",
            "2026-11-20",
            "-q",
        ],
    );
    assert_eq!(score.code, 0, "{}", score.stderr);
    let pages = govscore_in(
        c.dir.path(),
        &[
            "explain",
            "深层区",
            "--results",
            "report",
            "--pages",
            "--lang",
            "en",
        ],
    );
    assert_eq!(pages.code, 0, "{}", pages.stderr);
    for page in ["/deep.html", "/lists.html"] {
        let at = pages
            .stdout
            .find(page)
            .unwrap_or_else(|| panic!("{page} not listed:\n{}", pages.stdout));
        let signals = pages.stdout[at..].lines().nth(1).unwrap();
        assert!(
            signals.contains("nested deeper than 512 levels"),
            "{page}: {signals}"
        );
    }
    let zh = govscore_in(
        c.dir.path(),
        &["explain", "深层区", "--results", "report", "--pages"],
    );
    assert!(zh.stdout.contains("嵌套超过512层"), "{}", zh.stdout);
}

/// A server answering at once, behind a `Crawl-delay: 2`: the crawler waits two seconds
/// before each visit, and before the fix those seconds were counted as the site's load time
/// (and, at a long enough delay, vetoed the site as unreachable). Load time, probes and the
/// availability veto count only from sending the request to the end of the body.
#[test]
fn load_time_counts_the_site_not_our_politeness() {
    let server = Server::start(vec![
        (
            "/robots.txt",
            Reply::bytes(
                200,
                "text/plain",
                b"User-agent: *\nCrawl-delay: 2\n".to_vec(),
            ),
        ),
        ("/", Reply::html("<p>首页</p>")),
    ]);
    let c = crawl(
        &[site(&server, "礼让区")],
        &args(&["--probes", "2", "--probe-interval", "0s"]),
    );
    assert_eq!(c.code, 0, "{}", c.stderr);
    let home = c.fetch(&server.url("/"));
    let probes = c.of("probe");
    assert_eq!(probes.len(), 2, "{probes:#?}");
    // Each visit really waited its turn (two seconds apart)...
    let seen = server.hits("/");
    assert_eq!(seen.len(), 3);
    // ...and none of that wait is the site's: a loopback answer takes milliseconds.
    for ms in std::iter::once(&home["ms"]).chain(probes.iter().map(|p| &p["ms"])) {
        assert!(ms.as_u64().unwrap() < 1_000, "{home:#} {probes:#?}");
    }
    let score = govscore_in(
        c.dir.path(),
        &[
            "score",
            "--crawl",
            "crawl",
            "--out",
            "report",
            "--as-of",
            "2026-11-20",
            "-q",
            "--lang",
            "en",
        ],
    );
    assert_eq!(score.code, 0, "{}", score.stderr);
    let results: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(c.dir.path().join("report/results.json")).unwrap(),
    )
    .unwrap();
    let site = &results["sites"][0];
    assert!(
        site["veto"]
            .as_array()
            .is_none_or(|v| v.iter().all(|h| h["id"] != "veto-unreachable")),
        "{:#}",
        site["veto"]
    );
    let load = common::results::check(site, "manage-load-time");
    assert_eq!(load["score"], load["max"], "{load:#}");
}

/// `http://x.gov.cn:PORT/` and `http://x.gov.cn_PORT/` once shared one archive file, and
/// `http://.../` wrote hidden files: the crawl died, and a rerun scored one site with the
/// other's pages. A host DNS could not hold is now refused before anything is fetched,
/// with its line.
#[test]
fn hosts_that_would_share_or_hide_archive_files_are_refused() {
    let server = Server::start(vec![("/", Reply::html("<p>首页</p>"))]);
    let port = server.port;
    let lines = [
        format!("http://x.gov.cn:{port}/ district 甲区"),
        format!("http://x.gov.cn_{port}/ district 乙区"),
        "http://.../ district 丙区".to_owned(),
    ];
    let resolve = common::resolve_arg("x.gov.cn", &server);
    let c = crawl(&lines, &args(&["--resolve", &resolve]));
    assert_eq!(c.code, 2, "{}", c.stderr);
    assert!(
        c.stderr.contains("sites.txt:2:") && c.stderr.contains("`_` cannot be part of a host name"),
        "{}",
        c.stderr
    );
    assert!(c.stderr.contains("sites.txt:3:"), "{}", c.stderr);
    assert!(server.seen().is_empty(), "nothing is fetched");
    assert!(!c.out().join("warc").exists());
}

/// Runs `govscore run` over `lines` in a fresh folder; the folder and the outcome.
fn run(lines: &[String], extra: &[&str]) -> (tempfile::TempDir, common::Outcome) {
    let dir = tempfile::tempdir().unwrap();
    let out = common::run_sites(dir.path(), lines, extra);
    (dir, out)
}

/// Site names that a spreadsheet reads as formulas (`=`, `+`, `-`, `@`, tab) are written
/// to every CSV with a leading `'`, so opening rankings.csv runs nothing.
#[test]
fn csv_cells_a_spreadsheet_would_run_are_neutralised() {
    let a = Server::start(vec![("/", Reply::html("<p>甲</p>"))]);
    let b = Server::start(vec![("/", Reply::html("<p>乙</p>"))]);
    let lines = [
        format!(
            "{} district =HYPERLINK(\"http://evil.example/\",\"点我\")",
            a.url("/")
        ),
        format!("{} district @SUM(1+1)*cmd|' /C calc'!A0", b.url("/")),
    ];
    let (dir, out) = run(&lines, &["--format", "csv"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let file = std::fs::read_to_string(dir.path().join("report/rankings.csv")).unwrap();
    for csv in [&out.stdout, &file] {
        assert!(csv.contains("'=HYPERLINK("), "{csv}");
        assert!(csv.contains("'@SUM(1+1)"), "{csv}");
        for line in csv.lines() {
            for field in line.split(',') {
                let field = field.trim_start_matches('"');
                assert!(!field.starts_with(['=', '@']), "{field} in {line}");
            }
        }
    }
}

/// Crawled text with terminal control sequences (ESC retitles and recolours a terminal, BEL
/// rings it) and a redirect to a `javascript:` address with markup in it: `explain` prints
/// none of the controls, and report.md shows the markup as text, never as HTML or a link.
#[test]
fn crawled_text_cannot_drive_the_terminal_or_the_markdown() {
    let home = "<html><body><a href=\"/xxgk/\">政府信息公开</a>\
        <div class=\"footer\">主办单位：\u{1b}]0;pwned\u{7}示例\u{1b}[31m市人民政府\u{202e}</div></body></html>";
    let good = Server::start(vec![("/", Reply::html(home))]);
    let evil = Server::start(vec![(
        "/",
        Reply::status(302).with_header(
            "Location",
            "javascript:alert(1)//<script>x</script>[a](javascript:b)",
        ),
    )]);
    let lines = [
        format!("{} district 控制区", good.url("/")),
        format!("{} district 跳转区", evil.url("/")),
    ];
    let (dir, out) = run(&lines, &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let explained = govscore_in(dir.path(), &["explain", "控制区", "--results", "report"]);
    assert_eq!(explained.code, 0, "{}", explained.stderr);
    assert!(
        explained.stdout.contains("主办单位"),
        "{}",
        explained.stdout
    );
    for text in [&explained.stdout, &out.stdout] {
        assert!(!text.contains(['\u{1b}', '\u{7}', '\u{202e}']), "{text:?}");
    }
    let md = std::fs::read_to_string(dir.path().join("report/report.md")).unwrap();
    assert!(md.contains("跳转区"), "{md}");
    // Every character Markdown would read as a tag or a link is escaped.
    assert!(md.contains("\\<script\\>"), "{md}");
    let bytes = md.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if b"<>[]".contains(b) {
            assert_eq!(bytes[i - 1], b'\\', "unescaped at {i}: {md}");
        }
    }
    assert!(!md.contains(['\u{1b}', '\u{7}']), "{md:?}");
}

/// A homepage linking to twenty pages, each trickling in just past `--timeout`. Before, the
/// crawl waited out every one of them (299 such pages at the defaults: about two hours).
/// Now five timeouts in a row stop the site's crawl; it is scored on what was fetched, and
/// its evidence says the crawl was cut short.
#[test]
fn repeated_timeouts_cut_a_sites_crawl_short() {
    let slow = Reply::Slow(
        std::time::Duration::from_millis(1500),
        Box::new(Reply::html("<p>慢</p>")),
    );
    let server = Server::start_with(|_| common::homepage_and_pages(20, "s", slow));
    let c = crawl(
        &[site(&server, "慢速区")],
        &args(&["--timeout", "1s", "--retries", "0", "--per-host", "1"]),
    );
    assert_eq!(c.code, 0, "{}", c.stderr);
    let slow_hits = server
        .seen()
        .iter()
        .filter(|s| s.path.starts_with("/s"))
        .count();
    assert!(slow_hits <= 6, "{slow_hits} slow pages requested");
    let done = &c.of("site")[0];
    assert_eq!(done["status"], "ok", "{done}");
    assert_eq!(done["cut_short"]["kind"], "timeouts", "{done}");
    assert_eq!(done["cut_short"]["in_row"], 5, "{done}");

    let score = govscore_in(
        c.dir.path(),
        &[
            "score",
            "--crawl",
            "crawl",
            "--out",
            "report",
            "--as-of",
            "2026-11-20",
            "-q",
        ],
    );
    assert_eq!(score.code, 0, "{}", score.stderr);
    let explained = govscore_in(c.dir.path(), &["explain", "慢速区", "--results", "report"]);
    assert!(
        explained
            .stdout
            .contains("抓取提前结束：连续5个页面请求超时"),
        "{}",
        explained.stdout
    );
}

/// `--site-timeout` bounds one site's crawl whatever its pages do: here every page answers
/// (in 300 ms), but the site's two seconds run out long before its forty pages are fetched.
#[test]
fn a_site_timeout_bounds_one_sites_crawl() {
    let page = Reply::Slow(
        std::time::Duration::from_millis(300),
        Box::new(Reply::html("<p>页</p>")),
    );
    let server = Server::start_with(|_| common::homepage_and_pages(40, "p", page));
    let c = crawl(
        &[site(&server, "限时区")],
        &args(&["--site-timeout", "2s", "--per-host", "1", "--probes", "3"]),
    );
    assert_eq!(c.code, 0, "{}", c.stderr);
    let pages = server
        .seen()
        .iter()
        .filter(|s| s.path.starts_with("/p"))
        .count();
    assert!(pages < 40, "{pages} pages requested");
    let done = &c.of("site")[0];
    assert_eq!(done["status"], "ok", "{done}");
    assert_eq!(done["cut_short"]["kind"], "deadline", "{done}");
    assert!(c.of("probe").is_empty(), "no probe after the time ran out");
}

/// Two sites on one host, two ports: one asks for `Crawl-delay: 3`. Politeness is kept per
/// origin, as robots.txt speaks for an origin (RFC 9309), so the other port's site is not
/// slowed by it.
#[test]
fn one_ports_crawl_delay_does_not_slow_another_port() {
    let pages = |n: usize| common::homepage_and_pages(n, "p", Reply::html("<p>页</p>"));
    let slow = Server::start_with(|_| {
        let mut r = pages(2);
        r.push((
            "/robots.txt".to_owned(),
            Reply::bytes(
                200,
                "text/plain",
                b"User-agent: *\nCrawl-delay: 3\n".to_vec(),
            ),
        ));
        r
    });
    let fast = Server::start_with(|_| pages(4));
    let c = crawl(
        &[site(&slow, "慢端口区"), site(&fast, "快端口区")],
        &args(&["--per-host", "1"]),
    );
    assert_eq!(c.code, 0, "{}", c.stderr);
    let span = |server: &Server| {
        let seen = server.seen();
        let first = seen.iter().map(|s| s.at).min().unwrap();
        let last = seen.iter().map(|s| s.at).max().unwrap();
        last - first
    };
    // The slow port's three pages wait out its Crawl-delay...
    assert!(
        span(&slow) >= std::time::Duration::from_secs(5),
        "{:?}",
        span(&slow)
    );
    // ...while the other port's six requests do not.
    assert_eq!(
        fast.seen().len(),
        6,
        "robots.txt, the homepage and four pages"
    );
    assert!(
        span(&fast) < std::time::Duration::from_secs(2),
        "{:?}",
        span(&fast)
    );
}

/// A 6to4 address (`2002::/16`) carries an IPv4 address a relay delivers to: one that embeds
/// 127.0.0.1 is loopback, refused like 127.0.0.1 itself.
#[test]
fn six_to_four_addresses_embedding_private_ones_are_refused() {
    let server = Server::start(vec![("/", Reply::html("<p>首页</p>"))]);
    let line = format!("http://[2002:7f00:1::1]:{}/ district 隧道区", server.port);
    let c = crawl(&[line], &[]);
    assert_eq!(c.code, 0, "{}", c.stderr);
    let s = &c.of("site")[0];
    assert_eq!(s["status"], "unreachable");
    assert!(s["reason"].as_str().unwrap().contains("loopback"), "{s}");
}

/// A server that answers, but not in HTTP: its error has a class of its own (`protocol`)
/// and a reason in plain words, not the HTTP library's chain of messages under `other`.
#[test]
fn malformed_http_has_a_class_and_a_plain_reason() {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let _ = stream.write_all(b"HTTP/9.9 OK-ish\r\nnot a header\r\n\r\nhello");
        }
    });
    let line = format!("http://127.0.0.1:{port}/ district 乱码区");
    let c = crawl(&[line], &args(&["--retries", "0"]));
    assert_eq!(c.code, 0, "{}", c.stderr);
    let s = &c.of("site")[0];
    assert_eq!(s["status"], "unreachable", "{s}");
    let robots = c.fetch(&format!("http://127.0.0.1:{port}/robots.txt"));
    assert_eq!(robots["error"]["class"], "protocol", "{robots:#}");
    assert!(
        s["reason"]
            .as_str()
            .unwrap()
            .starts_with("the server's answer is not valid HTTP"),
        "{s}"
    );
}

/// A site whose name does not resolve is reported with the DNS failure, in plain words and
/// its own class, not as a robots.txt problem (robots.txt is only where the failure was met).
#[test]
fn a_name_that_does_not_resolve_is_the_reason_not_robots_txt() {
    let c = crawl(
        &["http://www.nosuch-site.invalid/ district 无名区".to_owned()],
        &args(&["--retries", "0"]),
    );
    assert_eq!(c.code, 0, "{}", c.stderr);
    let s = &c.of("site")[0];
    assert_eq!(s["status"], "unreachable", "{s}");
    assert_eq!(s["cause"]["kind"], "fetch", "{s}");
    assert_eq!(s["cause"]["class"], "dns", "{s}");
    let reason = s["reason"].as_str().unwrap();
    assert!(!reason.starts_with("error sending request"), "{reason}");
    assert!(!reason.starts_with("robots.txt"), "{reason}");
    let score = govscore_in(
        c.dir.path(),
        &[
            "score",
            "--crawl",
            "crawl",
            "--out",
            "report",
            "--as-of",
            "2026-11-20",
            "-q",
        ],
    );
    assert_eq!(score.code, 0, "{}", score.stderr);
    let md = std::fs::read_to_string(c.dir.path().join("report/report.md")).unwrap();
    assert!(md.contains("无名区 — 无法访问：域名无法解析"), "{md}");
}
