//! Linear maps along the income axis of a quantized `(z, a)` field.
//!
//! The QTT fields of the income-diffusion household are trains over the
//! `Lz` income bits followed by the `La` wealth bits (both most significant
//! first, point `w = 2^La k + i`, the oracle's order) and a last mode. The
//! income axis is short (`2^Lz <= 2^10` points), so any map along it (the
//! income chain's jumps, restriction and prolongation between income grids,
//! parity masks) is applied exactly: the `Lz` leading cores are contracted
//! into a `2^Lz x r` matrix (`r` the bond between income and wealth), the
//! `2^Lz' x 2^Lz` map multiplies it, and the result is split back into
//! `Lz'` bits by TT-SVD. Cost `O(4^Lz r)`, no truncation beyond rounding.

use crate::error::{Error, Result};
use crate::linalg::Truncation;
use crate::tt::{Core, TensorTrain};
use nalgebra::DMatrix;

/// The `2^lz x r` matrix of the leading `lz` cores of `t` (row `k`, the
/// income index with its most significant bit in core 0).
fn head(t: &TensorTrain, lz: usize) -> DMatrix<f64> {
    let mut h = DMatrix::from_element(1, 1, 1.0);
    for core in &t.cores()[..lz] {
        let (rl, n, rr) = core.shape();
        let mut next = DMatrix::zeros(h.nrows() * n, rr);
        for k in 0..h.nrows() {
            for bit in 0..n {
                for b in 0..rr {
                    next[(k * n + bit, b)] = (0..rl).map(|a| h[(k, a)] * core.get(a, bit, b)).sum();
                }
            }
        }
        h = next;
    }
    h
}

/// `m` applied along the income axis of `t` (`lz` income bits in, as many
/// out as `m` has rows, a power of two), rounded by `trunc`.
pub(crate) fn apply(
    t: &TensorTrain,
    lz: usize,
    m: &DMatrix<f64>,
    trunc: &Truncation,
) -> Result<TensorTrain> {
    if m.ncols() != 1 << lz || !m.nrows().is_power_of_two() || t.len() <= lz {
        return Err(Error::shape(format!(
            "an income map of {} x {} on a train with {} cores and {lz} income bits",
            m.nrows(),
            m.ncols(),
            t.len()
        )));
    }
    let lz_out = m.nrows().trailing_zeros() as usize;
    let h = m * head(t, lz);
    let r = h.ncols();
    let rest = &t.cores()[lz..];
    // The new income cores by TT-SVD of `h` as a tensor [2; lz_out] x [r]
    // (column-major, most significant bit first: index reverse(k) + 2^lz_out b).
    let nz = h.nrows();
    let mut cores: Vec<Core> = if lz_out == 0 {
        Vec::new()
    } else {
        let mut data = vec![0.0; nz * r];
        for k in 0..nz {
            let rk = k.reverse_bits() >> (usize::BITS as usize - lz_out);
            for b in 0..r {
                data[rk + nz * b] = h[(k, b)];
            }
        }
        let mut modes = vec![2; lz_out];
        modes.push(r);
        TensorTrain::from_dense(&data, &modes, &Truncation::exact())?.into_cores()
    };
    // The last of them (mode r) is absorbed into the first wealth core.
    let glue: DMatrix<f64> = match cores.pop() {
        None => h.clone(),
        Some(last) => {
            let (rl, n, _) = last.shape();
            DMatrix::from_fn(rl, n, |a, b| last.get(a, b, 0))
        }
    };
    let first = &rest[0];
    let (rl, n, rr) = first.shape();
    let mut merged = Core::zeros(glue.nrows(), n, rr);
    for a in 0..glue.nrows() {
        for i in 0..n {
            for c in 0..rr {
                *merged.get_mut(a, i, c) = (0..rl).map(|b| glue[(a, b)] * first.get(b, i, c)).sum();
            }
        }
    }
    cores.push(merged);
    cores.extend(rest[1..].iter().cloned());
    TensorTrain::new(cores)?.round(trunc)
}

/// Averages of neighbouring pairs: `2^(lz-1) x 2^lz`.
pub(crate) fn restriction(lz: usize) -> DMatrix<f64> {
    let nz = 1usize << lz;
    DMatrix::from_fn(nz / 2, nz, |m, k| if k / 2 == m { 0.5 } else { 0.0 })
}

