//! Drawing a [`Plot`] with plotters, to SVG text or PNG bytes, with an embedded font (DejaVu Sans,
//! whose licence allows bundling) so plots render on machines without any system fonts.

use super::lines::{self, Pattern};
use crate::output::{Anchor, Layer, Legend, Plot};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::sync::Once;

pub(super) const FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const FAMILY: &str = "sans-serif";

/// Okabe–Ito colours, distinguishable with the common colour-vision deficiencies (Okabe and
/// Ito, "Color Universal Design", 2008), then a grey for reference lines.
const PALETTE: [RGBColor; 9] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(240, 228, 66),
    RGBColor(0, 0, 0),
    RGBColor(140, 140, 140),
];

pub(super) fn register_font() {
    static REGISTER: Once = Once::new();
    REGISTER.call_once(|| {
        // Registering a valid built-in font cannot fail; if it did, text would be missing and
        // drawing reports FontUnavailable below.
        let _ = plotters::style::register_font(FAMILY, FontStyle::Normal, FONT);
    });
}

/// The plot as an SVG document.
pub fn svg(plot: &Plot) -> Result<String, String> {
    register_font();
    let mut text = String::new();
    let images;
    {
        let root = SVGBackend::with_string(&mut text, plot.size).into_drawing_area();
        images = draw(&root, plot, Raster::Embed, 1.0)?;
        root.present().map_err(|e| e.to_string())?;
    }
    splice_images(text, &images)
}

/// The plot as PNG bytes at its own pixel size (shown inline in terminals and notebooks).
pub fn png(plot: &Plot) -> Result<Vec<u8>, String> {
    let (pixels, width, height) = rgb(plot, 1.0)?;
    super::figure_files::encode_png(&pixels, width, height, None)
}

/// The plot drawn `scale` times its pixel size: 8-bit RGB pixels, row by row, and the size.
pub fn rgb(plot: &Plot, scale: f64) -> Result<(Vec<u8>, u32, u32), String> {
    register_font();
    let width = (f64::from(plot.size.0) * scale).round() as u32;
    let height = (f64::from(plot.size.1) * scale).round() as u32;
    let mut pixels = vec![255u8; width as usize * height as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, (width, height)).into_drawing_area();
        draw(&root, plot, Raster::Pixels, scale)?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok((pixels, width, height))
}

/// The x and y ranges: as given, else the data's extent with a little room.
fn ranges(plot: &Plot) -> ((f64, f64), (f64, f64)) {
    let points: Vec<(f64, f64)> = plot.layers.iter().flat_map(Layer::extent).collect();
    let extent = |values: Vec<f64>| {
        let low = values
            .iter()
            .copied()
            .filter(|v| v.is_finite())
            .fold(f64::INFINITY, f64::min);
        let high = values
            .iter()
            .copied()
            .filter(|v| v.is_finite())
            .fold(f64::NEG_INFINITY, f64::max);
        if !low.is_finite() {
            (0.0, 1.0)
        } else if high > low {
            let pad = (high - low) * 0.04;
            (low - pad, high + pad)
        } else {
            (low - 0.5, high + 0.5)
        }
    };
    let x = plot
        .x
        .range
        .unwrap_or_else(|| extent(points.iter().map(|p| p.0).collect()));
    // Bars stand on zero; other layers get the data's own extent.
    let has_bars = plot.layers.iter().any(|l| matches!(l, Layer::Bars { .. }));
    let y = plot.y.range.unwrap_or_else(|| {
        let (low, high) = extent(points.iter().map(|p| p.1).collect());
        if has_bars {
            (low.min(0.0), high)
        } else {
            (low, high)
        }
    });
    (x, y)
}

/// How image layers are drawn: pixel by pixel (bitmaps), or left out and returned to be embedded
/// as one image (SVG and PDF, where one rectangle per pixel would make a huge file).
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Raster {
    Pixels,
    Embed,
}

/// An image layer placed at (x, y, width, height) in drawing pixels: its greyscale pixels, row by
/// row.
pub(super) struct EmbeddedImage {
    pub place: (i32, i32, i32, i32),
    pub columns: usize,
    pub rows: usize,
    pub grey: Vec<u8>,
}

