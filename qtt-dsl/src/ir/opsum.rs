//! The operator-sum language: `sum_t c_t O_t1[s_t1] O_t2[s_t2] ...` over a
//! chain of identical local spaces, as written in `mpo!` or built from data.
//!
//! The operator names a local space knows are listed here once, so the
//! compile-time check of `mpo!` and the runtime assembly agree on them.

/// The local (one-site) Hilbert space of every site of the chain.
#[derive(Debug, Clone, PartialEq)]
pub enum SpaceIr {
    /// Spin `s = twice_s / 2`: dimension `twice_s + 1`, basis `m = s, s-1, ..., -s`.
    Spin {
        /// Twice the spin (1 for spin-1/2, 2 for spin-1).
        twice_s: u32,
    },
}

/// The operators every spin space knows: identity, the Cartesian components
/// and the ladder operators `S+ = Sx + i Sy`, `S- = Sx - i Sy`.
pub const SPIN_OPERATORS: &[&str] = &["Id", "Sx", "Sy", "Sz", "Sp", "Sm"];

impl SpaceIr {
    /// The dimension of the local space.
    pub fn dim(&self) -> usize {
        match self {
            SpaceIr::Spin { twice_s } => *twice_s as usize + 1,
        }
    }

    /// The operator names this space knows.
    pub fn operator_names(&self) -> &'static [&'static str] {
        match self {
            SpaceIr::Spin { .. } => SPIN_OPERATORS,
        }
    }

    /// The smallest power of operator `name` that vanishes identically on
    /// this space (`S+^(2s+1) = 0`), if any: a product with that many
    /// copies on one site is always zero, which a user never means.
    pub fn nilpotency(&self, name: &str) -> Option<u32> {
        match (self, name) {
            (SpaceIr::Spin { twice_s }, "Sp" | "Sm") => Some(twice_s + 1),
            _ => None,
        }
    }

    /// A human-readable name (`spin(1/2)`, `spin(1)`).
    pub fn describe(&self) -> String {
        match self {
            SpaceIr::Spin { twice_s } if twice_s % 2 == 0 => format!("spin({})", twice_s / 2),
            SpaceIr::Spin { twice_s } => format!("spin({twice_s}/2)"),
        }
    }
}

/// One local operator acting on one site.
#[derive(Debug, Clone, PartialEq)]
pub struct FactorIr {
    /// The operator name, one of the space's [`SpaceIr::operator_names`].
    pub op: String,
    /// The site it acts on, `0 <= site < sites`.
    pub site: usize,
}

/// One term: a coefficient times an ordered product of local operators
/// (factors on the same site multiply as matrices in the written order).
#[derive(Debug, Clone, PartialEq)]
pub struct TermIr {
    /// The real coefficient.
    pub coef: f64,
    /// The factors, in the order written.
    pub factors: Vec<FactorIr>,
}

/// An operator written as a sum of products of local operators.
#[derive(Debug, Clone, PartialEq)]
pub struct OpSumIr {
    /// Number of sites of the chain.
    pub sites: usize,
    /// The local space of every site.
    pub space: SpaceIr,
    /// The terms of the sum.
    pub terms: Vec<TermIr>,
}

impl OpSumIr {
    /// An empty sum over `sites` sites of `space`.
    pub fn new(sites: usize, space: SpaceIr) -> Self {
        Self {
            sites,
            space,
            terms: Vec::new(),
        }
    }

    /// Appends `coef * op_1[site_1] * op_2[site_2] * ...`.
    pub fn push(&mut self, coef: f64, factors: &[(&str, usize)]) {
        self.terms.push(TermIr {
            coef,
            factors: factors
                .iter()
                .map(|&(op, site)| FactorIr {
                    op: op.to_string(),
                    site,
                })
                .collect(),
        });
    }
}
