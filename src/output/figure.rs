//! How plots are written to files: which formats, at what resolution and width — journals ask
//! for vector PDF or TIFF at 300–600 dpi at a column's width. `set figures=… dpi=… width=…`.

/// A file format for plots.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FigureFormat {
    Svg,
    Png,
    Pdf,
    Tiff,
}

impl FigureFormat {
    pub const ALL: [FigureFormat; 4] = [
        FigureFormat::Svg,
        FigureFormat::Png,
        FigureFormat::Pdf,
        FigureFormat::Tiff,
    ];

    /// The file ending, also the name `set figures=` takes.
    pub fn extension(self) -> &'static str {
        match self {
            FigureFormat::Svg => "svg",
            FigureFormat::Png => "png",
            FigureFormat::Pdf => "pdf",
            FigureFormat::Tiff => "tiff",
        }
    }

    pub fn named(name: &str) -> Option<FigureFormat> {
        FigureFormat::ALL
            .into_iter()
            .find(|f| f.extension() == name)
    }
}

/// Plots are drawn at 96 pixels per inch (the size a plot states is its size on screen).
pub const SCREEN_DPI: f64 = 96.0;

/// The formats, resolution and width of written plots.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureSettings {
    pub formats: Vec<FigureFormat>,
    /// Pixels per inch of PNG and TIFF files (and recorded in them).
    pub dpi: u32,
    /// The printed width in millimetres; `None`: the plot's own size at 96 pixels per inch.
    pub width_mm: Option<f64>,
}

impl Default for FigureSettings {
    fn default() -> FigureSettings {
        FigureSettings {
            formats: vec![FigureFormat::Svg, FigureFormat::Png],
            dpi: 96,
            width_mm: None,
        }
    }
}

/// Tick labels are drawn 13 pixels high; at a chosen print width they print at least this size
/// in points (journals ask 6–8 pt at final size).
const SMALLEST_PRINTED_POINTS: f64 = 8.0;
const TICK_LABEL_PIXELS: f64 = 13.0;

impl FigureSettings {
    /// The canvas a plot of `size` pixels is laid out on for print: its own size, or — when a
    /// width is chosen that would print its tick labels smaller than 8 pt — narrower (the same
    /// proportions), so the text stays readable and the lines make room instead.
    pub fn canvas(&self, size: (u32, u32)) -> (u32, u32) {
        let Some(mm) = self.width_mm else {
            return size;
        };
        let points = mm / 25.4 * 72.0;
        let widest = points * TICK_LABEL_PIXELS / SMALLEST_PRINTED_POINTS;
        if f64::from(size.0) <= widest {
            return size;
        }
        let width = widest.round().max(1.0);
        let height = (f64::from(size.1) * width / f64::from(size.0))
            .round()
            .max(1.0);
        (width as u32, height as u32)
    }

    /// The printed width in inches of a plot `pixels` wide.
    pub fn inches(&self, pixels: u32) -> f64 {
        self.width_mm
            .map_or(f64::from(pixels) / SCREEN_DPI, |mm| mm / 25.4)
    }

    /// How many times its pixel size a raster file draws a plot `pixels` wide.
    pub fn raster_scale(&self, pixels: u32) -> f64 {
        self.inches(pixels) * f64::from(self.dpi) / f64::from(pixels)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_column_wide_figure_at_600_dpi() {
        let settings = FigureSettings {
            formats: vec![FigureFormat::Tiff],
            dpi: 600,
            width_mm: Some(85.0),
        };
        // 85 mm = 3.346 in; × 600 dpi = 2008 pixels for a 720-pixel plot.
        assert!((settings.raster_scale(720) * 720.0 - 2007.87).abs() < 0.01);
        // 85 mm is 241 pt: a 720-pixel plot is laid out 392 pixels wide, so 13-pixel tick
        // labels print at 8 pt.
        assert_eq!(settings.canvas((720, 480)), (392, 261));
        let page = FigureSettings {
            width_mm: Some(180.0),
            ..settings.clone()
        };
        assert_eq!(page.canvas((720, 480)), (720, 480), "wide enough as it is");
        // Without a width, the plot's own size: 720 px at 96 dpi is 7.5 in.
        let own = FigureSettings {
            width_mm: None,
            ..settings
        };
        assert_eq!(own.canvas((720, 480)), (720, 480));
        assert_eq!(own.inches(720), 7.5);
        assert_eq!(own.raster_scale(720), 6.25);
    }
}
