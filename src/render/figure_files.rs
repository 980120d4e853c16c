//! Plots written to files in the formats `set figures=` chose: SVG; PNG and LZW-compressed TIFF at
//! the chosen resolution (recorded in the file, as journals check); vector PDF at the chosen width.

use super::pdf::{PdfBackend, PdfPage};
use super::plot::{FONT, Raster, draw, register_font, rgb, svg};
use crate::output::{FigureFormat, FigureSettings, Plot};
use plotters::prelude::*;
use std::path::{Path, PathBuf};

/// 8-bit RGB pixels, row by row, as PNG bytes, with the resolution recorded when given.
pub fn encode_png(
    pixels: &[u8],
    width: u32,
    height: u32,
    dpi: Option<u32>,
) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut bytes, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        if let Some(dpi) = dpi {
            // pHYs: pixels per metre.
            let per_metre = (f64::from(dpi) / 0.0254).round() as u32;
            encoder.set_pixel_dims(Some(png::PixelDimensions {
                xppu: per_metre,
                yppu: per_metre,
                unit: png::Unit::Meter,
            }));
        }
        let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
        writer.write_image_data(pixels).map_err(|e| e.to_string())?;
    }
    Ok(bytes)
}

/// 8-bit RGB pixels as a TIFF image, LZW-compressed, its resolution in pixels per inch.
pub fn encode_tiff(pixels: &[u8], width: u32, height: u32, dpi: u32) -> Result<Vec<u8>, String> {
    use tiff::encoder::{Rational, TiffEncoder, colortype, compression::Lzw};
    let mut bytes = std::io::Cursor::new(Vec::new());
    {
        let mut encoder = TiffEncoder::new(&mut bytes).map_err(|e| e.to_string())?;
        let mut image = encoder
            .new_image_with_compression::<colortype::RGB8, _>(width, height, Lzw)
            .map_err(|e| e.to_string())?;
        image.resolution(tiff::tags::ResolutionUnit::Inch, Rational { n: dpi, d: 1 });
        image.write_data(pixels).map_err(|e| e.to_string())?;
    }
    Ok(bytes.into_inner())
}

/// The plot as a one-page vector PDF, `width_points` wide.
pub fn pdf(plot: &Plot, width_points: f64) -> Result<Vec<u8>, String> {
    register_font();
    let mut page = PdfPage::default();
    let images = {
        let root = PdfBackend::new(plot.size, FONT, &mut page)?.into_drawing_area();
        let images = draw(&root, plot, Raster::Embed, 1.0)?;
        root.present().map_err(|e| e.to_string())?;
        images
    };
    page.finish(plot.size, width_points, &images)
}

/// A plot written to disk: the files' paths and the PNG bytes (for showing it inline).
pub struct WrittenPlot {
    pub paths: Vec<PathBuf>,
    pub png: Vec<u8>,
}

