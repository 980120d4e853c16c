//! Plots as vector PDF for journals: a plotters drawing backend that writes PDF operators —
//! lines, paths, rectangles, circles and polygons as vector paths; text in the embedded DejaVu
//! Sans as a Type 0 (Identity-H) font, so every character a plot uses (λ, ≥, ±, −, ²) is kept and
//! copies out as text; images (an MR slice) as greyscale image objects. The page is the plot's
//! size at 96 pixels per inch, or `width_mm` wide.
//!
//! # References
//! ISO 32000-1:2008 (PDF 1.7): §7.5 file structure, §8.4–8.5 graphics state and paths, §8.9
//! images, §9.4 text objects, §9.7 composite fonts (Type 0, CIDFontType2), §9.10.3 ToUnicode.

use super::plot::EmbeddedImage;
use ab_glyph::{Font, FontRef, GlyphId};
use flate2::Compression;
use flate2::write::ZlibEncoder;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
    FontTransform,
};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

/// Why a PDF could not be drawn.
#[derive(Debug)]
pub struct PdfError(String);

impl std::fmt::Display for PdfError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PdfError {}

/// What was drawn: operators in pixel units (y down), the glyphs used and the transparencies.
#[derive(Default)]
pub struct PdfPage {
    operations: Vec<String>,
    used: BTreeMap<u16, char>,
    alphas: BTreeSet<u32>,
}

/// The drawing backend, writing into a [`PdfPage`] (plotters owns the backend while it draws).
pub struct PdfBackend<'a> {
    size: (u32, u32),
    font: FontRef<'static>,
    page: &'a mut PdfPage,
}

impl<'a> PdfBackend<'a> {
    pub fn new(
        size: (u32, u32),
        font: &'static [u8],
        page: &'a mut PdfPage,
    ) -> Result<PdfBackend<'a>, String> {
        Ok(PdfBackend {
            size,
            font: FontRef::try_from_slice(font).map_err(|e| e.to_string())?,
            page,
        })
    }

    fn units_per_em(&self) -> f32 {
        self.font.units_per_em().unwrap_or(2048.0)
    }

    /// Sets the stroke or fill colour and its transparency.
    fn colour(&mut self, colour: BackendColor, fill: bool) {
        let (r, g, b) = colour.rgb;
        let op = if fill { "rg" } else { "RG" };
        self.page
            .operations
            .push(format!("{} {} {} {op}", channel(r), channel(g), channel(b)));
        let alpha = (colour.alpha.clamp(0.0, 1.0) * 1000.0).round() as u32;
        self.page.alphas.insert(alpha);
        self.page.operations.push(format!("/GS{alpha} gs"));
    }

    fn stroke_style<S: BackendStyle>(&mut self, style: &S) {
        self.colour(style.color(), false);
        self.page
            .operations
            .push(format!("{} w", style.stroke_width().max(1)));
    }

    /// The text's width and the font's ascent and descent at `size` pixels.
    fn metrics(&self, text: &str, size: f64) -> (f64, f64, f64) {
        let scale = size / self.units_per_em() as f64;
        let width: f64 = text
            .chars()
            .map(|c| self.font.h_advance_unscaled(self.font.glyph_id(c)) as f64)
            .sum::<f64>()
            * scale;
        (
            width,
            self.font.ascent_unscaled() as f64 * scale,
            self.font.descent_unscaled() as f64 * scale,
        )
    }
}

