//! The page model's verdicts on generated portals served on loopback, one case of each
//! wrong verdict it exists to prevent: an undated homepage whose articles are fresh, a
//! headline that mentions a column's word, a guide list taken for a guide, failing guides
//! below and at the veto's count, guides on the provincial platform, and a future date.

mod common;

use std::path::{Path, PathBuf};

use common::portal::{self, Spec};
use common::results::{check, veto_ids as vetoes};
use common::{Server, govscore_in};
use serde_json::Value;

fn repo(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(name)
}

/// Serves one portal and runs `govscore run` on it into `dir/report`; the server is
/// returned so that it lives as long as the caller needs it.
fn serve_and_run(spec: &Spec, dir: &Path) -> Server {
    serve_and_run_with(spec, dir, &[])
}

/// [`serve_and_run`] with more arguments.
fn serve_and_run_with(spec: &Spec, dir: &Path, extra: &[&str]) -> Server {
    let server = Server::start_with(|port| portal::routes(port, spec));
    std::fs::write(
        dir.join("sites.txt"),
        portal::site_line(server.port, "甲市", "district", spec) + "\n",
    )
    .unwrap();
    let as_of = portal::as_of().to_string();
    let indicators = repo("indicators.yaml");
    let mut args = vec![
        "run",
        "--sites",
        "sites.txt",
        "--indicators",
        indicators.to_str().unwrap(),
        "--out",
        "report",
        "--as-of",
        &as_of,
        "--allow-net",
        "127.0.0.0/8",
        "--delay",
        "0",
        "--retries",
        "0",
        "-q",
    ];
    let resolve = portal::resolve_args(server.port);
    for r in &resolve {
        args.extend(["--resolve", r.as_str()]);
    }
    args.extend_from_slice(extra);
    let out = govscore_in(dir, &args);
    assert_eq!(out.code, 0, "{}", out.stderr);
    server
}

/// The result of one portal evaluated by `govscore run`.
fn evaluate(spec: Spec) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let _server = serve_and_run(&spec, dir.path());
    let results: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("report/results.json")).unwrap(),
    )
    .unwrap();
    results["sites"][0].clone()
}

fn pages_of<'a>(site: &'a Value, class: &str) -> Vec<&'a str> {
    site["pages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["class"] == class)
        .map(|p| p["url"].as_str().unwrap())
        .collect()
}

#[test]
fn an_undated_homepage_whose_articles_are_fresh_is_not_stale() {
    let site = evaluate(Spec {
        undated_homepage: true,
        ..Spec::default()
    });
    assert!(vetoes(&site).is_empty(), "{:#}", site["veto"]);
}

#[test]
fn a_headline_that_mentions_consultation_is_not_a_channel() {
    // The homepage lists "国务院办公厅：政务服务平台要畅通网上咨询投诉渠道", and nothing else
    // reads as a channel.
    let site = evaluate(Spec {
        no_consultation: true,
        ..Spec::default()
    });
    assert_eq!(vetoes(&site), ["veto-poor-response"], "{:#}", site["veto"]);
    assert!(
        site["veto"][0]["reason"]["en"]
            .as_str()
            .unwrap()
            .contains("no online consultation channel"),
        "{:#}",
        site["veto"]
    );
    assert_eq!(check(&site, "interact-mailbox")["score"], 0.0);
}

#[test]
fn the_guide_list_is_not_a_guide_and_four_failing_guides_cost_points_not_the_veto() {
    let site = evaluate(Spec {
        guides: 6,
        failing_guides: 4,
        ..Spec::default()
    });
    assert!(vetoes(&site).is_empty(), "{:#}", site["veto"]);
    let guides = pages_of(&site, "guide");
    assert_eq!(guides.len(), 6, "{guides:?}");
    assert!(guides.iter().all(|u| u.contains("/bs/zn")), "{guides:?}");
    // The 办事服务 page listing the guides is not one of them.
    assert!(!guides.iter().any(|u| u.ends_with("/bs/")), "{guides:?}");
    let points = check(&site, "services-guides");
    // Two of six guides show the ten elements; four show five (of seven asked).
    assert_eq!(points["score"], 2.67, "8 points × 2/6, to the cent");
    assert!(
        points["evidence"]["note"]["en"]
            .as_str()
            .unwrap()
            .starts_with("2 of 6 guides"),
        "{points:#}"
    );
}

