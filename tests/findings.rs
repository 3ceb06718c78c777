//! Severe-problem findings end to end: a site served on loopback with a hidden block of spam
//! links, a public notice exposing an identity number and a headline dated after the
//! evaluation date. Each is found with its page, element and items; the site is flagged
//! 待核实 in the tables and listed first by `explain`; it is vetoed only once an evaluator
//! confirms a finding by its id in manual.yaml, or when the detector has `auto_veto`.

mod common;

use common::results::veto_ids as vetoes;
use common::{Reply, Server, govscore_in};
use serde_json::Value;

/// A valid identity number (GB 11643 check character) made up for the test.
fn id_number() -> String {
    let first17 = "41010119900307123";
    let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17
        .bytes()
        .zip(weights)
        .map(|(c, w)| u32::from(c - b'0') * w)
        .sum();
    format!("{first17}{}", b"10X98765432"[(sum % 11) as usize] as char)
}

fn site() -> Server {
    let home = "<html><head><title>示例县人民政府</title></head><body>\
        <div class=\"nav\"><a href=\"/gs.html\">公示公告</a><a href=\"/news/\">新闻</a></div>\
        <div style=\"display:none\"><a href=\"https://www.bocai-example.com/\">澳门娱乐城</a>\
        <a href=\"https://www.a-example.com/\">小说网</a><a href=\"https://www.b-example.com/\">汽车网</a></div>\
        </body></html>";
    let notice = format!(
        "<html><head><title>关于拟录用人员的公示</title></head><body><p>张三，身份证号{}，电话13812345678</p></body></html>",
        id_number()
    );
    let news = "<html><body><ul><li><a href=\"/a/1.html\">明年的会议</a><span>2027-01-05</span></li></ul></body></html>";
    Server::start(vec![
        ("/", Reply::html(home)),
        ("/gs.html", Reply::html(&notice)),
        ("/news/", Reply::html(news)),
        ("/a/1.html", Reply::html("<p>会议</p>")),
    ])
}

fn run(dir: &std::path::Path, server: &Server, extra: &[&str]) -> (common::Outcome, Value) {
    let mut args = vec!["--check-links", "0"];
    args.extend_from_slice(extra);
    let out = common::run_sites(
        dir,
        &[format!("{} district 示例县", server.url("/"))],
        &args,
    );
    let results = serde_json::from_str(
        &std::fs::read_to_string(dir.join("report/results.json")).unwrap_or_default(),
    )
    .unwrap_or(Value::Null);
    (out, results)
}

#[test]
fn findings_flag_a_site_and_veto_only_once_confirmed() {
    let server = site();
    let dir = tempfile::tempdir().unwrap();
    let (out, results) = run(dir.path(), &server, &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let site = &results["sites"][0];
    let findings = site["findings"].as_array().unwrap();
    let kinds: Vec<&str> = findings
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["hidden_links", "personal_data", "future_dates"],
        "{findings:#?}"
    );
    let hidden = &findings[0];
    assert_eq!(hidden["severe"], true, "a gambling word");
    assert_eq!(hidden["status"], "pending");
    assert_eq!(hidden["items"].as_array().unwrap().len(), 3);
    assert!(
        hidden["location"].as_str().unwrap().contains("div"),
        "{hidden:#}"
    );
    let personal = &findings[1];
    let masked = format!("4101**********{}", &id_number()[14..]);
    assert_eq!(
        personal["items"][0],
        format!("{masked} html > body > p").as_str(),
        "the masked number and the element that holds it"
    );
    assert_eq!(personal["location"], "html > body > p");
    assert!(!results.to_string().contains(&id_number()), "never whole");
    assert!(
        findings[2]["items"][0]
            .as_str()
            .unwrap()
            .starts_with("2027-01-05")
    );
    // Flagged, not vetoed by them (this bare site trips other vetoes, which the table shows
    // first).
    assert!(
        !vetoes(site).contains(&"veto-severe-errors".to_owned()),
        "{:#}",
        site["veto"]
    );
    assert!(
        out.stdout
            .contains("⚠ 待核实：暗链 1、个人信息 1、未来日期 1"),
        "{}",
        out.stdout
    );
    let explain = govscore_in(dir.path(), &["explain", "示例县", "--results", "report"]);
    let first_section = explain.stdout.split("\n\n").nth(1).unwrap_or_default();
    assert!(first_section.contains("严重问题线索"), "{}", explain.stdout);
    assert!(!explain.stdout.contains(&id_number()));
    assert!(explain.stdout.contains(&masked), "{}", explain.stdout);
    // Masked in every output: each file of the report folder (JSON, CSV, Markdown, HTML), the
    // tables printed in each format, and the crawl log; the WARC keeps the page as served.
    let mut outputs: Vec<(String, String)> = std::fs::read_dir(dir.path().join("report"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            let text = String::from_utf8_lossy(&std::fs::read(&p).unwrap()).into_owned();
            (p.display().to_string(), text)
        })
        .collect();
    assert!(outputs.iter().any(|(_, t)| t.contains(&masked)));
    for format in ["table", "md", "csv", "json"] {
        let printed = govscore_in(
            dir.path(),
            &[
                "score",
                "--crawl",
                "report/crawl",
                "--out",
                "again",
                "--as-of",
                "2026-11-20",
                "--format",
                format,
            ],
        );
        assert_eq!(printed.code, 0, "{}", printed.stderr);
        outputs.push((format!("score --format {format}"), printed.stdout));
    }
    let log = std::fs::read(dir.path().join("report/crawl/crawl-log.jsonl")).unwrap_or_default();
    outputs.push((
        "crawl log".into(),
        String::from_utf8_lossy(&log).into_owned(),
    ));
    for (name, text) in &outputs {
        assert!(
            !text.contains(&id_number()),
            "{name} shows the whole number"
        );
    }

    // The evaluator confirms the hidden block by its id: now the site is vetoed.
    let id = hidden["id"].as_str().unwrap();
    std::fs::write(
        dir.path().join("manual.yaml"),
        format!("- {{site: 示例县, confirm: {id}, note: 已核实为暗链}}\n"),
    )
    .unwrap();
    let (out, results) = run(dir.path(), &server, &["--manual", "manual.yaml"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let site = &results["sites"][0];
    assert!(
        vetoes(site).contains(&"veto-severe-errors".to_owned()),
        "{:#}",
        site["veto"]
    );
    assert_eq!(site["findings"][0]["status"], "confirmed");
    assert!(out.stdout.contains("严重错误"), "{}", out.stdout);
    // The two findings left are still to verify.
    assert!(
        out.stdout.contains("⚠ 待核实：个人信息 1、未来日期 1"),
        "{}",
        out.stdout
    );
}

#[test]
fn an_auto_veto_detector_vetoes_unconfirmed() {
    let server = site();
    let dir = tempfile::tempdir().unwrap();
    let method = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("indicators.yaml"),
    )
    .unwrap()
    .replace(
        "future_dates: {enabled: true, auto_veto: false}",
        "future_dates: {enabled: true, auto_veto: true}",
    );
    std::fs::write(dir.path().join("indicators.yaml"), method).unwrap();
    let (out, results) = run(dir.path(), &server, &["--indicators", "indicators.yaml"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let site = &results["sites"][0];
    let hit = site["veto"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"] == "veto-severe-errors")
        .unwrap_or_else(|| panic!("{:#}", site["veto"]));
    let reason = hit["reason"]["zh"].as_str().unwrap();
    assert!(reason.starts_with("未来日期"), "{reason}");
}
