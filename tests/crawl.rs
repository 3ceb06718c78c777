//! `govscore crawl` against fixture servers on 127.0.0.1: each behaviour of the crawler in
//! its own test, asserting on the server's request log, the crawl log and the WARC files.

mod common;

use std::time::Duration;

use common::{Reply, Server, closed_port, crawl, gbk, resolve_arg};

use common::{loopback_args as args, site_line as site};

#[test]
fn a_gbk_page_with_its_charset_only_in_meta_is_decoded() {
    let home = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">\
                <title>示例市人民政府</title></head><body><a href=\"/tzgg/\">通知公告</a></body></html>";
    let server = Server::start(vec![
        ("/", Reply::bytes(200, "text/html", gbk(home))),
        (
            "/tzgg/",
            Reply::bytes(
                200,
                "text/html",
                gbk("<meta charset=gbk><p>[2026-11-20] 关于开展评估的通知</p>"),
            ),
        ),
    ]);
    let c = crawl(&[site(&server, "示例市")], &args(&[]));
    assert_eq!(c.code, 0, "{}", c.stderr);
    let home_fetch = c.fetch(&server.url("/"));
    assert_eq!(home_fetch["charset"], "GBK");
    assert_eq!(home_fetch["charset_source"], "meta");
    // The anchor text was decoded: the link is recorded with its Chinese text, and followed.
    assert_eq!(c.link(&server.url("/tzgg/"))["text"], "通知公告");
    assert_eq!(server.hits("/tzgg/").len(), 1);
    // The archive keeps the bytes as served.
    let raw = c.warc_text();
    assert!(raw.contains("charset=gb2312"));
}

#[test]
fn robots_disallow_is_never_fetched_and_crawl_delay_is_honoured() {
    let server = Server::start(vec![
        (
            "/robots.txt",
            Reply::bytes(
                200,
                "text/plain",
                b"User-agent: *\nDisallow: /private/\nCrawl-delay: 1\n".to_vec(),
            ),
        ),
        (
            "/",
            Reply::html(
                "<a href=\"/private/secret.html\">内部</a><a href=\"/a.html\">甲</a><a href=\"/b.html\">乙</a>",
            ),
        ),
        ("/a.html", Reply::html("a")),
        ("/b.html", Reply::html("b")),
        ("/private/secret.html", Reply::html("secret")),
    ]);
    let c = crawl(&[site(&server, "甲区")], &args(&[]));
    assert_eq!(c.code, 0, "{}", c.stderr);
    assert!(
        server.hits("/private/secret.html").is_empty(),
        "{:?}",
        server.seen()
    );
    let disallowed = c.of("disallowed");
    assert_eq!(disallowed.len(), 1);
    assert_eq!(disallowed[0]["url"], server.url("/private/secret.html"));
    let robots = &c.of("robots_file")[0];
    assert_eq!(robots["crawl_delay"], 1.0);
    assert_eq!(robots["interval_ms"], 1000);
    // Requests after robots.txt start at least the Crawl-delay apart.
    let seen = server.seen();
    let starts: Vec<_> = seen
        .iter()
        .filter(|s| s.path != "/robots.txt")
        .map(|s| s.at)
        .collect();
    assert!(starts.len() >= 3, "{seen:?}");
    for pair in starts.windows(2) {
        assert!(pair[1] - pair[0] >= Duration::from_millis(950), "{seen:?}");
    }
}

#[test]
fn a_redirect_loop_is_detected() {
    let server = Server::start(
        vec![
            (
                "/",
                Reply::html("<a href=\"/loop-a\">环</a><a href=\"/r/1\">长链</a>"),
            ),
            ("/loop-a", Reply::redirect("/loop-b")),
            ("/loop-b", Reply::redirect("/loop-a")),
        ]
        .into_iter()
        .chain((1..=12).map(|i| {
            let path: &'static str = Box::leak(format!("/r/{i}").into_boxed_str());
            (path, Reply::redirect(&format!("/r/{}", i + 1)))
        }))
        .collect(),
    );
    let c = crawl(&[site(&server, "甲区")], &args(&[]));
    assert_eq!(c.code, 0, "{}", c.stderr);
    let fetch = c.fetch(&server.url("/loop-a"));
    assert_eq!(fetch["error"]["class"], "redirect_loop");
    assert_eq!(server.hits("/loop-a").len(), 1);
    let long = c.fetch(&server.url("/r/1"));
    assert_eq!(long["error"]["class"], "too_many_redirects");
    assert!(
        server.hits("/r/12").is_empty(),
        "stopped after ten redirects"
    );
    assert!(!c.link(&server.url("/loop-a"))["ok"].as_bool().unwrap());
}

