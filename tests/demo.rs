//! `govscore demo` end to end: nine built-in portals served on loopback, crawled, scored,
//! ranked and reported by the real pipeline.

mod common;

#[test]
fn the_demo_prints_three_tables_and_writes_the_reports() {
    let dir = tempfile::tempdir().unwrap();
    let out = common::govscore(&["demo", "-q", "--out", dir.path().to_str().unwrap()]);
    let stdout = &out.stdout;
    assert_eq!(out.code, 0, "{}", out.stderr);
    for title in [
        "省会城市（provincial-capital）",
        "副省级城市（sub-provincial）",
        "区县（district）",
    ] {
        assert!(stdout.contains(title), "{title} missing:\n{stdout}");
    }
    // A city in both lists, a GBK portal scoring like its UTF-8 twin, a capped bonus, vetoes.
    assert_eq!(stdout.matches("示例市").count(), 2, "{stdout}");
    assert!(stdout.contains("北山市 — 不合格：首页不更新"), "{stdout}");
    assert!(stdout.contains("金水区 — 不合格：互动回应差"), "{stdout}");
    assert!(stdout.contains("红旗区 — 不合格：服务不实用"), "{stdout}");
    for file in ["results.json", "rankings.csv", "report.md", "report.html"] {
        assert!(dir.path().join(file).is_file(), "{file}");
    }
    assert!(dir.path().join("crawl/warc").is_dir());
    let results: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("results.json")).unwrap())
            .unwrap();
    let site = |name: &str| {
        results["sites"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == name)
            .unwrap()
            .clone()
    };
    assert_eq!(
        site("南湖市")["bonus"],
        5.0,
        "7 points awarded, capped at 5"
    );
    assert_eq!(
        site("东江市")["total"],
        site("示例市")["total"],
        "the GBK portal reads like the UTF-8 one"
    );
    assert!(site("西岭市")["deductions"].as_f64().unwrap() > 4.0);
    assert_eq!(results["as_of"], "2026-11-20");
}
