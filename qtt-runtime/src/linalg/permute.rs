//! Axis permutation of dense column-major tensors.

/// Permutes the axes of a column-major tensor with sizes `dims`: output axis
/// `k` is input axis `perm[k]`. `O(N)` work; used to bring contraction
/// indices together before a GEMM.
pub fn permute(data: &[f64], dims: &[usize], perm: &[usize]) -> Vec<f64> {
    let nd = dims.len();
    debug_assert_eq!(perm.len(), nd);
    debug_assert_eq!(data.len(), dims.iter().product::<usize>());
    let mut in_strides = vec![1usize; nd];
    for k in 1..nd {
        in_strides[k] = in_strides[k - 1] * dims[k - 1];
    }
    let out_dims: Vec<usize> = perm.iter().map(|&p| dims[p]).collect();
    let strides: Vec<usize> = perm.iter().map(|&p| in_strides[p]).collect();
    let mut out = Vec::with_capacity(data.len());
    if data.is_empty() {
        return out;
    }
    // Odometer over the output index; the innermost axis runs in a tight loop.
    let mut idx = vec![0usize; nd];
    let (n0, s0) = (out_dims[0], strides[0]);
    let mut base = 0usize;
    loop {
        out.extend((0..n0).map(|i| data[base + i * s0]));
        let mut k = 1;
        loop {
            if k == nd {
                return out;
            }
            idx[k] += 1;
            base += strides[k];
            if idx[k] < out_dims[k] {
                break;
            }
            base -= strides[k] * out_dims[k];
            idx[k] = 0;
            k += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permute_matches_index_formula() {
        let dims = [2, 3, 4];
        let data: Vec<f64> = (0..24).map(|v| v as f64).collect();
        let out = permute(&data, &dims, &[2, 0, 1]);
        for a in 0..2 {
            for b in 0..3 {
                for c in 0..4 {
                    assert_eq!(out[c + 4 * (a + 2 * b)], data[a + 2 * (b + 3 * c)]);
                }
            }
        }
        assert_eq!(permute(&data, &dims, &[0, 1, 2]), data);
        assert_eq!(permute(&[5.0], &[1], &[0]), vec![5.0]);
    }
}