#[test]
fn redirects_to_private_and_metadata_addresses_are_refused() {
    let server = Server::start(vec![
        (
            "/",
            Reply::html("<a href=\"/intranet\">内网</a><a href=\"/metadata\">元数据</a>"),
        ),
        ("/intranet", Reply::redirect("http://10.0.0.1/")),
        (
            "/metadata",
            Reply::redirect("http://169.254.169.254/latest/meta-data/"),
        ),
    ]);
    let moved = Server::start(vec![(
        "/",
        Reply::redirect("http://[::ffff:169.254.169.254]/"),
    )]);
    let c = crawl(&[site(&server, "甲区"), site(&moved, "乙区")], &args(&[]));
    assert_eq!(c.code, 0, "{}", c.stderr);
    for path in ["/intranet", "/metadata"] {
        let fetch = c.fetch(&server.url(path));
        assert_eq!(fetch["error"]["class"], "refused", "{fetch}");
    }
    assert!(
        c.fetch(&server.url("/intranet"))["error"]["message"]
            .as_str()
            .unwrap()
            .contains("10.0.0.1 is a private address")
    );
    assert!(
        c.fetch(&server.url("/metadata"))["error"]["message"]
            .as_str()
            .unwrap()
            .contains("169.254.169.254 is a link-local address")
    );
    let unreachable: Vec<_> = c
        .of("site")
        .into_iter()
        .filter(|s| s["status"] == "unreachable")
        .collect();
    assert_eq!(unreachable.len(), 1);
    assert!(
        unreachable[0]["reason"]
            .as_str()
            .unwrap()
            .contains("link-local"),
        "{}",
        unreachable[0]
    );
}

#[test]
fn loopback_is_refused_without_allow_net() {
    let server = Server::start(vec![("/", Reply::html("hi"))]);
    let c = crawl(&[site(&server, "甲区")], &[]);
    assert_eq!(c.code, 0, "{}", c.stderr);
    let s = &c.of("site")[0];
    assert_eq!(s["status"], "unreachable");
    assert!(
        s["reason"]
            .as_str()
            .unwrap()
            .contains("127.0.0.1 is a loopback address"),
        "{s}"
    );
    assert!(server.seen().is_empty());
}

#[test]
fn a_response_slower_than_the_timeout_is_a_timeout() {
    let server = Server::start(vec![
        ("/", Reply::html("<a href=\"/slow.html\">慢</a>")),
        (
            "/slow.html",
            Reply::Slow(Duration::from_secs(4), Box::new(Reply::html("late"))),
        ),
    ]);
    let c = crawl(
        &[site(&server, "甲区")],
        &args(&["--timeout", "1s", "--retries", "1"]),
    );
    assert_eq!(c.code, 0, "{}", c.stderr);
    let fetch = c.fetch(&server.url("/slow.html"));
    assert_eq!(fetch["error"]["class"], "timeout", "{fetch}");
    assert_eq!(fetch["attempts"], 2, "timeouts are retried");
    assert_eq!(server.hits("/slow.html").len(), 2);
}

#[test]
fn a_body_larger_than_the_cap_is_cut() {
    let big = format!("<html><body>{}</body></html>", "政".repeat(1_000_000));
    let server = Server::start(vec![
        ("/", Reply::html("<a href=\"/big.html\">大</a>")),
        ("/big.html", Reply::html(&big)),
    ]);
    let c = crawl(&[site(&server, "甲区")], &args(&["--max-bytes", "1MiB"]));
    assert_eq!(c.code, 0, "{}", c.stderr);
    let fetch = c.fetch(&server.url("/big.html"));
    assert_eq!(fetch["bytes"], 1024 * 1024);
    assert_eq!(fetch["truncated"], true);
    // The `warc` crate writes field names in lower case; WARC field names are case-insensitive.
    assert!(
        c.warc_text()
            .to_ascii_lowercase()
            .contains("warc-truncated: length")
    );
}

