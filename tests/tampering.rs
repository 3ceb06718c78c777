//! Signs of tampering (篡改) end to end, on generated sites served on loopback: spam in what a
//! page shows (a visible link to a gambling site, a head rewritten for search engines, a page
//! of spam words), a title that lost the site's name, a script from an unknown host — each
//! found with its page, element and quoted text — beside a decoy for each that a real
//! portal shows innocently (a 体育彩票公益金 notice, an anti-gambling notice, links to the
//! state lottery, statistics and 找错 scripts, a page of another template, a site whose titles
//! never name it). Evaluators' rulings: a dismissed finding no longer flags; a ruling that
//! names no finding is said, not ignored.

mod common;

use common::{Reply, Server, govscore_in};
use serde_json::Value;

const NAME: &str = "示例县人民政府";

/// The template every page of the tampered site shares: the head's scripts (one from a
/// host the domain's new owner added, the others trusted, governmental or the site's own)
/// and a hidden block of the 找错 service, a CMS credit and the conac mark.
fn page(title: &str, head: &str, body: &str) -> String {
    format!(
        "<html><head><title>{title}</title>{head}\
         <script src=\"/js/app.js\"></script>\
         <script src=\"https://hijack-example.net/js/kb.js\"></script>\
         <script src=\"https://hm.baidu.com/hm.js?0a1b\"></script>\
         <script src=\"http://pucha.kaipuyun.cn/exposure/jiucuo.js\"></script>\
         <script src=\"https://www.example.gov.cn/common.js\"></script>\
         </head><body>{body}\
         <div style=\"display:none\"><a href=\"http://121.43.68.40/exposure/jiucuo.html?site_code=1\">找错</a>\
         <a href=\"http://www.hanweb.com/\">Produced By 大汉网络</a>\
         <a href=\"https://bszs.conac.cn/sitename?method=show&id=1\">党政机关</a></div>\
         </body></html>"
    )
}

fn tampered_site() -> Server {
    let mut routes: Vec<(String, Reply)> = Vec::new();
    let mut list = String::from("<ul>");
    for n in 1..=12 {
        list.push_str(&format!(
            "<li><a href=\"/news/{n}.html\">新闻{n}</a><span>2026-11-{n:02}</span></li>"
        ));
    }
    list.push_str("</ul>");
    let home = page(
        NAME,
        &format!("<meta name=\"SiteName\" content=\"{NAME}\">"),
        "<div class=\"nav\"><a href=\"/news/\">新闻动态</a><a href=\"/zt/index.html\">专题</a></div>\
         <div class=\"links\"><a href=\"https://www.pj-example.com/\">澳门新葡京娱乐城</a>\
         <a href=\"http://www.lottery.gov.cn/\">中国体育彩票</a>\
         <a href=\"https://www.sporttery.cn/\">体育彩票</a>\
         <a href=\"/news/8.html\">关于2025年度体育彩票公益金使用情况的公告</a></div>",
    );
    routes.push(("/".into(), Reply::html(&home)));
    routes.push((
        "/news/".into(),
        Reply::html(&page(&format!("新闻动态-{NAME}"), "", &list)),
    ));
    for n in 1..=12 {
        let (title, head, body) = match n {
            // The head rewritten for search engines, the page's text untouched.
            7 => (
                "澳门百家乐官网_真人视讯平台".to_owned(),
                String::new(),
                "<p>县政府召开常务会议，研究部署冬季安全生产工作。</p>".to_owned(),
            ),
            // A bare title of the page's own words, carrying a word of the state lottery.
            8 => (
                "关于2025年度体育彩票公益金使用情况的公告".to_owned(),
                String::new(),
                "<h1>关于2025年度体育彩票公益金使用情况的公告</h1><p>现将体育彩票公益金使用情况公告如下。</p>"
                    .to_owned(),
            ),
            // A page of spam words.
            9 => (
                format!("新闻9-{NAME}"),
                String::new(),
                "<p>百家乐 娱乐城 时时彩 六合彩 老虎机 真人视讯 在线开户</p>".to_owned(),
            ),
            // An anti-gambling notice: three spam words in the county's own business.
            10 => (
                format!("新闻10-{NAME}"),
                String::new(),
                "<p>严禁利用棋牌室、彩票站进行赌博活动。</p>".to_owned(),
            ),
            // Keywords for search engines the page never says.
            11 => (
                format!("新闻11-{NAME}"),
                "<meta name=\"keywords\" content=\"娱乐城,百家乐,示例县\">".to_owned(),
                "<p>示例县新闻。</p>".to_owned(),
            ),
            _ => (format!("新闻{n}-{NAME}"), String::new(), format!("<p>新闻{n}正文。</p>")),
        };
        routes.push((
            format!("/news/{n}.html"),
            Reply::html(&page(&title, &head, &body)),
        ));
    }
    // A page of another template, alone in its folder: its title is its own.
    routes.push((
        "/zt/index.html".into(),
        Reply::html(&page("专题专栏", "", "<p>专题专栏</p>")),
    ));
    Server::start_with(move |_| routes)
}

