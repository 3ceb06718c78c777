//! `sites.txt`, on any text: a site list or diagnostics, never a panic. Of a list that
//! parses, no two sites may share an archive file, and none may be hidden.
#![no_main]

use std::collections::HashSet;

use govscore::archive::site_file_stem;
use govscore::input::SiteList;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let Ok(list) = SiteList::parse(text, "sites.txt") else {
        return;
    };
    let mut stems = HashSet::new();
    for site in &list.sites {
        let stem = site_file_stem(&site.key());
        assert!(!stem.is_empty() && !stem.starts_with('.'), "{stem:?}");
        assert!(stems.insert(stem.clone()), "two sites share {stem:?}");
    }
});