#[test]
fn a_gzip_bomb_stops_at_the_cap() {
    // 64 MiB of zeros compress to about 64 KiB; the crawler must stop at 1 MiB decompressed.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let zeros = vec![0u8; 1024 * 1024];
    for _ in 0..64 {
        std::io::Write::write_all(&mut gz, &zeros).unwrap();
    }
    let bomb = gz.finish().unwrap();
    assert!(bomb.len() < 1024 * 1024);
    let server = Server::start(vec![
        ("/", Reply::html("<a href=\"/bomb.html\">炸弹</a>")),
        (
            "/bomb.html",
            Reply::bytes(200, "text/html", bomb).with_header("content-encoding", "gzip"),
        ),
    ]);
    let c = crawl(&[site(&server, "甲区")], &args(&["--max-bytes", "1MiB"]));
    assert_eq!(c.code, 0, "{}", c.stderr);
    let fetch = c.fetch(&server.url("/bomb.html"));
    assert_eq!(fetch["bytes"], 1024 * 1024);
    assert_eq!(fetch["truncated"], true);
}

#[test]
fn a_500_is_retried_until_it_succeeds() {
    let server = Server::start(vec![
        ("/", Reply::html("<a href=\"/flaky.html\">时好时坏</a>")),
        (
            "/flaky.html",
            Reply::Sequence(vec![Reply::status(500), Reply::html("fine now")]),
        ),
    ]);
    let c = crawl(&[site(&server, "甲区")], &args(&[]));
    assert_eq!(c.code, 0, "{}", c.stderr);
    let fetch = c.fetch(&server.url("/flaky.html"));
    assert_eq!(fetch["status"], 200);
    assert_eq!(fetch["attempts"], 2);
    assert_eq!(server.hits("/flaky.html").len(), 2);
    assert!(c.link(&server.url("/flaky.html"))["ok"].as_bool().unwrap());
}

#[test]
fn a_429_waits_for_retry_after() {
    let server = Server::start(vec![
        ("/", Reply::html("<a href=\"/busy.html\">忙</a>")),
        (
            "/busy.html",
            Reply::Sequence(vec![
                Reply::status(429).with_header("retry-after", "1"),
                Reply::html("ok"),
            ]),
        ),
    ]);
    let c = crawl(&[site(&server, "甲区")], &args(&[]));
    assert_eq!(c.code, 0, "{}", c.stderr);
    let fetch = c.fetch(&server.url("/busy.html"));
    assert_eq!(
        (fetch["status"].as_u64(), fetch["attempts"].as_u64()),
        (Some(200), Some(2))
    );
    let hits = server.hits("/busy.html");
    assert!(
        hits[1].at - hits[0].at >= Duration::from_millis(950),
        "{hits:?}"
    );
}

#[test]
fn broken_internal_and_external_links_are_recorded_with_their_page() {
    let other = Server::start(vec![("/ok.html", Reply::html("ok"))]);
    let dead_port = closed_port();
    let home = format!(
        "<a href=\"/missing.html\">坏</a><a href=\"/list.html\">列表</a>\
         <a href=\"http://www.other-city.gov.cn:{p}/ok.html\">外站</a>\
         <a href=\"http://www.other-city.gov.cn:{p}/gone.html\">外站坏链</a>\
         <a href=\"http://127.0.0.1:{dead_port}/\">连不上</a>",
        p = other.port
    );
    let server = Server::start(vec![
        ("/", Reply::html(&home)),
        (
            "/list.html",
            Reply::html("<a href=\"/deep-missing.html\">深处坏链</a>"),
        ),
    ]);
    let resolve = resolve_arg("www.other-city.gov.cn", &other);
    let c = crawl(&[site(&server, "甲区")], &args(&["--resolve", &resolve]));
    assert_eq!(c.code, 0, "{}", c.stderr);
    let home_url = server.url("/");
    let missing = c.link(&server.url("/missing.html"));
    assert_eq!(
        (
            missing["status"].as_u64(),
            missing["ok"].as_bool(),
            missing["on_homepage"].as_bool()
        ),
        (Some(404), Some(false), Some(true))
    );
    assert_eq!(missing["from"], home_url);
    let deep = c.link(&server.url("/deep-missing.html"));
    assert_eq!(
        (deep["ok"].as_bool(), deep["on_homepage"].as_bool()),
        (Some(false), Some(false))
    );
    assert_eq!(deep["from"], server.url("/list.html"));
    let ext_ok = c.link(&format!(
        "http://www.other-city.gov.cn:{}/ok.html",
        other.port
    ));
    assert_eq!(
        (ext_ok["ok"].as_bool(), ext_ok["internal"].as_bool()),
        (Some(true), Some(false))
    );
    let ext_bad = c.link(&format!(
        "http://www.other-city.gov.cn:{}/gone.html",
        other.port
    ));
    assert_eq!(
        (ext_bad["status"].as_u64(), ext_bad["ok"].as_bool()),
        (Some(404), Some(false))
    );
    let dead = c.link(&format!("http://127.0.0.1:{dead_port}/"));
    assert_eq!(dead["error"]["class"], "connect", "{dead}");
    // External links are checked, never crawled: HEAD only.
    assert!(
        other.seen().iter().all(|s| s.method == "HEAD"),
        "{:?}",
        other.seen()
    );
}

