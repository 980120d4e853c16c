//! Fuzzing the readers of what users bring: NIfTI (plain and gzipped), NRRD, DICOM series, RT
//! structure sets and segmentations, CSV and the
//! language's parser (with the caret rendering of its errors). Each starts from a valid file (the
//! seed corpus, made here) and reads thousands of damaged copies — bytes flipped, cut short,
//! spliced, header fields set to extremes — which must each be read or refused with a message
//! (an empty message fails the case): never a panic, and never an allocation larger than the limit below (this test
//! binary's allocator refuses one, which aborts the run). The cases are drawn from a fixed seed,
//! so every run tries the same inputs, in well under a minute.

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use radnomo::imaging::samples::gzip;
use radnomo::imaging::volume::Geometry;
use radnomo::imaging::{nifti, nrrd};
use std::alloc::{GlobalAlloc, Layout, System};

/// The largest single allocation a reader may make on these small inputs.
const ALLOCATION_LIMIT: usize = 64 << 20;

struct Limited;

// SAFETY: forwards to the system allocator; only refuses (returns null for) oversized requests.
unsafe impl GlobalAlloc for Limited {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if layout.size() > ALLOCATION_LIMIT {
            return std::ptr::null_mut();
        }
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > ALLOCATION_LIMIT {
            return std::ptr::null_mut();
        }
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Limited = Limited;

/// A damage done to a file: overwrite bytes, cut, splice a run of bytes, or set a little-endian
/// integer field to an extreme.
#[derive(Debug, Clone)]
enum Damage {
    Overwrite(usize, Vec<u8>),
    Cut(usize),
    Insert(usize, Vec<u8>),
    Extreme(usize, u8),
    /// Replace the n-th run of ASCII digits (a number in a text header or table) with an extreme.
    Number(usize, usize),
}

/// Numbers a text header or table should never be trusted with.
const EXTREME_NUMBERS: [&str; 9] = [
    "0",
    "-1",
    "65536",
    "4294967296",
    "99999999999",
    "18446744073709551615",
    "nan",
    "1e400",
    "-0.0",
];

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        (0usize..600, prop::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(at, b)| Damage::Overwrite(at, b)),
        (0usize..600).prop_map(Damage::Cut),
        (0usize..600, prop::collection::vec(any::<u8>(), 1..64))
            .prop_map(|(at, b)| Damage::Insert(at, b)),
        (0usize..600, 0u8..6).prop_map(|(at, which)| Damage::Extreme(at, which)),
        (0usize..60, 0usize..EXTREME_NUMBERS.len()).prop_map(|(n, which)| Damage::Number(n, which)),
    ]
}

fn apply(seed: &[u8], damages: &[Damage]) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    for damage in damages {
        let len = bytes.len().max(1);
        match damage {
            Damage::Overwrite(at, new) => {
                for (k, b) in new.iter().enumerate() {
                    if let Some(slot) = bytes.get_mut((at % len) + k) {
                        *slot = *b;
                    }
                }
            }
            Damage::Cut(at) => bytes.truncate(at % len),
            Damage::Insert(at, new) => {
                let at = (at % len).min(bytes.len());
                bytes.splice(at..at, new.iter().copied());
            }
            Damage::Extreme(at, which) => {
                let value: [u8; 8] = match which {
                    0 => i64::MAX.to_le_bytes(),
                    1 => i64::MIN.to_le_bytes(),
                    2 => (-1i64).to_le_bytes(),
                    3 => f64::NAN.to_le_bytes(),
                    4 => (i16::MAX as i64 | (i16::MAX as i64) << 16).to_le_bytes(),
                    _ => f32::INFINITY
                        .to_bits()
                        .to_le_bytes()
                        .repeat(2)
                        .try_into()
                        .unwrap(),
                };
                let at = at % len;
                let end = (at + 8).min(bytes.len());
                bytes[at..end].copy_from_slice(&value[..end - at]);
            }
            Damage::Number(n, which) => {
                let mut runs = Vec::new();
                let mut k = 0;
                while k < bytes.len() {
                    if bytes[k].is_ascii_digit() {
                        let start = k;
                        while k < bytes.len() && bytes[k].is_ascii_digit() {
                            k += 1;
                        }
                        runs.push(start..k);
                    } else {
                        k += 1;
                    }
                }
                if !runs.is_empty() {
                    let run = runs[n % runs.len()].clone();
                    bytes.splice(run, EXTREME_NUMBERS[*which].bytes());
                }
            }
        }
    }
    bytes
}

