//! The indicator file's loader on good, bad and mangled files.

use super::*;

/// A small valid file that exercises every rule kind; tests change one thing in it.
const BASE: &str = r#"total: 10
pages: {column_name_max_chars: 12, blank_min_text_chars: 200}
guides:
  min_elements: 2
  elements:
    - {name: 申请条件, headings: [受理条件]}
    - {name: 办理材料, headings: [申请材料]}
    - {name: 办理地点, headings: [受理地点]}
    - {name: 联系电话, headings: [咨询电话]}
platform: {hosts: ['zwfw'], max_pages: 40, max_depth: 2}
severe:
  spam_words: [博彩]
  trusted_hosts: [conac.cn]
  hidden_links: {enabled: true, auto_veto: false, min_links: 3}
  spam_content: {enabled: true, auto_veto: false, min_words: 5}
  title_drift: {enabled: true, auto_veto: false, min_pages: 10, min_share: 0.8}
  external_scripts: {enabled: true, auto_veto: false}
  personal_data: {enabled: true, auto_veto: false, page_words: [公示]}
  future_dates: {enabled: true, auto_veto: false}
columns:
  - id: news
    name: 要闻动态
    patterns: [要闻, 动态]
    update_within: 14
    key: true
indicators:
  - id: info
    name: 信息发布
    points: 6
    checks:
      - id: info-news
        name: 要闻动态
        points: 2
        rule: {kind: column, class: news, min_items: 10}
      - id: info-text
        name: 标识码
        points: 1
        rule: {kind: text, pattern: '\d{10}', scope: footer}
      - id: info-sel
        name: viewport
        points: 1
        rule: {kind: selector, selector: 'meta[name="viewport"]', scope: every_page}
      - id: info-mix
        name: 组合
        points: 2
        rule:
          kind: any_of
          rules:
            - {kind: link_to, host: 'zwfw\.gov\.cn$', text: 办事, scope: any_page}
            - kind: all_of
              rules:
                - {kind: https}
                - {kind: load_time, p10_ms: 1000, median_ms: 3000}
                - {kind: link_health, zero_at_share: 0.05}
  - id: more
    name: 其他
    points: 4
    checks:
      - id: more-meta
        name: 网页标签
        points: 1
        rule: {kind: meta_consistency, tags: [SiteName, PubDate]}
      - id: more-guides
        name: 办事指南
        points: 1.5
        rule: {kind: guide_elements, min_elements: 2}
      - id: more-manual
        name: 人工
        points: 1.5
        rule: {kind: manual, note: 评估人员打分}
vetoes:
  - {id: v-unreach, name: 站点无法访问, kind: site_unreachable, timeout_secs: 15, failure_share: 0.05}
  - {id: v-home, name: 首页不更新, kind: homepage_not_updated, max_age_days: 14}
  - {id: v-cols, name: 栏目不更新, kind: columns_not_updated, late_key_columns: 5, late_columns: 10, blank_columns: 5}
  - {id: v-severe, name: 严重错误, kind: severe_errors, phrases: [错误短语], min_hits: 1}
  - {id: v-resp, name: 互动回应差, kind: poor_response, channel_patterns: [信箱], max_unanswered_days: 90}
  - {id: v-serv, name: 服务不实用, kind: services_unusable, entry_patterns: [办事], missing_elements: 4, min_failing_guides: 5}
deductions:
  - {id: d-links, name: 错链断链, kind: broken_links, homepage_points: 1, other_points: 0.1, cap: 10}
  - {id: d-typos, name: 错别字, kind: typos, points: 0.5, cap: 5, pairs: [{wrong: 再接再励, right: 再接再厉}]}
bonus: {name: 优秀创新案例, cap: 5}
"#;

fn errors(text: &str) -> Vec<String> {
    match IndicatorSet::parse(text, "indicators.yaml") {
        Ok(_) => panic!("expected errors"),
        Err(e) => e.diagnostics().iter().map(ToString::to_string).collect(),
    }
}

