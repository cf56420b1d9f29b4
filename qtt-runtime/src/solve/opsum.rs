//! Operator sums to MPO: the finite-state construction, then exact compression.
//!
//! A term `c O_1[s_1] ... O_m[s_m]` (sites sorted) is a path through a
//! finite-state machine whose states at bond `b` are "nothing placed yet",
//! "term complete" and one state per distinct *prefix* (the operators placed
//! on sites `<= b` of a term that continues to the right). The coefficient is
//! placed on the last operator, so prefixes carry no coefficient and terms
//! share them: `sum_j J_ij Sz_i Sz_j` keeps one state for `Sz_i`. The MPO
//! core at site `k` holds the transitions between the states of bonds `k-1`
//! and `k`; a TT rounding with the exact policy then removes the remaining
//! linear dependencies (e.g. `Sx Sx + Sy Sy = (S+ S- + S- S+) / 2`).
//!
//! Complex operators: spin `Sy = (S+ - S-) / 2i` is imaginary. Every named
//! operator is stored as a complex combination of real matrices (`Sx`, `Sy`
//! as combinations of `S+`, `S-`), terms are expanded and merged, and the sum
//! is accepted only if every merged coefficient is real, so `Sy Sy` and
//! `i (Sx Sy - Sy Sx)` work while a genuinely complex operator is an error.

use super::local_space::LocalSpace;
use crate::error::{check_finite, Error, Result};
use crate::linalg::Truncation;
use crate::tt::{Core, TtMatrix};
use nalgebra::DMatrix;
use num_complex::Complex64;
use qtt_dsl::ir::opsum::OpSumIr;
use std::collections::{BTreeMap, HashMap};

/// A sum of products of local operators on a chain of identical sites.
#[derive(Debug, Clone)]
pub struct OpSum {
    sites: usize,
    space: LocalSpace,
    terms: Vec<(f64, Vec<(String, usize)>)>,
}

/// Interns local matrices so that equal operators share an id (and prefixes).
#[derive(Default)]
struct OpTable {
    mats: Vec<DMatrix<f64>>,
    index: HashMap<Vec<u64>, usize>,
}

impl OpTable {
    fn intern(&mut self, m: DMatrix<f64>) -> usize {
        // +0.0 and -0.0 must intern together.
        let key: Vec<u64> = m.iter().map(|v| (v + 0.0).to_bits()).collect();
        if let Some(&id) = self.index.get(&key) {
            return id;
        }
        self.mats.push(m);
        self.index.insert(key, self.mats.len() - 1);
        self.mats.len() - 1
    }
}

/// A merged term: sorted distinct sites with interned operator ids.
type Path = Vec<(usize, usize)>;

/// A partly expanded term: coefficient and `(site, matrix)` factors.
type Partial = (Complex64, Vec<(usize, DMatrix<f64>)>);

impl OpSum {
    /// An empty sum over `sites` sites of `space`.
    pub fn new(sites: usize, space: LocalSpace) -> Result<Self> {
        if sites == 0 {
            return Err(Error::invalid("an operator sum needs at least one site"));
        }
        Ok(Self {
            sites,
            space,
            terms: Vec::new(),
        })
    }

    /// The sum an IR describes (as emitted by `mpo!` or built from data).
    pub fn from_ir(ir: &OpSumIr) -> Result<Self> {
        let mut s = Self::new(ir.sites, LocalSpace::from_ir(&ir.space)?)?;
        for t in &ir.terms {
            let f: Vec<(&str, usize)> = t.factors.iter().map(|f| (f.op.as_str(), f.site)).collect();
            s.add(t.coef, &f)?;
        }
        Ok(s)
    }

    /// Adds `coef * op_1[site_1] * op_2[site_2] ...` (same-site factors
    /// multiply in the written order); checks names, sites and `coef`.
    pub fn add(&mut self, coef: f64, factors: &[(&str, usize)]) -> Result<&mut Self> {
        check_finite("term coefficient", &[coef])?;
        for &(op, site) in factors {
            self.space.expansion(op)?;
            if site >= self.sites {
                return Err(Error::invalid(format!(
                    "site {site} of operator {op} is out of range for {} sites",
                    self.sites
                )));
            }
        }
        self.terms.push((
            coef,
            factors.iter().map(|&(o, s)| (o.to_string(), s)).collect(),
        ));
        Ok(self)
    }