/// A site of `pages` pages titled `title(n)`, with a homepage titled `home`.
fn titled_site(home: &str, title: fn(usize) -> String, pages: usize) -> Server {
    let home = format!(
        "<html><head><title>{home}</title><meta name=\"SiteName\" content=\"示例市人民政府\"></head>\
         <body><p>{home}</p>{}</body></html>",
        (1..=pages)
            .map(|n| format!("<a href=\"/a/{n}.html\">文章{n}</a>"))
            .collect::<String>()
    );
    let mut routes = vec![("/".to_owned(), Reply::html(&home))];
    for n in 1..=pages {
        routes.push((
            format!("/a/{n}.html"),
            Reply::html(&format!(
                "<html><head><title>{}</title></head><body><p>文章{n}</p></body></html>",
                title(n)
            )),
        ));
    }
    Server::start_with(move |_| routes)
}

fn run(dir: &std::path::Path, lines: &[String], extra: &[&str]) -> (common::Outcome, Value) {
    let mut args = vec!["--check-links", "0"];
    args.extend_from_slice(extra);
    let out = common::run_sites(dir, lines, &args);
    let results = serde_json::from_str(
        &std::fs::read_to_string(dir.join("report/results.json")).unwrap_or_default(),
    )
    .unwrap_or(Value::Null);
    (out, results)
}

