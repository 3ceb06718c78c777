//! The page-facts extractor, on any HTML, with the built-in method's selectors and guide
//! elements: facts, never a panic, and nesting cut at the parser's depth.
#![no_main]

use std::sync::LazyLock;

use govscore::extract::ExtractConfig;
use govscore::extract::facts::page_facts;
use govscore::input::{BUILTIN_INDICATORS, IndicatorSet};
use libfuzzer_sys::fuzz_target;
use url::Url;

static SET: LazyLock<IndicatorSet> = LazyLock::new(|| {
    IndicatorSet::parse(BUILTIN_INDICATORS, "indicators.yaml").expect("built-in method")
});
static URL: LazyLock<Url> = LazyLock::new(|| {
    Url::parse("https://www.example.gov.cn/col/art/2026/11/20/art_1.html").unwrap()
});

fuzz_target!(|html: &str| {
    let config = ExtractConfig::for_method(&SET);
    let facts = page_facts(html, &URL, &config);
    for link in &facts.links {
        assert!(
            link.url.as_deref().is_none_or(|u| u.starts_with("http")),
            "{link:?}"
        );
    }
});