fn runner(cases: u32) -> TestRunner {
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha))
}

fn fuzz(name: &str, seed: Vec<u8>, cases: u32, read: impl Fn(&[u8]) -> Result<(), String>) {
    let strategy = prop::collection::vec(damage(), 1..4);
    let outcome = runner(cases).run(&strategy, |damages| {
        let bytes = apply(&seed, &damages);
        // Read or refused with words: both fine. A panic fails the case.
        if let Err(message) = read(&bytes) {
            prop_assert!(!message.is_empty());
        }
        Ok(())
    });
    if let Err(failure) = outcome {
        panic!("{name}: {failure}");
    }
}

fn seed_volume() -> (ndarray::Array4<f32>, Geometry) {
    let voxels = ndarray::Array4::from_shape_fn((2, 3, 4, 5), |(p, k, j, i)| {
        (p * 60 + k * 20 + j * 5 + i) as f32 * 1.5
    });
    (voxels, Geometry::new([0.7, 0.7, 2.5], [1.0, -2.0, 3.0]))
}

/// Writes `bytes` to a scratch file and reads it with the reader that goes by the file's name.
fn read_file(name: &str, bytes: &[u8]) -> Result<(), String> {
    let folder = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("fuzz");
    std::fs::create_dir_all(&folder).unwrap();
    let path = folder.join(name);
    std::fs::write(&path, bytes).unwrap();
    radnomo::imaging::io::read_image(&path)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

#[test]
fn damaged_nifti_files_are_read_or_refused() {
    let (voxels, geometry) = seed_volume();
    let plain = nifti::encode(voxels.view(), &geometry, false);
    fuzz("nifti", plain.clone(), 4000, |bytes| {
        nifti::parse(bytes).map(|_| ())
    });
    // Through the file reader, gzipped: header first, then only what it promises.
    fuzz("nifti.gz", plain.clone(), 600, |bytes| {
        read_file("case.nii.gz", &gzip(bytes))
    });
    fuzz("nifti.gz stream", gzip(&plain), 600, |bytes| {
        read_file("stream.nii.gz", bytes)
    });
}

#[test]
fn damaged_nrrd_files_are_read_or_refused() {
    let (voxels, geometry) = seed_volume();
    let mut raw =
        b"NRRD0004\ntype: short\ndimension: 4\nspace: left-posterior-superior\nsizes: 5 4 3 2\n\
space directions: (0.7,0,0) (0,0.7,0) (0,0,2.5) none\nkinds: domain domain domain list\n\
endian: little\nencoding: raw\nspace origin: (1,-2,3)\n\n"
            .to_vec();
    raw.extend(voxels.iter().flat_map(|&v| (v as i16).to_le_bytes()));
    fuzz("nrrd raw", raw, 4000, |bytes| {
        nrrd::parse(bytes).map(|_| ())
    });
    let gzipped = nrrd::encode(voxels.view(), &geometry, false);
    fuzz("nrrd gzip", gzipped, 2000, |bytes| {
        nrrd::parse(bytes).map(|_| ())
    });
}

#[test]
fn damaged_csv_tables_are_read_or_refused() {
    let seed = "id;aln;age;size_mm;grade;cohort\nP1;0;50,5;21;2;train\nP2;1;61;\"3;4\";3;valid\n\
P3;0;NA;18,25;1;train\nP4;1;44;30;2;\"valid\"\n"
        .as_bytes()
        .to_vec();
    let options = radnomo::data::CsvOptions {
        decimal_comma: true,
        ..Default::default()
    };
    let folder = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("fuzz");
    std::fs::create_dir_all(&folder).unwrap();
    let path = folder.join("table.csv");
    fuzz("csv", seed, 3000, |bytes| {
        std::fs::write(&path, bytes).unwrap();
        radnomo::data::read_csv_with(&path, &options)
            .map(|_| ())
            .map_err(|e| format!("{}: {}", e.location, e.message))
    });
}

/// Damages spread over the whole of a `len`-byte file (the strategy draws positions below 600).
fn spread(damages: &[Damage], len: usize) -> Vec<Damage> {
    let at = |position: &usize| position * len / 600;
    damages
        .iter()
        .map(|damage| match damage {
            Damage::Overwrite(p, b) => Damage::Overwrite(at(p), b.clone()),
            Damage::Cut(p) => Damage::Cut(at(p)),
            Damage::Insert(p, b) => Damage::Insert(at(p), b.clone()),
            Damage::Extreme(p, which) => Damage::Extreme(at(p), *which),
            Damage::Number(n, which) => Damage::Number(*n, *which),
        })
        .collect()
}

#[test]
fn damaged_dicom_series_are_read_or_refused() {
    // A two-slice series; the first slice file is damaged, anywhere in it.
    let voxels = ndarray::Array4::from_shape_fn((1, 2, 4, 5), |(_, k, j, i)| {
        (k * 20 + j * 5 + i) as f32 * 3.0
    });
    let geometry = Geometry::new([0.7, 0.7, 2.5], [1.0, -2.0, 3.0]);
    let folder = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("fuzz-dicom");
    let _ = std::fs::remove_dir_all(&folder);
    radnomo::imaging::dicom_export::write_series(&folder, voxels.view(), &geometry, "P1", 3)
        .unwrap();
    let first = folder.join("phase01_slice0001.dcm");
    let seed = std::fs::read(&first).unwrap();
    let len = seed.len();
    let strategy = prop::collection::vec(damage(), 1..4);
    let outcome = runner(1500).run(&strategy, |damages| {
        let bytes = apply(&seed, &spread(&damages, len));
        std::fs::write(&first, &bytes).unwrap();
        if let Err(error) = radnomo::imaging::dicom::read_series(&folder) {
            prop_assert!(!error.to_string().is_empty());
        }
        Ok(())
    });
    if let Err(failure) = outcome {
        panic!("dicom: {failure}");
    }
}

#[test]
fn damaged_scripts_are_parsed_or_refused_with_a_caret() {
    let seed = "# a study\nload table \"examples/data/demo.csv\" outcome=aln event=1 split=cohort\n\
univariate age + size_mm + factor(grade) + multifocal\nclinical = select forward age+grade, \\\n  lnmri \
criterion=p enter=5%\nsplit train=0.7 seed=9007199254740993\nlasso cv=10 lambda=1se alpha=0.5..0.9\n\
nomogram clinical; roc clinical rad cohort=validation\n"
        .as_bytes()
        .to_vec();
    fuzz("script", seed, 3000, |bytes| {
        let source = String::from_utf8_lossy(bytes);
        match radnomo::Session::check(&source) {
            Ok(_) => Ok(()),
            Err(error) => {
                // Rendering the caret never panics, whatever the span.
                let shown = error.render(&source, Some("fuzz.rad"));
                if shown.starts_with("error: ") {
                    Err(shown)
                } else {
                    Err(String::new())
                }
            }
        }
    });
}

/// Damages `seed` (anywhere in it) `cases` times, writing each copy to `path` and reading it with
/// `read`, which must give a result or a message.
fn fuzz_file(
    name: &str,
    seed: &[u8],
    path: &std::path::Path,
    cases: u32,
    read: impl Fn() -> Result<(), String>,
) {
    let strategy = prop::collection::vec(damage(), 1..4);
    let outcome = runner(cases).run(&strategy, |damages| {
        std::fs::write(path, apply(seed, &spread(&damages, seed.len()))).unwrap();
        if let Err(message) = read() {
            prop_assert!(!message.is_empty());
        }
        Ok(())
    });
    if let Err(failure) = outcome {
        panic!("{name}: {failure}");
    }
}

#[test]
fn damaged_rt_structure_sets_and_segmentations_are_read_or_refused() {
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let series = radnomo::imaging::dicom::read_series(&root.join("rtstruct/series")).unwrap();
    let shape = [10, 40, 48];
    let folder = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("fuzz-outlines");
    std::fs::create_dir_all(&folder).unwrap();
    let rtss = folder.join("rtss.dcm");
    let seed = std::fs::read(root.join("rtstruct/rtss.dcm")).unwrap();
    fuzz_file("rtstruct", &seed, &rtss, 800, || {
        radnomo::imaging::rtstruct::read_mask(
            &rtss,
            Some("Ellipse"),
            &series.geometry,
            shape,
            Some(&series.identity),
        )
        .map(|_| ())
        .map_err(|e| e.to_string())
    });
    for (file, threshold) in [("binary.dcm", None), ("fractional.dcm", Some(0.5))] {
        let seg = folder.join(file);
        let seed = std::fs::read(root.join("dicom-seg").join(file)).unwrap();
        fuzz_file(file, &seed, &seg, 600, || {
            radnomo::imaging::dicom_seg::read_mask(
                &seg,
                Some("1"),
                threshold,
                &series.geometry,
                shape,
                Some(&series.identity),
            )
            .map(|_| ())
            .map_err(|e| e.to_string())
        });
    }
}
