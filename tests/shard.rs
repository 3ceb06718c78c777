//! Sharded runs: the demo's crawl scored whole and in three shards; the merged shards must
//! give byte-identical reports, and broken sets of parts clear errors.

mod common;

use std::path::{Path, PathBuf};

use common::{Outcome, govscore_in};

fn indicators() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("indicators.yaml")
}

/// Scores the crawl in `dir/demo/crawl` into `out`, with extra arguments.
fn score(dir: &Path, out: &str, extra: &[&str]) -> Outcome {
    let ind = indicators();
    let mut args = vec![
        "score",
        "--crawl",
        "demo/crawl",
        "--indicators",
        ind.to_str().unwrap(),
        "--cases",
        "cases.yaml",
        "--out",
        out,
    ];
    if !extra.contains(&"--as-of") {
        args.extend(["--as-of", "2026-11-20"]);
    }
    args.extend_from_slice(extra);
    govscore_in(dir, &args)
}

#[test]
fn merged_shards_equal_an_unsharded_run_and_bad_parts_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let Outcome {
        code, stderr: err, ..
    } = govscore_in(d, &["demo", "-q", "--out", "demo"]);
    assert_eq!(code, 0, "{err}");
    std::fs::write(d.join("cases.yaml"), govscore::demo::CASES).unwrap();

    let Outcome {
        code, stderr: err, ..
    } = score(d, "full", &[]);
    assert_eq!(code, 0, "{err}");
    let mut sizes = Vec::new();
    for k in 1..=3 {
        let Outcome {
            code,
            stdout: out,
            stderr: err,
        } = score(d, &format!("part-{k}"), &["--shard", &format!("{k}/3")]);
        assert_eq!(code, 0, "{err}");
        assert!(
            out.contains(&format!("partial results of shard {k}/3")),
            "{out}"
        );
        let part: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(d.join(format!("part-{k}/results.json"))).unwrap(),
        )
        .unwrap();
        assert_eq!(part["shard"]["count"], 3);
        assert!(
            part["rankings"].as_object().unwrap().is_empty(),
            "a part is not ranked"
        );
        sizes.push(part["sites"].as_array().unwrap().len());
    }
    assert_eq!(sizes.iter().sum::<usize>(), 9, "{sizes:?}");
    assert!(
        sizes.iter().filter(|&&n| n > 0).count() >= 2,
        "the sites are really split: {sizes:?}"
    );

    let Outcome {
        code,
        stdout: out,
        stderr: err,
    } = govscore_in(
        d,
        &[
            "merge",
            "part-3/results.json",
            "part-1/results.json",
            "part-2/results.json",
            "--out",
            "merged",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("区县（district）"), "{out}");
    for file in ["results.json", "rankings.csv", "report.md", "report.html"] {
        let full = std::fs::read(d.join("full").join(file)).unwrap();
        let merged = std::fs::read(d.join("merged").join(file)).unwrap();
        assert!(
            full == merged,
            "{file} differs between the merged shards and the whole run"
        );
    }

    // The parts by their report folders, as every other command takes results; `-q` and
    // `--format` are accepted here as everywhere.
    let by_folder = govscore_in(
        d,
        &[
            "merge", "part-2", "part-3", "part-1", "--out", "merged-2", "-q", "--format", "md",
        ],
    );
    assert_eq!(by_folder.code, 0, "{}", by_folder.stderr);
    assert!(by_folder.stdout.starts_with("## "), "{}", by_folder.stdout);
    for file in ["results.json", "rankings.csv", "report.md", "report.html"] {
        let full = std::fs::read(d.join("full").join(file)).unwrap();
        let merged = std::fs::read(d.join("merged-2").join(file)).unwrap();
        assert!(full == merged, "{file} differs when merged from folders");
    }

    // A missing part.
    let Outcome {
        code, stderr: err, ..
    } = govscore_in(
        d,
        &[
            "merge",
            "part-1/results.json",
            "part-2/results.json",
            "--out",
            "x",
        ],
    );
    assert_eq!(code, 2);
    assert!(err.contains("shard 3 of 3 is missing"), "{err}");
    // A part given twice.
    let Outcome {
        code, stderr: err, ..
    } = govscore_in(
        d,
        &[
            "merge",
            "part-1/results.json",
            "part-1/results.json",
            "part-2/results.json",
            "--out",
            "x",
        ],
    );
    assert_eq!(code, 2);
    assert!(err.contains("shard 1/3 is given twice"), "{err}");
    // A part of another run: another evaluation date, or another split.
    let Outcome {
        code, stderr: err, ..
    } = score(
        d,
        "other-date",
        &["--shard", "3/3", "--as-of", "2026-11-21"],
    );
    assert_eq!(code, 0, "{err}");
    let Outcome {
        code, stderr: err, ..
    } = govscore_in(
        d,
        &[
            "merge",
            "part-1/results.json",
            "part-2/results.json",
            "other-date/results.json",
            "--out",
            "x",
        ],
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("evaluation date 2026-11-21") && err.contains("merge parts of one run"),
        "{err}"
    );
    let Outcome {
        code, stderr: err, ..
    } = score(d, "two-way", &["--shard", "2/2"]);
    assert_eq!(code, 0, "{err}");
    let Outcome {
        code, stderr: err, ..
    } = govscore_in(
        d,
        &[
            "merge",
            "part-1/results.json",
            "two-way/results.json",
            "--out",
            "x",
        ],
    );
    assert_eq!(code, 2);
    assert!(err.contains("split 2 ways"), "{err}");
    // A part whose sites are out of URL order (merge joins the parts as they stream).
    let (largest, _) = sizes.iter().enumerate().max_by_key(|(_, n)| **n).unwrap();
    let mut part: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(d.join(format!("part-{}/results.json", largest + 1))).unwrap(),
    )
    .unwrap();
    part["sites"].as_array_mut().unwrap().reverse();
    std::fs::create_dir_all(d.join("reversed")).unwrap();
    std::fs::write(
        d.join("reversed/results.json"),
        serde_json::to_string_pretty(&part).unwrap(),
    )
    .unwrap();
    let mut parts: Vec<String> = (1..=3)
        .filter(|k| *k != largest + 1)
        .map(|k| format!("part-{k}"))
        .collect();
    parts.push("reversed".into());
    let mut args: Vec<&str> = vec!["merge"];
    args.extend(parts.iter().map(String::as_str));
    args.extend(["--out", "x"]);
    let Outcome {
        code, stderr: err, ..
    } = govscore_in(d, &args);
    assert_eq!(code, 2);
    assert!(
        err.contains("reversed") && err.contains("does not list its sites in URL order"),
        "{err}"
    );
    // A whole run is not a part.
    let Outcome {
        code, stderr: err, ..
    } = govscore_in(d, &["merge", "full/results.json", "--out", "x"]);
    assert_eq!(code, 2);
    assert!(err.contains("is not a sharded result"), "{err}");
    assert!(
        !d.join("x").exists(),
        "nothing is written when the parts do not fit"
    );
}

#[test]
fn shard_arguments_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let Outcome {
        code, stderr: err, ..
    } = govscore_in(dir.path(), &["crawl", "--out", "c", "--shard", "4/3"]);
    assert_eq!(code, 2);
    assert!(err.contains("not K/N"), "{err}");
}