/// BASE with one substring replaced; panics if the substring is not there, so a test
/// cannot silently stop testing anything when BASE changes.
fn with(from: &str, to: &str) -> String {
    assert!(BASE.contains(from), "BASE has no `{from}`");
    BASE.replacen(from, to, 1)
}

fn line_of(needle: &str) -> usize {
    BASE.lines()
        .position(|l| l.contains(needle))
        .expect("needle in BASE")
        + 1
}

#[test]
fn base_parses_with_every_rule_kind() {
    let set = IndicatorSet::parse(BASE, "indicators.yaml").unwrap();
    assert_eq!(set.total, 10.0);
    assert_eq!(set.check_count(), 7);
    let Rule::Column(col) = &set.indicators[0].checks[0].rule else {
        panic!()
    };
    // The class's patterns and deadline were filled in.
    assert_eq!(col.patterns.list().len(), 2);
    assert_eq!(col.fresh_within, Some(14));
    assert_eq!(col.min_items, Some(10));
    let Rule::AnyOf(rules) = &set.indicators[0].checks[3].rule else {
        panic!()
    };
    assert!(matches!(&rules[1], Rule::AllOf(inner) if inner.len() == 3));
    assert!(matches!(
        set.indicators[1].checks[2].rule,
        Rule::Manual { .. }
    ));
    assert_eq!(set.vetoes.len(), 6);
    assert_eq!(set.bonus.cap, 5.0);
    // Every kind of the closed sets is exercised, so a kind added to `kinds.rs` without a
    // loader arm or a scoring arm shows up here first.
    fn kinds(rule: &Rule, out: &mut Vec<RuleKind>) {
        out.push(rule.kind());
        rule.parts().iter().for_each(|r| kinds(r, out));
    }
    let mut used = Vec::new();
    for check in set.indicators.iter().flat_map(|i| &i.checks) {
        kinds(&check.rule, &mut used);
    }
    for kind in RuleKind::all() {
        assert!(used.contains(kind), "BASE has no `{}` rule", kind.name());
    }
    for kind in VetoKind::all() {
        assert!(
            set.vetoes.iter().any(|v| v.rule.kind() == *kind),
            "BASE has no `{}` veto",
            kind.name()
        );
    }
}

#[test]
fn default_file_encodes_the_method() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("indicators.yaml");
    let set = IndicatorSet::load(&path).unwrap();
    assert_eq!(set.total, 100.0);
    let names: Vec<(&str, f64)> = set
        .indicators
        .iter()
        .map(|i| (i.name.as_str(), i.points))
        .collect();
    assert_eq!(
        names,
        [
            ("信息发布", 25.0),
            ("解读回应", 10.0),
            ("办事服务", 25.0),
            ("互动交流", 15.0),
            ("管理保障", 15.0),
            ("功能推广", 10.0)
        ]
    );
    assert_eq!(
        (set.bonus.name.as_str(), set.bonus.cap),
        ("优秀创新案例", 5.0)
    );
    let kinds: Vec<&str> = set.vetoes.iter().map(|v| v.rule.kind().name()).collect();
    assert_eq!(kinds, VetoKind::names());
    for veto in &set.vetoes {
        match &veto.rule {
            VetoRule::SiteUnreachable {
                timeout_secs,
                failure_share,
            } => {
                assert_eq!((*timeout_secs, *failure_share), (15.0, 0.05))
            }
            VetoRule::HomepageNotUpdated { max_age_days } => assert_eq!(*max_age_days, 14),
            VetoRule::ColumnsNotUpdated {
                late_key_columns,
                late_columns,
                blank_columns,
            } => {
                assert_eq!(
                    (*late_key_columns, *late_columns, *blank_columns),
                    (5, 10, 5)
                )
            }
            VetoRule::ServicesUnusable {
                missing_elements,
                min_failing_guides,
                ..
            } => {
                assert_eq!((*missing_elements, *min_failing_guides), (4, 5));
                assert_eq!(set.guides.elements.len(), 10);
            }
            VetoRule::PoorResponse {
                max_unanswered_days,
                ..
            } => assert_eq!(*max_unanswered_days, 90),
            VetoRule::SevereErrors { min_hits, .. } => assert_eq!(*min_hits, 1),
        }
    }
    let DeductionRule::BrokenLinks {
        homepage_points,
        other_points,
    } = set.deductions[0].rule
    else {
        panic!("first deduction is broken links")
    };
    assert_eq!((homepage_points, other_points), (1.0, 0.1));
    // Column deadlines of DOMAIN §2: 14 days for news, 180 for notices and policies.
    let deadline = |id: &str| set.column_class(id).unwrap().update_within;
    assert_eq!(
        (deadline("news"), deadline("notices"), deadline("policies")),
        (14, 180, 180)
    );
    assert_eq!(set.columns.iter().filter(|c| c.key).count(), 3);
    assert!(
        set.columns
            .iter()
            .filter(|c| !c.key)
            .all(|c| c.update_within == 365)
    );
}

