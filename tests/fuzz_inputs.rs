//! Property-based fuzzing of every entry point that takes user data: the
//! knapsack file parser, OpenQASM import, `Circuit::from_ir`, constraint
//! systems over arbitrary `i64`s, grid and tensor-train constructors with
//! arbitrary shapes and tolerances, and `econ::Model::from_ir` on hostile
//! `ModelIr` values. The property is always the same: the call returns (an
//! `Ok` that passes a sanity check, or an `Err`) and never panics, aborts or
//! hangs. Proptest runs each case under `catch_unwind` and shrinks a
//! panicking input to a minimal one.
//!
//! The text parsers start from the committed corpus in `tests/corpus/` and
//! mutate it (byte edits, splices, repeats), besides fully random text.
//! CI runs proptest's default 256 cases per target (seconds); the long run
//! documented in the README sets `PROPTEST_CASES=1000000`.

use proptest::prelude::*;
use qtt::grid::Grid1d;
use qtt::ir::circuit::{CircuitIr, GateIr, OpIr, QubitIr, RegisterIr};
use qtt::ir::constraints::{LinearConstraint, LinearSystem};
use qtt::ir::model::{
    ClearingIr, DerivedIr, ExprIr, IncomeIr, ModelIr, ParamIr, PriceIr, UtilityIr, WealthIr,
};
use qtt::qregion::knapsack::KnapsackInstance;
use qtt::qregion::ConstraintSet;
use qtt::quantum::{from_qasm, Circuit, StateVector};
use qtt::{TensorTrain, Truncation};
use std::path::Path;

/// The files of `tests/corpus/<name>/`, sorted by name.
fn corpus(name: &str) -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(name);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}

