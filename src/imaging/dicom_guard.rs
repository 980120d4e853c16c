//! A check run on a DICOM file's bytes before it is parsed: every element's declared length must
//! fit in what is left of the file. The parser allocates a value's buffer from the declared length
//! before reading it, so a damaged length of 0xFFFFFFF0 would ask for 4 GiB; here it is refused,
//! naming the element.
//!
//! The walk follows the encoding: the file meta group (explicit VR little endian), then the data
//! set in its transfer syntax — explicit or implicit VR little endian. Sequences and items are
//! walked into (in implicit VR a sequence is known by the item tag its value starts with); a big-endian or deflated data set, or a value representation
//! that is not two letters, ends the check without a verdict (the parser then decides).
//!
//! # References
//! DICOM PS3.5 §7.1 (data elements, explicit and implicit VR), §7.5 (nesting of data sets:
//! items and delimiters), §A.1–A.5 (transfer syntaxes); PS3.10 §7.1 (the file meta information).

use std::path::Path;

/// Value representations whose length is 4 bytes, after 2 reserved ones (PS3.5 Table 7.1-1).
const LONG_VRS: [&[u8; 2]; 13] = [
    b"OB", b"OD", b"OF", b"OL", b"OV", b"OW", b"SQ", b"SV", b"UC", b"UN", b"UR", b"UT", b"UV",
];

const UNDEFINED: u32 = 0xFFFF_FFFF;

/// Reads the file and checks it; the bytes when every declared length fits.
pub fn read_checked(path: &Path) -> Result<Vec<u8>, String> {
    let bytes = std::fs::read(path).map_err(|e| super::samples::io_message(&e))?;
    check_lengths(&bytes)?;
    Ok(bytes)
}

/// Reads a DICOM file once, checks its lengths, and parses the checked bytes.
pub fn open_checked(path: &Path) -> Result<dicom_object::DefaultDicomObject, String> {
    let bytes = read_checked(path)?;
    dicom_object::OpenFileOptions::new()
        .read_preamble(dicom_object::file::ReadPreamble::Always)
        .from_reader(bytes.as_slice())
        .map_err(|e| format!("not readable as DICOM ({e})"))
}

/// The Media Storage SOP Class UID a DICOM file's meta group names (what kind of object it is),
/// read without parsing the rest; `None` for a file that is not DICOM or does not say.
pub fn storage_class(path: &Path) -> Option<String> {
    use std::io::Read;
    let mut head = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .take(64 * 1024)
        .read_to_end(&mut head)
        .ok()?;
    let (elements, _) = meta_group(&head).ok()??;
    elements
        .iter()
        .find(|(element, _)| *element == 0x0002)
        .map(|(_, value)| trimmed(value))
}

/// A value as text, without the padding DICOM adds.
fn trimmed(value: &[u8]) -> String {
    String::from_utf8_lossy(value)
        .trim_end_matches(['\0', ' '])
        .to_string()
}

/// The file meta group's (element number, value) pairs, and where the data set begins.
type MetaGroup<'a> = (Vec<(u16, &'a [u8])>, usize);

/// The file meta group's elements (explicit VR little endian, after the 128-byte preamble and
/// `DICM`), as (element number, value), and where the data set begins. `None` for a file that is
/// not DICOM or a group that cannot be walked; an error names an element longer than the bytes
/// left.
fn meta_group(bytes: &[u8]) -> Result<Option<MetaGroup<'_>>, String> {
    if bytes.len() < 132 || &bytes[128..132] != b"DICM" {
        return Ok(None);
    }
    let mut at = 132;
    let mut elements = Vec::new();
    while at + 8 <= bytes.len() && u16::from_le_bytes([bytes[at], bytes[at + 1]]) == 0x0002 {
        let element = u16::from_le_bytes([bytes[at + 2], bytes[at + 3]]);
        let Some((header, length)) = explicit_header(bytes, at) else {
            return Ok(None);
        };
        let start = at + header;
        check_fits(bytes, start, length, (0x0002, element))?;
        elements.push((element, &bytes[start..start + length as usize]));
        at = start + length as usize;
    }
    Ok(Some((elements, at)))
}