    /// Number of sites.
    pub fn sites(&self) -> usize {
        self.sites
    }

    /// Number of terms added.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// True when no term was added.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Expands every term into real matrices per site and merges equal paths.
    fn merged_paths(&self, table: &mut OpTable) -> Result<Vec<(Path, f64)>> {
        let n = self.space.dim();
        let mut merged: BTreeMap<Path, Complex64> = BTreeMap::new();
        let mut scale = 0.0f64;
        for (coef, factors) in &self.terms {
            // Stable sort by site keeps the written order of same-site factors.
            let mut fs: Vec<&(String, usize)> = factors.iter().collect();
            fs.sort_by_key(|f| f.1);
            // Cartesian product of the factors' expansions, one site at a time.
            let mut partial: Vec<Partial> = vec![(Complex64::new(*coef, 0.0), Vec::new())];
            for (op, site) in fs {
                let exp = self.space.expansion(op)?;
                let mut next = Vec::with_capacity(partial.len() * exp.len());
                for (c, path) in &partial {
                    for (ce, m) in exp {
                        let mut p = path.clone();
                        match p.last_mut() {
                            Some((s, prev)) if *s == *site => *prev = &*prev * m,
                            _ => p.push((*site, m.clone())),
                        }
                        next.push((c * ce, p));
                    }
                }
                partial = next;
            }
            for (c, path) in partial {
                if c.norm() == 0.0 || path.iter().any(|(_, m)| m.iter().all(|v| *v == 0.0)) {
                    continue;
                }
                scale = scale.max(c.norm());
                let mut key: Path = path
                    .into_iter()
                    .filter(|(_, m)| *m != DMatrix::identity(n, n))
                    .map(|(s, m)| (s, table.intern(m)))
                    .collect();
                if key.is_empty() {
                    // A multiple of the identity: carried by site 0.
                    key.push((0, table.intern(DMatrix::identity(n, n))));
                }
                *merged.entry(key).or_default() += c;
            }
        }
        let tol = 1e-13 * scale.max(f64::MIN_POSITIVE);
        let mut out = Vec::with_capacity(merged.len());
        for (path, c) in merged {
            if c.im.abs() > tol {
                let desc: Vec<String> = path.iter().map(|(s, _)| format!("site {s}")).collect();
                return Err(Error::invalid(format!(
                    "the operator is not real: the product on {} has coefficient {} + {}i after \
                     expanding Sx, Sy into S+, S-; qtt MPOs are real (an odd number of Sy \
                     factors in a term makes it imaginary)",
                    desc.join(", "),
                    c.re,
                    c.im
                )));
            }
            if c.re.abs() > tol {
                out.push((path, c.re));
            }
        }
        Ok(out)
    }

