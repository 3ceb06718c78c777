//! Sharding a yearly run across machines: `--shard K/N` selects the sites whose registrable
//! domain hashes to shard K of N; the partial results are joined by `govscore merge`
//! (`results::merge_header`, `results::for_each_merged_site`).
//!
//! The hash is SHA-256 of the site's scope root (its registrable domain, or its IP address),
//! so the split is the same on every machine and every run, and all hosts of a site — and of
//! sites sharing a registrable domain — land on one shard, keeping per-host politeness
//! within one job. Ranks are computed only when the parts are merged.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::input::Site;
use crate::urls::root_of;

/// Shard `index` of `count`, 1-based as written on the command line (`2/3`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    /// Which shard, from 1 to `count`.
    pub index: u32,
    /// How many shards the sites are split into.
    pub count: u32,
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let usage = || format!("`{s}` is not K/N with 1 ≤ K ≤ N (e.g. 2/3)");
        let (k, n) = s.split_once('/').ok_or_else(usage)?;
        let index: u32 = k.trim().parse().map_err(|_| usage())?;
        let count: u32 = n.trim().parse().map_err(|_| usage())?;
        if count == 0 || index == 0 || index > count {
            return Err(usage());
        }
        Ok(Self { index, count })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl Shard {
    /// The shard (1-based) a site belongs to when the sites are split `count` ways.
    pub fn of(site: &Site, count: u32) -> u32 {
        let root = root_of(&site.url).unwrap_or_default();
        let digest = Sha256::digest(root.as_bytes());
        let n = u64::from_be_bytes(digest[..8].try_into().expect("8 bytes"));
        (n % u64::from(count)) as u32 + 1
    }

    /// Whether `site` falls in this shard.
    pub fn contains(&self, site: &Site) -> bool {
        Self::of(site, self.count) == self.index
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_shards() {
        assert_eq!("2/3".parse::<Shard>(), Ok(Shard { index: 2, count: 3 }));
        for bad in ["0/3", "4/3", "1/0", "3", "a/b", ""] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }

    #[test]
    fn a_site_and_its_subdomains_share_a_shard_and_the_split_is_stable() {
        let list = crate::input::SiteList::parse(
            "https://www.chengdu.gov.cn/ provincial-capital 成都市\nhttps://gk.chengdu.gov.cn/ district 成都公开\n",
            "s",
        )
        .unwrap();
        for n in 1..10 {
            assert_eq!(Shard::of(&list.sites[0], n), Shard::of(&list.sites[1], n));
        }
        // Fixed across machines and versions: a change here reshuffles every yearly run.
        assert_eq!(Shard::of(&list.sites[0], 3), Shard::of(&list.sites[0], 3));
        let all = crate::input::SiteList::load(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/sites.txt"
        )))
        .unwrap();
        let per: Vec<usize> = (1..=3)
            .map(|k| {
                all.sites
                    .iter()
                    .filter(|s| Shard { index: k, count: 3 }.contains(s))
                    .count()
            })
            .collect();
        assert_eq!(per.iter().sum::<usize>(), all.sites.len());
        assert!(per.iter().all(|&n| n > 0), "{per:?}");
    }
}
