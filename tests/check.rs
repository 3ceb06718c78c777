//! `govscore check` run as a user runs it: the real binary on real files in a temporary
//! folder, asserting the exit code and the `file:line[:col]` of every message.

mod common;

use std::path::{Path, PathBuf};

use common::{Outcome, govscore_in};
use tempfile::TempDir;

fn repo_file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(name)
}

/// A folder holding copies of the default input files, for a test to break one of them.
fn workspace() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in ["sites.txt", "indicators.yaml"] {
        std::fs::copy(repo_file(name), dir.path().join(name)).unwrap();
    }
    dir
}

fn check_in(dir: &Path, args: &[&str]) -> Outcome {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    govscore_in(dir, &all)
}

fn replace_in(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} has no `{from}`");
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// A zero deadline and a misspelt scope: the README's example of `check` output.
fn break_two_indicator_values(dir: &Path) {
    replace_in(
        dir,
        "indicators.yaml",
        "fresh_within: 180, min_items: 3",
        "fresh_within: 0, min_items: 3",
    );
    replace_in(dir, "indicators.yaml", "scope: footer}", "scope: fotter}");
}

fn line_of(dir: &Path, file: &str, needle: &str) -> usize {
    let text = std::fs::read_to_string(dir.join(file)).unwrap();
    text.lines()
        .position(|l| l.contains(needle))
        .expect("needle present")
        + 1
}

