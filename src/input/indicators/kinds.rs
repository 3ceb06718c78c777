//! The closed sets of kinds an indicator file may name — rule kinds, veto kinds, deduction
//! kinds — each defined once, here, with its name in the file and the parameters it takes.
//! The loader reads a kind's name into one of these enums and matches on it exhaustively, so
//! a new kind cannot be half-added: the compiler points at every place that must learn it.

/// What the loader needs of any kind enum: every kind, and each one's name and parameters.
pub trait Kind: Copy + PartialEq + 'static {
    /// Every kind, in the order messages list them.
    fn all() -> &'static [Self];
    /// The name the indicator file uses.
    fn name(self) -> &'static str;
    /// The keys this kind takes besides `kind` (and a veto's or deduction's own `id`,
    /// `name` and `cap`).
    fn params(self) -> &'static [&'static str];

    /// The kind the file names `name`, if any.
    fn parse(name: &str) -> Option<Self> {
        Self::all().iter().copied().find(|k| k.name() == name)
    }

    /// Every name, for messages.
    fn names() -> Vec<&'static str> {
        Self::all().iter().map(|k| k.name()).collect()
    }
}

/// Defines a kind enum and its [`Kind`] implementation from one table of
/// `Variant = "name" [params…]`.
macro_rules! kinds {
    ($(#[$meta:meta])* $vis:vis enum $Kind:ident {
        $($(#[$vmeta:meta])* $Variant:ident = $name:literal [$($param:literal),* $(,)?]),+ $(,)?
    }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        $vis enum $Kind {
            $($(#[$vmeta])* $Variant),+
        }

        impl Kind for $Kind {
            fn all() -> &'static [Self] {
                &[$($Kind::$Variant),+]
            }

            fn name(self) -> &'static str {
                match self {
                    $($Kind::$Variant => $name),+
                }
            }

            fn params(self) -> &'static [&'static str] {
                match self {
                    $($Kind::$Variant => &[$($param),*]),+
                }
            }
        }
    };
}

kinds! {
    /// The kind of a check's rule (see [`super::Rule`]).
    pub enum RuleKind {
        /// A column found by the anchor text of a link, followed to its list page.
        Column = "column" ["class", "patterns", "fresh_within", "min_items"],
        /// A regular expression over the text of a page scope.
        Text = "text" ["pattern", "scope"],
        /// A CSS selector that must match an element in a page scope.
        Selector = "selector" ["selector", "scope"],
        /// A link to a host matching a regular expression, optionally with matching anchor text.
        LinkTo = "link_to" ["host", "text", "scope"],
        /// The share of crawled pages served over HTTPS.
        Https = "https" [],
        /// The homepage's load time, on Lighthouse's log-normal curve.
        LoadTime = "load_time" ["p10_ms", "median_ms"],
        /// The broken share of checked links, against a share that scores zero.
        LinkHealth = "link_health" ["zero_at_share"],
        /// Article pages carrying the required `<meta>` tags.
        MetaConsistency = "meta_consistency" ["tags"],
        /// Service guides (办事指南) showing enough of the key element headings.
        GuideElements = "guide_elements" ["min_elements"],
        /// Points given by an evaluator in the manual points file, by the check's id.
        Manual = "manual" ["note"],
        /// The best of several rules.
        AnyOf = "any_of" ["rules"],
        /// The mean of several rules.
        AllOf = "all_of" ["rules"],
    }
}

kinds! {
    /// The kind of a single-item veto (see [`super::VetoRule`]).
    pub enum VetoKind {
        /// 站点无法访问: the homepage does not open, or too many visits fail or are too slow.
        SiteUnreachable = "site_unreachable" ["timeout_secs", "failure_share"],
        /// 首页不更新: no dated item on the homepage within the limit.
        HomepageNotUpdated = "homepage_not_updated" ["max_age_days"],
        /// 栏目不更新: too many columns past their deadline, or blank.
        ColumnsNotUpdated = "columns_not_updated" ["late_key_columns", "late_columns", "blank_columns"],
        /// 严重错误: phrases from the evaluators' list found on crawled pages.
        SevereErrors = "severe_errors" ["phrases", "phrases_file", "min_hits"],
        /// 互动回应差: no consultation channel, or a message left unanswered too long.
        PoorResponse = "poor_response" ["channel_patterns", "max_unanswered_days"],
        /// 服务不实用: no 办事服务 entry, or service guides missing key elements.
        ServicesUnusable = "services_unusable" ["entry_patterns", "missing_elements", "min_failing_guides"],
    }
}

kinds! {
    /// The kind of a deduction (see [`super::DeductionRule`]).
    pub enum DeductionKind {
        /// 错链断链: points per broken link, one rate on the homepage and another elsewhere.
        BrokenLinks = "broken_links" ["homepage_points", "other_points"],
        /// 错别字: points per listed misspelling found in page text.
        Typos = "typos" ["points", "pairs", "pairs_file"],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        for name in RuleKind::names() {
            assert_eq!(RuleKind::parse(name).map(RuleKind::name), Some(name));
        }
        for name in VetoKind::names() {
            assert_eq!(VetoKind::parse(name).map(VetoKind::name), Some(name));
        }
        for name in DeductionKind::names() {
            assert_eq!(
                DeductionKind::parse(name).map(DeductionKind::name),
                Some(name)
            );
        }
        let mut all = RuleKind::names();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), RuleKind::all().len());
        assert_eq!(RuleKind::parse("colum"), None);
    }
}