/// One edit of a byte string.
#[derive(Debug, Clone)]
enum Edit {
    Set(usize, u8),
    Insert(usize, u8),
    Delete(usize),
    /// Repeats the bytes `[at, at + len)` in place.
    Repeat(usize, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    // Bytes the parsers care about are more likely than others.
    let byte = prop_oneof![
        3 => prop::sample::select(b" \n\t;,()[]-+.e0123456789qx#/".to_vec()),
        1 => any::<u8>(),
    ];
    prop_oneof![
        (any::<usize>(), byte.clone()).prop_map(|(i, b)| Edit::Set(i, b)),
        (any::<usize>(), byte).prop_map(|(i, b)| Edit::Insert(i, b)),
        any::<usize>().prop_map(Edit::Delete),
        (any::<usize>(), 1usize..40).prop_map(|(i, n)| Edit::Repeat(i, n)),
    ]
}

/// `text` with `edits` applied (positions taken modulo the length).
fn mutate(text: &str, edits: &[Edit]) -> String {
    let mut b = text.as_bytes().to_vec();
    for e in edits {
        let at = |i: usize, len: usize| if len == 0 { 0 } else { i % len };
        match *e {
            Edit::Set(i, v) if !b.is_empty() => {
                let i = at(i, b.len());
                b[i] = v;
            }
            Edit::Insert(i, v) => {
                let i = at(i, b.len() + 1);
                b.insert(i, v);
            }
            Edit::Delete(i) if !b.is_empty() => {
                let i = at(i, b.len());
                b.remove(i);
            }
            Edit::Repeat(i, n) if !b.is_empty() => {
                let i = at(i, b.len());
                let piece: Vec<u8> = b[i..(i + n).min(b.len())].to_vec();
                b.splice(i..i, piece);
            }
            _ => {}
        }
    }
    String::from_utf8_lossy(&b).into_owned()
}

/// A corpus entry with edits applied, or random text.
fn text_input(name: &'static str) -> impl Strategy<Value = String> {
    let files = corpus(name);
    let n = files.len();
    prop_oneof![
        4 => (0..n, prop::collection::vec(edit(), 0..12))
            .prop_map(move |(k, edits)| mutate(&files[k], &edits)),
        1 => ".{0,200}",
    ]
}

proptest! {
    #[test]
    fn knapsack_parser_never_panics(text in text_input("knapsack")) {
        if let Ok(inst) = KnapsackInstance::parse(&text, "fuzz.txt") {
            let n = inst.len();
            prop_assert_eq!(inst.q.len(), n * n);
            prop_assert!(inst.objective(&vec![1; n]).is_ok());
            // the written form reads back as the same instance
            prop_assert_eq!(KnapsackInstance::parse(&inst.to_text(), "again").unwrap(), inst);
        }
    }

    #[test]
    fn qasm_import_never_panics(text in text_input("qasm")) {
        if let Ok(c) = from_qasm(&text, "fuzz.qasm") {
            if c.n_qubits() <= 8 {
                let mut s = StateVector::zero(c.n_qubits()).unwrap();
                s.apply(&c).unwrap();
                let norm: f64 = s.probabilities().iter().sum();
                prop_assert!((norm - 1.0).abs() < 1e-9, "norm {}", norm);
            }
        }
    }
}

/// A count or size: mostly small, sometimes at the ends of the range.
fn size() -> impl Strategy<Value = usize> {
    prop_oneof![
        6 => 0usize..5,
        1 => Just(usize::MAX),
        1 => (1usize << 32)..=(1usize << 62),
    ]
}

fn qubit_ir() -> impl Strategy<Value = QubitIr> + Clone {
    (0usize..4, prop_oneof![4 => -1i64..5, 1 => any::<i64>()])
        .prop_map(|(register, index)| QubitIr { register, index })
}

fn gate_ir() -> impl Strategy<Value = GateIr> + Clone {
    let angle = prop_oneof![4 => -7.0f64..7.0, 1 => any::<f64>()];
    prop_oneof![
        Just(GateIr::H),
        Just(GateIr::X),
        Just(GateIr::Y),
        Just(GateIr::Z),
        Just(GateIr::S),
        Just(GateIr::Sdg),
        Just(GateIr::T),
        Just(GateIr::Tdg),
        angle.clone().prop_map(GateIr::Rx),
        angle.clone().prop_map(GateIr::Ry),
        angle.clone().prop_map(GateIr::Rz),
        angle.prop_map(GateIr::Phase),
    ]
}

fn op_ir() -> impl Strategy<Value = OpIr> {
    let qubits = prop::collection::vec(qubit_ir(), 0..4);
    prop_oneof![
        (gate_ir(), qubits.clone(), qubit_ir()).prop_map(|(gate, controls, target)| OpIr::Gate {
            gate,
            controls,
            target
        }),
        (qubit_ir(), qubit_ir()).prop_map(|(a, b)| OpIr::Swap { a, b }),
        (qubits, qubit_ir()).prop_map(|(controls, target)| OpIr::Mcx { controls, target }),
        (0usize..4, any::<bool>()).prop_map(|(register, inverse)| OpIr::Qft { register, inverse }),
    ]
}

fn circuit_ir() -> impl Strategy<Value = CircuitIr> {
    (
        prop::collection::vec(("[a-c]", size()), 0..4),
        prop::collection::vec(op_ir(), 0..10),
    )
        .prop_map(|(regs, ops)| CircuitIr {
            registers: regs
                .into_iter()
                .map(|(name, size)| RegisterIr { name, size })
                .collect(),
            ops,
        })
}

proptest! {
    #[test]
    fn circuit_from_ir_never_panics(ir in circuit_ir()) {
        if let Ok(c) = Circuit::from_ir(&ir) {
            if c.n_qubits() <= 10 {
                let mut s = StateVector::zero(c.n_qubits()).unwrap();
                s.apply(&c).unwrap();
                let norm: f64 = s.probabilities().iter().sum();
                prop_assert!((norm - 1.0).abs() < 1e-9, "norm {}", norm);
            }
        }
    }
}

/// An `i64`: mostly small, sometimes anywhere, sometimes at the ends.
fn int() -> impl Strategy<Value = i64> {
    prop_oneof![
        12 => -6i64..7,
        1 => any::<i64>(),
        1 => prop::sample::select(vec![i64::MIN, i64::MIN + 1, i64::MAX, i64::MAX - 1, i64::MAX / 2]),
    ]
}

fn linear_system() -> impl Strategy<Value = LinearSystem> {
    (1usize..=10, 0usize..=3).prop_flat_map(|(n, m)| {
        prop::collection::vec(
            (
                prop::collection::vec(int(), n..=n + usize::from(n == 10)),
                prop::option::of(int()),
                prop::option::of(int()),
            ),
            m,
        )
        .prop_map(move |rows| {
            let mut s = LinearSystem::new(n);
            // rows pushed directly, as a program holding the fields could
            s.rows = rows
                .into_iter()
                .map(|(coeffs, lo, hi)| LinearConstraint {
                    coeffs,
                    lo,
                    hi,
                    label: "fuzz".into(),
                })
                .collect();
            s
        })
    })
}

proptest! {
    #[test]
    fn constraint_sets_from_arbitrary_i64_systems_never_panic(system in linear_system()) {
        let n = system.num_vars();
        if let Ok(set) = ConstraintSet::build(system.clone()) {
            // exact: the automaton accepts precisely the feasible strings
            let feasible = (0..1u32 << n)
                .filter(|v| {
                    let x: Vec<u8> = (0..n).map(|i| (v >> i & 1) as u8).collect();
                    system.is_feasible(&x)
                })
                .count();
            prop_assert_eq!(set.count().to_string(), feasible.to_string());
            prop_assert!(set.charge_complexity().is_ok());
        }
    }

    #[test]
    fn grids_never_panic(
        lo in any::<f64>(),
        hi in any::<f64>(),
        bits in prop_oneof![0u32..70, any::<u32>()],
        i in any::<u64>(),
        k in size(),
        x in any::<f64>(),
    ) {
        if let Ok(g) = Grid1d::new(lo, hi, bits) {
            let _ = g.coordinate(i % (g.len().saturating_mul(2)).max(1));
            let _ = g.bit_step(k);
            let _ = g.nearest_index(x);
            let _ = g.locate(x);
            prop_assert!(g.spacing() > 0.0 && g.spacing().is_finite());
        }
    }

    #[test]
    fn tensor_train_constructors_never_panic(
        modes in prop::collection::vec(size(), 0..6),
        rank in size(),
        seed in any::<u64>(),
        tol in any::<f64>(),
        max_rank in size(),
    ) {
        let _ = TensorTrain::zeros(&modes);
        let _ = TensorTrain::ones(&modes);
        if let Ok(x) = TensorTrain::random(&modes, rank, seed) {
            if let Ok(t) = Truncation::tol(tol) {
                let t = t.with_max_rank(max_rank).unwrap_or(t);
                let y = x.round(&t);
                prop_assert!(y.is_ok() || tol.is_nan() || max_rank == 0, "{:?}", y.err());
            }
        }
    }
}

fn b(e: ExprIr) -> Box<ExprIr> {
    Box::new(e)
}

/// A well-formed two-state Huggett economy on 2^6 points (the issue's
/// calibration): the base that the hostile values below are put into, one
/// field at a time.
fn huggett() -> ModelIr {
    qtt::econ::HuggettParams::default().ir(64)
}

fn number() -> impl Strategy<Value = f64> {
    prop_oneof![
        4 => -3.0f64..3.0,
        1 => prop::sample::select(vec![
            0.0, -0.0, 1.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY, f64::MAX, f64::MIN_POSITIVE, -1e300,
        ]),
        1 => any::<f64>(),
    ]
}

/// Any expression (depth at most 4), with indices in and out of range.
fn expr() -> impl Strategy<Value = ExprIr> {
    let leaf = prop_oneof![
        number().prop_map(ExprIr::Num),
        (0usize..5, 0usize..4).prop_map(|(index, element)| ExprIr::Param { index, element }),
        (0usize..3).prop_map(ExprIr::Price),
        (0usize..3).prop_map(ExprIr::Derived),
        Just(ExprIr::Wealth),
        (0usize..3).prop_map(ExprIr::Income),
        Just(ExprIr::Control),
        Just(ExprIr::MarginalValue),
    ];
    leaf.prop_recursive(4, 24, 2, |inner| {
        prop_oneof![
            inner.clone().prop_map(|x| ExprIr::Neg(b(x))),
            inner.clone().prop_map(|x| ExprIr::Ln(b(x))),
            inner.clone().prop_map(|x| ExprIr::Exp(b(x))),
            (inner.clone(), inner.clone()).prop_map(|(x, y)| ExprIr::Add(b(x), b(y))),
            (inner.clone(), inner.clone()).prop_map(|(x, y)| ExprIr::Sub(b(x), b(y))),
            (inner.clone(), inner.clone()).prop_map(|(x, y)| ExprIr::Mul(b(x), b(y))),
            (inner.clone(), inner.clone()).prop_map(|(x, y)| ExprIr::Div(b(x), b(y))),
            (inner.clone(), inner.clone()).prop_map(|(x, y)| ExprIr::Powf(b(x), b(y))),
            (inner.clone(), inner.clone()).prop_map(|(x, y)| ExprIr::Min(b(x), b(y))),
            (inner.clone(), inner.clone()).prop_map(|(x, y)| ExprIr::Max(b(x), b(y))),
            (inner.clone(), inner).prop_map(|(x, y)| ExprIr::Softplus(b(x), b(y))),
        ]
    })
}

fn exprs(max: usize) -> impl Strategy<Value = Vec<ExprIr>> {
    prop::collection::vec(expr(), 0..=max)
}

fn points() -> impl Strategy<Value = u64> {
    prop_oneof![
        prop::sample::select(vec![0u64, 1, 2, 3, 4, 6, 16, 1 << 40, 1 << 63, u64::MAX]),
        any::<u64>(),
    ]
}

/// One field of the Huggett base replaced by a hostile value.
#[derive(Debug, Clone)]
enum Hostile {
    Params(Vec<(String, Vec<f64>)>),
    Prices(Vec<(ExprIr, ExprIr)>),
    Derived(Vec<ExprIr>),
    Wealth(ExprIr, ExprIr, u64),
    Markov(Vec<ExprIr>, Vec<Vec<ExprIr>>),
    Diffusion(ExprIr, ExprIr, u64),
    NoIncome,
    Utility(u8, ExprIr, ExprIr, ExprIr),
    Resources(ExprIr),
    Discount(ExprIr),
    Clearing(Vec<(ExprIr, ExprIr)>),
}

fn hostile() -> impl Strategy<Value = Hostile> {
    prop_oneof![
        prop::collection::vec(("[a-z]{1,3}", prop::collection::vec(number(), 0..4)), 0..4)
            .prop_map(Hostile::Params),
        prop::collection::vec((expr(), expr()), 0..3).prop_map(Hostile::Prices),
        exprs(3).prop_map(Hostile::Derived),
        (expr(), expr(), points()).prop_map(|(lo, hi, n)| Hostile::Wealth(lo, hi, n)),
        (exprs(3), prop::collection::vec(exprs(3), 0..4)).prop_map(|(v, r)| Hostile::Markov(v, r)),
        (expr(), expr(), points()).prop_map(|(d, v, n)| Hostile::Diffusion(d, v, n)),
        Just(Hostile::NoIncome),
        (0u8..3, expr(), expr(), expr()).prop_map(|(k, u, m, c)| Hostile::Utility(k, u, m, c)),
        expr().prop_map(Hostile::Resources),
        expr().prop_map(Hostile::Discount),
        prop::collection::vec((expr(), expr()), 0..3).prop_map(Hostile::Clearing),
    ]
}

fn hostile_model() -> impl Strategy<Value = ModelIr> {
    prop::collection::vec(hostile(), 1..3).prop_map(|changes| {
        let mut ir = huggett();
        for h in changes {
            match h {
                Hostile::Params(ps) => {
                    ir.params = ps.into_iter().map(|(n, v)| ParamIr::new(&n, v)).collect()
                }
                Hostile::Prices(ps) => {
                    ir.prices = ps
                        .into_iter()
                        .map(|(lo, hi)| PriceIr {
                            name: "r".into(),
                            lo,
                            hi,
                        })
                        .collect()
                }
                Hostile::Derived(ds) => {
                    ir.derived = ds
                        .into_iter()
                        .map(|value| DerivedIr {
                            name: "K".into(),
                            value,
                        })
                        .collect()
                }
                Hostile::Wealth(lo, hi, points) => {
                    ir.wealth = WealthIr {
                        name: "a".into(),
                        lo,
                        hi,
                        points,
                    }
                }
                Hostile::Markov(values, rates) => {
                    ir.income = vec![IncomeIr::Markov {
                        name: "e".into(),
                        values,
                        rates,
                    }]
                }
                Hostile::Diffusion(drift, variance, points) => {
                    ir.income.push(IncomeIr::Diffusion {
                        name: "y".into(),
                        drift,
                        variance,
                        lo: ExprIr::Num(0.0),
                        hi: ExprIr::Num(1.0),
                        points,
                    })
                }
                Hostile::NoIncome => ir.income.clear(),
                Hostile::Utility(k, utility, marginal, consumption) => {
                    ir.utility = match k {
                        0 => UtilityIr::Crra { gamma: utility },
                        1 => UtilityIr::Log,
                        _ => UtilityIr::General {
                            utility,
                            marginal,
                            consumption,
                        },
                    }
                }
                Hostile::Resources(e) => ir.resources = e,
                Hostile::Discount(e) => ir.discount = e,
                Hostile::Clearing(cs) => {
                    ir.clearing = cs
                        .into_iter()
                        .map(|(integrand, target)| ClearingIr { integrand, target })
                        .collect()
                }
            }
        }
        ir
    })
}

proptest! {
    #[test]
    fn the_base_economy_is_accepted(_unused in Just(())) {
        prop_assert!(qtt::econ::Model::from_ir(huggett()).is_ok());
    }

    #[test]
    fn model_from_hostile_ir_never_panics(ir in hostile_model()) {
        let _ = qtt::econ::Model::from_ir(ir);
    }
}