/// `kind path` of each finding, the site's address cut off.
fn found(site: &Value, server: &Server) -> Vec<String> {
    site["findings"]
        .as_array()
        .map(|f| {
            f.iter()
                .map(|f| {
                    format!(
                        "{} {}",
                        f["kind"].as_str().unwrap(),
                        f["url"].as_str().unwrap().replace(&*server.url("/"), "/")
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn finding<'a>(site: &'a Value, kind: &str, path: &str, server: &Server) -> &'a Value {
    site["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == kind && f["url"] == server.url(path).as_str())
        .unwrap_or_else(|| panic!("no {kind} on {path}: {:#}", site["findings"]))
}

#[test]
fn tampering_signs_are_found_with_their_evidence_and_decoys_are_not() {
    let server = tampered_site();
    let dir = tempfile::tempdir().unwrap();
    let (out, results) = run(
        dir.path(),
        &[format!("{} district 示例县", server.url("/"))],
        &[],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let site = &results["sites"][0];
    let mut kinds = found(site, &server);
    kinds.sort();
    assert_eq!(
        kinds,
        [
            "external_scripts /",
            "spam_content /",
            "spam_content /news/11.html",
            "spam_content /news/7.html",
            "spam_content /news/9.html",
            "title_drift /news/7.html",
        ],
        "{:#}",
        site["findings"]
    );

    // The visible link to the gambling site, with its element; not the state lottery's.
    let home = finding(site, "spam_content", "/", &server);
    assert_eq!(home["severe"], true);
    let items: Vec<&str> = home["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i.as_str().unwrap())
        .collect();
    assert_eq!(items.len(), 1, "{items:?}");
    assert!(
        items[0].contains("https://www.pj-example.com/ 澳门新葡京娱乐城")
            && items[0].starts_with("html > body > div"),
        "{items:?}"
    );
    // The head rewritten for search engines, quoted.
    let head = finding(site, "spam_content", "/news/7.html", &server);
    assert_eq!(head["location"], "head > title");
    assert!(
        head["items"][0]
            .as_str()
            .unwrap()
            .contains("[百家乐、真人视讯] 澳门百家乐官网_真人视讯平台"),
        "{head:#}"
    );
    let keywords = finding(site, "spam_content", "/news/11.html", &server);
    assert!(
        keywords["items"][0]
            .as_str()
            .unwrap()
            .starts_with("head > meta[name=\"keywords\"] [娱乐城、百家乐]"),
        "{keywords:#}"
    );
    // The page of spam: each word quoted in its context.
    let text = finding(site, "spam_content", "/news/9.html", &server);
    assert_eq!(text["items"].as_array().unwrap().len(), 6, "{text:#}");
    assert!(text["items"][0].as_str().unwrap().contains("…"), "{text:#}");
    // The drifted title: the name its folder's other titles carry, and its spam words.
    let drift = finding(site, "title_drift", "/news/7.html", &server);
    let note = drift["note"]["zh"].as_str().unwrap();
    assert!(
        note.contains("「示例县人民政府」") && note.contains("百家乐"),
        "{note}"
    );
    assert_eq!(drift["severe"], true);
    // One finding for the unknown script host, with every page that loads it; the
    // statistics, 找错, government and own scripts are not listed.
    let scripts = finding(site, "external_scripts", "/", &server);
    assert_eq!(
        scripts["items"],
        serde_json::json!(["https://hijack-example.net/js/kb.js"])
    );
    assert_eq!(scripts["also_on"].as_array().unwrap().len(), 14);
    assert_eq!(scripts["location"], "html > head > script:nth-of-type(2)");
    assert_ne!(
        scripts["severe"], true,
        "a script host is listed, not judged"
    );
    assert!(
        !results.to_string().contains("hidden_links"),
        "trusted hidden links are furniture"
    );

    assert!(
        out.stdout
            .contains("⚠ 待核实：可疑内容 4、标题异常 1、外部脚本 1"),
        "{}",
        out.stdout
    );
    let explain = govscore_in(dir.path(), &["explain", "示例县", "--results", "report"]);
    assert!(
        explain.stdout.contains("……另有9个页面"),
        "also_on is cut short in explain: {}",
        explain.stdout
    );

    // The evaluator dismisses the script finding, and confirms an id of last year's pages.
    let id = scripts["id"].as_str().unwrap();
    std::fs::write(
        dir.path().join("manual.yaml"),
        format!(
            "- {{site: 示例县, dismiss: {id}, note: 统计脚本}}\n\
             - {{site: 示例县, confirm: hidden-links-0a1b2c3d}}\n"
        ),
    )
    .unwrap();
    let (out, results) = run(
        dir.path(),
        &[format!("{} district 示例县", server.url("/"))],
        &["--manual", "manual.yaml"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let site = &results["sites"][0];
    let scripts = finding(site, "external_scripts", "/", &server);
    assert_eq!(scripts["status"], "dismissed");
    assert_eq!(scripts["evaluator_note"], "统计脚本");
    assert!(
        out.stdout.contains("⚠ 待核实：可疑内容 4、标题异常 1") && !out.stdout.contains("外部脚本"),
        "{}",
        out.stdout
    );
    assert!(
        out.stderr
            .contains("manual.yaml 第2行的 confirm: hidden-links-0a1b2c3d 不是本次评估中"),
        "{}",
        out.stderr
    );
    let report = std::fs::read_to_string(dir.path().join("report/report.md")).unwrap();
    assert!(report.contains("hidden-links-0a1b2c3d"), "{report}");
    assert!(report.contains("[已排除]"), "{report}");
}

#[test]
fn a_defaced_homepage_drifts_and_sites_without_a_title_name_are_not_judged() {
    let defaced = titled_site(
        "Hacked by nobody",
        |n| format!("文章{n}-示例市人民政府"),
        12,
    );
    let bare = titled_site("示例市人民政府", |_| "Document".to_owned(), 12);
    let dir = tempfile::tempdir().unwrap();
    let (out, results) = run(
        dir.path(),
        &[
            format!("{} district 示例市", defaced.url("/")),
            format!("{} district 示例区", bare.url("/")),
        ],
        &[],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let sites = results["sites"].as_array().unwrap();
    let of = |server: &Server| {
        sites
            .iter()
            .find(|s| s["url"] == server.url("/").as_str())
            .unwrap()
    };
    assert_eq!(found(of(&defaced), &defaced), ["title_drift /"]);
    let note = of(&defaced)["findings"][0]["note"]["zh"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        note.contains("首页") && note.contains("12/12") && note.contains("《Hacked by nobody》"),
        "{note}"
    );
    assert_eq!(found(of(&bare), &bare), Vec::<String>::new());
}