#[test]
fn a_pdf_attachment_is_checked_not_downloaded() {
    let pdf = vec![b'%'; 2 * 1024 * 1024];
    let server = Server::start(vec![
        (
            "/",
            Reply::html(
                "<a href=\"/files/report.pdf\">年报</a><a href=\"/files/old.doc\">旧文件</a>",
            ),
        ),
        (
            "/files/report.pdf",
            Reply::bytes(200, "application/pdf", pdf.clone()),
        ),
        (
            "/files/old.doc",
            Reply::Sequence(vec![
                Reply::status(405),
                Reply::bytes(200, "application/msword", pdf),
            ]),
        ),
    ]);
    let c = crawl(&[site(&server, "甲区")], &args(&[]));
    assert_eq!(c.code, 0, "{}", c.stderr);
    let hits: Vec<String> = server
        .hits("/files/report.pdf")
        .iter()
        .map(|s| s.method.clone())
        .collect();
    assert_eq!(hits, ["HEAD"]);
    assert!(
        c.link(&server.url("/files/report.pdf"))["ok"]
            .as_bool()
            .unwrap()
    );
    // A server refusing HEAD gets a GET, read only as far as the link-check cap.
    let methods: Vec<String> = server
        .hits("/files/old.doc")
        .iter()
        .map(|s| s.method.clone())
        .collect();
    assert_eq!(methods, ["HEAD", "GET"]);
    let get = c
        .of("fetch")
        .into_iter()
        .find(|e| e["url"] == server.url("/files/old.doc") && e["method"] == "GET")
        .unwrap();
    assert!(get["bytes"].as_u64().unwrap() <= 64 * 1024);
    assert!(
        c.link(&server.url("/files/old.doc"))["ok"]
            .as_bool()
            .unwrap()
    );
}

#[test]
fn subdomains_are_in_scope_and_other_domains_are_not() {
    // One server answers every name; the Host header tells the sites apart.
    let server = Server::start_with(|port| {
        vec![
            (
                "www.example-city.gov.cn /".to_owned(),
                Reply::html(&format!(
                    "<a href=\"http://xxgk.example-city.gov.cn:{port}/list.html\">信息公开</a>\
                     <a href=\"http://www.other-city.gov.cn:{port}/\">兄弟城市</a>"
                )),
            ),
            (
                "xxgk.example-city.gov.cn /list.html".to_owned(),
                Reply::html("<p>目录</p>"),
            ),
            (
                "www.other-city.gov.cn /".to_owned(),
                Reply::html("<p>兄弟城市</p>"),
            ),
        ]
    });
    let p = server.port;
    let names = [
        "www.example-city.gov.cn",
        "xxgk.example-city.gov.cn",
        "www.other-city.gov.cn",
    ];
    let resolves: Vec<String> = names.iter().map(|h| resolve_arg(h, &server)).collect();
    let mut extra: Vec<&str> = Vec::new();
    for r in &resolves {
        extra.extend(["--resolve", r.as_str()]);
    }
    let c = crawl(
        &[format!(
            "http://www.example-city.gov.cn:{p}/ sub-provincial 示例市"
        )],
        &args(&extra),
    );
    assert_eq!(c.code, 0, "{}", c.stderr);
    let seen: Vec<(String, String, String)> = server
        .seen()
        .iter()
        .map(|s| (s.host.clone(), s.method.clone(), s.path.clone()))
        .collect();
    assert!(
        seen.contains(&(
            "xxgk.example-city.gov.cn".into(),
            "GET".into(),
            "/list.html".into()
        )),
        "{seen:?}"
    );
    // The other city is recorded as an outlink and only status-checked.
    let other: Vec<_> = seen
        .iter()
        .filter(|s| s.0 == "www.other-city.gov.cn")
        .collect();
    assert_eq!(
        other,
        [&(
            "www.other-city.gov.cn".to_owned(),
            "HEAD".to_owned(),
            "/".to_owned()
        )],
        "{seen:?}"
    );
    let outlinks = c.of("outlink");
    assert_eq!(outlinks.len(), 1, "{outlinks:?}");
    assert_eq!(
        outlinks[0]["url"],
        format!("http://www.other-city.gov.cn:{p}/")
    );
    assert!(
        c.link(&format!("http://xxgk.example-city.gov.cn:{p}/list.html"))["internal"]
            .as_bool()
            .unwrap()
    );
    assert!(
        !c.link(&format!("http://www.other-city.gov.cn:{p}/"))["internal"]
            .as_bool()
            .unwrap()
    );
}

