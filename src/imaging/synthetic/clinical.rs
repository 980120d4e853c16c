//! The synthetic cohort's clinical side: who is in which cohort with which outcome, and the
//! clinical factors drawn conditional on both, with the proportions of the study's Table 1.
//!
//! Cohort and outcome come in blocks of 432 patients: each block is a seeded permutation of exactly
//! 106 + 190 training and 54 + 82 validation places (positive + negative), so the default cohort
//! (n = 432) has the study's counts exactly, and a patient's labels depend only on the seed and its
//! index — patient 17 is the same for n = 50 and n = 10 000.
//!
//! # References
//! Table 1 of the reproduced study (432 patients; README): means ± sd and counts by cohort and
//! ALN status.

use crate::rng::Rng;

/// Patients per block, and the places in a block: (training?, ALN-positive?, count).
pub const BLOCK: usize = 432;
const PLACES: [(bool, bool, usize); 4] = [
    (true, true, 106),
    (true, false, 190),
    (false, true, 54),
    (false, false, 82),
];

/// One Table 1 column: the distribution of each factor in one cohort × outcome group.
struct Group {
    age: (f64, f64),
    size_mm: (f64, f64),
    /// Counts of grade I, II, III.
    grade: [f64; 3],
    /// (yes, no) counts of multifocal, MRI-reported node status, ER, PR, HER2, Ki-67.
    binary: [(f64, f64); 6],
}

const TRAIN_POSITIVE: Group = Group {
    age: (53.94, 9.66),
    size_mm: (20.37, 4.87),
    grade: [13.0, 64.0, 29.0],
    binary: [
        (53.0, 53.0),
        (74.0, 32.0),
        (84.0, 22.0),
        (72.0, 34.0),
        (30.0, 76.0),
        (75.0, 31.0),
    ],
};
const TRAIN_NEGATIVE: Group = Group {
    age: (53.84, 10.07),
    size_mm: (19.95, 4.67),
    grade: [56.0, 108.0, 26.0],
    binary: [
        (54.0, 136.0),
        (81.0, 109.0),
        (128.0, 62.0),
        (130.0, 60.0),
        (64.0, 126.0),
        (136.0, 54.0),
    ],
};
const VALID_POSITIVE: Group = Group {
    age: (52.35, 11.14),
    size_mm: (20.44, 5.88),
    grade: [3.0, 32.0, 19.0],
    binary: [
        (29.0, 25.0),
        (34.0, 20.0),
        (39.0, 15.0),
        (34.0, 20.0),
        (12.0, 42.0),
        (41.0, 13.0),
    ],
};
const VALID_NEGATIVE: Group = Group {
    age: (53.20, 9.17),
    size_mm: (19.14, 4.72),
    grade: [20.0, 53.0, 9.0],
    binary: [
        (19.0, 63.0),
        (32.0, 50.0),
        (57.0, 25.0),
        (51.0, 31.0),
        (19.0, 63.0),
        (54.0, 28.0),
    ],
};

/// The binary factors' column names and their (yes, no) labels, in `Group::binary` order.
pub const BINARY_FACTORS: [(&str, &str, &str); 6] = [
    ("multifocal", "yes", "no"),
    ("lnmri", "yes", "no"),
    ("er", "pos", "neg"),
    ("pr", "pos", "neg"),
    ("her2", "pos", "neg"),
    ("ki67", "pos", "neg"),
];

/// A synthetic patient's clinical record.
#[derive(Debug, Clone, PartialEq)]
pub struct ClinicalRecord {
    pub training: bool,
    pub aln: bool,
    pub age: f64,
    pub size_mm: f64,
    pub grade: u8,
    /// In [`BINARY_FACTORS`] order: true is the first label (yes / pos).
    pub binary: [bool; 6],
}

/// The (training, positive) place of patient `index` (0-based).
pub fn labels(seed: u64, index: usize) -> (bool, bool) {
    let block = (index / BLOCK) as u64;
    let mut places: Vec<(bool, bool)> = PLACES
        .iter()
        .flat_map(|&(training, positive, count)| std::iter::repeat_n((training, positive), count))
        .collect();
    Rng::for_item(seed ^ 0x0B10_C0C0, block).shuffle(&mut places);
    places[index % BLOCK]
}

/// Draws patient `index`'s clinical factors from its own stream.
pub fn draw(seed: u64, index: usize) -> ClinicalRecord {
    let (training, aln) = labels(seed, index);
    let group = match (training, aln) {
        (true, true) => &TRAIN_POSITIVE,
        (true, false) => &TRAIN_NEGATIVE,
        (false, true) => &VALID_POSITIVE,
        (false, false) => &VALID_NEGATIVE,
    };
    let mut rng = Rng::for_item(seed ^ 0xC11_41CA1, index as u64);
    let age = (group.age.0 + group.age.1 * rng.normal())
        .clamp(25.0, 90.0)
        .round();
    let size_mm =
        ((group.size_mm.0 + group.size_mm.1 * rng.normal()).clamp(6.0, 50.0) * 10.0).round() / 10.0;
    let total: f64 = group.grade.iter().sum();
    let u = rng.uniform() * total;
    let grade = if u < group.grade[0] {
        1
    } else if u < group.grade[0] + group.grade[1] {
        2
    } else {
        3
    };
    let mut binary = [false; 6];
    for (value, (yes, no)) in binary.iter_mut().zip(group.binary) {
        *value = rng.uniform() < yes / (yes + no);
    }
    ClinicalRecord {
        training,
        aln,
        age,
        size_mm,
        grade,
        binary,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_cohort_has_the_study_counts_exactly() {
        let mut counts = [[0; 2]; 2];
        for index in 0..BLOCK {
            let (training, positive) = labels(2021, index);
            counts[usize::from(training)][usize::from(positive)] += 1;
        }
        assert_eq!(counts, [[82, 54], [190, 106]]);
    }

    #[test]
    fn factors_follow_table_1_in_expectation() {
        // 20 blocks: the training positives' grade III share should be near 29/106.
        let (mut grade3, mut n) = (0, 0);
        for index in 0..20 * BLOCK {
            let record = draw(5, index);
            if record.training && record.aln {
                n += 1;
                grade3 += usize::from(record.grade == 3);
            }
        }
        assert_eq!(n, 20 * 106);
        let share = grade3 as f64 / n as f64;
        assert!((share - 29.0 / 106.0).abs() < 0.03, "{share}");
    }
}
