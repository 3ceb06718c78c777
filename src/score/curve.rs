//! The curve the load-time rule scores by: Lighthouse's log-normal metric curve, with the
//! error function it needs.

/// Lighthouse's metric curve: log-normal, 0.9 at `p10`, 0.5 at `median`.
pub(super) fn lighthouse(value: f64, p10: f64, median: f64) -> f64 {
    // Φ⁻¹(0.9): the standard normal quantile that puts p10 at a score of 0.9.
    const Z90: f64 = 1.281_551_565_545;
    let sigma = (median / p10).ln() / Z90;
    let z = (value / median).ln() / sigma;
    (0.5 * erfc(z / std::f64::consts::SQRT_2)).clamp(0.0, 1.0)
}

/// The complementary error function (Numerical Recipes' Chebyshev fit, relative error below
/// 1.2e-7: ample for points rounded to hundredths). The polynomial is evaluated by Horner's
/// rule from its coefficients, in the same order of operations as the nested form.
fn erfc(x: f64) -> f64 {
    const C: [f64; 9] = [
        1.000_023_68,
        0.374_091_96,
        0.096_784_18,
        -0.186_288_06,
        0.278_868_07,
        -1.135_203_98,
        1.488_515_87,
        -0.822_152_23,
        0.170_872_77,
    ];
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = C.iter().rev().fold(0.0, |acc, c| c + t * acc);
    let r = t * (-z * z - 1.265_512_23 + t * poly).exp();
    if x >= 0.0 { r } else { 2.0 - r }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lighthouse_curve_control_points() {
        assert!((lighthouse(1000.0, 1000.0, 3000.0) - 0.9).abs() < 1e-6);
        assert!((lighthouse(3000.0, 1000.0, 3000.0) - 0.5).abs() < 1e-6);
        assert!(lighthouse(100.0, 1000.0, 3000.0) > 0.99);
        assert!(lighthouse(15_000.0, 1000.0, 3000.0) < 0.05);
        let a = lighthouse(2000.0, 1000.0, 3000.0);
        assert!(a > 0.5 && a < 0.9);
    }
}
