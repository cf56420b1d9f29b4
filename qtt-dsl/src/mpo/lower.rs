//! Lowering: the checked input becomes a loop nest whose leaves push one
//! term each into the operator-sum IR (the space is resolved at compile time).

use super::ast::{Factor, Item, MpoInput, Sum};
use crate::ir::opsum::SpaceIr;
use syn::{Expr, Ident};

/// What the expansion does at run time.
pub struct Plan {
    /// The number of sites.
    pub sites: Expr,
    /// The local space (known at compile time).
    pub space: SpaceIr,
    /// The statements building the terms.
    pub body: Vec<Node>,
}

/// One statement of the loop nest.
pub enum Node {
    /// `for var in lo..hi { body }`.
    Loop {
        /// The loop variable.
        var: Ident,
        /// Lower bound.
        lo: Box<Expr>,
        /// Upper bound.
        hi: Box<Expr>,
        /// The statements inside.
        body: Vec<Node>,
    },
    /// Push `sign * coefs... * ops...`.
    Push {
        /// -1 or +1.
        sign: f64,
        /// Runtime coefficient factors.
        coefs: Vec<Expr>,
        /// `(operator name, site expression)` in the written order.
        ops: Vec<(String, Expr)>,
    },
}

/// Lowers a checked input.
pub fn lower(input: &MpoInput, space: SpaceIr) -> Plan {
    Plan {
        sites: input.sites.clone(),
        space,
        body: lower_sum(&input.body, 1.0),
    }
}

fn lower_sum(sum: &Sum, sign: f64) -> Vec<Node> {
    sum.items
        .iter()
        .map(|(neg, item)| {
            let s = if *neg { -sign } else { sign };
            match item {
                Item::Range {
                    var, lo, hi, body, ..
                } => Node::Loop {
                    var: var.clone(),
                    lo: lo.clone(),
                    hi: hi.clone(),
                    body: lower_sum(body, s),
                },
                Item::Product(factors) => {
                    let mut coefs = Vec::new();
                    let mut ops = Vec::new();
                    for f in factors {
                        match f {
                            Factor::Op { name, site } => ops.push((name.to_string(), site.clone())),
                            Factor::Coef(e) => coefs.push(e.clone()),
                        }
                    }
                    Node::Push {
                        sign: s,
                        coefs,
                        ops,
                    }
                }
            }
        })
        .collect()
}