    /// The MPO of the sum before compression (finite-state construction).
    pub fn to_mpo_uncompressed(&self) -> Result<TtMatrix> {
        if self.terms.is_empty() {
            return Err(Error::invalid(
                "the operator sum is empty; add at least one term",
            ));
        }
        let (d, n) = (self.sites, self.space.dim());
        let mut table = OpTable::default();
        let id = table.intern(DMatrix::identity(n, n));
        let paths = self.merged_paths(&mut table)?;
        // States per bond b (between sites b and b+1), b = 0..d-1; bond d-1 is
        // the right boundary. 0 = nothing placed, 1 = complete.
        const READY: usize = 0;
        const DONE: usize = 1;
        let mut states: Vec<HashMap<Path, usize>> = vec![HashMap::new(); d];
        let mut count = vec![2usize; d];
        // transitions[k]: (left state, right state, op id, coefficient).
        let mut trans: Vec<Vec<(usize, usize, usize, f64)>> = vec![Vec::new(); d];
        for (k, t) in trans.iter_mut().enumerate() {
            t.push((READY, READY, id, 1.0));
            if k > 0 {
                t.push((DONE, DONE, id, 1.0));
            }
        }
        for (path, coef) in &paths {
            let first = path[0].0;
            let last = path[path.len() - 1].0;
            let mut prev = READY;
            let mut placed = 0;
            for k in first..=last {
                let op = if placed < path.len() && path[placed].0 == k {
                    placed += 1;
                    path[placed - 1].1
                } else {
                    id
                };
                if k == last {
                    trans[k].push((prev, DONE, op, *coef));
                    break;
                }
                let key: Path = path[..placed].to_vec();
                // The prefix at bond k also records how far it has come (k),
                // since states are per bond.
                let next = match states[k].get(&key) {
                    Some(&s) => s,
                    None => {
                        let s = count[k];
                        count[k] += 1;
                        states[k].insert(key, s);
                        trans[k].push((prev, s, op, 1.0));
                        s
                    }
                };
                prev = next;
            }
        }
        let mut cores = Vec::with_capacity(d);
        for k in 0..d {
            let rl = if k == 0 { 1 } else { count[k - 1] };
            let rr = if k == d - 1 { 1 } else { count[k] };
            let mut core = Core::zeros(rl, n * n, rr);
            for &(a, b, op, c) in &trans[k] {
                // The boundaries keep only "nothing placed" on the left and
                // "complete" on the right.
                let a = if k == 0 {
                    if a != READY {
                        continue;
                    }
                    0
                } else {
                    a
                };
                let b = if k == d - 1 {
                    if b != DONE {
                        continue;
                    }
                    0
                } else {
                    b
                };
                let m = &table.mats[op];
                for j in 0..n {
                    for i in 0..n {
                        *core.get_mut(a, i + n * j, b) += c * m[(i, j)];
                    }
                }
            }
            cores.push(core);
        }
        let modes = vec![n; d];
        TtMatrix::new(cores, &modes, &modes)
    }

    /// The MPO of the sum with minimal ranks (finite-state construction and
    /// exact TT compression).
    pub fn to_mpo(&self) -> Result<TtMatrix> {
        let raw = self.to_mpo_uncompressed()?;
        if raw.len() == 1 {
            return Ok(raw);
        }
        raw.round(&Truncation::exact())
    }
}

/// A site index or count from `mpo!` (any integer type); a negative value
/// becomes `usize::MAX`, which the assembly reports as out of range.
#[doc(hidden)]
pub fn macro_site<T: TryInto<usize>>(v: T) -> usize {
    v.try_into().unwrap_or(usize::MAX)
}

