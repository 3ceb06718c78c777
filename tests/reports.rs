//! The reports on a fixed `results.json` (tests/fixtures/results-2026.json): golden files for
//! every table format, the report folder, the HTML page in headless Chromium, `diff` over two
//! fixture years, and `explain` — in Chinese, the default, and in English (`--lang en`).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Outcome, govscore};
use govscore::lang::Lang;
use govscore::report::{Format, render, write_reports};
use govscore::results::{Previous, Results, ResultsError, for_each_merged_site};

fn fixture(year: u32) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/results-{year}.json"))
}

fn results(year: u32) -> Results {
    Results::read(&fixture(year)).unwrap()
}

#[test]
fn table_format() {
    insta::assert_snapshot!(render(&results(2026), Format::Table, Lang::Zh));
}

#[test]
fn table_format_en() {
    insta::assert_snapshot!(render(&results(2026), Format::Table, Lang::En));
}

#[test]
fn markdown_format() {
    insta::assert_snapshot!(render(&results(2026), Format::Md, Lang::Zh));
}

#[test]
fn markdown_format_en() {
    insta::assert_snapshot!(render(&results(2026), Format::Md, Lang::En));
}

#[test]
fn csv_format() {
    insta::assert_snapshot!(render(&results(2026), Format::Csv, Lang::Zh));
}

#[test]
fn json_format() {
    insta::assert_snapshot!(render(&results(2026), Format::Json, Lang::Zh));
}

/// report.md whole, in both languages: the prose around the tables is the part the table
/// goldens do not see.
#[test]
fn report_md_in_both_languages() {
    for (lang, name) in [(Lang::Zh, "report_md_zh"), (Lang::En, "report_md_en")] {
        let dir = tempfile::tempdir().unwrap();
        write_reports(
            &results(2026),
            Some(&Previous::from(&results(2025))),
            dir.path(),
            lang,
        )
        .unwrap();
        let md = std::fs::read_to_string(dir.path().join("report.md")).unwrap();
        insta::assert_snapshot!(name, md);
    }
}

#[test]
fn ties_vetoes_and_unreachable_sites_in_the_tables() {
    let text = render(&results(2026), Format::Table, Lang::Zh);
    // Vetoed and unreachable sites follow the ranked ones, with why.
    assert!(text.contains("丙区 — 不合格：首页不更新"), "{text}");
    assert!(text.contains("关门区 — 无法访问：无法建立连接"), "{text}");
    let en = render(&results(2026), Format::Table, Lang::En);
    assert!(en.contains("丙区 — vetoed: 首页不更新"), "{en}");
    assert!(en.contains("关门区 — unreachable: "), "{en}");
    // A site in two categories appears in both tables.
    assert_eq!(text.matches("完整市").count(), 2, "{text}");
}

#[test]
fn the_report_folder_has_every_file_and_a_csv_with_bom() {
    let dir = tempfile::tempdir().unwrap();
    let written = write_reports(
        &results(2026),
        Some(&Previous::from(&results(2025))),
        dir.path(),
        Lang::En,
    )
    .unwrap();
    let names: Vec<String> = written
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        ["rankings.csv", "report.html", "report.md", "results.json"]
    );
    let csv = std::fs::read(dir.path().join("rankings.csv")).unwrap();
    assert!(
        csv.starts_with(&[0xef, 0xbb, 0xbf]),
        "CSV starts with a UTF-8 BOM"
    );
    let csv = String::from_utf8(csv).unwrap();
    // One row per site per category: 完整市 twice, four more sites once, plus the header.
    assert_eq!(csv.lines().count(), 1 + 6, "{csv}");
    let md = std::fs::read_to_string(dir.path().join("report.md")).unwrap();
    assert!(md.contains("Evaluation date: 2026-11-20"), "{md}");
    assert!(md.contains("## Most improved since 2025"), "{md}");
    assert!(md.contains("- 完整市 +13.00"), "{md}");
    // No temporary file is left behind.
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".part")
        })
        .collect();
    assert!(leftovers.is_empty());
    // The results read back as they were written.
    assert_eq!(
        std::fs::read_to_string(dir.path().join("results.json")).unwrap(),
        results(2026).to_json()
    );
}

