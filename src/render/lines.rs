//! How lines are drawn: cut where they leave the plotting frame (instead of running along its
//! edge), and each series in its own dash pattern as well as its own colour, so curves stay
//! apart in greyscale print.

/// A dash pattern: (dash, gap) in pixels, or solid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pattern {
    Solid,
    Dashed(u32, u32),
}

/// The pattern of a line: reference lines (`dashed`) are short dashes; a series' main line is
/// solid, dashed, dotted or long-dashed by its colour's place in the palette, so the first four
/// series differ without colour.
pub fn pattern(colour: usize, dashed: bool) -> Pattern {
    if dashed {
        return Pattern::Dashed(5, 4);
    }
    match colour {
        1 => Pattern::Dashed(10, 4),
        2 => Pattern::Dashed(2, 3),
        3 => Pattern::Dashed(16, 5),
        4 => Pattern::Dashed(7, 3),
        _ => Pattern::Solid,
    }
}

/// The pattern of a vertical reference line (a chosen λ, a threshold): solid, or dashed.
pub fn vertical_pattern(dashed: bool) -> Pattern {
    if dashed {
        Pattern::Dashed(6, 4)
    } else {
        Pattern::Solid
    }
}

/// A legend sample of `pattern`, 24 pixels long: up to three (start, end) pieces in pixels from
/// the legend's anchor.
pub fn legend_pieces(pattern: Pattern) -> [(i32, i32); 3] {
    match pattern {
        Pattern::Solid => [(0, 8), (8, 16), (16, 24)],
        Pattern::Dashed(dash, gap) => {
            let (dash, gap) = (dash.min(10) as i32, gap as i32);
            let mut pieces = [(0, 0); 3];
            let mut at = 0;
            for piece in &mut pieces {
                *piece = (at.min(24), (at + dash).min(24));
                at += dash + gap;
            }
            pieces
        }
    }
}

/// The parts of a polyline inside the rectangle `x` × `y` (Liang–Barsky clipping of each
/// segment; consecutive inside parts joined). Points that are not finite break the line.
pub fn clip(points: &[(f64, f64)], x: (f64, f64), y: (f64, f64)) -> Vec<Vec<(f64, f64)>> {
    let (x0, x1) = (x.0.min(x.1), x.0.max(x.1));
    let (y0, y1) = (y.0.min(y.1), y.0.max(y.1));
    let inside = |p: (f64, f64)| p.0 >= x0 && p.0 <= x1 && p.1 >= y0 && p.1 <= y1;
    let mut pieces: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut current: Vec<(f64, f64)> = Vec::new();
    let finish = |current: &mut Vec<(f64, f64)>, pieces: &mut Vec<Vec<(f64, f64)>>| {
        if current.len() >= 2 {
            pieces.push(std::mem::take(current));
        } else {
            current.clear();
        }
    };
    if points.len() == 1 && inside(points[0]) {
        return vec![points.to_vec()];
    }
    for pair in points.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if !(a.0.is_finite() && a.1.is_finite() && b.0.is_finite() && b.1.is_finite()) {
            finish(&mut current, &mut pieces);
            continue;
        }
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let (mut t0, mut t1) = (0.0f64, 1.0f64);
        let mut visible = true;
        for (p, q) in [
            (-dx, a.0 - x0),
            (dx, x1 - a.0),
            (-dy, a.1 - y0),
            (dy, y1 - a.1),
        ] {
            if p == 0.0 {
                if q < 0.0 {
                    visible = false;
                    break;
                }
            } else {
                let r = q / p;
                if p < 0.0 {
                    t0 = t0.max(r);
                } else {
                    t1 = t1.min(r);
                }
            }
        }
        if !visible || t0 > t1 {
            finish(&mut current, &mut pieces);
            continue;
        }
        // Points inside are kept exactly; only crossings are interpolated.
        let start = if t0 == 0.0 {
            a
        } else {
            (a.0 + t0 * dx, a.1 + t0 * dy)
        };
        let end = if t1 == 1.0 {
            b
        } else {
            (a.0 + t1 * dx, a.1 + t1 * dy)
        };
        if t0 > 0.0 {
            // The segment enters the frame: a new piece starts where it crosses.
            finish(&mut current, &mut pieces);
        }
        if current.is_empty() {
            current.push(start);
        }
        current.push(end);
        if t1 < 1.0 {
            finish(&mut current, &mut pieces);
        }
    }
    finish(&mut current, &mut pieces);
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_leaving_the_frame_stops_at_its_edge_and_comes_back_as_a_new_piece() {
        // Down through y = 0 at x = 1, back up through it at x = 3.
        let line = [(0.0, 1.0), (2.0, -1.0), (4.0, 1.0)];
        let pieces = clip(&line, (0.0, 4.0), (0.0, 2.0));
        assert_eq!(
            pieces,
            vec![vec![(0.0, 1.0), (1.0, 0.0)], vec![(3.0, 0.0), (4.0, 1.0)]]
        );
    }

    #[test]
    fn a_line_inside_is_kept_whole_and_one_outside_vanishes() {
        let inside = [(0.5, 0.5), (1.0, 1.0), (1.5, 0.2)];
        assert_eq!(clip(&inside, (0.0, 2.0), (0.0, 2.0)), vec![inside.to_vec()]);
        assert!(clip(&[(0.0, -1.0), (2.0, -1.0)], (0.0, 2.0), (0.0, 2.0)).is_empty());
        // A gap (NaN) breaks the line.
        let gap = [
            (0.0, 0.0),
            (1.0, 1.0),
            (f64::NAN, 1.0),
            (1.5, 1.0),
            (2.0, 1.0),
        ];
        assert_eq!(clip(&gap, (0.0, 2.0), (0.0, 2.0)).len(), 2);
    }

    #[test]
    fn the_first_four_series_differ_without_colour() {
        let patterns: Vec<Pattern> = (0..4).map(|c| pattern(c, false)).collect();
        for (i, a) in patterns.iter().enumerate() {
            assert!(patterns[i + 1..].iter().all(|b| b != a));
        }
        assert_eq!(
            legend_pieces(Pattern::Dashed(2, 3)),
            [(0, 2), (5, 7), (10, 12)]
        );
    }
}