#[test]
fn an_unreachable_site_is_a_result_not_a_failure() {
    let port = closed_port();
    let ok = Server::start(vec![("/", Reply::html("ok"))]);
    let c = crawl(
        &[
            format!("http://127.0.0.1:{port}/ district 关门区"),
            site(&ok, "开门区"),
        ],
        &args(&["--retries", "0"]),
    );
    assert_eq!(c.code, 0, "{}", c.stderr);
    assert!(c.stdout.contains("(1 unreachable)"), "{}", c.stdout);
    let sites = c.of("site");
    let closed = sites.iter().find(|s| s["name"] == "关门区").unwrap();
    assert_eq!(closed["status"], "unreachable");
    let open = sites.iter().find(|s| s["name"] == "开门区").unwrap();
    assert_eq!(open["status"], "ok");
}

#[test]
fn probes_fetch_the_homepage_again() {
    let server = Server::start(vec![("/", Reply::html("ok"))]);
    let c = crawl(
        &[site(&server, "甲区")],
        &args(&["--probes", "3", "--probe-interval", "10ms"]),
    );
    assert_eq!(c.code, 0, "{}", c.stderr);
    let probes = c.of("probe");
    assert_eq!(probes.len(), 3);
    assert!(probes.iter().all(|p| p["status"] == 200));
    assert_eq!(server.hits("/").len(), 4);
}

#[test]
fn a_robots_txt_answering_5xx_closes_the_origin() {
    let server = Server::start(vec![
        ("/robots.txt", Reply::status(503)),
        ("/", Reply::html("ok")),
    ]);
    let c = crawl(&[site(&server, "甲区")], &args(&["--retries", "0"]));
    assert_eq!(c.code, 0, "{}", c.stderr);
    assert!(server.hits("/").is_empty());
    let s = &c.of("site")[0];
    assert_eq!(s["status"], "unreachable");
    assert!(s["reason"].as_str().unwrap().contains("robots.txt"), "{s}");
}

#[test]
fn the_warc_files_pass_warcio_check_and_index() {
    let Some(warcio) = common::warcio() else {
        return;
    };
    let home = "<meta charset=gbk><a href=\"/tzgg/\">通知公告</a><a href=\"/big.html\">大</a><a href=\"/files/a.pdf\">附件</a><a href=\"/moved\">搬家</a>";
    let server = Server::start(vec![
        ("/", Reply::bytes(200, "text/html", gbk(home))),
        ("/tzgg/", Reply::html("<p>[2026-11-20] 通知</p>")),
        ("/big.html", Reply::html(&"x".repeat(300_000))),
        (
            "/files/a.pdf",
            Reply::bytes(200, "application/pdf", vec![b'%'; 1000]),
        ),
        ("/moved", Reply::redirect("/tzgg/")),
    ]);
    let c = crawl(&[site(&server, "甲区")], &args(&["--max-bytes", "100KiB"]));
    assert_eq!(c.code, 0, "{}", c.stderr);
    let index = common::warcio_check_and_index(&warcio, &c.out());
    let targets: Vec<(&str, &str)> = index
        .iter()
        .filter_map(|e| {
            Some((
                e["warc-type"].as_str()?,
                e.get("warc-target-uri")
                    .and_then(|v| v.as_str())
                    .unwrap_or(""),
            ))
        })
        .collect();
    assert_eq!(targets[0].0, "warcinfo");
    let home_url = server.url("/");
    assert!(targets.contains(&("request", home_url.as_str())));
    assert!(targets.contains(&("response", home_url.as_str())));
    let requests = targets.iter().filter(|t| t.0 == "request").count();
    let responses = targets.iter().filter(|t| t.0 == "response").count();
    assert_eq!(requests, responses);
}