#[test]
fn the_html_report_escapes_crawled_text() {
    let dir = tempfile::tempdir().unwrap();
    write_reports(&results(2026), None, dir.path(), Lang::Zh).unwrap();
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(!html.contains("<script"), "no script element at all");
    assert!(html.contains("乙市&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("&lt;img src=x onerror=alert(2)&gt;"));
    assert!(
        !html.contains("href=\"javascript:"),
        "javascript: URLs are shown as text, not linked"
    );
    assert!(html.contains("<svg"), "a chart per category");
    assert!(
        !html.contains("http-equiv") && !html.contains("<link "),
        "self-contained"
    );
}

/// Chromium, from `GOVSCORE_CHROMIUM` or the `PATH`; skipped with a plain message when absent
/// unless `GOVSCORE_REQUIRE_CHROMIUM=1` (set by `.ci/run`, which installs it).
fn chromium() -> Option<PathBuf> {
    let found = std::env::var_os("GOVSCORE_CHROMIUM")
        .map(PathBuf::from)
        .or_else(|| {
            let paths = std::env::var_os("PATH")?;
            std::env::split_paths(&paths)
                .flat_map(|p| ["chromium", "chromium-browser", "google-chrome"].map(|n| p.join(n)))
                .find(|p| p.is_file())
        });
    if found.is_none() {
        if std::env::var("GOVSCORE_REQUIRE_CHROMIUM").is_ok_and(|v| v == "1") {
            panic!("Chromium is required (GOVSCORE_REQUIRE_CHROMIUM=1) but was not found");
        }
        eprintln!(
            "SKIPPED: chromium not found (apt-get install chromium, or set GOVSCORE_CHROMIUM); report.html was not rendered"
        );
    }
    found
}

fn headless(chromium: &Path, profile: &Path, extra: &[&str], page: &Path) -> std::process::Output {
    Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap()
}

#[test]
fn the_html_report_renders_in_headless_chromium() {
    let Some(chromium) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    write_reports(
        &results(2026),
        Some(&Previous::from(&results(2025))),
        dir.path(),
        Lang::Zh,
    )
    .unwrap();
    let page = dir.path().join("report.html");

    let dom = headless(
        &chromium,
        &dir.path().join("profile-dom"),
        &["--dump-dom"],
        &page,
    );
    assert!(
        dom.status.success(),
        "{}",
        String::from_utf8_lossy(&dom.stderr)
    );
    let dom_text = String::from_utf8_lossy(&dom.stdout);
    let log = String::from_utf8_lossy(&dom.stderr);
    // The hostile name is text in the page, not an element.
    assert!(
        dom_text.contains("乙市&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{dom_text}"
    );
    assert!(!dom_text.contains("<script>alert"), "{dom_text}");
    assert!(dom_text.contains("<svg"), "charts rendered");
    // No console errors (Chromium logs page console messages as CONSOLE lines).
    let console: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("CONSOLE") || l.contains("Uncaught"))
        .collect();
    assert!(console.is_empty(), "{console:#?}");

    let shot = dir.path().join("report.png");
    let out = headless(
        &chromium,
        &dir.path().join("profile-shot"),
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1280,2400",
            "--hide-scrollbars",
        ],
        &page,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let png = std::fs::read(&shot).expect("a screenshot");
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 10_000,
        "{} bytes",
        png.len()
    );
    // Keep the picture for a person to look at when asked.
    if let Some(keep) = std::env::var_os("GOVSCORE_KEEP_SCREENSHOT") {
        std::fs::copy(&shot, keep).unwrap();
    }
}

#[test]
fn diff_two_years() {
    let (old, new) = (fixture(2025), fixture(2026));
    let Outcome {
        code,
        stdout: out,
        stderr: err,
    } = govscore(&[
        "diff",
        old.to_str().unwrap(),
        new.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let d: serde_json::Value = serde_json::from_str(&out).unwrap();
    let row = |cat: &str, name: &str| -> serde_json::Value {
        d["categories"][cat]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == name)
            .unwrap()
            .clone()
    };
    // 完整市 improves and moves up; 乙市 drops.
    let up = row("provincial-capital", "完整市");
    assert_eq!(
        (
            up["old_rank"].as_u64(),
            up["new_rank"].as_u64(),
            up["delta"].as_f64()
        ),
        (Some(2), Some(1), Some(13.0))
    );
    let down = row("provincial-capital", "乙市<script>alert(1)</script>");
    assert_eq!(
        (
            down["old_rank"].as_u64(),
            down["new_rank"].as_u64(),
            down["delta"].as_f64()
        ),
        (Some(1), Some(2), Some(-5.0))
    );
    // 丁区 entered, 戊区 left.
    assert_eq!(row("district", "丁区")["presence"], "entered");
    assert_eq!(row("district", "戊区")["presence"], "left");
    assert_eq!(d["most_improved"][0]["name"], "完整市");
    assert_eq!(d["indicators_changed"], false);
    let Outcome {
        code,
        stdout: table,
        ..
    } = govscore(&["diff", old.to_str().unwrap(), new.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(table.contains("1↑") && table.contains("2↓"), "{table}");
    for (name, lang) in [("diff_md", "zh"), ("diff_md_en", "en")] {
        insta::assert_snapshot!(
            name,
            govscore(&[
                "diff",
                old.to_str().unwrap(),
                new.to_str().unwrap(),
                "--format",
                "md",
                "--lang",
                lang
            ])
            .stdout
        );
    }
}

#[test]
fn diff_with_different_indicator_files_compares_shared_indicators() {
    let dir = tempfile::tempdir().unwrap();
    let mut old: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture(2025)).unwrap()).unwrap();
    old["indicators_sha256"] = serde_json::json!("0000");
    for site in old["sites"].as_array_mut().unwrap() {
        site["indicators"]
            .as_array_mut()
            .unwrap()
            .retain(|i| i["id"] != "promote");
    }
    let path = dir.path().join("old.json");
    std::fs::write(&path, serde_json::to_string(&old).unwrap()).unwrap();
    let Outcome {
        code, stdout: out, ..
    } = govscore(&[
        "diff",
        path.to_str().unwrap(),
        fixture(2026).to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    assert!(
        out.contains("2025年与2026年的指标文件不同，只比较两者共有的指标"),
        "{out}"
    );
    assert!(!out.contains("promote"), "{out}");
}

/// `diff` and `explain` read a report folder as they read its `results.json`, and accept
/// `-q` as every command does.
#[test]
fn diff_and_explain_take_report_folders() {
    let dir = tempfile::tempdir().unwrap();
    for year in [2025, 2026] {
        let folder = dir.path().join(year.to_string());
        std::fs::create_dir(&folder).unwrap();
        std::fs::copy(fixture(year), folder.join("results.json")).unwrap();
    }
    let folder = |year: u32| dir.path().join(year.to_string());
    let by_file = govscore(&[
        "diff",
        fixture(2025).to_str().unwrap(),
        fixture(2026).to_str().unwrap(),
    ]);
    let by_folder = govscore(&[
        "diff",
        folder(2025).to_str().unwrap(),
        folder(2026).to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(by_folder.code, 0, "{}", by_folder.stderr);
    assert_eq!(by_folder.stdout, by_file.stdout);
    let by_file = govscore(&[
        "explain",
        "完整市",
        "--results",
        fixture(2026).to_str().unwrap(),
    ]);
    let by_folder = govscore(&[
        "-q",
        "explain",
        "完整市",
        "--results",
        folder(2026).to_str().unwrap(),
    ]);
    assert_eq!(by_folder.code, 0, "{}", by_folder.stderr);
    assert_eq!(by_folder.stdout, by_file.stdout);
}

/// A site is named by its full name, a part of one name only, its host or its URL; a part
/// that fits several names lists them and exits 2.
#[test]
fn explain_finds_a_site_by_part_of_its_name_and_lists_the_ambiguous() {
    let results = fixture(2026);
    let results = results.to_str().unwrap();
    let full = govscore(&["explain", "完整市", "--results", results]);
    assert_eq!(full.code, 0, "{}", full.stderr);
    for reference in ["完整", "https://www.example-city.gov.cn:8001/"] {
        let part = govscore(&["explain", reference, "--results", results]);
        assert_eq!(part.code, 0, "{reference}: {}", part.stderr);
        assert_eq!(part.stdout, full.stdout, "{reference}");
    }
    let ambiguous = govscore(&["explain", "区", "--results", results]);
    assert_eq!(ambiguous.code, 2);
    for name in ["关门区", "丙区", "丁区"] {
        assert!(ambiguous.stderr.contains(name), "{}", ambiguous.stderr);
    }
    assert!(ambiguous.stdout.is_empty());
}

/// Results of the current schema (v3: every note in both languages) are compared with those
/// of earlier ones (v1 and v2: plain English notes), and the old notes still explain.
#[test]
fn diff_reads_every_schema_version() {
    let old = fixture(2025);
    let text = std::fs::read_to_string(&old).unwrap();
    assert!(text.contains("\"govscore/results/v1\""));
    let dir = tempfile::tempdir().unwrap();
    let v2 = dir.path().join("2025.json");
    std::fs::write(
        &v2,
        text.replace("govscore/results/v1", "govscore/results/v2"),
    )
    .unwrap();
    let new = fixture(2026);
    assert!(
        std::fs::read_to_string(&new)
            .unwrap()
            .contains("\"govscore/results/v3\"")
    );
    // Last year's totals read alike from any schema (`--previous`).
    let now = Results::read(&new).unwrap();
    let read = |p: &Path| {
        let previous = Previous::read(p).unwrap();
        (previous.year, gains(&now, &previous))
    };
    assert_eq!(read(&old), read(&v2));
    let whole = Previous::from(&Results::read(&old).unwrap());
    assert_eq!(read(&old), (whole.year, gains(&now, &whole)));
    let from_v1 = govscore(&["diff", old.to_str().unwrap(), new.to_str().unwrap()]);
    assert_eq!(from_v1.code, 0, "{}", from_v1.stderr);
    let from_v2 = govscore(&["diff", v2.to_str().unwrap(), new.to_str().unwrap()]);
    assert_eq!(from_v2.code, 0, "{}", from_v2.stderr);
    assert_eq!(from_v1.stdout, from_v2.stdout);
    // A v1 note is English only: it is shown as written, whatever the language.
    let explained = govscore(&["explain", "完整市", "--results", v2.to_str().unwrap()]);
    assert_eq!(explained.code, 0, "{}", explained.stderr);
    assert!(explained.stdout.contains("总分 "), "{}", explained.stdout);
}

#[test]
fn diff_and_explain_reject_bad_files() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"schema\": \"other\"}").unwrap();
    let Outcome {
        code, stderr: err, ..
    } = govscore(&[
        "diff",
        bad.to_str().unwrap(),
        fixture(2026).to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("bad.json: schema \"other\""), "{err}");
    let Outcome {
        code, stderr: err, ..
    } = govscore(&[
        "explain",
        "无此市",
        "--results",
        fixture(2026).to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("no site `无此市`"), "{err}");
}

#[test]
fn explain_shows_the_tree_with_evidence() {
    let Outcome {
        code,
        stdout: out,
        stderr: err,
    } = govscore(&[
        "explain",
        "www.example-city.gov.cn:8002",
        "--results",
        fixture(2026).to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with(
            "乙市<script>alert(1)</script> http://www.example-city.gov.cn:8002/ (省会城市)"
        ),
        "{out}"
    );
    assert!(out.contains("排名：省会城市第2名（共2个）"), "{out}");
    assert!(
        out.contains("错链断链 (deduct-broken-links) −3.00，共3处 — 首页断链3个"),
        "{out}"
    );
    assert!(out.contains("信息发布 25.00/25.00"), "{out}");
    for (name, lang) in [("explain_complete", "zh"), ("explain_complete_en", "en")] {
        insta::assert_snapshot!(
            name,
            govscore(&[
                "explain",
                "完整市",
                "--results",
                fixture(2026).to_str().unwrap(),
                "--lang",
                lang
            ])
            .stdout
        );
    }
    let en = govscore(&[
        "explain",
        "www.example-city.gov.cn:8002",
        "--results",
        fixture(2026).to_str().unwrap(),
        "--lang",
        "en",
    ])
    .stdout;
    assert!(en.contains("rank: 省会城市 #2 of 2"), "{en}");
    assert!(
        en.contains("错链断链 (deduct-broken-links) −3.00 for 3 — 3 broken links on the homepage"),
        "{en}"
    );
}

/// `--previous` reads last year's year and totals off the file as it streams: the report it
/// gives is the one the whole document in memory gives, from a file or its folder, and a
/// file that is not results says so by name.
#[test]
fn previous_results_are_read_streaming_with_the_same_report() {
    let last = tempfile::tempdir().unwrap();
    write_reports(&results(2025), None, last.path(), Lang::En).unwrap();
    let streamed = Previous::read(last.path()).unwrap();
    assert_eq!(streamed.year, 2025);
    let file = Previous::read(&last.path().join("results.json")).unwrap();
    let now = results(2026);
    let whole = Previous::from(&results(2025));
    assert!(!gains(&now, &whole).is_empty());
    assert_eq!(gains(&now, &streamed), gains(&now, &whole));
    assert_eq!(gains(&now, &file), gains(&now, &whole));
    let report = |p: &Previous| {
        let dir = tempfile::tempdir().unwrap();
        write_reports(&now, Some(p), dir.path(), Lang::Zh).unwrap();
        std::fs::read_to_string(dir.path().join("report.md")).unwrap()
    };
    assert_eq!(report(&streamed), report(&whole));

    let bad = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = bad.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let cases = [
        (
            write(
                "schema.json",
                r#"{"schema": "other/v1", "year": 2025, "sites": []}"#,
            ),
            "other/v1",
        ),
        (
            write(
                "cut.json",
                r#"{"schema": "govscore/results/v3", "year": 2025, "sites": [{"url""#,
            ),
            "line 1",
        ),
        (write("list.json", "[1, 2]"), "not a results file"),
        (write("bare.json", r#"{"sites": []}"#), "schema null"),
        (
            write(
                "twice.json",
                r#"{"schema": "govscore/results/v3", "schema": "govscore/results/v3", "year": 1, "sites": []}"#,
            ),
            "duplicate field `schema`",
        ),
        (bad.path().join("missing.json"), "missing.json"),
        (bad.path().to_path_buf(), "results.json"),
    ];
    for (path, says) in cases {
        let err = Previous::read(&path).unwrap_err().to_string();
        assert!(err.contains(says), "{}: {err}", path.display());
    }
}

/// The streaming reader reads every field a whole-document parse reads, and keeps whole
/// only the sites asked for: the others as their summaries.
#[test]
fn results_stream_in_with_only_the_asked_sites_whole() {
    for year in [2025, 2026] {
        let path = fixture(year);
        let text = std::fs::read_to_string(&path).unwrap();
        let parsed: Results = serde_json::from_str(&text).unwrap();
        let streamed = Results::read(&path).unwrap();
        assert_eq!(streamed.to_json(), parsed.to_json(), "{year}");
    }
    let path = fixture(2026);
    let whole = Results::read(&path).unwrap();
    let chosen = whole.sites[0].url.clone();
    let kept = Results::read_with(&path, |s| {
        std::ops::ControlFlow::Continue(Some(if s.url == chosen { s } else { s.summary() }))
    })
    .unwrap();
    assert_eq!(kept.rankings.len(), whole.rankings.len());
    for (k, w) in kept.sites.iter().zip(&whole.sites) {
        if k.url == chosen {
            assert_eq!(k, w);
        } else {
            assert_eq!(*k, w.clone().summary());
        }
    }
    assert!(
        whole
            .sites
            .iter()
            .any(|s| s.url != chosen && *s != s.clone().summary()),
        "the fixture has details to drop"
    );

    let bad = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = bad.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    for (path, says) in [
        (write("none.json", r#"{"sites": []}"#), "schema null"),
        (
            write(
                "first.json",
                r#"{"schema": "other/v9", "sites": [{"odd": 1}]}"#,
            ),
            "schema \"other/v9\"",
        ),
        (
            write(
                "cut.json",
                r#"{"schema": "govscore/results/v3", "sites": ["#,
            ),
            "line 1",
        ),
        (write("list.json", "[1, 2]"), "not a results file"),
        (
            write("trailing.json", &format!("{} x", text_of(2026))),
            "trailing",
        ),
    ] {
        let err = Results::read(&path).unwrap_err().to_string();
        assert!(err.contains(says), "{}: {err}", path.display());
    }
}

fn text_of(year: u32) -> String {
    std::fs::read_to_string(fixture(year)).unwrap()
}

/// The most improved sites of `now` since `previous`, by URL.
fn gains(now: &Results, previous: &Previous) -> Vec<(String, f64)> {
    now.most_improved(previous, 10)
        .into_iter()
        .map(|(s, d)| (s.url.clone(), d))
        .collect()
}

/// The parts of a sharded run joined as they stream: every site once, by URL, ties in the
/// order the parts are given; a part that stops reading midway, or a failing writer, ends
/// the merge with that error.
#[test]
fn parts_are_merged_site_by_site_in_url_order() {
    let whole = results(2026);
    let dir = tempfile::tempdir().unwrap();
    let part = |name: &str, keep: &dyn Fn(usize) -> bool| {
        let mut p = whole.clone();
        p.sites = whole
            .sites
            .iter()
            .enumerate()
            .filter(|(i, _)| keep(*i))
            .map(|(_, s)| s.clone())
            .collect();
        let path = dir.path().join(name);
        std::fs::write(&path, p.to_json()).unwrap();
        path
    };
    let even = part("even.json", &|i| i % 2 == 0);
    let odd = part("odd.json", &|i| i % 2 == 1);
    let merged = |paths: &[PathBuf]| -> Result<Vec<(String, String)>, ResultsError> {
        let mut got = Vec::new();
        for_each_merged_site(paths, |s| {
            got.push((s.url.clone(), s.name.clone()));
            Ok::<(), ResultsError>(())
        })?;
        Ok(got)
    };
    let mut expected: Vec<String> = whole.sites.iter().map(|s| s.url.clone()).collect();
    expected.sort();
    let urls = |v: Vec<(String, String)>| v.into_iter().map(|(u, _)| u).collect::<Vec<_>>();
    assert_eq!(
        urls(merged(&[odd.clone(), even.clone()]).unwrap()),
        expected
    );
    assert_eq!(
        urls(merged(&[even.clone(), odd.clone()]).unwrap()),
        expected
    );

    // The same site in two parts: the first part given comes first.
    let mut renamed = whole.clone();
    for s in &mut renamed.sites {
        s.name = format!("{} (again)", s.name);
    }
    let again = dir.path().join("again.json");
    std::fs::write(&again, renamed.to_json()).unwrap();
    let both = merged(&[even.clone(), again]).unwrap();
    let first = &whole.sites[0];
    let copies: Vec<&String> = both
        .iter()
        .filter(|(u, _)| *u == first.url)
        .map(|(_, n)| n)
        .collect();
    assert_eq!(copies, [&first.name, &format!("{} (again)", first.name)]);

    // A part cut short in its sites.
    let text = std::fs::read_to_string(&odd).unwrap();
    let cut = dir.path().join("cut.json");
    std::fs::write(&cut, &text[..text.find("\"sites\"").unwrap() + 400]).unwrap();
    let err = merged(&[even.clone(), cut]).unwrap_err().to_string();
    assert!(err.contains("cut.json"), "{err}");

    // The writer fails on the second site: that error, and no more sites asked for.
    let mut calls = 0;
    let failed = for_each_merged_site(&[even, odd], |_| {
        calls += 1;
        if calls == 2 {
            return Err(ResultsError::Json {
                path: "out".into(),
                message: "disk full".into(),
            });
        }
        Ok(())
    });
    assert!(failed.unwrap_err().to_string().contains("disk full"));
    assert_eq!(calls, 2);
}

/// `diff` keeps only [`govscore::diff::diff_view`] of each site as it reads: the comparison
/// of the views is the comparison of the whole results, in every format.
#[test]
fn diff_of_the_views_is_the_diff_of_the_results() {
    let (old, new) = (results(2025), results(2026));
    let view = |r: &Results| {
        let mut r = r.clone();
        r.sites = r.sites.into_iter().map(govscore::diff::diff_view).collect();
        r
    };
    let whole = govscore::diff::diff(&old, &new);
    let viewed = govscore::diff::diff(&view(&old), &view(&new));
    for format in [Format::Json, Format::Md, Format::Table, Format::Csv] {
        for lang in [Lang::Zh, Lang::En] {
            assert_eq!(
                govscore::diff::render(&viewed, format, lang),
                govscore::diff::render(&whole, format, lang)
            );
        }
    }
    assert!(!whole.categories.is_empty());
}
