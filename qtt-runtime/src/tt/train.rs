//! The tensor train (MPS): construction, shape queries, element evaluation.

use super::Core;
use crate::error::{check_finite, Error, Result};
use rand::{Rng, SeedableRng};

/// A tensor train `x(i_1, ..., i_d) = G_1(i_1) G_2(i_2) ... G_d(i_d)` with
/// boundary ranks 1.
///
/// It remembers an orthogonality centre when one is known: cores left of
/// it are left-orthogonal, cores right of it right-orthogonal, so the norm
/// is the centre core's norm and rounding can skip the orthogonalisation.
#[derive(Debug, Clone, PartialEq)]
pub struct TensorTrain {
    pub(crate) cores: Vec<Core>,
    pub(crate) center: Option<usize>,
}

pub(crate) fn check_modes(modes: &[usize]) -> Result<()> {
    if modes.is_empty() {
        return Err(Error::shape("a tensor train needs at least one mode"));
    }
    if let Some(k) = modes.iter().position(|&n| n == 0) {
        return Err(Error::shape(format!("mode {k} has size 0, expected >= 1")));
    }
    check_cores_fit(modes, &vec![1; modes.len() - 1])
}

/// An error naming the size when cores of `modes` and interior `ranks`
/// (`r_0 = r_d = 1`) would not fit in the available memory.
fn check_cores_fit(modes: &[usize], ranks: &[usize]) -> Result<()> {
    let rank = |k: usize| -> u128 {
        if k == 0 || k == modes.len() {
            1
        } else {
            ranks[k - 1] as u128
        }
    };
    let entries = modes
        .iter()
        .enumerate()
        .map(|(k, &n)| {
            rank(k)
                .saturating_mul(n as u128)
                .saturating_mul(rank(k + 1))
        })
        .fold(0u128, u128::saturating_add);
    crate::memory::check_fits(
        &format!(
            "a tensor train of {} cores ({entries} entries)",
            modes.len()
        ),
        entries.saturating_mul(std::mem::size_of::<f64>() as u128),
    )
}

impl TensorTrain {
    /// A tensor train from cores whose ranks chain, with boundary ranks 1.
    pub fn new(cores: Vec<Core>) -> Result<Self> {
        if cores.is_empty() {
            return Err(Error::shape("a tensor train needs at least one core"));
        }
        if cores[0].r_left() != 1 {
            return Err(Error::shape(format!(
                "the first core has left rank {}, expected 1",
                cores[0].r_left()
            )));
        }
        let d = cores.len();
        if cores[d - 1].r_right() != 1 {
            return Err(Error::shape(format!(
                "the last core has right rank {}, expected 1",
                cores[d - 1].r_right()
            )));
        }
        for k in 1..d {
            if cores[k - 1].r_right() != cores[k].r_left() {
                return Err(Error::shape(format!(
                    "ranks do not chain: core {} has right rank {}, core {k} has left rank {}",
                    k - 1,
                    cores[k - 1].r_right(),
                    cores[k].r_left()
                )));
            }
        }
        for (k, c) in cores.iter().enumerate() {
            check_finite(&format!("core {k}"), c.data())?;
        }
        Ok(Self {
            cores,
            center: None,
        })
    }

    /// Internal constructor for kernels whose cores chain by construction.
    pub(crate) fn from_cores_unchecked(cores: Vec<Core>) -> Self {
        debug_assert!(cores.windows(2).all(|w| w[0].r_right() == w[1].r_left()));
        Self {
            cores,
            center: None,
        }
    }

    /// The zero tensor (rank 1) with the given mode sizes.
    pub fn zeros(modes: &[usize]) -> Result<Self> {
        check_modes(modes)?;
        Ok(Self::from_cores_unchecked(
            modes.iter().map(|&n| Core::zeros(1, n, 1)).collect(),
        ))
    }

    /// The all-ones tensor (rank 1).
    pub fn ones(modes: &[usize]) -> Result<Self> {
        check_modes(modes)?;
        Ok(Self::from_cores_unchecked(
            modes
                .iter()
                .map(|&n| Core::from_parts(1, n, 1, vec![1.0; n]))
                .collect(),
        ))
    }

    /// The rank-1 product `x(i) = f_1(i_1) f_2(i_2) ... f_d(i_d)`.
    pub fn product(factors: &[Vec<f64>]) -> Result<Self> {
        let modes: Vec<usize> = factors.iter().map(Vec::len).collect();
        check_modes(&modes)?;
        for (k, f) in factors.iter().enumerate() {
            check_finite(&format!("factor {k}"), f)?;
        }
        Ok(Self::from_cores_unchecked(
            factors
                .iter()
                .map(|f| Core::from_parts(1, f.len(), 1, f.clone()))
                .collect(),
        ))
    }

