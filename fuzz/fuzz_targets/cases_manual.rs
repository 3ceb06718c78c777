//! `cases.yaml` and `manual.yaml`, on any text, against a fixed site list and the built-in
//! method: cases, points or diagnostics, never a panic.
#![no_main]

use std::sync::LazyLock;

use govscore::input::{
    BUILTIN_INDICATORS, Cases, Diagnostics, IndicatorSet, ManualScores, SiteList,
};
use libfuzzer_sys::fuzz_target;

static SITES: LazyLock<SiteList> = LazyLock::new(|| {
    SiteList::parse(
        "https://www.chengdu.gov.cn/ provincial-capital,sub-provincial 成都市\n\
         http://127.0.0.1:8081/ district 示例区\n",
        "sites.txt",
    )
    .expect("fixed site list")
});
static SET: LazyLock<IndicatorSet> = LazyLock::new(|| {
    IndicatorSet::parse(BUILTIN_INDICATORS, "indicators.yaml").expect("built-in method")
});

fuzz_target!(|text: &str| {
    let _ = Cases::parse(text, "cases.yaml", &SITES);
    let mut diags = Diagnostics::new("manual.yaml");
    let _ = ManualScores::parse_lenient(text, &SITES, &SET, &mut diags);
});
