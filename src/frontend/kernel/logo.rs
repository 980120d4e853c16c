//! The kernel's logo, drawn once in code for the kernelspec (`logo-svg.svg`, `logo-32x32.png`,
//! `logo-64x64.png`, the files JupyterLab's launcher shows): a nomogram in miniature — three
//! scales and the straight line a reader lays across them.

use plotters::prelude::*;

const BACKGROUND: RGBColor = RGBColor(24, 54, 94);
const SCALE: RGBColor = RGBColor(255, 255, 255);
const READING: RGBColor = RGBColor(230, 159, 0);

/// Draws the logo on a square area of `size` pixels.
fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    size: u32,
) -> Result<(), String> {
    let at = |x: f64, y: f64| {
        (
            (x * size as f64).round() as i32,
            (y * size as f64).round() as i32,
        )
    };
    let stroke = (size as f64 / 24.0).max(1.0).round() as u32;
    area.fill(&BACKGROUND).map_err(|e| e.to_string())?;
    let scales = [0.27, 0.5, 0.73];
    for y in scales {
        area.draw(&PathElement::new(
            vec![at(0.14, y), at(0.86, y)],
            SCALE.stroke_width(stroke),
        ))
        .map_err(|e| e.to_string())?;
        for tick in 0..=4 {
            let x = 0.14 + 0.18 * tick as f64;
            area.draw(&PathElement::new(
                vec![at(x, y - 0.06), at(x, y)],
                SCALE.stroke_width(stroke),
            ))
            .map_err(|e| e.to_string())?;
        }
    }
    // The reading line, and where it crosses each scale.
    let line = |y: f64| 0.22 + (y - 0.14) * 0.78;
    area.draw(&PathElement::new(
        vec![at(line(0.14), 0.14), at(line(0.86), 0.86)],
        READING.stroke_width(stroke),
    ))
    .map_err(|e| e.to_string())?;
    for y in scales {
        area.draw(&Circle::new(
            at(line(y), y),
            (stroke * 2) as i32,
            READING.filled(),
        ))
        .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// The logo as an SVG document (64 × 64 user units; it scales).
pub fn svg() -> Result<String, String> {
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, (64, 64)).into_drawing_area();
        draw(&root, 64)?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(text)
}

/// The logo as a PNG of `size` × `size` pixels.
pub fn png(size: u32) -> Result<Vec<u8>, String> {
    let mut pixels = vec![0u8; size as usize * size as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, (size, size)).into_drawing_area();
        draw(&root, size)?;
        root.present().map_err(|e| e.to_string())?;
    }
    crate::render::figure_files::encode_png(&pixels, size, size, None)
}

/// The logo files of a kernelspec: (file name, contents).
pub fn files() -> Result<Vec<(&'static str, Vec<u8>)>, String> {
    Ok(vec![
        ("logo-svg.svg", svg()?.into_bytes()),
        ("logo-32x32.png", png(32)?),
        ("logo-64x64.png", png(64)?),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_logo_is_a_square_png_of_the_named_size_and_an_svg() {
        for size in [32, 64] {
            let bytes = png(size).unwrap();
            let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
            let reader = decoder.read_info().unwrap();
            assert_eq!((reader.info().width, reader.info().height), (size, size));
        }
        let svg = svg().unwrap();
        assert!(
            svg.starts_with("<svg") && svg.contains("width=\"64\""),
            "{svg}"
        );
        // The reading line is drawn in the plots' orange.
        assert!(svg.contains("#E69F00"), "{svg}");
    }
}