/// A coefficient from `mpo!` (any type convertible to `f64`).
#[doc(hidden)]
pub fn macro_coef<T: Into<f64>>(v: T) -> f64 {
    v.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heisenberg(d: usize, periodic: bool, twice_s: u32) -> OpSum {
        let mut h = OpSum::new(d, LocalSpace::spin(twice_s).unwrap()).unwrap();
        let bonds = if periodic { d } else { d - 1 };
        for i in 0..bonds {
            let j = (i + 1) % d;
            for op in ["Sx", "Sy", "Sz"] {
                h.add(1.0, &[(op, i), (op, j)]).unwrap();
            }
        }
        h
    }

    /// Dense `sum_t c_t prod_f O_f` by Kronecker products (site 0 fastest).
    fn dense_of(h: &OpSum) -> DMatrix<f64> {
        let n = h.space.dim();
        let d = h.sites;
        let dim = n.pow(d as u32);
        let mut out = DMatrix::<f64>::zeros(dim, dim);
        for (coef, factors) in &h.terms {
            // Complex-free here: tests use real operators plus Sy pairs, so
            // build with complex matrices.
            let mut locals: Vec<nalgebra::DMatrix<Complex64>> =
                vec![nalgebra::DMatrix::identity(n, n); d];
            for (op, s) in factors {
                let mut m = nalgebra::DMatrix::<Complex64>::zeros(n, n);
                for (c, part) in h.space.expansion(op).unwrap() {
                    m += part.map(|v| Complex64::new(v, 0.0)) * *c;
                }
                locals[*s] = &locals[*s] * m;
            }
            // Kronecker with site 0 fastest: kron(M_{d-1}, ..., M_0).
            let mut full = nalgebra::DMatrix::<Complex64>::identity(1, 1);
            for m in locals.iter() {
                full = m.kronecker(&full);
            }
            for (o, f) in out.iter_mut().zip(full.iter()) {
                *o += coef * f.re;
            }
        }
        out
    }

    #[test]
    fn heisenberg_mpo_matches_dense_and_has_minimal_rank() {
        for &(d, periodic, ts) in &[(5, false, 2), (5, true, 2), (6, true, 1), (4, false, 1)] {
            let h = heisenberg(d, periodic, ts);
            let mpo = h.to_mpo().unwrap();
            let err = (mpo.to_dense().unwrap() - dense_of(&h)).norm();
            assert!(err < 1e-11, "d={d} periodic={periodic}: {err}");
            let want = if periodic { 8 } else { 5 };
            assert_eq!(mpo.max_rank(), want, "d={d} periodic={periodic}");
        }
    }

    #[test]
    fn long_range_same_site_and_constant_terms() {
        let mut h = OpSum::new(4, LocalSpace::spin(1).unwrap()).unwrap();
        h.add(0.7, &[("Sz", 0), ("Sz", 3)]).unwrap();
        h.add(-1.3, &[("Sp", 2), ("Sm", 2), ("Sx", 1)]).unwrap();
        h.add(2.0, &[]).unwrap();
        h.add(0.5, &[("Sy", 1), ("Sy", 3)]).unwrap();
        h.add(0.25, &[("Sx", 1), ("Sy", 1)]).unwrap();
        h.add(-0.25, &[("Sy", 1), ("Sx", 1)]).unwrap();
        // 0.25 (Sx Sy - Sy Sx) = 0.25 i Sz is imaginary: rejected...
        assert!(h.to_mpo().is_err());
        let mut h = OpSum::new(4, LocalSpace::spin(1).unwrap()).unwrap();
        h.add(0.7, &[("Sz", 0), ("Sz", 3)]).unwrap();
        h.add(-1.3, &[("Sp", 2), ("Sm", 2), ("Sx", 1)]).unwrap();
        h.add(2.0, &[]).unwrap();
        h.add(0.5, &[("Sy", 1), ("Sy", 3)]).unwrap();
        let mpo = h.to_mpo().unwrap();
        assert!((mpo.to_dense().unwrap() - dense_of(&h)).norm() < 1e-12);
    }

    #[test]
    fn custom_space_and_errors() {
        let x = DMatrix::from_row_slice(2, 2, &[0.0, 1.0, 1.0, 0.0]);
        let z = DMatrix::from_row_slice(2, 2, &[1.0, 0.0, 0.0, -1.0]);
        let space = LocalSpace::custom(2, vec![("X".into(), x), ("Z".into(), z)]).unwrap();
        let mut h = OpSum::new(3, space).unwrap();
        for i in 0..2 {
            h.add(-1.0, &[("Z", i), ("Z", i + 1)]).unwrap();
        }
        for i in 0..3 {
            h.add(-0.5, &[("X", i)]).unwrap();
        }
        let mpo = h.to_mpo().unwrap();
        assert!((mpo.to_dense().unwrap() - dense_of(&h)).norm() < 1e-12);
        assert_eq!(mpo.max_rank(), 3);
        assert!(h.add(1.0, &[("Y", 0)]).is_err());
        assert!(h.add(1.0, &[("X", 3)]).is_err());
        assert!(h.add(f64::NAN, &[("X", 0)]).is_err());
        assert!(OpSum::new(3, LocalSpace::spin(1).unwrap())
            .unwrap()
            .to_mpo()
            .is_err());
        assert!(OpSum::new(0, LocalSpace::spin(1).unwrap()).is_err());
        assert!(LocalSpace::custom(2, vec![("A".into(), DMatrix::zeros(3, 3))]).is_err());
    }
}
