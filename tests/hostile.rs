//! Hostile sites and hostile inputs, each on loopback as an attacker would serve it: pages
//! nested without end, servers slow on purpose, names that collide as file names, text that
//! a spreadsheet or a terminal would run. Each test is the attack, and what govscore must do
//! instead of stalling, lying or running it.

mod common;

use common::{Reply, Server, crawl, govscore_in};

const LOOPBACK: [&str; 2] = ["--allow-net", "127.0.0.0/8"];

fn site(server: &Server, name: &str) -> String {
    format!("{} district {name}", server.url("/"))
}

fn args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut v = LOOPBACK.to_vec();
    v.extend_from_slice(extra);
    v
}

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