impl PdfPage {
    /// The finished file: the page `page_width` points wide (its height in proportion), with
    /// `images` drawn just above the background.
    pub(super) fn finish(
        mut self,
        size: (u32, u32),
        page_width: f64,
        images: &[EmbeddedImage],
    ) -> Result<Vec<u8>, String> {
        let font = FontRef::try_from_slice(super::plot::FONT).map_err(|e| e.to_string())?;
        let em = font.units_per_em().unwrap_or(2048.0) as f64;
        let (width, height) = (size.0 as f64, size.1 as f64);
        let k = page_width / width;
        let mut content = format!("{k:.6} 0 0 {:.6} 0 {:.4} cm\n", -k, height * k);
        let mut image_ops = Vec::new();
        for (index, image) in images.iter().enumerate() {
            let (x, y, w, h) = image.place;
            image_ops.push(format!("q {w} 0 0 {} {x} {} cm /Im{index} Do Q", -h, y + h));
        }
        // The background fill comes first; images go right after it.
        let at = self
            .operations
            .iter()
            .position(|o| o.ends_with(" f"))
            .map_or(0, |i| i + 1);
        for (offset, op) in image_ops.into_iter().enumerate() {
            self.operations.insert(at + offset, op);
        }
        for op in &self.operations {
            content.push_str(op);
            content.push('\n');
        }
        let mut objects: Vec<Vec<u8>> = Vec::new();
        // 1 catalog, 2 pages, 3 page, 4 content, 5 font, 6 CID font, 7 descriptor, 8 font file,
        // 9 ToUnicode, 10.. images.
        objects.push(b"<< /Type /Catalog /Pages 2 0 R >>".to_vec());
        objects.push(b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec());
        let states: String = self
            .alphas
            .iter()
            .map(|a| {
                format!(
                    "/GS{a} << /Type /ExtGState /CA {0:.3} /ca {0:.3} >> ",
                    *a as f64 / 1000.0
                )
            })
            .collect();
        let xobjects: String = (0..images.len())
            .map(|i| format!("/Im{i} {} 0 R ", 10 + i))
            .collect();
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {:.4} {:.4}] /Resources << /Font << /F1 5 0 R >> /ExtGState << {states}>> /XObject << {xobjects}>> >> /Contents 4 0 R >>",
                width * k,
                height * k
            )
            .into_bytes(),
        );
        objects.push(stream("", content.as_bytes())?);
        objects.push(b"<< /Type /Font /Subtype /Type0 /BaseFont /DejaVuSans /Encoding /Identity-H /DescendantFonts [6 0 R] /ToUnicode 9 0 R >>".to_vec());
        let widths: String = self
            .used
            .keys()
            .map(|&gid| {
                format!(
                    "{gid} [{:.0}]",
                    font.h_advance_unscaled(GlyphId(gid)) as f64 * 1000.0 / em
                )
            })
            .collect::<Vec<_>>()
            .join(" ");
        objects.push(format!("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /DejaVuSans /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 7 0 R /DW 600 /W [{widths}] /CIDToGIDMap /Identity >>").into_bytes());
        let ascent = font.ascent_unscaled() as f64 * 1000.0 / em;
        let descent = font.descent_unscaled() as f64 * 1000.0 / em;
        objects.push(format!("<< /Type /FontDescriptor /FontName /DejaVuSans /Flags 32 /FontBBox [-1021 -463 1793 1232] /ItalicAngle 0 /Ascent {ascent:.0} /Descent {descent:.0} /CapHeight 729 /StemV 80 /FontFile2 8 0 R >>").into_bytes());
        objects.push(stream(
            &format!("/Length1 {}", super::plot::FONT.len()),
            super::plot::FONT,
        )?);
        objects.push(stream("", to_unicode(&self.used).as_bytes())?);
        for image in images {
            objects.push(stream(
                &format!(
                    "/Type /XObject /Subtype /Image /Width {} /Height {} /ColorSpace /DeviceGray /BitsPerComponent 8",
                    image.columns, image.rows
                ),
                &image.grey,
            )?);
        }
        Ok(assemble(&objects))
    }
}

fn channel(value: u8) -> String {
    format!("{:.4}", value as f64 / 255.0)
}

/// A Flate-compressed stream object with `extra` dictionary entries.
fn stream(extra: &str, data: &[u8]) -> Result<Vec<u8>, String> {
    let mut encoder = ZlibEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(data).map_err(|e| e.to_string())?;
    let packed = encoder.finish().map_err(|e| e.to_string())?;
    let mut out = format!(
        "<< {extra} /Filter /FlateDecode /Length {} >>\nstream\n",
        packed.len()
    )
    .into_bytes();
    out.extend_from_slice(&packed);
    out.extend_from_slice(b"\nendstream");
    Ok(out)
}