/// Refuses a DICOM file (with its 128-byte preamble and `DICM`) in which an element declares
/// more bytes than the file has left.
pub fn check_lengths(bytes: &[u8]) -> Result<(), String> {
    // The file meta group: explicit VR little endian; its transfer syntax says the rest.
    let Some((elements, mut at)) = meta_group(bytes)? else {
        return Ok(());
    };
    let syntax = elements
        .iter()
        .find(|(element, _)| *element == 0x0010)
        .map(|(_, value)| trimmed(value))
        .unwrap_or_default();
    let explicit = match syntax.as_str() {
        "1.2.840.10008.1.2" => false,
        "1.2.840.10008.1.2.2" | "1.2.840.10008.1.2.1.99" => return Ok(()),
        _ => true,
    };
    while at + 8 <= bytes.len() {
        let group = u16::from_le_bytes([bytes[at], bytes[at + 1]]);
        let element = u16::from_le_bytes([bytes[at + 2], bytes[at + 3]]);
        let (header, length, walk_into) = if group == 0xFFFE {
            // Item and delimiters: a tag and a 4-byte length, no VR; an item holds elements.
            let length = u32::from_le_bytes(bytes[at + 4..at + 8].try_into().expect("4 bytes"));
            (8, length, element == 0xE000)
        } else if explicit {
            let Some((header, length)) = explicit_header(bytes, at) else {
                return Ok(());
            };
            (header, length, &bytes[at + 4..at + 6] == b"SQ")
        } else {
            // Implicit VR: a sequence is known by its first item's tag.
            let length = u32::from_le_bytes(bytes[at + 4..at + 8].try_into().expect("4 bytes"));
            let sequence = bytes.get(at + 8..at + 12) == Some(&[0xFE, 0xFF, 0x00, 0xE0][..]);
            (8, length, sequence)
        };
        let start = at + header;
        if length == UNDEFINED || walk_into {
            // Undefined length (a sequence, an item, encapsulated pixel data) or a sequence or
            // item of defined length: what it holds follows, element by element.
            if length != UNDEFINED {
                check_fits(bytes, start, length, (group, element))?;
            }
            at = start;
            continue;
        }
        check_fits(bytes, start, length, (group, element))?;
        at = start + length as usize;
    }
    Ok(())
}

/// The header size and value length of the explicit-VR element at `at`; `None` when its VR is
/// not two capital letters (not an explicit-VR element).
fn explicit_header(bytes: &[u8], at: usize) -> Option<(usize, u32)> {
    let vr = [bytes[at + 4], bytes[at + 5]];
    if !vr.iter().all(u8::is_ascii_uppercase) {
        return None;
    }
    if LONG_VRS.contains(&&vr) {
        let field = bytes.get(at + 8..at + 12)?;
        Some((12, u32::from_le_bytes(field.try_into().ok()?)))
    } else {
        Some((
            8,
            u32::from(u16::from_le_bytes([bytes[at + 6], bytes[at + 7]])),
        ))
    }
}

fn check_fits(
    bytes: &[u8],
    start: usize,
    length: u32,
    (group, element): (u16, u16),
) -> Result<(), String> {
    let left = bytes.len().saturating_sub(start);
    if length as usize > left {
        return Err(format!(
            "element ({group:04X},{element:04X}) declares {length} bytes, more than the {left} left in the file: it is damaged or cut short"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fixtures_pass_and_a_length_past_the_end_is_named() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        for file in [
            "rtstruct/rtss.dcm",
            "rtstruct/series/slice01.dcm",
            "dicom-seg/binary.dcm",
            "dicom-seg/fractional.dcm",
        ] {
            read_checked(&root.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        }
        // Patient ID's 2-byte length set to 0xFFF0 in a small file.
        let mut bytes = std::fs::read(root.join("rtstruct/series/slice01.dcm")).unwrap();
        let at = bytes
            .windows(4)
            .position(|w| w == [0x10, 0x00, 0x20, 0x00])
            .unwrap();
        bytes[at + 6..at + 8].copy_from_slice(&0xFFF0u16.to_le_bytes());
        let error = check_lengths(&bytes).unwrap_err();
        assert!(
            error.starts_with("element (0010,0020) declares 65520 bytes, more than the"),
            "{error}"
        );
    }
}