/// Linear interpolation from the centres of pairs (`2^(lz-1)` coarse
/// points) to the fine points, constant beyond the outer centres:
/// `2^lz x 2^(lz-1)`.
pub(crate) fn prolongation(lz: usize) -> DMatrix<f64> {
    let (nz, nc) = (1usize << lz, 1usize << (lz - 1));
    let mut p = DMatrix::zeros(nz, nc);
    for k in 0..nz {
        let m = k / 2;
        // The other coarse neighbour: below for even k, above for odd k.
        let other = if k % 2 == 0 {
            m.checked_sub(1)
        } else {
            Some(m + 1).filter(|&o| o < nc)
        };
        match other {
            Some(o) => {
                p[(k, m)] = 0.75;
                p[(k, o)] = 0.25;
            }
            None => p[(k, m)] = 1.0,
        }
    }
    p
}

/// Full weighting, the transpose of [`prolongation`] over 2 (rows sum
/// to 1): `2^(lz-1) x 2^lz`.
pub(crate) fn full_weighting(lz: usize) -> DMatrix<f64> {
    prolongation(lz).transpose() / 2.0
}

/// The points of parity `parity` picked out: `2^(lz-1) x 2^lz`, row `m`
/// takes point `2 m + parity` (its transpose puts them back).
pub(crate) fn parity_rows(lz: usize, parity: usize) -> DMatrix<f64> {
    let nz = 1usize << lz;
    DMatrix::from_fn(
        nz / 2,
        nz,
        |m, k| if k == 2 * m + parity { 1.0 } else { 0.0 },
    )
}

/// The points of one parity (the least significant income bit) kept.
pub(crate) fn parity_mask(lz: usize, parity: usize) -> DMatrix<f64> {
    let nz = 1usize << lz;
    DMatrix::from_fn(
        nz,
        nz,
        |a, b| if a == b && a % 2 == parity { 1.0 } else { 0.0 },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dense(t: &TensorTrain) -> Vec<f64> {
        let bits = t.len() - 1;
        let k = t.modes()[bits];
        let ws: Vec<u64> = (0..1u64 << bits).collect();
        let v = t.eval_fibers(&ws).unwrap();
        assert_eq!(v.len(), ws.len() * k);
        v
    }

    #[test]
    fn maps_act_on_the_income_index_only() {
        // lz = 3 income bits, 4 wealth bits, a last mode of 2.
        let (lz, la) = (3usize, 4usize);
        let mut modes = vec![2; lz + la];
        modes.push(2);
        let t = TensorTrain::random(&modes, 3, 7).unwrap();
        let before = dense(&t);
        let m = DMatrix::from_fn(4, 8, |a, b| (a * 8 + b) as f64 * 0.1 - 1.0);
        let out = apply(&t, lz, &m, &Truncation::exact()).unwrap();
        assert_eq!(out.len(), 2 + la + 1);
        let after = dense(&out);
        let na = 1usize << la;
        for k2 in 0..4 {
            for i in 0..na {
                for c in 0..2 {
                    let want: f64 = (0..8)
                        .map(|k| m[(k2, k)] * before[(k * na + i) * 2 + c])
                        .sum();
                    let got = after[(k2 * na + i) * 2 + c];
                    assert!((got - want).abs() < 1e-12, "{k2} {i} {c}: {got} vs {want}");
                }
            }
        }
        // Down to a single income point and back.
        let row = DMatrix::from_element(1, 8, 0.125);
        let mean = apply(&t, lz, &row, &Truncation::exact()).unwrap();
        assert_eq!(mean.len(), la + 1);
        let back = apply(
            &mean,
            0,
            &DMatrix::from_element(8, 1, 1.0),
            &Truncation::exact(),
        )
        .unwrap();
        let (mv, bv) = (dense(&mean), dense(&back));
        for k in 0..8 {
            for q in 0..na * 2 {
                assert!((bv[k * na * 2 + q] - mv[q]).abs() < 1e-12);
            }
        }
        // Interpolation keeps constants and linear functions inside;
        // full weighting keeps constants.
        let p = prolongation(3);
        let ones = p.clone() * DMatrix::from_element(4, 1, 1.0);
        assert!(ones.iter().all(|v| (v - 1.0).abs() < 1e-15));
        let lin = p * DMatrix::from_fn(4, 1, |m, _| 2.0 * m as f64 + 0.5);
        for k in 1..7 {
            assert!((lin[k] - k as f64).abs() < 1e-12, "{k}: {}", lin[k]);
        }
        let rw = full_weighting(3) * DMatrix::from_element(8, 1, 1.0);
        assert!(rw.iter().all(|v| (v - 1.0).abs() < 1e-15));
    }
}
