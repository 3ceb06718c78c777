//! The one date parser, on any text: dates found in prose, a date alone, a date in an
//! address. Every date it gives must be one the calendar has, and in a plausible range.
#![no_main]

use chrono::Datelike;
use govscore::dates::{find_dates, parse_date, url_date};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let mut all = find_dates(text);
    all.extend(parse_date(text));
    all.extend(url_date(text));
    for d in all {
        assert!((1980..=2100).contains(&d.year()), "{d} from {text:?}");
    }
});