    /// The basis state `e_{i_1} x ... x e_{i_d}` (one at `index`, zero
    /// elsewhere), e.g. a Neel or computational-basis start state.
    pub fn basis_state(modes: &[usize], index: &[usize]) -> Result<Self> {
        if index.len() != modes.len() {
            return Err(Error::shape(format!(
                "basis index has {} entries, the modes are {modes:?}",
                index.len()
            )));
        }
        let factors = modes
            .iter()
            .zip(index)
            .enumerate()
            .map(|(k, (&n, &i))| {
                if i >= n {
                    return Err(Error::invalid(format!(
                        "basis index {i} at site {k} is out of range 0..{n}"
                    )));
                }
                let mut f = vec![0.0; n];
                f[i] = 1.0;
                Ok(f)
            })
            .collect::<Result<Vec<_>>>()?;
        Self::product(&factors)
    }

    /// A seeded random tensor train with entries uniform in (-1, 1) and the
    /// given interior ranks (`ranks.len() == modes.len() - 1`).
    pub fn random_with_ranks(modes: &[usize], ranks: &[usize], seed: u64) -> Result<Self> {
        check_modes(modes)?;
        if ranks.len() + 1 != modes.len() {
            return Err(Error::shape(format!(
                "{} modes need {} interior ranks, got {}",
                modes.len(),
                modes.len() - 1,
                ranks.len()
            )));
        }
        if let Some(k) = ranks.iter().position(|&r| r == 0) {
            return Err(Error::shape(format!("rank {} is 0, expected >= 1", k + 1)));
        }
        check_cores_fit(modes, ranks)?;
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        let mut full = vec![1];
        full.extend_from_slice(ranks);
        full.push(1);
        let cores = modes
            .iter()
            .enumerate()
            .map(|(k, &n)| {
                let len = full[k] * n * full[k + 1];
                let data = (0..len).map(|_| rng.random_range(-1.0..1.0)).collect();
                Core::from_parts(full[k], n, full[k + 1], data)
            })
            .collect();
        Ok(Self::from_cores_unchecked(cores))
    }

    /// A seeded random tensor train with every interior rank equal to `rank`.
    pub fn random(modes: &[usize], rank: usize, seed: u64) -> Result<Self> {
        let ranks = vec![rank; modes.len().saturating_sub(1)];
        Self::random_with_ranks(modes, &ranks, seed)
    }

    /// Number of cores `d`.
    pub fn len(&self) -> usize {
        self.cores.len()
    }
    /// Always false: a tensor train has at least one core.
    pub fn is_empty(&self) -> bool {
        self.cores.is_empty()
    }
    /// Mode sizes `n_1..n_d`.
    pub fn modes(&self) -> Vec<usize> {
        self.cores.iter().map(Core::n).collect()
    }
    /// Ranks `r_0 = 1, r_1, ..., r_d = 1` (length `d + 1`).
    pub fn ranks(&self) -> Vec<usize> {
        let mut r = vec![1];
        r.extend(self.cores.iter().map(Core::r_right));
        r
    }
    /// The largest rank.
    pub fn max_rank(&self) -> usize {
        self.cores.iter().map(Core::r_right).max().unwrap_or(1)
    }
    /// The cores.
    pub fn cores(&self) -> &[Core] {
        &self.cores
    }
    /// Core `k`.
    pub fn core(&self, k: usize) -> &Core {
        &self.cores[k]
    }
    /// Consumes the train into its cores.
    pub fn into_cores(self) -> Vec<Core> {
        self.cores
    }
    /// Replaces core `k`; its ranks must match the neighbours'.
    pub fn set_core(&mut self, k: usize, core: Core) -> Result<()> {
        let d = self.len();
        if k >= d {
            return Err(Error::invalid(format!(
                "core index {k} out of range for {d} cores"
            )));
        }
        let want_l = if k == 0 {
            1
        } else {
            self.cores[k - 1].r_right()
        };
        let want_r = if k + 1 == d {
            1
        } else {
            self.cores[k + 1].r_left()
        };
        if core.r_left() != want_l || core.r_right() != want_r {
            return Err(Error::shape(format!(
                "core {k} must have ranks ({want_l}, {want_r}), got ({}, {})",
                core.r_left(),
                core.r_right()
            )));
        }
        check_finite(&format!("core {k}"), core.data())?;
        self.cores[k] = core;
        self.center = None;
        Ok(())
    }
    /// Number of stored parameters (sum of core sizes).
    pub fn num_params(&self) -> usize {
        self.cores.iter().map(|c| c.data().len()).sum()
    }
    /// Number of entries of the dense tensor (may overflow `u128` only for
    /// absurd sizes, which saturate).
    pub fn dense_len(&self) -> u128 {
        self.cores
            .iter()
            .fold(1u128, |acc, c| acc.saturating_mul(c.n() as u128))
    }
    /// The orthogonality centre, when known.
    pub fn center(&self) -> Option<usize> {
        self.center
    }

