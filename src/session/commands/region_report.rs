//! What `extract` says of the regions it computed on: masks with several lesions, and how many
//! grey levels each region spans with the bin width used — with a warning naming the patients
//! outside 16–128 levels and a bin width that would suit these images. A fixed bin width made for
//! CT (25 HU) spans very different numbers of levels on MR, whose intensities have no fixed scale.
//!
//! # References
//! IBSI reference manual (Zwanenburg et al., arXiv:1612.07003), §2.7 (fixed bin number and fixed
//! bin size discretisation); PyRadiomics documentation, "Radiomic Features — binning" (16–128
//! bins advised).

use super::feature_patient::LesionChoice;
use crate::features::discretise::{Discretisation, levels_spanned};
use crate::output::Text;

/// The advised span of grey levels.
const ADVISED: std::ops::RangeInclusive<f64> = 16.0..=128.0;

/// The masks with several lesions (patient id, number of lesions): taken together, only their
/// largest kept, or each in a row of its own.
pub(super) fn lesions(several: &[(&str, usize)], choice: LesionChoice) -> Option<Text> {
    if several.is_empty() {
        return None;
    }
    let listed = first_six(several.iter().map(|(id, n)| format!("{id} {n}")));
    if choice == LesionChoice::Each {
        return Some(Text::info(format!(
            "{} masks hold several lesions (lesions: {listed}); each lesion has a row of its own, numbered by `lesion` from the largest (`P0001/2` is patient P0001's second largest). Models of the outcome need one row per patient: `extract lesions=largest` or `lesions=all` says how",
            several.len()
        )));
    }
    Some(if choice == LesionChoice::Largest {
        Text::info(format!(
            "kept the largest lesion of the {} masks that have several (lesions: {listed})",
            several.len()
        ))
    } else {
        Text::warning(format!(
            "{} masks hold more than one lesion (lesions: {listed}); each mask's lesions were taken together as one region (`lesions=all`); `lesions=largest` keeps each patient's largest",
            several.len()
        ))
    })
}

/// The report for `regions` (patient id, intensity range) discretised with `discretisation`;
/// nothing for a fixed number of bins, which always gives that many.
pub(super) fn grey_levels(
    regions: &[(&str, (f64, f64))],
    discretisation: Discretisation,
) -> Vec<Text> {
    let width = match discretisation {
        Discretisation::BinCount(_) => return Vec::new(),
        Discretisation::BinWidth(w) | Discretisation::IbsiBinWidth(w) => w,
    };
    if regions.is_empty() {
        return Vec::new();
    }
    let mut levels: Vec<(&str, f64)> = regions
        .iter()
        .map(|(id, (min, max))| (*id, levels_spanned(*min, *max, discretisation)))
        .collect();
    let mut sorted: Vec<f64> = levels.iter().map(|(_, l)| *l).collect();
    sorted.sort_by(f64::total_cmp);
    let median = crate::stats::summary::quantile(&sorted, 0.5);
    let mut out = vec![Text::info(format!(
        "grey levels per region with bin width {width}: median {median:.0} (range {:.0}–{:.0}); IBSI and PyRadiomics advise 16–128",
        sorted[0],
        sorted[sorted.len() - 1]
    ))];
    levels.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(b.0)));
    let named =
        |chosen: Vec<&(&str, f64)>| first_six(chosen.iter().map(|(id, l)| format!("{id} {l:.0}")));
    let few: Vec<&(&str, f64)> = levels
        .iter()
        .filter(|(_, l)| *l < *ADVISED.start())
        .collect();
    let many: Vec<&(&str, f64)> = levels
        .iter()
        .rev()
        .filter(|(_, l)| *l > *ADVISED.end())
        .collect();
    if few.is_empty() && many.is_empty() {
        return out;
    }
    let mut parts = Vec::new();
    if !few.is_empty() {
        parts.push(format!(
            "{} {} fewer than 16 ({})",
            few.len(),
            if few.len() == 1 {
                "region spans"
            } else {
                "regions span"
            },
            named(few)
        ));
    }
    if !many.is_empty() {
        parts.push(format!("{} more than 128 ({})", many.len(), named(many)));
    }
    // A width giving the median region about 32 levels, to two significant figures.
    let mut spans: Vec<f64> = regions.iter().map(|(_, (min, max))| max - min).collect();
    spans.sort_by(f64::total_cmp);
    let suggested = significant(crate::stats::summary::quantile(&spans, 0.5) / 32.0);
    // Printed with the decimals two significant figures need, not a binary fraction's tail.
    let decimals = (1.0 - suggested.log10().floor()).max(0.0) as usize;
    let suggested = format!("{suggested:.decimals$}");
    out.push(Text::warning(format!(
        "{}: texture features are coarse on fewer than 16 levels and sparse on more than 128. A fixed bin width suits CT's fixed scale, not MR's arbitrary intensities; on these images `binwidth={suggested}` gives the median region about 32 levels, or `bins=32` gives every region 32",
        parts.join("; ")
    )));
    out
}

/// The first six entries, joined, and how many more there are.
fn first_six(entries: impl Iterator<Item = String>) -> String {
    let entries: Vec<String> = entries.collect();
    let more = entries.len().saturating_sub(6);
    format!(
        "{}{}",
        entries[..entries.len().min(6)].join(", "),
        if more > 0 {
            format!(", and {more} more")
        } else {
            String::new()
        }
    )
}

/// `x` rounded to two significant figures.
fn significant(x: f64) -> f64 {
    if !(x.is_finite() && x > 0.0) {
        return 1.0;
    }
    let scale = 10f64.powf(x.log10().floor() - 1.0);
    (x / scale).round() * scale
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_outside_16_to_128_levels_are_named_with_a_width_that_suits() {
        let regions = [
            ("P1", (130.0, 592.0)),
            ("P2", (100.0, 400.0)),
            ("P3", (0.0, 3300.0)),
        ];
        let texts = grey_levels(&regions, Discretisation::BinWidth(25.0));
        assert_eq!(
            texts[0].text,
            "grey levels per region with bin width 25: median 19 (range 13–133); IBSI and PyRadiomics advise 16–128"
        );
        // Spans 300, 462 and 3300: the median 462 / 32 = 14.4 → 14.
        assert_eq!(
            texts[1].text,
            "1 region spans fewer than 16 (P2 13); 1 more than 128 (P3 133): texture features are coarse on fewer than 16 levels and sparse on more than 128. A fixed bin width suits CT's fixed scale, not MR's arbitrary intensities; on these images `binwidth=14` gives the median region about 32 levels, or `bins=32` gives every region 32"
        );
        assert!(grey_levels(&regions, Discretisation::BinCount(32)).is_empty());
        assert!((significant(0.01234) - 0.012).abs() < 1e-15);
        // A suggestion is printed with two significant figures (1.9, not 1.9000000000000001).
        let narrow = [("P1", (0.0, 60.8)), ("P2", (0.0, 61.0))];
        let texts = grey_levels(&narrow, Discretisation::BinWidth(25.0));
        assert!(
            texts[1].text.contains("`binwidth=1.9` gives"),
            "{}",
            texts[1].text
        );
    }
}