#[test]
fn five_failing_guides_trip_the_services_veto() {
    let site = evaluate(Spec {
        guides: 6,
        failing_guides: 5,
        ..Spec::default()
    });
    assert_eq!(
        vetoes(&site),
        ["veto-services-unusable"],
        "{:#}",
        site["veto"]
    );
    let hit = &site["veto"][0];
    assert_eq!(hit["evidence"].as_array().unwrap().len(), 5, "{hit:#}");
    assert!(
        hit["reason"]["en"]
            .as_str()
            .unwrap()
            .contains("5 service guides miss 4 or more key elements"),
        "{hit:#}"
    );
}

#[test]
fn guides_on_the_provincial_platform_are_evaluated() {
    let site = evaluate(Spec {
        platform_guides: true,
        guides: 3,
        ..Spec::default()
    });
    assert!(vetoes(&site).is_empty(), "{:#}", site["veto"]);
    let platform: Vec<&Value> = site["pages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["platform"] == true)
        .collect();
    let guides: Vec<&&Value> = platform.iter().filter(|p| p["class"] == "guide").collect();
    assert_eq!(guides.len(), 3, "{platform:#?}");
    assert!(
        guides
            .iter()
            .all(|p| p["url"].as_str().unwrap().contains("www.sczwfw.gov.cn")),
        "{guides:#?}"
    );
    let points = check(&site, "services-guides");
    assert_eq!(points["score"], points["max"], "{points:#}");
    assert!(
        points["evidence"]["note"]["en"]
            .as_str()
            .unwrap()
            .contains("3 from the service platform"),
        "{points:#}"
    );
}

#[test]
fn a_future_dated_item_is_not_fresh_and_is_reported() {
    let site = evaluate(Spec {
        future_item: true,
        ..Spec::default()
    });
    let news = check(&site, "info-news");
    let note = news["evidence"]["note"]["en"].as_str().unwrap();
    assert!(
        note.contains("1 future-dated, not counted as fresh: 2026-11-23"),
        "{note}"
    );
    // Still full points: the ten real items are fresh, the future one is not counted.
    assert!(note.contains("newest 2026-11-20"), "{note}");
    assert_eq!(news["score"], news["max"]);
}

#[test]
fn empty_column_pages_are_blank_and_pages_of_text_are_not() {
    // Eleven columns of the portal are single pages of text (地区概况, 领导信息, 网站地图, …):
    // content, not blank. Five columns show only their heading and 暂无信息: blank.
    let site = evaluate(Spec {
        blank_columns: 5,
        ..Spec::default()
    });
    assert_eq!(vetoes(&site), ["veto-columns-stale"], "{:#}", site["veto"]);
    let hit = &site["veto"][0];
    assert_eq!(hit["reason"]["en"], "5 blank columns (limit 5)", "{hit:#}");
    let blank: Vec<&str> = hit["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["en"].as_str().unwrap())
        .collect();
    assert!(blank.iter().all(|e| e.contains("/kb")), "{blank:?}");
    let four = evaluate(Spec {
        blank_columns: 4,
        ..Spec::default()
    });
    assert!(vetoes(&four).is_empty(), "{:#}", four["veto"]);
}

#[test]
fn explain_lists_the_pages_as_the_model_read_them() {
    let dir = tempfile::tempdir().unwrap();
    let _server = serve_and_run(&Spec::default(), dir.path());
    let out = govscore_in(
        dir.path(),
        &[
            "explain",
            "甲市",
            "--results",
            "report",
            "--pages",
            "--lang",
            "en",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = out.stdout;
    for heading in [
        "homepage (1)",
        "list (",
        "article (10)",
        "guide (2)",
        "other (",
    ] {
        assert!(text.contains(heading), "{heading} missing:\n{text}");
    }
    // Each page with the signals that chose its class.
    assert!(text.contains("/a/1.html"), "{text}");
    assert!(text.contains("PubDate meta 2026-11-20"), "{text}");
    assert!(text.contains("guide elements: 申请条件"), "{text}");
    assert!(text.contains("10 list items (10 dated)"), "{text}");
    // The same in Chinese, the default.
    let zh = govscore_in(
        dir.path(),
        &["explain", "甲市", "--results", "report", "--pages"],
    )
    .stdout;
    for heading in ["首页 (1)", "文章页 (10)", "办事指南 (2)"] {
        assert!(zh.contains(heading), "{heading} missing:\n{zh}");
    }
    assert!(zh.contains("PubDate元数据2026-11-20"), "{zh}");
    assert!(zh.contains("办事指南要素：申请条件"), "{zh}");
}

/// Evidence quotes what it found, not the pattern that found it, and the identity block
/// names each identifier with the page it was read from.
#[test]
fn evidence_quotes_the_identifiers_read() {
    let site = evaluate(Spec::default());
    let code = check(&site, "manage-site-code");
    assert_eq!(
        code["evidence"]["note"]["en"],
        "`网站标识码：5101000001` in the homepage footer"
    );
    assert_eq!(
        code["evidence"]["note"]["zh"],
        "首页页脚有“网站标识码：5101000001”"
    );
    let identity = &site["identity"];
    assert_eq!(identity["site_code"]["value"], "5101000001");
    assert_eq!(identity["site_code_meta"]["value"], "5101000001");
    assert_eq!(identity["site_code_agrees"], true);
    assert_eq!(identity["icp"]["value"], "蜀ICP备12345678号-1");
    assert_eq!(identity["police"]["value"], "川公网安备 51010402000507号");
    assert_eq!(
        identity["conac"]["value"],
        "0123456789ABCDEF0123456789ABCDEF"
    );
    assert!(
        identity["sponsor"]["value"]
            .as_str()
            .unwrap()
            .starts_with("示例市人民政府办公室"),
        "{identity:#}"
    );
    // Read off the homepage, where an evaluator reads them.
    let home = site["url"].as_str().unwrap();
    assert_eq!(identity["site_code"]["url"], home);
    assert_eq!(identity["icp"]["url"], home);
}

/// A link whose name does not resolve is broken only when names resolve at all: with a
/// resolver that answers nothing it is unverified — not deducted, and every report says so
/// at the top. A link answering 404 is broken either way.
#[test]
fn unresolvable_links_are_broken_only_when_the_resolver_works() {
    let spec = Spec {
        dead_name_links: 2,
        broken_home_links: 1,
        ..Spec::default()
    };
    // The probe name is served by an override: names resolve, so `*.invalid` does not exist.
    let works = tempfile::tempdir().unwrap();
    let _a = serve_and_run_with(&spec, works.path(), &["--dns-probe", portal::HOST]);
    let site = results_of(works.path());
    let links = check_deduction(&site);
    assert_eq!(links["count"], 3, "{links:#}");
    assert_eq!(links["points"], 3.0);

    // Nothing resolves: the two are unverified, only the 404 is deducted.
    let offline = tempfile::tempdir().unwrap();
    let _b = serve_and_run_with(&spec, offline.path(), &["--dns-probe", "probe.invalid"]);
    let site = results_of(offline.path());
    let links = check_deduction(&site);
    assert_eq!(links["count"], 1, "{links:#}");
    assert_eq!(links["points"], 1.0);
    assert!(
        links["evidence"]["note"]["en"]
            .as_str()
            .unwrap()
            .contains("2 unverified (no answer came: not deducted)"),
        "{links:#}"
    );
    let report = std::fs::read_to_string(offline.path().join("report/report.md")).unwrap();
    assert!(
        report.contains("> 外部链接未能核实：没有一个域名能够解析"),
        "{report}"
    );
    let html = std::fs::read_to_string(offline.path().join("report/report.html")).unwrap();
    assert!(html.contains("外部链接未能核实"), "{html}");
    let en = std::fs::read_to_string(offline.path().join("report/results.json")).unwrap();
    assert!(
        en.contains("external links unverified: no name could be resolved"),
        "results.json carries the note in both languages"
    );
    let log = std::fs::read_to_string(
        std::fs::read_dir(offline.path().join("report/crawl/log"))
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path(),
    )
    .unwrap();
    assert!(
        log.contains("\"event\":\"network\",\"resolver_works\":false"),
        "{log}"
    );
    let manifest: Value = serde_json::from_str(
        &std::fs::read_to_string(offline.path().join("report/crawl/crawl.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(manifest["network"]["resolver_works"], false, "{manifest:#}");
    assert_eq!(manifest["network"]["probed"][0], "probe.invalid");
}

fn results_of(dir: &Path) -> Value {
    let results: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("report/results.json")).unwrap())
            .unwrap();
    results["sites"][0].clone()
}

fn check_deduction(site: &Value) -> &Value {
    site["deduction_items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "deduct-broken-links")
        .unwrap()
}
