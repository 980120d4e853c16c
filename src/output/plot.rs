//! A plot described as data: axes and layers. `render::plot` draws it with plotters; JSON
//! carries the same numbers, so a plot can be re-drawn elsewhere.

use serde::Serialize;

/// A 2-D plot.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plot {
    /// A stable machine name, also the file stem: `plot-age-by-aln`.
    pub name: String,
    pub title: String,
    pub x: Axis,
    pub y: Axis,
    pub layers: Vec<Layer>,
    /// Width and height in pixels (SVG user units).
    pub size: (u32, u32),
    /// Where the legend goes, clear of the data.
    pub legend: Legend,
}

/// The legend's corner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Legend {
    #[default]
    UpperRight,
    LowerRight,
    LowerLeft,
}

/// An axis: its label, its range (computed from the data when absent) and, for categorical
/// axes, the names of the categories placed at 0, 1, 2, ….
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Axis {
    pub label: String,
    pub range: Option<(f64, f64)>,
    pub categories: Vec<String>,
    /// Not drawn (no line, ticks, grid or title): for drawings such as a nomogram that carry
    /// their own scales.
    pub hidden: bool,
}

impl Axis {
    pub fn new(label: impl Into<String>) -> Axis {
        Axis {
            label: label.into(),
            ..Axis::default()
        }
    }
}

/// A named series: its legend entry and which colour of the palette it takes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Series {
    pub label: String,
    pub colour: usize,
}

/// What is drawn.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "layer", rename_all = "snake_case")]
pub enum Layer {
    /// Connected points.
    Line {
        series: Series,
        points: Vec<(f64, f64)>,
        dashed: bool,
    },
    /// Unconnected points.
    Points {
        series: Series,
        points: Vec<(f64, f64)>,
    },
    /// Filled rectangles from `x0..x1`, `0..height`, semi-transparent so groups can overlap.
    Bars {
        series: Series,
        bars: Vec<(f64, f64, f64)>,
    },
    /// A vertical reference line at `x`.
    VerticalLine {
        series: Series,
        x: f64,
        dashed: bool,
    },
    /// Points with vertical error bars: (x, y, low, high).
    ErrorBars {
        series: Series,
        points: Vec<(f64, f64, f64, f64)>,
    },
    /// A greyscale image (an MR slice), already windowed to 0-255, row by row; pixel (0, 0) is
    /// centred at `origin` and pixels are `pixel` apart in plot units (mm).
    Image {
        series: Series,
        origin: (f64, f64),
        pixel: (f64, f64),
        columns: usize,
        rows: usize,
        grey: Vec<u8>,
    },
    /// Line segments, each drawn alone: the outline of a mask along pixel edges.
    Segments {
        series: Series,
        segments: Vec<[(f64, f64); 2]>,
    },
    /// Text placed in plot units. Labels never overlap: each is drawn at its place, else at its
    /// alternative, else (when optional) left out; earlier labels win.
    Labels { series: Series, labels: Vec<Label> },
}

/// A text label of a [`Layer::Labels`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Label {
    pub text: String,
    pub at: (f64, f64),
    /// Where the text is drawn when `at` would overlap an earlier label.
    pub alternative: Option<(f64, f64)>,
    pub anchor: Anchor,
    /// Font size in pixels.
    pub size: u32,
    /// May be left out when neither place is free.
    pub optional: bool,
}

/// Which part of a label sits at its point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Anchor {
    Start,
    Middle,
    End,
}

impl Layer {
    /// The (x, y) extent of what the layer draws, for axis ranges.
    pub fn extent(&self) -> Vec<(f64, f64)> {
        match self {
            Layer::Line { points, .. } | Layer::Points { points, .. } => points.clone(),
            Layer::Bars { bars, .. } => bars
                .iter()
                .flat_map(|&(x0, x1, h)| [(x0, 0.0), (x1, h)])
                .collect(),
            Layer::VerticalLine { x, .. } => vec![(*x, f64::NAN)],
            Layer::ErrorBars { points, .. } => points
                .iter()
                .flat_map(|&(x, _, low, high)| [(x, low), (x, high)])
                .collect(),
            Layer::Image {
                origin,
                pixel,
                columns,
                rows,
                ..
            } => {
                let (x0, y0) = (origin.0 - pixel.0 / 2.0, origin.1 - pixel.1 / 2.0);
                vec![
                    (x0, y0),
                    (x0 + pixel.0 * *columns as f64, y0 + pixel.1 * *rows as f64),
                ]
            }
            Layer::Segments { segments, .. } => segments.iter().flatten().copied().collect(),
            Layer::Labels { labels, .. } => labels.iter().map(|l| l.at).collect(),
        }
    }

    pub fn series(&self) -> &Series {
        match self {
            Layer::Line { series, .. }
            | Layer::Points { series, .. }
            | Layer::Bars { series, .. }
            | Layer::VerticalLine { series, .. }
            | Layer::ErrorBars { series, .. }
            | Layer::Image { series, .. }
            | Layer::Segments { series, .. }
            | Layer::Labels { series, .. } => series,
        }
    }
}