/// Puts each embedded image just above the background (so axes and outlines stay on top).
fn splice_images(svg: String, images: &[EmbeddedImage]) -> Result<String, String> {
    if images.is_empty() {
        return Ok(svg);
    }
    let elements: String = images
        .iter()
        .map(|image| {
            let (x, y, w, h) = image.place;
            Ok(format!(
                "<image x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" preserveAspectRatio=\"none\" \
style=\"image-rendering:pixelated\" href=\"data:image/png;base64,{}\"/>\n",
                super::base64::encode(&grey_png(image.columns, image.rows, &image.grey)?)
            ))
        })
        .collect::<Result<_, String>>()?;
    let at = svg
        .find("<rect")
        .and_then(|start| svg[start..].find("/>").map(|end| start + end + 2))
        .or_else(|| svg.rfind("</svg>"))
        .unwrap_or(svg.len());
    let mut out = svg;
    out.insert_str(at, &format!("\n{elements}"));
    Ok(out)
}

/// A greyscale PNG of an image layer.
fn grey_png(columns: usize, rows: usize, grey: &[u8]) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut bytes, columns as u32, rows as u32);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
        writer.write_image_data(grey).map_err(|e| e.to_string())?;
    }
    Ok(bytes)
}

/// Draws `plot` on `root`, every size (fonts, margins, lines, markers) times `scale`: 1 for the
/// plot's own pixel size, more for print resolution.
pub(super) fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    plot: &Plot,
    raster: Raster,
    scale: f64,
) -> Result<Vec<EmbeddedImage>, String>
where
    DB::ErrorType: 'static,
{
    let error = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    // A length in drawing pixels, and a font size.
    let px = |v: f64| ((v * scale).round() as u32).max(1);
    let ipx = |v: f64| (v * scale).round() as i32;
    let font = |size: f64| (FAMILY, size * scale);
    root.fill(&WHITE).map_err(error)?;
    let ((x0, x1), (y0, y1)) = ranges(plot);
    let bare = plot.x.hidden && plot.y.hidden;
    let mut builder = ChartBuilder::on(root);
    builder.caption(&plot.title, font(20.0)).margin(px(14.0));
    if !bare {
        // Category names on the y axis (a dot plot of features) need room for the longest.
        let longest = plot.y.categories.iter().map(|c| c.chars().count()).max();
        let y_area = longest.map_or(60, |n| (n as u32 * 7 + 24).clamp(60, 340));
        builder
            .x_label_area_size(px(44.0))
            .y_label_area_size(px(f64::from(y_area)));
    }
    let mut chart = builder.build_cartesian_2d(x0..x1, y0..y1).map_err(error)?;
    let category_label = |categories: &[String], x: f64| {
        let index = x.round();
        if (x - index).abs() < 1e-6 && index >= 0.0 && (index as usize) < categories.len() {
            categories[index as usize].clone()
        } else {
            String::new()
        }
    };
    let x_category = |x: &f64| category_label(&plot.x.categories, *x);
    let y_category = |y: &f64| category_label(&plot.y.categories, *y);
    let mut mesh = chart.configure_mesh();
    mesh.x_desc(plot.x.label.as_str())
        .y_desc(plot.y.label.as_str())
        .label_style(font(13.0))
        .axis_desc_style(font(15.0))
        // No grid over an image's pixels.
        .bold_line_style(
            if plot.layers.iter().any(|l| matches!(l, Layer::Image { .. })) {
                ShapeStyle::from(&TRANSPARENT)
            } else {
                ShapeStyle::from(&RGBColor(225, 225, 225))
            },
        )
        .light_line_style(TRANSPARENT);
    if !plot.x.categories.is_empty() {
        mesh.x_labels(plot.x.categories.len() * 2 + 1)
            .x_label_formatter(&x_category);
    }
    if !plot.y.categories.is_empty() {
        mesh.y_labels(plot.y.categories.len() * 2 + 1)
            .y_label_formatter(&y_category);
    }
    if !bare {
        mesh.draw().map_err(error)?;
    }

    let mut embedded = Vec::new();
    // Boxes (left, top, right, bottom) of the labels drawn so far, in pixels.
    let mut taken: Vec<(i32, i32, i32, i32)> = Vec::new();
    for layer in &plot.layers {
        let series = layer.series();
        let colour = PALETTE[series.colour % PALETTE.len()];
        let label = series.label.clone();
        let drawn = match layer {
            Layer::Image {
                origin,
                pixel,
                columns,
                rows,
                grey,
                ..
            } => {
                let corner = |column: f64, row: f64| {
                    (
                        origin.0 + (column - 0.5) * pixel.0,
                        origin.1 + (row - 0.5) * pixel.1,
                    )
                };
                if raster == Raster::Embed {
                    let (left, top) = chart.backend_coord(&corner(0.0, 0.0));
                    let (right, bottom) =
                        chart.backend_coord(&corner(*columns as f64, *rows as f64));
                    embedded.push(EmbeddedImage {
                        place: (
                            left.min(right),
                            top.min(bottom),
                            (right - left).abs(),
                            (bottom - top).abs(),
                        ),
                        columns: *columns,
                        rows: *rows,
                        grey: grey.clone(),
                    });
                } else {
                    chart
                        .draw_series(
                            (0..*rows)
                                .flat_map(|row| (0..*columns).map(move |column| (row, column)))
                                .map(|(row, column)| {
                                    let g = grey[row * columns + column];
                                    Rectangle::new(
                                        [
                                            corner(column as f64, row as f64),
                                            corner(column as f64 + 1.0, row as f64 + 1.0),
                                        ],
                                        RGBColor(g, g, g).filled(),
                                    )
                                }),
                        )
                        .map_err(error)?;
                }
                None
            }
            Layer::Labels { labels, .. } => {
                for label in labels {
                    let font = TextStyle::from(font(f64::from(label.size)).into_font())
                        .color(&colour)
                        .pos(Pos::new(HPos::Left, VPos::Center));
                    let (width, height) =
                        root.estimate_text_size(&label.text, &font).map_err(error)?;
                    let (width, height) = (width as i32, height as i32);
                    let place = |at: (f64, f64)| {
                        let (x, y) = chart.backend_coord(&at);
                        let left = match label.anchor {
                            Anchor::Start => x,
                            Anchor::Middle => x - width / 2,
                            Anchor::End => x - width,
                        };
                        (left, y - height / 2, left + width, y + height / 2)
                    };
                    let free = |b: (i32, i32, i32, i32)| {
                        taken
                            .iter()
                            .all(|t| b.2 + 2 <= t.0 || t.2 + 2 <= b.0 || b.3 <= t.1 || t.3 <= b.1)
                    };
                    let primary = place(label.at);
                    let chosen = if free(primary) {
                        Some(primary)
                    } else {
                        match label.alternative.map(place) {
                            Some(other) if free(other) => Some(other),
                            _ if label.optional => None,
                            _ => Some(primary),
                        }
                    };
                    let Some(b) = chosen else { continue };
                    taken.push(b);
                    root.draw(&Text::new(
                        label.text.clone(),
                        (b.0, b.1 + height / 2),
                        font.clone(),
                    ))
                    .map_err(error)?;
                }
                None
            }
            Layer::Segments { segments, .. } => Some(
                chart
                    .draw_series(
                        segments
                            .iter()
                            .map(|s| PathElement::new(s.to_vec(), colour.stroke_width(px(2.0)))),
                    )
                    .map_err(error)?,
            ),
            Layer::Bars { bars, .. } => Some(
                chart
                    .draw_series(bars.iter().map(|&(a, b, h)| {
                        Rectangle::new([(a, 0.0), (b, h)], colour.mix(0.45).filled())
                    }))
                    .map_err(error)?,
            ),
            Layer::Line { points, dashed, .. } => Some({
                // Cut where the line leaves the frame; each piece in the series' pattern.
                let width = px(if *dashed { 1.0 } else { 2.0 });
                for piece in lines::clip(points, (x0, x1), (y0, y1)) {
                    match lines::pattern(series.colour, *dashed) {
                        Pattern::Solid => chart
                            .draw_series(LineSeries::new(piece, colour.stroke_width(width)))
                            .map_err(error)?,
                        Pattern::Dashed(dash, gap) => chart
                            .draw_series(DashedLineSeries::new(
                                piece,
                                px(f64::from(dash)),
                                px(f64::from(gap)),
                                colour.stroke_width(width),
                            ))
                            .map_err(error)?,
                    };
                }
                chart
                    .draw_series(std::iter::empty::<PathElement<(f64, f64)>>())
                    .map_err(error)?
            }),
            Layer::Points { points, .. } => Some(
                chart
                    .draw_series(
                        points
                            .iter()
                            .map(|&p| Circle::new(p, px(3.0), colour.filled())),
                    )
                    .map_err(error)?,
            ),
            Layer::ErrorBars { points, .. } => Some({
                chart
                    .draw_series(points.iter().map(|&(x, _, low, high)| {
                        ErrorBar::new_vertical(
                            x,
                            low,
                            0.5 * (low + high),
                            high,
                            RGBColor(150, 150, 150).stroke_width(px(1.0)),
                            px(4.0),
                        )
                    }))
                    .map_err(error)?;
                chart
                    .draw_series(
                        points
                            .iter()
                            .map(|&(x, y, _, _)| Circle::new((x, y), px(3.0), colour.filled())),
                    )
                    .map_err(error)?
            }),
            Layer::VerticalLine { x, dashed, .. } => Some({
                let line = vec![(*x, y0), (*x, y1)];
                match lines::vertical_pattern(*dashed) {
                    Pattern::Dashed(dash, gap) => chart
                        .draw_series(DashedLineSeries::new(
                            line,
                            px(f64::from(dash)),
                            px(f64::from(gap)),
                            colour.stroke_width(px(1.0)),
                        ))
                        .map_err(error)?,
                    Pattern::Solid => chart
                        .draw_series(LineSeries::new(line, colour.stroke_width(px(1.0))))
                        .map_err(error)?,
                }
            }),
        };
        let Some(drawn) = drawn else { continue };
        if label.is_empty() {
            continue;
        }
        // Lines show a sample of the pattern and width they are drawn in; areas and points a
        // swatch.
        let line = match layer {
            Layer::Line { dashed, .. } => Some((
                lines::pattern(series.colour, *dashed),
                px(if *dashed { 1.0 } else { 2.0 }),
            )),
            Layer::VerticalLine { dashed, .. } => Some((lines::vertical_pattern(*dashed), px(1.0))),
            _ => None,
        };
        match line {
            Some((pattern, width)) => {
                let [a, b, c] = lines::legend_pieces(pattern)
                    .map(|(from, to)| (ipx(f64::from(from)), ipx(f64::from(to))));
                let style = colour.stroke_width(width);
                let back = ipx(4.0);
                drawn.label(label).legend(move |(x, y)| {
                    EmptyElement::at((x - back, y))
                        + PathElement::new(vec![(a.0, 0), (a.1, 0)], style)
                        + PathElement::new(vec![(b.0, 0), (b.1, 0)], style)
                        + PathElement::new(vec![(c.0, 0), (c.1, 0)], style)
                });
            }
            None => {
                let (half, wide) = (ipx(5.0), ipx(14.0));
                drawn.label(label).legend(move |(x, y)| {
                    Rectangle::new(
                        [(x, y - half), (x + wide, y + half)],
                        colour.mix(0.7).filled(),
                    )
                });
            }
        }
    }
    if plot.layers.iter().any(|l| !l.series().label.is_empty()) {
        chart
            .configure_series_labels()
            .position(match plot.legend {
                Legend::UpperRight => SeriesLabelPosition::UpperRight,
                Legend::LowerRight => SeriesLabelPosition::LowerRight,
                Legend::LowerLeft => SeriesLabelPosition::LowerLeft,
            })
            .background_style(WHITE.mix(0.85))
            .border_style(RGBColor(180, 180, 180))
            .label_font(font(13.0))
            .draw()
            .map_err(error)?;
    }
    Ok(embedded)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{Axis, Series};

    fn sample() -> Plot {
        Plot {
            name: "sample".into(),
            title: "Sample".into(),
            x: Axis::new("x"),
            y: Axis::new("y"),
            layers: vec![
                Layer::Line {
                    series: Series {
                        label: "line".into(),
                        colour: 0,
                    },
                    points: vec![(0.0, 0.0), (1.0, 1.0)],
                    dashed: false,
                },
                Layer::Bars {
                    series: Series {
                        label: "bars".into(),
                        colour: 1,
                    },
                    bars: vec![(0.0, 0.5, 0.3)],
                },
            ],
            size: (320, 240),
            legend: Legend::UpperRight,
        }
    }

    #[test]
    fn svg_has_text_drawn_with_the_embedded_font() {
        let svg = svg(&sample()).unwrap();
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("Sample") && svg.contains("bars"));
    }

    #[test]
    fn labels_never_overlap() {
        use crate::output::{Anchor, Label};
        let label = |text: &str, at: (f64, f64), alternative, optional| Label {
            text: text.into(),
            at,
            alternative,
            anchor: Anchor::Middle,
            size: 12,
            optional,
        };
        let mut plot = sample();
        plot.layers = vec![Layer::Labels {
            series: Series {
                label: String::new(),
                colour: 7,
            },
            labels: vec![
                label("first", (0.5, 0.5), None, false),
                // Same place and optional: left out.
                label("dropped", (0.5, 0.5), None, true),
                // Same place with a free alternative: drawn there.
                label("moved", (0.5, 0.5), Some((0.5, 0.2)), true),
            ],
        }];
        let svg = svg(&plot).unwrap();
        assert!(svg.contains("first") && svg.contains("moved"), "{svg}");
        assert!(!svg.contains("dropped"));
    }

    #[test]
    fn png_is_a_png_of_the_requested_size() {
        let bytes = png(&sample()).unwrap();
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let reader = decoder.read_info().unwrap();
        assert_eq!((reader.info().width, reader.info().height), (320, 240));
    }
}
