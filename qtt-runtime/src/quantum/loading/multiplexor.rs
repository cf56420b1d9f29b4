//! Uniformly controlled RY rotations (multiplexors): a different angle for each
//! value of the control register, built from `2^k` RY and `2^k` CNOT gates
//! (Mottonen et al. 2004), the building block of state preparation and payoffs.

use crate::quantum::circuits::circuit::Circuit;
use crate::{Error, Result};

/// Appends to `c` the rotation `RY(angles[j])` on `target` for control value `j`
/// (bit `b` of `j` is `controls[b]`). `angles.len()` must be `2^controls.len()`.
pub fn uniformly_controlled_ry(
    c: &mut Circuit,
    controls: &[usize],
    target: usize,
    angles: &[f64],
) -> Result<()> {
    let k = controls.len();
    if angles.len() != 1usize << k {
        return Err(Error::shape(format!(
            "a multiplexor with {k} controls needs {} angles, got {}",
            1usize << k,
            angles.len()
        )));
    }
    crate::error::check_finite("angles", angles)?;
    if k == 0 {
        if angles[0] != 0.0 {
            c.ry(angles[0], target)?;
        }
        return Ok(());
    }
    let gray = |i: usize| i ^ (i >> 1);
    let dim = angles.len();
    // theta_i = 2^-k sum_j (-1)^{popcount(j & gray(i))} alpha_j: after the CNOTs
    // fired before step i, the target's Y rotations are sign-flipped by that parity.
    let thetas: Vec<f64> = (0..dim)
        .map(|i| {
            let g = gray(i);
            angles
                .iter()
                .enumerate()
                .map(|(j, a)| {
                    if (j & g).count_ones() % 2 == 0 {
                        *a
                    } else {
                        -*a
                    }
                })
                .sum::<f64>()
                / dim as f64
        })
        .collect();
    for (i, &t) in thetas.iter().enumerate() {
        c.ry(t, target)?;
        let changed = gray(i) ^ gray((i + 1) % dim);
        c.cx(controls[changed.trailing_zeros() as usize], target)?;
    }
    Ok(())
}