#[test]
fn unknown_keys_anywhere() {
    let e = errors(&with("total: 10", "total: 10\ntotals: 3"));
    assert_eq!(
        e,
        ["indicators.yaml:2:1: unknown key `totals` in the indicator file; did you mean `total`?"]
    );
    let e = errors(&with("min_items: 10}", "min_item: 10}"));
    let line = line_of("min_items: 10}");
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(
        e[0].starts_with(&format!("indicators.yaml:{line}:")),
        "{e:?}"
    );
    assert!(
        e[0].contains("unknown key `min_item` in a `column` rule; did you mean `min_items`?"),
        "{e:?}"
    );
    // A key of one rule kind on another is unknown there.
    let e = errors(&with("{kind: https}", "{kind: https, scope: homepage}"));
    assert!(
        e[0].contains("unknown key `scope` in a `https` rule"),
        "{e:?}"
    );
}

#[test]
fn wrong_types() {
    let e = errors(&with("points: 6", "points: six"));
    assert_eq!(
        e,
        [format!(
            "indicators.yaml:{}:13: `points` must be a number, found text",
            line_of("points: 6")
        )]
    );
    let e = errors(&with("max_age_days: 14", "max_age_days: 14.5"));
    assert!(
        e[0].contains("`max_age_days` must be a whole number, found a number"),
        "{e:?}"
    );
    let e = errors(&with(
        "bonus: {name: 优秀创新案例, cap: 5}",
        "bonus: [优秀创新案例, 5]",
    ));
    assert!(
        e[0].contains("`bonus` must be a mapping of keys to values, found a list"),
        "{e:?}"
    );
    let e = errors(&with("key: true", "key: yes please"));
    assert!(
        e[0].contains("`key` must be true or false, found text"),
        "{e:?}"
    );
    let e = errors(&with("tags: [SiteName, PubDate]", "tags: SiteName"));
    assert!(e[0].contains("`tags` must be a list, found text"), "{e:?}");
}

#[test]
fn duplicate_ids() {
    let e = errors(&with("- id: info-text", "- id: info-news"));
    let line = line_of("- id: info-text");
    assert_eq!(
        e,
        [format!(
            "indicators.yaml:{line}:13: duplicate id `info-news` (first used at line {})",
            line_of("- id: info-news")
        )]
    );
    let e = errors(&with("id: d-typos", "id: v-home"));
    assert!(e[0].contains("duplicate id `v-home`"), "{e:?}");
    let e = errors(&with("- id: info-text", "- id: Info Text"));
    assert!(
        e[0].contains("id `Info Text` must start with a lowercase letter"),
        "{e:?}"
    );
}

#[test]
fn unknown_rule_veto_and_deduction_kinds() {
    let e = errors(&with("{kind: https}", "{kind: htps}"));
    assert_eq!(e.len(), 1, "{e:?}");
    let line = line_of("{kind: https}");
    assert!(
        e[0].starts_with(&format!(
            "indicators.yaml:{line}:26: unknown rule kind `htps`; did you mean `https`?"
        )),
        "{e:?}"
    );
    let e = errors(&with("kind: homepage_not_updated", "kind: homepage_stale"));
    assert!(e[0].contains("unknown veto kind `homepage_stale`"), "{e:?}");
    let e = errors(&with("kind: typos", "kind: spelling"));
    assert!(e[0].contains("unknown deduction kind `spelling`"), "{e:?}");
    let e = errors(&with("{kind: https}", "{scope: homepage}"));
    assert!(e[0].contains("rule is missing the key `kind`"), "{e:?}");
}