#[test]
fn a_crawl_killed_midway_resumes_where_it_stopped() {
    // Four slow sites crawled one at a time, so the kill lands after the first is done and
    // while another is in progress.
    let slow = |body: &str| Reply::Slow(Duration::from_millis(150), Box::new(Reply::html(body)));
    let home = (1..=6)
        .map(|i| format!("<a href=\"/p{i}.html\">第{i}页</a>"))
        .collect::<String>();
    let servers: Vec<Server> = (0..4)
        .map(|_| {
            let mut routes = vec![("/", slow(&home))];
            for i in 1..=6 {
                let path: &'static str = Box::leak(format!("/p{i}.html").into_boxed_str());
                routes.push((path, slow("<p>内容</p>")));
            }
            Server::start(routes)
        })
        .collect();
    let sites: Vec<String> = servers
        .iter()
        .enumerate()
        .map(|(i, s)| site(s, &format!("第{i}区")))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let sites_file = dir.path().join("sites.txt");
    std::fs::write(&sites_file, sites.join("\n") + "\n").unwrap();
    let out = dir.path().join("crawl");
    let run_args = [
        "crawl",
        "--sites",
        sites_file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--allow-net",
        "127.0.0.0/8",
        "--delay",
        "0",
        "--sites-in-flight",
        "1",
        "--concurrency",
        "1",
        "--per-host",
        "1",
    ];
    let mut child = std::process::Command::new(common::govscore_path())
        .args(run_args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let done = |p: &std::path::Path| -> usize {
        std::fs::read_dir(p.join("warc")).map_or(0, |d| {
            d.filter(|e| {
                e.as_ref()
                    .unwrap()
                    .path()
                    .to_string_lossy()
                    .ends_with(".warc.gz")
            })
            .count()
        })
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while done(&out) < 1 {
        assert!(
            std::time::Instant::now() < deadline,
            "no site finished in time"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // Let the next site get under way, then kill without warning.
    std::thread::sleep(Duration::from_millis(400));
    child.kill().unwrap();
    child.wait().unwrap();
    let finished_before = done(&out);
    assert!((1..4).contains(&finished_before), "{finished_before}");
    let homepage_hits_before: Vec<usize> = servers.iter().map(|s| s.hits("/").len()).collect();

    let second = common::finish(common::govscore_cmd().args(run_args));
    assert_eq!(second.code, 0, "{}", second.stderr);
    let stdout = &second.stdout;
    assert!(
        stdout.contains(&format!("{finished_before} finished earlier")),
        "{stdout}"
    );
    assert_eq!(done(&out), 4);
    // Nothing half-written is left, and finished sites were not fetched again.
    for sub in ["warc", "log"] {
        for entry in std::fs::read_dir(out.join(sub)).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            assert!(!name.ends_with(".part"), "{name} left behind");
        }
    }
    let refetched: Vec<bool> = servers
        .iter()
        .zip(&homepage_hits_before)
        .map(|(s, before)| s.hits("/").len() > *before)
        .collect();
    assert_eq!(
        refetched.iter().filter(|r| !**r).count(),
        finished_before,
        "{refetched:?}"
    );
    // Every site's log ends with its outcome, and every WARC reads to the end.
    let c = common::Crawl {
        dir,
        code: 0,
        stdout: stdout.clone(),
        stderr: String::new(),
    };
    assert_eq!(c.of("site").len(), 4);
    let text = c.warc_text().to_ascii_lowercase();
    assert_eq!(text.matches("warc-type: warcinfo").count(), 4);
    if let Some(warcio) = common::warcio() {
        common::warcio_check_and_index(&warcio, &c.out());
    }
}

#[test]
fn redirect_hops_obey_robots_and_raw_utf8_locations_are_followed() {
    let server = Server::start(vec![
        // An absurd Crawl-delay must be capped, not crash the crawl.
        (
            "/robots.txt",
            Reply::bytes(
                200,
                "text/plain",
                b"User-agent: *\nDisallow: /private/\nCrawl-delay: 99999999999999999999\n".to_vec(),
            ),
        ),
        (
            "/",
            Reply::html("<a href=\"/go\">跳转</a><a href=\"/cn\">中文地址</a>"),
        ),
        ("/go", Reply::redirect("/private/x.html")),
        ("/private/x.html", Reply::html("secret")),
        ("/cn", Reply::redirect("/新闻/index.html")),
        ("/%E6%96%B0%E9%97%BB/index.html", Reply::html("<p>新闻</p>")),
    ]);
    let c = crawl(
        &[site(&server, "甲区")],
        &args(&["--max-crawl-delay", "100ms"]),
    );
    assert_eq!(c.code, 0, "{}", c.stderr);
    assert_eq!(c.of("robots_file")[0]["interval_ms"], 100);
    let go = c.fetch(&server.url("/go"));
    assert_eq!(go["error"]["class"], "disallowed", "{go}");
    assert!(server.hits("/private/x.html").is_empty());
    let cn = c.fetch(&server.url("/cn"));
    assert_eq!(cn["status"], 200, "{cn}");
    assert_eq!(
        cn["final_url"],
        server.url("/%E6%96%B0%E9%97%BB/index.html")
    );
}

#[test]
fn an_untrusted_certificate_is_a_final_tls_error_and_a_trusted_one_works() {
    let tls = common::Tls::for_hosts(&["www.example-city.gov.cn"]);
    let server = Server::start_tls(&tls, |_| vec![("/".to_owned(), Reply::html("<p>安全</p>"))]);
    let line = format!(
        "https://www.example-city.gov.cn:{}/ district 示例市",
        server.port
    );
    let resolve = resolve_arg("www.example-city.gov.cn", &server);
    let c = crawl(std::slice::from_ref(&line), &args(&["--resolve", &resolve]));
    assert_eq!(c.code, 0, "{}", c.stderr);
    let robots = c.fetch(&format!(
        "https://www.example-city.gov.cn:{}/robots.txt",
        server.port
    ));
    assert_eq!(robots["error"]["class"], "tls", "{robots}");
    assert_eq!(robots["attempts"], 1, "TLS failures are not retried");
    assert_eq!(c.of("site")[0]["status"], "unreachable");

    let ca = c.dir.path().join("ca.pem");
    std::fs::write(&ca, &tls.ca_pem).unwrap();
    let trusted = crawl(
        &[line],
        &args(&["--resolve", &resolve, "--ca-cert", ca.to_str().unwrap()]),
    );
    assert_eq!(trusted.code, 0, "{}", trusted.stderr);
    assert_eq!(trusted.of("site")[0]["status"], "ok");
    assert_eq!(
        trusted.fetch(&format!("https://www.example-city.gov.cn:{}/", server.port))["status"],
        200
    );
}

#[test]
fn a_crawl_folder_refuses_another_site_list() {
    let server = Server::start(vec![("/", Reply::html("ok"))]);
    let first = crawl(&[site(&server, "甲区")], &args(&[]));
    assert_eq!(first.code, 0, "{}", first.stderr);
    let other = common::crawl_in(first.dir, &[site(&server, "乙区")], &args(&[]));
    assert_eq!(other.code, 2, "{}", other.stderr);
    assert!(
        other
            .stderr
            .contains("holds a crawl of a different site list"),
        "{}",
        other.stderr
    );
}

/// Links to the province's service platform are followed on the platform's own budget (the
/// indicator file's `platform` section): at most `max_pages` pages, `max_depth` links deep
/// from the page the portal links to, logged as platform pages; their own links are neither
/// checked nor followed off the platform.
#[test]
fn the_service_platform_is_crawled_on_its_own_budget() {
    const PLATFORM: &str = "www.testzwfw.gov.cn";
    let indicators = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("indicators.yaml"),
    )
    .unwrap()
    .replace(
        "  max_pages: 40\n  max_depth: 2\n",
        "  max_pages: 5\n  max_depth: 1\n",
    );
    assert!(indicators.contains("max_pages: 5"));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("indicators.yaml");
    std::fs::write(&file, indicators).unwrap();
    let server = Server::start_with(|port| {
        let platform = |path: &str| format!("{PLATFORM} {path}");
        let mut routes = vec![(
            "/".to_owned(),
            Reply::html(&format!(
                "<a href=\"http://{PLATFORM}:{port}/zwfw/\">政务服务</a><a href=\"/news/\">要闻动态</a>"
            )),
        )];
        routes.push(("/news/".to_owned(), Reply::html("<p>要闻</p>")));
        // The platform's entry links to eight pages, each to a deeper one and off-platform.
        let entry: String = (1..=8)
            .map(|i| format!("<a href=\"/zwfw/{i}.html\">事项{i}</a>"))
            .collect();
        routes.push((platform("/zwfw/"), Reply::html(&entry)));
        for i in 1..=8 {
            routes.push((
                platform(&format!("/zwfw/{i}.html")),
                Reply::html(&format!(
                    "<a href=\"/zwfw/deep{i}.html\">更深</a><a href=\"http://www.other.gov.cn/\">别处</a>"
                )),
            ));
        }
        routes
    });
    let c = crawl(
        &[site(&server, "示例市")],
        &args(&[
            "--indicators",
            file.to_str().unwrap(),
            "--resolve",
            &resolve_arg(PLATFORM, &server),
        ]),
    );
    assert_eq!(c.code, 0, "{}", c.stderr);
    let platform_pages: Vec<serde_json::Value> = c
        .of("fetch")
        .into_iter()
        .filter(|f| f["platform"] == true)
        .collect();
    let urls: Vec<&str> = platform_pages
        .iter()
        .map(|f| f["url"].as_str().unwrap())
        .collect();
    assert_eq!(platform_pages.len(), 5, "{urls:?}");
    assert!(urls[0].ends_with("/zwfw/"), "{urls:?}");
    assert!(
        platform_pages
            .iter()
            .all(|f| f["depth"].as_u64().unwrap() <= 1)
    );
    // Nothing deeper than the budget, nothing off the platform.
    assert!(server.hits("/zwfw/deep1.html").is_empty());
    assert!(
        !c.of("link")
            .iter()
            .any(|l| l["url"] == "http://www.other.gov.cn/")
    );
    // The portal's own pages are not platform pages.
    assert!(c.fetch(&server.url("/news/")).get("platform").is_none());
}

/// A link check that gets no answer is tried again once at most, whatever `--retries`: the
/// link stays unverified either way, and an offline crawl must not wait out every retry.
#[test]
fn unanswered_link_checks_are_retried_once_at_most() {
    let dead_port = closed_port();
    let server = Server::start(vec![(
        "/",
        Reply::html(&format!(
            "<a href=\"http://127.0.0.1:{dead_port}/\">连不上</a>"
        )),
    )]);
    let c = crawl(&[site(&server, "甲区")], &args(&["--retries", "3"]));
    assert_eq!(c.code, 0, "{}", c.stderr);
    let dead = format!("http://127.0.0.1:{dead_port}/");
    let check = c
        .of("fetch")
        .into_iter()
        .find(|f| f["url"] == dead.as_str())
        .unwrap();
    assert_eq!(check["purpose"], "link_check", "{check}");
    assert_eq!(check["error"]["class"], "connect", "{check}");
    assert_eq!(check["attempts"], 2, "{check}");
}

/// More sites in flight than the open-file limit can hold: the crawl raises the soft limit
/// as far as the hard one allows, and where that is not enough it stops before opening
/// anything, saying what to lower. (`ulimit -n` in the shell sets both limits.)
#[test]
fn too_few_open_files_for_the_sites_in_flight_is_a_clear_error() {
    let server = Server::start(vec![("/", Reply::html("<p>首页</p>"))]);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("sites.txt"), site(&server, "示例区") + "\n").unwrap();
    let command = format!(
        "ulimit -n 256 && exec '{}' crawl --sites sites.txt --out crawl --allow-net 127.0.0.0/8 --sites-in-flight 1000",
        common::govscore_path().display()
    );
    let shell = std::process::Command::new("sh")
        .args(["-c", &command])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&shell.stderr);
    assert_ne!(shell.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("but the system allows 256")
            && stderr.contains("lower --sites-in-flight or --concurrency"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(server.seen().is_empty(), "nothing fetched");

    // Within the limit the same crawl runs.
    let command = command.replace(
        "--sites-in-flight 1000",
        "--sites-in-flight 8 --concurrency 16",
    );
    let shell = std::process::Command::new("sh")
        .args(["-c", &command])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        shell.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&shell.stderr)
    );
}
