//! Hostile pages through the one HTML parse: deep nesting, which html5ever alone handles in
//! time quadratic in the depth (a stack scan per tag), against the depth-capped parse
//! (`extract::parse`) and the whole page-facts extraction that uses it. The unbounded parse
//! is only run at 20,000 levels: at 100,000 it takes seconds per page. Figures go in
//! BENCHMARKS.md.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use govscore::extract::ExtractConfig;
use govscore::extract::facts::page_facts;
use govscore::extract::parse::parse_document;
use url::Url;

fn nested_divs(n: usize) -> String {
    format!(
        "<html><body>{}深层<a href=\"/x.html\">链接</a>{}</body></html>",
        "<div>".repeat(n),
        "</div>".repeat(n)
    )
}

fn nested_lists(n: usize) -> String {
    format!(
        "<html><body>{}列表{}</body></html>",
        "<ul><li>".repeat(n),
        "</li></ul>".repeat(n)
    )
}

fn bench(c: &mut Criterion) {
    let url = Url::parse("https://www.example.gov.cn/").unwrap();
    let config = ExtractConfig::default();
    let mut g = c.benchmark_group("deep_nesting");
    g.sample_size(10)
        .measurement_time(Duration::from_secs(20))
        .warm_up_time(Duration::from_secs(1));
    let div20k = nested_divs(20_000);
    g.bench_function("html5ever_unbounded_20k_divs", |b| {
        b.iter(|| scraper::Html::parse_document(black_box(&div20k)))
    });
    g.bench_function("capped_parse_20k_divs", |b| {
        b.iter(|| parse_document(black_box(&div20k)))
    });
    let div100k = nested_divs(100_000);
    g.bench_function("page_facts_100k_divs_1.1MB", |b| {
        b.iter(|| page_facts(black_box(&div100k), &url, &config))
    });
    let lists100k = nested_lists(100_000);
    g.bench_function("page_facts_100k_ul_li", |b| {
        b.iter(|| page_facts(black_box(&lists100k), &url, &config))
    });
    // Spans each followed by an end tag that closes nothing: the nesting grows while a
    // count of start less end tags would stay at zero.
    let stray100k = format!("<body>{}x", "<span></div>".repeat(100_000));
    g.bench_function("page_facts_100k_spans_stray_end_tags", |b| {
        b.iter(|| page_facts(black_box(&stray100k), &url, &config))
    });
    // As much nesting as fits under the default --max-bytes (5 MiB).
    let div5m = nested_divs(5 * 1024 * 1024 / 11);
    g.bench_function("page_facts_5MiB_of_divs", |b| {
        b.iter(|| page_facts(black_box(&div5m), &url, &config))
    });
    // Containers nested 500 deep, each holding a link, over as many links as fit in the
    // rest of 5 MiB: every container is a link's row candidate, and each must read only its
    // own few links when it closes, not the whole list beneath it.
    let links_under = format!(
        "<html><body>{}{}{}</body></html>",
        "<div><a href=\"/up.html\">上</a>".repeat(500),
        "<a href=\"/p.html\">链接</a>".repeat(5 * 1024 * 1024 / 28),
        "</div>".repeat(500)
    );
    g.bench_function("page_facts_5MiB_of_links_under_500_containers", |b| {
        b.iter(|| page_facts(black_box(&links_under), &url, &config))
    });
    // Thousands of text-less links to one address among a million empty elements, in one
    // block: a row candidate for each link by its text and links, too big to be one.
    let one_block = format!(
        "<html><body><div>{}{}</div></body></html>",
        "<a href=\"/x.html\"></a>".repeat(20_000),
        "<i></i>".repeat((5 * 1024 * 1024 - 20_000 * 22) / 7)
    );
    g.bench_function("page_facts_5MiB_of_one_link_over_empty_elements", |b| {
        b.iter(|| page_facts(black_box(&one_block), &url, &config))
    });
    // Text the parse hands the tree builder in runs (`extract::parse`), made of the pieces
    // that are hardest to join: a long run of a four-byte pattern, then character
    // references (each one's character a copy, not a slice of the page) each followed by
    // nine bytes of the same pattern. Each piece is compared with the page once at most,
    // and only a short text held is compared backwards, so the parse stays linear.
    let refs = |total: usize| {
        let run = total / 4;
        format!(
            "<html><body><p>{}{}</p></body></html>",
            "abcd".repeat(run / 4),
            "&amp;abcdabcda".repeat((total - run) / 14)
        )
    };
    let refs1m = refs(1024 * 1024);
    g.bench_function(
        "capped_parse_1MiB_of_text_around_character_references",
        |b| b.iter(|| parse_document(black_box(&refs1m))),
    );
    let refs5m = refs(5 * 1024 * 1024);
    g.bench_function("page_facts_5MiB_of_text_around_character_references", |b| {
        b.iter(|| page_facts(black_box(&refs5m), &url, &config))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