#[test]
fn regexes_and_selectors_must_compile() {
    let e = errors(&with(r"pattern: '\d{10}'", "pattern: '(unclosed'"));
    let line = line_of(r"pattern: '\d{10}'");
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(
            e[0].starts_with(&format!("indicators.yaml:{line}:37: `pattern` `(unclosed` is not a valid regular expression: unclosed group")),
            "{e:?}"
        );
    let e = errors(&with("patterns: [要闻, 动态]", "patterns: [要闻, '[动态']"));
    assert!(
        e[0].contains("a pattern in `patterns` `[动态` is not a valid regular expression"),
        "{e:?}"
    );
    let e = errors(&with(
        r#"selector: 'meta[name="viewport"]'"#,
        "selector: 'meta[name='",
    ));
    assert!(e[0].contains("is not a valid CSS selector"), "{e:?}");
    let e = errors(&with(
        r#"selector: 'meta[name="viewport"]'"#,
        "selector: 'div >> p'",
    ));
    assert!(
        e[0].contains("`div >> p` is not a valid CSS selector"),
        "{e:?}"
    );
}

#[test]
fn points_must_add_up() {
    let e = errors(&with(
        "points: 1.5\n        rule: {kind: manual",
        "points: 1\n        rule: {kind: manual",
    ));
    assert_eq!(
        e,
        [format!(
            "indicators.yaml:{}:13: the checks of `more` (其他) add up to 3.5 points, but the indicator has 4",
            line_of("points: 4")
        )]
    );
    let e = errors(&with("total: 10", "total: 100"));
    assert_eq!(
        e,
        ["indicators.yaml:1:8: the first-level indicators add up to 10 points, but `total` is 100"]
    );
    // Decimal points add up without float noise: 0.1 + 0.2 == 0.3.
    let text = with(
        "points: 1.5\n        rule: {kind: guide",
        "points: 0.3\n        rule: {kind: guide",
    )
    .replace(
        "points: 1.5\n        rule: {kind: manual",
        "points: 2.7\n        rule: {kind: manual",
    );
    IndicatorSet::parse(&text, "x").unwrap();
}

#[test]
fn thresholds_must_be_positive_and_coherent() {
    let e = errors(&with("max_age_days: 14", "max_age_days: 0"));
    assert!(
        e[0].contains("`max_age_days` must be a whole number of at least 1, found 0"),
        "{e:?}"
    );
    let e = errors(&with("timeout_secs: 15", "timeout_secs: -15"));
    assert!(
        e[0].contains("`timeout_secs` must be greater than zero, found -15"),
        "{e:?}"
    );
    let e = errors(&with("failure_share: 0.05", "failure_share: 5"));
    assert!(e[0].contains("at most 1 (write 5% as 0.05)"), "{e:?}");
    let e = errors(&with("cap: 10", "cap: 0"));
    assert!(e[0].contains("`cap` must be greater than zero"), "{e:?}");
    let e = errors(&with(
        "points: 2\n        rule: {kind: column",
        "points: -2\n        rule: {kind: column",
    ));
    assert!(
        e.iter()
            .any(|m| m.contains("`points` must be greater than zero, found -2")),
        "{e:?}"
    );
    let e = errors(&with("p10_ms: 1000", "p10_ms: 5000"));
    assert!(
        e[0].contains("`p10_ms` (5000) must be below `median_ms` (3000)"),
        "{e:?}"
    );
    let e = errors(&with("missing_elements: 4", "missing_elements: 5"));
    assert!(
        e[0].contains("`missing_elements` is 5, but only 4 elements are listed"),
        "{e:?}"
    );
    let e = errors(&with(
        "bonus: {name: 优秀创新案例, cap: 5}",
        "bonus: {name: 优秀创新案例, cap: -5}",
    ));
    assert!(
        e[0].contains("`cap` must be greater than zero, found -5"),
        "{e:?}"
    );
}