#[test]
fn the_default_files_are_valid() {
    let out = check_in(Path::new(env!("CARGO_MANIFEST_DIR")), &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("sites.txt: 42 sites (省会城市 27, 副省级城市 15, 区县 10)"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("100 points"), "{}", out.stdout);
    assert!(
        out.stdout.contains("优秀创新案例 up to 5"),
        "{}",
        out.stdout
    );
    assert!(out.stderr.is_empty(), "{}", out.stderr);
}

#[test]
fn a_bad_sites_line_is_reported_with_its_line() {
    let dir = workspace();
    replace_in(
        dir.path(),
        "sites.txt",
        "https://www.sjz.gov.cn/",
        "www.sjz.gov.cn",
    );
    let line = line_of(dir.path(), "sites.txt", "www.sjz.gov.cn");
    let out = check_in(dir.path(), &[]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.starts_with(&format!(
            "sites.txt:{line}: `www.sjz.gov.cn` is not an absolute URL"
        )),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("1 problem in 1 file"), "{}", out.stderr);
    assert!(out.stdout.is_empty());
}

#[test]
fn a_repeated_site_is_reported() {
    let dir = workspace();
    let mut text = std::fs::read_to_string(dir.path().join("sites.txt")).unwrap();
    text.push_str("http://chengdu.gov.cn/ district 又是成都\n");
    std::fs::write(dir.path().join("sites.txt"), &text).unwrap();
    let first = line_of(dir.path(), "sites.txt", "www.chengdu.gov.cn");
    let out = check_in(dir.path(), &[]);
    assert_eq!(out.code, 2);
    let last = text.lines().count();
    assert!(
        out.stderr.contains(&format!(
            "sites.txt:{last}: `http://chengdu.gov.cn/` is the same site as line {first}"
        )),
        "{}",
        out.stderr
    );
}

#[test]
fn a_bad_indicator_file_is_reported_with_line_and_column() {
    let dir = workspace();
    break_two_indicator_values(dir.path());
    let stale = line_of(dir.path(), "indicators.yaml", "fresh_within: 0");
    let scope = line_of(dir.path(), "indicators.yaml", "scope: fotter");
    let out = check_in(dir.path(), &["--indicators", "indicators.yaml"]);
    assert_eq!(out.code, 2);
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(lines.len(), 3, "{}", out.stderr);
    assert!(
        lines[0].starts_with(&format!("indicators.yaml:{stale}:"))
            && lines[0].contains("`fresh_within` must be a whole number of at least 1"),
        "{}",
        out.stderr
    );
    // Columns count characters, not bytes: the line holds Chinese text before the value.
    let text = std::fs::read_to_string(dir.path().join("indicators.yaml")).unwrap();
    let line = text.lines().nth(scope - 1).unwrap();
    let col = line[..line.find("fotter").unwrap()].chars().count() + 1;
    assert_eq!(
        lines[1],
        format!(
            "indicators.yaml:{scope}:{col}: this rule's `scope` must be one of: homepage, footer, any_page, every_page, articles; found `fotter`; did you mean `footer`?"
        )
    );
    assert_eq!(lines[2], "2 problems in 1 file");
}

#[test]
fn points_that_do_not_add_up_fail_the_check() {
    let dir = workspace();
    replace_in(
        dir.path(),
        "indicators.yaml",
        "name: 网站地图\n        points: 1",
        "name: 网站地图\n        points: 2",
    );
    let out = check_in(dir.path(), &[]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains(
            "the checks of `promote` (功能推广) add up to 11 points, but the indicator has 10"
        ),
        "{}",
        out.stderr
    );
    // The indicator's own points still add up to the total, so only the checks are reported.
    assert_eq!(out.stderr.lines().count(), 2, "{}", out.stderr);
}

#[test]
fn the_cases_file_is_checked_against_the_sites() {
    let dir = workspace();
    std::fs::write(
        dir.path().join("awards.yaml"),
        "- site: https://www.chengdu.gov.cn/\n  title: 网络理政\n  points: 3\n\
         - site: www.example.gov.cn\n  title: 不在名单\n  points: 1\n\
         - site: 都江堰市\n  title: 进步\n  points: -2\n",
    )
    .unwrap();
    let out = check_in(dir.path(), &["--cases", "awards.yaml"]);
    assert_eq!(out.code, 2);
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert!(
        lines[0].starts_with("awards.yaml:4:9: site `www.example.gov.cn` is not in the sites file"),
        "{}",
        out.stderr
    );
    assert!(
        lines[1].starts_with("awards.yaml:9:11: `points` is -2"),
        "{}",
        out.stderr
    );
}

#[test]
fn cases_yaml_is_used_when_present() {
    let dir = workspace();
    std::fs::write(
        dir.path().join("cases.yaml"),
        "- {site: 成都市, title: 网络理政, points: 3}\n",
    )
    .unwrap();
    let out = check_in(dir.path(), &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("cases.yaml: 1 cases"), "{}", out.stdout);
    // A part of one site's name finds it; a part of several names is ambiguous; a name of
    // no site is reported.
    std::fs::write(
        dir.path().join("cases.yaml"),
        "- {site: 成都, title: 网络理政, points: 3}\n",
    )
    .unwrap();
    let out = check_in(dir.path(), &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    std::fs::write(
        dir.path().join("cases.yaml"),
        "- {site: 重庆, title: 网络理政, points: 3}\n- {site: 江, title: 进步, points: 1}\n",
    )
    .unwrap();
    let out = check_in(dir.path(), &[]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .starts_with("cases.yaml:1:10: site `重庆` is not in the sites file"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("cases.yaml:2:10: site `江` could be any of 都江堰市, 锦江区, 青白江区;"),
        "{}",
        out.stderr
    );
}

#[test]
fn problems_in_all_three_files_are_reported_together() {
    let dir = workspace();
    replace_in(dir.path(), "sites.txt", "大连市", "");
    replace_in(
        dir.path(),
        "indicators.yaml",
        "total: 100",
        "total: 100\nweights: {}",
    );
    std::fs::write(
        dir.path().join("cases.yaml"),
        "- {site: 成都市, title: 网络理政, point: 3}\n",
    )
    .unwrap();
    let out = check_in(dir.path(), &[]);
    assert_eq!(out.code, 2);
    let files: Vec<&str> = out
        .stderr
        .lines()
        .filter_map(|l| l.split(':').next())
        .collect();
    assert!(
        files.contains(&"sites.txt")
            && files.contains(&"indicators.yaml")
            && files.contains(&"cases.yaml"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("problems in 3 files"), "{}", out.stderr);
}

#[test]
fn missing_and_unreadable_files_are_errors_not_panics() {
    let dir = workspace();
    let out = check_in(dir.path(), &["--sites", "nope.txt"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.starts_with("nope.txt:1: cannot read the file"),
        "{}",
        out.stderr
    );
    let out = check_in(dir.path(), &["--cases", "absent.yaml"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .starts_with("absent.yaml:1: cannot read the file"),
        "{}",
        out.stderr
    );
    std::fs::write(
        dir.path().join("gbk.txt"),
        b"https://www.chengdu.gov.cn/ district \xb3\xc9\xb6\xbc\n",
    )
    .unwrap();
    let out = check_in(dir.path(), &["--sites", "gbk.txt"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .starts_with("gbk.txt:1: the file is not UTF-8 text"),
        "{}",
        out.stderr
    );
    std::fs::create_dir(dir.path().join("adir.yaml")).unwrap();
    let out = check_in(dir.path(), &["--indicators", "adir.yaml"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.starts_with("adir.yaml:1: cannot read the file"),
        "{}",
        out.stderr
    );
}

#[test]
fn garbage_input_never_panics() {
    let dir = workspace();
    let junk: &[&[u8]] = &[
        b"",
        b"\x00\x01\x02",
        b"{{{{",
        b"- - - -",
        b": : :",
        b"total: 1e999",
        b"&a [*a, *a]",
    ];
    for bytes in junk {
        std::fs::write(dir.path().join("junk.yaml"), bytes).unwrap();
        std::fs::write(dir.path().join("junk.txt"), bytes).unwrap();
        for args in [
            ["--indicators", "junk.yaml"],
            ["--sites", "junk.txt"],
            ["--cases", "junk.yaml"],
        ] {
            let out = check_in(dir.path(), &args);
            // Some junk is a valid (empty) cases file; the rest must be reported, not crash.
            if out.code != 0 {
                assert_eq!(out.code, 2, "{}", out.stderr);
                assert!(out.stderr.starts_with("junk."), "{args:?}: {}", out.stderr);
            }
        }
    }
}

#[test]
fn bad_arguments_exit_2() {
    let out = check_in(Path::new(env!("CARGO_MANIFEST_DIR")), &["--frobnicate"]);
    assert_eq!(out.code, 2);
}

/// Every command that reads input files reports their problems as `check` does, with the
/// count line, and exits 2; `-q` is accepted before or after the command.
#[test]
fn every_command_reports_input_problems_as_check_does() {
    let dir = workspace();
    std::fs::write(dir.path().join("sites.txt"), "not-a-url district 甲\n").unwrap();
    let commands: [&[&str]; 5] = [
        &["check"],
        &["-q", "check"],
        &["check", "-q"],
        &["crawl", "--out", "c", "-q"],
        &["run", "--out", "r", "-q"],
    ];
    for args in commands {
        let out = govscore_in(dir.path(), args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(
            out.stderr
                .starts_with("sites.txt:1: `not-a-url` is not an absolute URL"),
            "{args:?}: {}",
            out.stderr
        );
        assert!(
            out.stderr.ends_with("\n1 problem in 1 file\n"),
            "{args:?}: {}",
            out.stderr
        );
    }
}

/// The README shows `govscore check` on a broken copy of the default files; this runs the same
/// scenario and compares with the README's text, so the example cannot drift from the truth.
#[test]
fn the_readme_example_is_what_check_prints() {
    let readme = std::fs::read_to_string(repo_file("README.md")).unwrap();
    let start =
        readme.find("$ govscore check\n").expect("README example") + "$ govscore check\n".len();
    let end = start + readme[start..].find("```").unwrap();
    let expected = &readme[start..end];

    let dir = workspace();
    break_two_indicator_values(dir.path());
    std::fs::write(
        dir.path().join("cases.yaml"),
        "- site: https://www.chengdu.gov.cn/\n  title: 网络理政\n  points: 3\n\
         - site: www.example.gov.cn\n  title: 不在名单\n  points: 1\n",
    )
    .unwrap();
    let out = check_in(dir.path(), &[]);
    assert_eq!(out.code, 2);
    assert_eq!(out.stderr, expected);
}

#[test]
fn the_manual_file_is_checked_against_sites_and_checks() {
    let dir = workspace();
    std::fs::write(
        dir.path().join("manual.yaml"),
        "- {site: 成都市, check: manage-https, points: 1}\n- {site: 成都市, check: no-such-check, points: 1}\n",
    )
    .unwrap();
    let out = check_in(dir.path(), &[]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.starts_with(
            "manual.yaml:1:22: check `manage-https` is scored from the crawl, not by hand"
        ),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("manual.yaml:2:22: there is no check `no-such-check`"),
        "{}",
        out.stderr
    );
}

/// The default method and site list ship in the binary: from an empty folder `check` and
/// `demo` work, `init` writes the two files for editing (and never overwrites them), and
/// results name the method they were scored with.
#[test]
fn the_method_ships_in_the_binary_and_init_writes_it_out() {
    let empty = tempfile::tempdir().unwrap();
    let out = govscore_in(empty.path(), &["check"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("sites.txt (built in): 42 sites (省会城市 27, 副省级城市 15, 区县 10)"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("indicators.yaml (built in): 7 first-level indicators"),
        "{}",
        out.stdout
    );
    let demo = govscore_in(empty.path(), &["demo", "-q", "--out", "demo"]);
    assert_eq!(demo.code, 0, "{}", demo.stderr);
    let results = std::fs::read_to_string(empty.path().join("demo/results.json")).unwrap();
    assert!(
        results.contains("\"indicators_file\": \"indicators.yaml (built in)\""),
        "{results}"
    );

    let init = govscore_in(empty.path(), &["init", "method"]);
    assert_eq!(init.code, 0, "{}", init.stderr);
    for name in ["indicators.yaml", "sites.txt"] {
        assert_eq!(
            std::fs::read(empty.path().join("method").join(name)).unwrap(),
            std::fs::read(repo_file(name)).unwrap(),
            "{name}"
        );
    }
    // An edited file is never overwritten.
    replace_in(&empty.path().join("method"), "sites.txt", "大连市", "大连");
    let again = govscore_in(empty.path(), &["init", "method"]);
    assert_eq!(again.code, 2);
    assert!(
        again.stderr.contains("never overwrites"),
        "{}",
        again.stderr
    );
    // The files in the folder now override the built-in ones.
    let edited = govscore_in(&empty.path().join("method"), &["check"]);
    assert_eq!(edited.code, 0, "{}", edited.stderr);
    assert!(
        edited.stdout.starts_with("sites.txt: 42 sites"),
        "{}",
        edited.stdout
    );
}
