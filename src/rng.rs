//! The one random number generator every seeded step uses (splits, CV folds, bootstrap,
//! simulation): xoshiro256** seeded through SplitMix64. Pure integer arithmetic, so a seed gives
//! the same stream on every machine, compiler and thread count.
//!
//! # References
//! Blackman & Vigna, "Scrambled linear pseudorandom number generators", ACM TOMS 47 (2021);
//! Steele, Lea & Flood, "Fast splittable pseudorandom number generators" (SplitMix64), OOPSLA 2014;
//! Lemire, "Fast random integer generation in an interval", ACM TOMACS 29 (2019).

/// xoshiro256**.
#[derive(Debug, Clone)]
pub struct Rng {
    state: [u64; 4],
}

impl Rng {
    /// A generator whose state is four SplitMix64 outputs from `seed`.
    pub fn seed_from(seed: u64) -> Rng {
        let mut s = seed;
        let mut next = || {
            s = s.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = s;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        Rng {
            state: [next(), next(), next(), next()],
        }
    }

    /// A generator for item `index` of a seeded family (patient 17 of cohort seed 2021), independent
    /// of how many items there are or in which order they are made.
    pub fn for_item(seed: u64, index: u64) -> Rng {
        Rng::seed_from(seed ^ index.wrapping_mul(0xD1B5_4A32_D192_ED03).rotate_left(17))
    }

    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.state;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform on [0, 1) with 53 random bits.
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// A bootstrap sample of `0..n`: n indices drawn with replacement, in draw order.
    pub fn bootstrap_sample(&mut self, n: usize) -> Vec<usize> {
        (0..n).map(|_| self.below(n as u64) as usize).collect()
    }

    /// Uniform integer in `0..n` without modulo bias (Lemire's multiply-and-reject).
    pub fn below(&mut self, n: u64) -> u64 {
        assert!(n > 0, "below(0)");
        let mut product = u128::from(self.next_u64()) * u128::from(n);
        let mut low = product as u64;
        if low < n {
            let threshold = n.wrapping_neg() % n;
            while low < threshold {
                product = u128::from(self.next_u64()) * u128::from(n);
                low = product as u64;
            }
        }
        (product >> 64) as u64
    }

    /// A standard normal deviate (Box–Muller, cosine branch), computed with [`crate::portable`]
    /// so the same seed gives the same bits on every machine.
    pub fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.uniform();
        let u2 = self.uniform();
        let radius = (-2.0 * crate::portable::ln(u1)).sqrt();
        radius * crate::portable::sin_cos(std::f64::consts::TAU * u2).1
    }

    /// Fisher–Yates shuffle.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            items.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stream_is_fixed_for_a_seed() {
        // Pinned values: a change here changes every seeded result radnomo has ever printed.
        let mut rng = Rng::seed_from(2021);
        let first: Vec<u64> = (0..3).map(|_| rng.next_u64()).collect();
        let mut again = Rng::seed_from(2021);
        assert_eq!(first, (0..3).map(|_| again.next_u64()).collect::<Vec<_>>());
        assert_eq!(first, PINNED);
    }

    const PINNED: [u64; 3] = [
        17732381211534138305,
        6363412185759774900,
        9318976926791017442,
    ];

    #[test]
    fn xoshiro_matches_the_reference_vectors() {
        // Outputs of the authors' xoshiro256starstar.c from the state {1, 2, 3, 4}.
        let mut rng = Rng {
            state: [1, 2, 3, 4],
        };
        let outputs: Vec<u64> = (0..4).map(|_| rng.next_u64()).collect();
        assert_eq!(outputs, [11520, 0, 1509978240, 1215971899390074240]);
    }

    #[test]
    fn below_stays_below_and_covers_the_range() {
        let mut rng = Rng::seed_from(1);
        let mut seen = [0u32; 7];
        for _ in 0..7000 {
            seen[rng.below(7) as usize] += 1;
        }
        assert!(
            seen.iter().all(|&count| (850..1150).contains(&count)),
            "{seen:?}"
        );
        let u = rng.uniform();
        assert!((0.0..1.0).contains(&u));
    }
}