#[test]
fn the_severe_section_says_what_each_detector_does() {
    let line = line_of("trusted_hosts:");
    let e = errors(&with(
        "trusted_hosts: [conac.cn]",
        "trusted_hosts: [conac.cn, 'https://cnzz.com/', Conac.CN]",
    ));
    assert_eq!(e.len(), 2, "{e:?}");
    assert!(
        e[0].starts_with(&format!("indicators.yaml:{line}:"))
            && e[0].contains("`https://cnzz.com/` in `trusted_hosts` is not a host name"),
        "{e:?}"
    );
    assert!(e[1].contains("`Conac.CN` is listed twice"), "{e:?}");
    let e = errors(&with("min_share: 0.8", "min_share: 80"));
    assert!(e[0].contains("`min_share` is a share"), "{e:?}");
    let e = errors(&with(
        "external_scripts: {enabled: true, auto_veto: false}",
        "external_scripts: {enabled: true}",
    ));
    assert!(e[0].contains("`auto_veto`"), "{e:?}");
    let set = IndicatorSet::parse(BASE, "indicators.yaml").unwrap();
    assert!(set.severe.trusts("bszs.conac.cn") && set.severe.trusts("CONAC.cn."));
    assert!(!set.severe.trusts("notconac.cn") && !set.severe.trusts("conac.cn.example.com"));
}

#[test]
fn column_rules_need_a_known_class_or_patterns() {
    let e = errors(&with("class: news, min_items", "class: newz, min_items"));
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(
        e[0].contains("unknown column class `newz`; the `columns` section defines: news"),
        "{e:?}"
    );
    let e = errors(&with("class: news, min_items", "min_items"));
    assert!(
        e[0].contains("a `column` rule needs `class` (a column class id) or `patterns`"),
        "{e:?}"
    );
}

#[test]
fn phrase_and_typo_lists_can_live_in_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("severe.txt"),
        "# 严重错误\n国务院总理李克墙\n\n习进平\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("typos.txt"),
        "再接再励 → 再接再厉\n震憾 -> 震撼\n不成对\n",
    )
    .unwrap();
    let text = with("phrases: [错误短语]", "phrases_file: severe.txt").replace(
        "pairs: [{wrong: 再接再励, right: 再接再厉}]",
        "pairs_file: typos.txt",
    );
    let path = dir.path().join("indicators.yaml");
    std::fs::write(&path, &text).unwrap();
    let err = IndicatorSet::load(&path).unwrap_err();
    let msgs: Vec<String> = err.diagnostics().iter().map(ToString::to_string).collect();
    assert_eq!(msgs.len(), 1, "{msgs:?}");
    assert!(
        msgs[0].ends_with("typos.txt:3: `不成对` is not `wrong → right` (`->` and `=>` work too)"),
        "{msgs:?}"
    );

    std::fs::write(
        dir.path().join("typos.txt"),
        "再接再励 → 再接再厉\n震憾 -> 震撼\n",
    )
    .unwrap();
    let set = IndicatorSet::load(&path).unwrap();
    let VetoRule::SevereErrors { phrases, .. } = &set.vetoes[3].rule else {
        panic!()
    };
    assert_eq!(phrases, &["国务院总理李克墙", "习进平"]);
    let DeductionRule::Typos { pairs, .. } = &set.deductions[1].rule else {
        panic!()
    };
    assert_eq!(pairs.len(), 2);

    std::fs::remove_file(dir.path().join("severe.txt")).unwrap();
    let msgs: Vec<String> = IndicatorSet::load(&path)
        .unwrap_err()
        .diagnostics()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(
        msgs[0].contains("`phrases_file` `severe.txt` cannot be read"),
        "{msgs:?}"
    );
}

#[test]
fn manual_rules_stand_alone() {
    let e = errors(&with(
        "                - {kind: https}",
        "                - {kind: manual}",
    ));
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(
        e[0].contains("a `manual` rule cannot be combined in `all_of`"),
        "{e:?}"
    );
}