/// Writes `<name>.<format>` for each format of `settings` into `folder` (created if needed).
pub fn write_files(
    plot: &Plot,
    folder: &Path,
    settings: &FigureSettings,
) -> Result<WrittenPlot, String> {
    std::fs::create_dir_all(folder).map_err(|e| format!("{}: {e}", folder.display()))?;
    let shown = plot;
    // Laid out for the printed width, so its text is readable there — except drawings that
    // place every label themselves (a nomogram), which keep their layout.
    let mut sized = plot.clone();
    if !(plot.x.hidden && plot.y.hidden) {
        sized.size = settings.canvas(plot.size);
    }
    let plot = &sized;
    let scale = settings.raster_scale(plot.size.0);
    let mut paths = Vec::new();
    let mut raster: Option<(Vec<u8>, u32, u32)> = None;
    for format in &settings.formats {
        let bytes = match format {
            FigureFormat::Svg => svg(plot)?.into_bytes(),
            FigureFormat::Png | FigureFormat::Tiff => {
                if raster.is_none() {
                    raster = Some(rgb(plot, scale)?);
                }
                let (pixels, width, height) = raster.as_ref().expect("drawn above");
                if *format == FigureFormat::Png {
                    encode_png(pixels, *width, *height, Some(settings.dpi))?
                } else {
                    encode_tiff(pixels, *width, *height, settings.dpi)?
                }
            }
            FigureFormat::Pdf => pdf(plot, settings.inches(plot.size.0) * 72.0)?,
        };
        let path = folder.join(format!("{}.{}", plot.name, format.extension()));
        std::fs::write(&path, bytes).map_err(|e| format!("{}: {e}", path.display()))?;
        paths.push(path);
    }
    // The inline picture is the plot at its own size: the raster drawn above when it is that.
    let png = match &raster {
        Some((pixels, width, height)) if (*width, *height) == shown.size && scale == 1.0 => {
            encode_png(pixels, *width, *height, None)?
        }
        _ => super::plot::png(shown)?,
    };
    Ok(WrittenPlot { paths, png })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{Axis, Layer, Legend, Series};

    fn plot() -> Plot {
        Plot {
            name: "p".into(),
            title: "λ ≥ 0.5 ± 1".into(),
            x: Axis::new("x"),
            y: Axis::new("y"),
            layers: vec![Layer::Line {
                series: Series {
                    label: "line".into(),
                    colour: 1,
                },
                points: vec![(0.0, 0.0), (1.0, 1.0)],
                dashed: false,
            }],
            size: (720, 480),
            legend: Legend::UpperRight,
        }
    }

    #[test]
    fn the_pdf_is_one_vector_page_of_the_asked_width_with_its_text_as_text() {
        let bytes = pdf(&plot(), 241.0).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.starts_with("%PDF-1.7"));
        // 241 points wide, in proportion 720 × 480.
        assert!(
            text.contains("/MediaBox [0 0 241.0000 160.6667]"),
            "{}",
            &text[..400]
        );
        assert!(text.contains("/Subtype /Type0") && text.contains("/FontFile2 8 0 R"));
        // Every cross-reference offset points at its object (bytes: the streams are binary).
        let xref = bytes.windows(6).rposition(|w| w == b"\nxref\n").unwrap() + 1;
        let table = std::str::from_utf8(&bytes[xref..]).unwrap();
        let offsets: Vec<usize> = table
            .lines()
            .skip(3)
            .take_while(|l| l.ends_with(" n "))
            .map(|l| l[..10].parse().unwrap())
            .collect();
        assert_eq!(offsets.len(), 9);
        for (n, offset) in offsets.iter().enumerate() {
            assert!(bytes[*offset..].starts_with(format!("{} 0 obj", n + 1).as_bytes()));
        }
        // The title's characters outside Latin-1 map back to themselves for copying.
        let font = ab_glyph::FontRef::try_from_slice(super::super::plot::FONT).unwrap();
        use ab_glyph::Font;
        for c in ['λ', '≥', '±'] {
            let gid = font.glyph_id(c).0;
            assert!(gid != 0, "{c} is in the font");
        }
    }

    #[test]
    fn tiff_and_png_record_their_resolution_and_tiff_is_lzw() {
        let (pixels, width, height) = super::super::plot::rgb(&plot(), 2.0).unwrap();
        assert_eq!((width, height), (1440, 960));
        let tiff = encode_tiff(&pixels, width, height, 600).unwrap();
        let mut decoder = tiff::decoder::Decoder::new(std::io::Cursor::new(&tiff)).unwrap();
        assert_eq!(decoder.dimensions().unwrap(), (1440, 960));
        use tiff::tags::Tag;
        assert_eq!(decoder.get_tag_u32(Tag::Compression).unwrap(), 5, "LZW");
        let resolution = decoder.get_tag_u32_vec(Tag::XResolution).unwrap();
        assert_eq!(resolution, vec![600, 1]);
        let tiff::decoder::DecodingResult::U8(decoded) = decoder.read_image().unwrap() else {
            panic!("8-bit RGB");
        };
        assert_eq!(decoded, pixels, "lossless");
        let png_bytes = encode_png(&pixels, width, height, Some(600)).unwrap();
        let reader = png::Decoder::new(std::io::Cursor::new(png_bytes))
            .read_info()
            .unwrap();
        let dims = reader.info().pixel_dims.unwrap();
        assert_eq!(dims.xppu, 23622, "600 dpi in pixels per metre");
    }
}
