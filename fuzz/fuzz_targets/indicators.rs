//! The method loader (`indicators.yaml`), on any text: an indicator set or diagnostics,
//! within its YAML budgets, never a panic.
#![no_main]

use govscore::input::IndicatorSet;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = IndicatorSet::parse(text, "indicators.yaml");
});