/// The header, the numbered objects, the cross-reference table and the trailer.
fn assemble(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    for (index, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", index + 1).as_bytes());
        out.extend_from_slice(object);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// The CMap that maps each glyph back to its character (text copied out of the PDF).
fn to_unicode(used: &BTreeMap<u16, char>) -> String {
    let mut entries = String::new();
    let pairs: Vec<(&u16, &char)> = used.iter().collect();
    for chunk in pairs.chunks(100) {
        entries.push_str(&format!("{} beginbfchar\n", chunk.len()));
        for (gid, c) in chunk {
            let mut units = [0u16; 2];
            let hex: String = c
                .encode_utf16(&mut units)
                .iter()
                .map(|u| format!("{u:04X}"))
                .collect();
            entries.push_str(&format!("<{gid:04X}> <{hex}>\n"));
        }
        entries.push_str("endbfchar\n");
    }
    format!(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n{entries}endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    )
}

impl DrawingBackend for PdfBackend<'_> {
    type ErrorType = PdfError;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<PdfError>> {
        Ok(())
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<PdfError>> {
        Ok(())
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        colour: BackendColor,
    ) -> Result<(), DrawingErrorKind<PdfError>> {
        self.colour(colour, true);
        self.page
            .operations
            .push(format!("{} {} 1 1 re f", point.0, point.1));
        Ok(())
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<PdfError>> {
        self.stroke_style(style);
        self.page
            .operations
            .push(format!("{} {} m {} {} l S", from.0, from.1, to.0, to.1));
        Ok(())
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<PdfError>> {
        let (x, y) = upper_left;
        let (w, h) = (bottom_right.0 - x, bottom_right.1 - y);
        if fill {
            self.colour(style.color(), true);
            self.page.operations.push(format!("{x} {y} {w} {h} re f"));
        } else {
            self.stroke_style(style);
            self.page.operations.push(format!("{x} {y} {w} {h} re S"));
        }
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<PdfError>> {
        let points: Vec<BackendCoord> = path.into_iter().collect();
        if points.len() < 2 {
            return Ok(());
        }
        self.stroke_style(style);
        let mut op = format!("1 j 1 J {} {} m", points[0].0, points[0].1);
        for p in &points[1..] {
            op.push_str(&format!(" {} {} l", p.0, p.1));
        }
        op.push_str(" S");
        self.page.operations.push(op);
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<PdfError>> {
        // Four Bézier quarter-arcs (κ = 0.5523: the control-point distance of a circle).
        let (cx, cy, r) = (center.0 as f64, center.1 as f64, radius as f64);
        let c = 0.552_284_75 * r;
        let op = format!(
            "{:.2} {cy:.2} m {:.2} {:.2} {:.2} {:.2} {cx:.2} {:.2} c {:.2} {:.2} {:.2} {:.2} {:.2} {cy:.2} c {:.2} {:.2} {:.2} {:.2} {cx:.2} {:.2} c {:.2} {:.2} {:.2} {:.2} {:.2} {cy:.2} c",
            cx + r,
            cx + r,
            cy + c,
            cx + c,
            cy + r,
            cy + r,
            cx - c,
            cy + r,
            cx - r,
            cy + c,
            cx - r,
            cx - r,
            cy - c,
            cx - c,
            cy - r,
            cy - r,
            cx + c,
            cy - r,
            cx + r,
            cy - c,
            cx + r,
        );
        if fill {
            self.colour(style.color(), true);
            self.page.operations.push(format!("{op} f"));
        } else {
            self.stroke_style(style);
            self.page.operations.push(format!("{op} S"));
        }
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vertices: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<PdfError>> {
        let points: Vec<BackendCoord> = vertices.into_iter().collect();
        if points.len() < 3 {
            return Ok(());
        }
        self.colour(style.color(), true);
        let mut op = format!("{} {} m", points[0].0, points[0].1);
        for p in &points[1..] {
            op.push_str(&format!(" {} {} l", p.0, p.1));
        }
        op.push_str(" h f");
        self.page.operations.push(op);
        Ok(())
    }

    fn draw_text<T: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &T,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<PdfError>> {
        let size = style.size();
        let (width, ascent, descent) = self.metrics(text, size);
        // Direction of writing and of "up" on the page (y grows downwards).
        let (along, up) = match style.transform() {
            FontTransform::Rotate90 => ((0.0, 1.0), (1.0, 0.0)),
            FontTransform::Rotate180 => ((-1.0, 0.0), (0.0, 1.0)),
            FontTransform::Rotate270 => ((0.0, -1.0), (-1.0, 0.0)),
            _ => ((1.0, 0.0), (0.0, -1.0)),
        };
        let anchor = style.anchor();
        let shift = match anchor.h_pos {
            HPos::Left => 0.0,
            HPos::Center => -width / 2.0,
            HPos::Right => -width,
        };
        let down = match anchor.v_pos {
            VPos::Top => ascent,
            VPos::Center => (ascent + descent) / 2.0,
            VPos::Bottom => descent,
        };
        let x = pos.0 as f64 + along.0 * shift - up.0 * down;
        let y = pos.1 as f64 + along.1 * shift - up.1 * down;
        let mut hex = String::new();
        for c in text.chars() {
            let gid = self.font.glyph_id(c).0;
            self.page.used.entry(gid).or_insert(c);
            hex.push_str(&format!("{gid:04X}"));
        }
        self.colour(style.color(), true);
        // Glyph space: x along the writing, y up; the page is flipped, so "up" is negated.
        self.page.operations.push(format!(
            "BT /F1 1 Tf {:.3} {:.3} {:.3} {:.3} {x:.2} {y:.2} Tm <{hex}> Tj ET",
            along.0 * size,
            along.1 * size,
            up.0 * size,
            up.1 * size,
        ));
        Ok(())
    }

    fn estimate_text_size<T: BackendTextStyle>(
        &self,
        text: &str,
        style: &T,
    ) -> Result<(u32, u32), DrawingErrorKind<PdfError>> {
        let (width, ascent, descent) = self.metrics(text, style.size());
        Ok((width.ceil() as u32, (ascent - descent).ceil() as u32))
    }
}
