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
        Column = "column" ["class", "patterns", "fresh_within", "min_items"],
        Text = "text" ["pattern", "scope"],
        Selector = "selector" ["selector", "scope"],
        LinkTo = "link_to" ["host", "text", "scope"],
        Https = "https" [],
        LoadTime = "load_time" ["p10_ms", "median_ms"],
        LinkHealth = "link_health" ["zero_at_share"],
        MetaConsistency = "meta_consistency" ["tags"],
        GuideElements = "guide_elements" ["guide_patterns", "elements", "min_elements"],
        Manual = "manual" ["note"],
        AnyOf = "any_of" ["rules"],
        AllOf = "all_of" ["rules"],
    }
}

kinds! {
    /// The kind of a single-item veto (see [`super::VetoRule`]).
    pub enum VetoKind {
        SiteUnreachable = "site_unreachable" ["timeout_secs", "failure_share"],
        HomepageNotUpdated = "homepage_not_updated" ["max_age_days"],
        ColumnsNotUpdated = "columns_not_updated" ["late_key_columns", "late_columns", "blank_columns"],
        SevereErrors = "severe_errors" ["phrases", "phrases_file", "min_hits"],
        PoorResponse = "poor_response" ["channel_patterns", "max_unanswered_days"],
        ServicesUnusable = "services_unusable" ["entry_patterns", "guide_patterns", "elements", "missing_elements"],
    }
}

kinds! {
    /// The kind of a deduction (see [`super::DeductionRule`]).
    pub enum DeductionKind {
        BrokenLinks = "broken_links" ["homepage_points", "other_points"],
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