    /// Checks a multi-index against the mode sizes.
    pub(crate) fn check_index(&self, idx: &[usize]) -> Result<()> {
        if idx.len() != self.len() {
            return Err(Error::shape(format!(
                "index has {} entries, the tensor has {} modes",
                idx.len(),
                self.len()
            )));
        }
        for (k, (&i, c)) in idx.iter().zip(&self.cores).enumerate() {
            if i >= c.n() {
                return Err(Error::invalid(format!(
                    "index {i} out of range for mode {k} of size {}",
                    c.n()
                )));
            }
        }
        Ok(())
    }

    /// The entry `x(i_1, ..., i_d)`: `O(d r^2)` work.
    pub fn eval(&self, idx: &[usize]) -> Result<f64> {
        self.check_index(idx)?;
        Ok(self.eval_unchecked(idx))
    }

    pub(crate) fn eval_unchecked(&self, idx: &[usize]) -> f64 {
        let mut v = vec![1.0];
        let mut next = Vec::new();
        for (c, &i) in self.cores.iter().zip(idx) {
            let (rl, n, rr) = c.shape();
            next.clear();
            next.resize(rr, 0.0);
            let data = c.data();
            for (b, out) in next.iter_mut().enumerate() {
                let col = &data[rl * (i + n * b)..rl * (i + n * b) + rl];
                *out = col.iter().zip(&v).map(|(g, x)| g * x).sum();
            }
            std::mem::swap(&mut v, &mut next);
        }
        v[0]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constructors_check_shapes() {
        let a = Core::zeros(1, 2, 3);
        let b = Core::zeros(2, 2, 1);
        assert!(TensorTrain::new(vec![a.clone(), b]).is_err());
        assert!(TensorTrain::new(vec![Core::zeros(2, 2, 1)]).is_err());
        assert!(TensorTrain::new(vec![a.clone()]).is_err());
        assert!(TensorTrain::new(vec![a, Core::zeros(3, 4, 1)]).is_ok());
        assert!(TensorTrain::zeros(&[]).is_err());
        assert!(TensorTrain::ones(&[2, 0]).is_err());
        assert!(TensorTrain::random_with_ranks(&[2, 2, 2], &[3], 1).is_err());
        let mut bad = Core::zeros(1, 2, 1);
        bad.data_mut()[0] = f64::NAN;
        assert!(TensorTrain::new(vec![bad]).is_err());
    }

    #[test]
    fn product_evaluates_to_product() {
        let x = TensorTrain::product(&[vec![1.0, 2.0], vec![3.0, 4.0, 5.0]]).unwrap();
        assert_eq!(x.eval(&[1, 2]).unwrap(), 10.0);
        assert!(x.eval(&[2, 0]).is_err());
        assert!(x.eval(&[0]).is_err());
        assert_eq!(x.ranks(), vec![1, 1, 1]);
    }

    #[test]
    fn basis_state_is_one_at_its_index_only() {
        let x = TensorTrain::basis_state(&[2, 3, 2], &[1, 2, 0]).unwrap();
        let dense = x.to_dense().unwrap();
        assert_eq!(dense.iter().sum::<f64>(), 1.0);
        assert_eq!(x.eval(&[1, 2, 0]).unwrap(), 1.0);
        assert_eq!(x.eval(&[1, 1, 0]).unwrap(), 0.0);
        assert!(TensorTrain::basis_state(&[2, 3], &[0, 3]).is_err());
        assert!(TensorTrain::basis_state(&[2, 3], &[0]).is_err());
        let neel = crate::solve::neel_state(4, 3).unwrap();
        assert_eq!(neel.eval(&[0, 2, 0, 2]).unwrap(), 1.0);
        assert!(crate::solve::neel_state(4, 1).is_err());
    }

    #[test]
    fn random_is_seeded() {
        let a = TensorTrain::random(&[2, 3, 4], 3, 7).unwrap();
        let b = TensorTrain::random(&[2, 3, 4], 3, 7).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.ranks(), vec![1, 3, 3, 1]);
        assert_eq!(a.num_params(), 6 + 27 + 12);
    }

    #[test]
    fn set_core_checks_ranks() {
        let mut a = TensorTrain::random(&[2, 3, 4], 3, 7).unwrap();
        assert!(a.set_core(1, Core::zeros(3, 5, 3)).is_ok());
        assert!(a.set_core(1, Core::zeros(2, 5, 3)).is_err());
        assert!(a.set_core(3, Core::zeros(1, 1, 1)).is_err());
        assert_eq!(a.modes(), vec![2, 5, 4]);
    }
}
