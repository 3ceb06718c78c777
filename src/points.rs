//! Points as numbers and as text: the one place that rounds a score to the cent and writes
//! it out. Results are stored to two decimals so reports never show float noise and the same
//! scores always give the same bytes; tables print two decimals (`97.47`), changes a sign
//! (`+2.50`), and messages about the indicator file the value as written (`25`, `0.1`).

use serde::Serializer;

/// `v` rounded to two decimals, with `-0` turned into `0` so it prints as `0.00`.
pub fn round_to_cents(v: f64) -> f64 {
    let r = (v * 100.0).round() / 100.0;
    if r == 0.0 { 0.0 } else { r }
}

/// `v` in whole cents, for comparing totals as they are printed.
pub fn cents(v: f64) -> i64 {
    (round_to_cents(v) * 100.0).round() as i64
}

/// A serde `serialize_with` helper: floats in results are written rounded to the cent.
pub fn round2<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(round_to_cents(*v))
}

/// Points as the tables print them: `97.47`.
pub fn fmt_cents(v: f64) -> String {
    format!("{:.2}", round_to_cents(v))
}

/// A change of points, always signed: `+2.50`, `-1.25`.
pub fn fmt_change(v: f64) -> String {
    format!("{:+.2}", round_to_cents(v))
}

/// Points without float noise and without padding, as an evaluator wrote them in the
/// indicator file: `25`, `0.1`, `24.9`.
pub fn fmt_points(v: f64) -> String {
    let rounded = (v * 1000.0).round() / 1000.0;
    format!("{rounded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(fmt_cents(97.465_000_1), "97.47");
        assert_eq!(fmt_cents(-0.001), "0.00");
        assert_eq!(fmt_change(2.5), "+2.50");
        assert_eq!(fmt_change(-1.254), "-1.25");
        assert_eq!(fmt_points(0.1 + 0.2), "0.3");
        assert_eq!(fmt_points(25.0), "25");
        assert_eq!(cents(85.004), cents(84.996));
    }
}
