//! How each kind of cell is written as text; every table renderer uses this one place.

use crate::output::Cell;

/// A cell as text. `digits` is the number of significant digits of plain numbers.
pub fn format_cell(cell: &Cell, digits: usize) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Text { value } => value.clone(),
        Cell::Level { value } => format!("  {value}"),
        Cell::Integer { value } => value.to_string(),
        Cell::Number { value } => format_number(*value, digits),
        Cell::PValue { value, marker } => {
            format!(
                "{}{}",
                format_p_value(*value),
                marker.as_deref().unwrap_or("")
            )
        }
        Cell::MeanSd { mean, sd } => format!("{} ± {}", fixed(*mean, 2), fixed(*sd, 2)),
        Cell::MedianIqr { median, q1, q3 } => {
            format!(
                "{} ({}, {})",
                fixed(*median, 3),
                fixed(*q1, 3),
                fixed(*q3, 3)
            )
        }
        Cell::Estimate { value, low, high } => {
            format!(
                "{} ({}–{})",
                fixed(*value, 3),
                fixed(*low, 3),
                fixed(*high, 3)
            )
        }
        Cell::Interval { low, high } => format!(
            "({}, {})",
            format_number(*low, digits),
            format_number(*high, digits)
        ),
        Cell::Count { count, total } => {
            if *total == 0 {
                count.to_string()
            } else {
                format!("{count} ({:.1}%)", 100.0 * *count as f64 / *total as f64)
            }
        }
    }
}

fn fixed(x: f64, decimals: usize) -> String {
    if x.is_nan() {
        "NA".to_string()
    } else {
        format!("{x:.decimals$}")
    }
}

/// `digits` significant digits, trailing zeros dropped; scientific for very large or small values.
pub fn format_number(x: f64, digits: usize) -> String {
    if x.is_nan() {
        return "NA".to_string();
    }
    if x.is_infinite() {
        return if x > 0.0 {
            "Inf".to_string()
        } else {
            "-Inf".to_string()
        };
    }
    if x == 0.0 {
        return "0".to_string();
    }
    let magnitude = x.abs().log10().floor() as i32;
    if !(-4..6).contains(&magnitude) {
        return format!("{:.*e}", digits.saturating_sub(1), x);
    }
    let decimals = (digits as i32 - 1 - magnitude).clamp(0, 12) as usize;
    let text = format!("{x:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

/// `<0.001`, else three decimals, as in clinical tables.
pub fn format_p_value(p: f64) -> String {
    if p.is_nan() {
        "NA".to_string()
    } else if p < 0.001 {
        "<0.001".to_string()
    } else {
        format!("{p:.3}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_read_as_in_a_paper() {
        assert_eq!(
            format_cell(
                &Cell::MeanSd {
                    mean: 53.944,
                    sd: 9.6612
                },
                4
            ),
            "53.94 ± 9.66"
        );
        assert_eq!(
            format_cell(
                &Cell::Count {
                    count: 13,
                    total: 106
                },
                4
            ),
            "13 (12.3%)"
        );
        assert_eq!(format_cell(&Cell::p_value(0.00002), 4), "<0.001");
        assert_eq!(
            format_cell(
                &Cell::Estimate {
                    value: 0.84795,
                    low: 0.80251,
                    high: 0.89344
                },
                4
            ),
            "0.848 (0.803–0.893)"
        );
        assert_eq!(format_cell(&Cell::p_value(0.0456), 4), "0.046");
        assert_eq!(format_number(294.0, 4), "294");
        assert_eq!(format_number(-1.234567, 4), "-1.235");
        assert_eq!(format_number(0.000012345, 4), "1.234e-5");
        assert_eq!(format_number(f64::NAN, 4), "NA");
    }
}