#[test]
fn a_veto_kind_appears_once() {
    let e = errors(&with(
        "  - {id: v-home,",
        "  - {id: v-home2, name: 又一个, kind: homepage_not_updated, max_age_days: 7}\n  - {id: v-home,",
    ));
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(
        e[0].contains("a second `homepage_not_updated` veto (the first is at line"),
        "{e:?}"
    );
}

#[test]
fn every_problem_is_reported_in_one_pass() {
    let text = with("total: 10", "total: 10\nextra: 1")
        .replace("{kind: https}", "{kind: htps}")
        .replace(r"pattern: '\d{10}'", "pattern: '(x'")
        .replace("max_age_days: 14", "max_age_days: -1")
        .replace("- id: info-text", "- id: info-news");
    let e = errors(&text);
    assert_eq!(e.len(), 5, "{e:?}");
    // Reported in file order.
    let lines: Vec<usize> = e
        .iter()
        .map(|m| m.split(':').nth(1).unwrap().parse().unwrap())
        .collect();
    assert!(lines.windows(2).all(|w| w[0] <= w[1]), "{lines:?}");
}

#[test]
fn malformed_yaml_and_wrong_shapes_do_not_panic() {
    for text in [
        "",
        "- just\n- a list\n",
        "total: [\n",
        "total: 100\nindicators: 5\ncolumns: {}\nvetoes: []\ndeductions: x\nbonus: 1\n",
        "indicators:\n  - 1\n  - [a]\n  - {id: 5}\n",
        "\u{0}\u{1}binary",
        "a: &x [*x]\n",
        "? [a, b]\n: c\n",
    ] {
        let e = errors(text);
        assert!(!e.is_empty());
        for m in &e {
            assert!(m.starts_with("indicators.yaml:"), "{m}");
        }
    }
}

#[test]
fn a_word_set_finds_what_a_search_per_word_finds() {
    let words: Vec<String> = ["彩票", "时时彩", "博彩", "六合彩", "老虎机", "彩"]
        .iter()
        .map(|w| w.to_string())
        .collect();
    let set = WordSet::new(words.clone());
    for text in [
        "",
        "网站首页",
        "时时彩票", // two words overlapping, and one inside both
        "老虎机和博彩，还有六合彩",
        "六合彩 博彩 彩票 时时彩",
    ] {
        let one_by_one: Vec<&str> = words
            .iter()
            .filter(|w| text.contains(w.as_str()))
            .map(String::as_str)
            .collect();
        assert_eq!(set.present(text), one_by_one, "{text}");
    }
    assert!(WordSet::new(Vec::new()).present("博彩").is_empty());
    assert_eq!(set.words().len(), 6);
    assert!(set.any_in("买彩票") && !set.any_in("网站首页"));
    assert!(!WordSet::new(Vec::new()).any_in("博彩"));
}

/// The set a pattern list is searched as matches what the patterns one by one do: an
/// inline flag stays inside its own pattern, and a `(?x)` comment does not reach the next.
#[test]
fn patterns_match_as_any_of_them() {
    let list: Vec<Regex> = [
        "(?i)rss",
        "ABC",
        "^信箱$",
        "咨询|投诉",
        "(?x)a\\ b#c",
        "x\ny",
    ]
    .iter()
    .map(|p| Regex::new(p).unwrap())
    .collect();
    let patterns = Patterns::new(list.clone());
    for text in [
        "RSS订阅",
        "信箱",
        "书记信箱",
        "在线咨询",
        "RSS",
        "rSs",
        "SS",
        "投诉",
        "留言",
        "abc",
        "ABC",
    ] {
        let one_by_one = list.iter().any(|p| p.is_match(text));
        assert_eq!(patterns.is_match(text), one_by_one, "{text}");
    }
    assert!(!Patterns::new(Vec::new()).is_match("信箱"));
    assert!(Patterns::default().is_empty());
    assert_eq!(patterns.list().len(), 6);
}
