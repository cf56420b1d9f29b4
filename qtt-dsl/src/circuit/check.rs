//! Check: gate names, arities, registers and literal qubit indices, with errors
//! at the user's span; produces the typed spec that `emit` turns into code.

use std::collections::HashMap;

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{Expr, Ident};

use super::ast::{CircuitBody, Stmt};

/// How many qubit arguments a gate takes.
#[derive(Clone, Copy)]
pub enum Qubits {
    /// Exactly this many.
    Exactly(usize),
    /// At least this many (the last is the target).
    AtLeast(usize),
    /// One whole register.
    Register,
}

/// One entry of the gate table.
pub struct GateInfo {
    pub name: &'static str,
    pub params: usize,
    pub qubits: Qubits,
    /// `::qtt::ir::circuit::GateIr` variant and number of controls, or a special form.
    pub lowering: Lowering,
}

#[derive(Clone, Copy)]
pub enum Lowering {
    Controlled {
        variant: &'static str,
        controls: usize,
    },
    Swap,
    Mcx,
    Qft {
        inverse: bool,
    },
}

macro_rules! g {
    ($n:literal, $p:literal, $q:expr, $v:literal, $c:literal) => {
        GateInfo {
            name: $n,
            params: $p,
            qubits: $q,
            lowering: Lowering::Controlled {
                variant: $v,
                controls: $c,
            },
        }
    };
}

/// Every gate `circuit!` knows.
pub fn gate_table() -> Vec<GateInfo> {
    use Qubits::*;
    vec![
        g!("h", 0, Exactly(1), "H", 0),
        g!("x", 0, Exactly(1), "X", 0),
        g!("y", 0, Exactly(1), "Y", 0),
        g!("z", 0, Exactly(1), "Z", 0),
        g!("s", 0, Exactly(1), "S", 0),
        g!("sdg", 0, Exactly(1), "Sdg", 0),
        g!("t", 0, Exactly(1), "T", 0),
        g!("tdg", 0, Exactly(1), "Tdg", 0),
        g!("rx", 1, Exactly(1), "Rx", 0),
        g!("ry", 1, Exactly(1), "Ry", 0),
        g!("rz", 1, Exactly(1), "Rz", 0),
        g!("phase", 1, Exactly(1), "Phase", 0),
        g!("cx", 0, Exactly(2), "X", 1),
        g!("cy", 0, Exactly(2), "Y", 1),
        g!("cz", 0, Exactly(2), "Z", 1),
        g!("ch", 0, Exactly(2), "H", 1),
        g!("crx", 1, Exactly(2), "Rx", 1),
        g!("cry", 1, Exactly(2), "Ry", 1),
        g!("crz", 1, Exactly(2), "Rz", 1),
        g!("cphase", 1, Exactly(2), "Phase", 1),
        g!("ccx", 0, Exactly(3), "X", 2),
        g!("ccz", 0, Exactly(3), "Z", 2),
        GateInfo {
            name: "swap",
            params: 0,
            qubits: Exactly(2),
            lowering: Lowering::Swap,
        },
        GateInfo {
            name: "mcx",
            params: 0,
            qubits: AtLeast(2),
            lowering: Lowering::Mcx,
        },
        GateInfo {
            name: "qft",
            params: 0,
            qubits: Register,
            lowering: Lowering::Qft { inverse: false },
        },
        GateInfo {
            name: "iqft",
            params: 0,
            qubits: Register,
            lowering: Lowering::Qft { inverse: true },
        },
    ]
}

/// A checked qubit reference `reg[index]`.
pub struct QubitRef {
    pub reg: Ident,
    pub index: Expr,
}

/// A checked statement.
pub enum Spec {
    Reg {
        name: Ident,
        size: usize,
    },
    Gate {
        lowering: Lowering,
        params: Vec<Expr>,
        qubits: Vec<QubitRef>,
        register: Option<Ident>,
        span: Span,
    },
    For {
        var: Box<syn::Pat>,
        range: Box<Expr>,
        body: Vec<Spec>,
    },
}

struct Scope {
    regs: HashMap<String, (usize, Span)>,
}

/// Checks the whole body.
pub fn check(body: &CircuitBody) -> syn::Result<Vec<Spec>> {
    let table = gate_table();
    let mut scope = Scope {
        regs: HashMap::new(),
    };
    check_stmts(&body.stmts, &table, &mut scope)
}

fn literal_index(e: &Expr) -> Option<(usize, Span)> {
    if let Expr::Lit(syn::ExprLit {
        lit: syn::Lit::Int(i),
        ..
    }) = e
    {
        return i.base10_parse::<usize>().ok().map(|v| (v, i.span()));
    }
    None
}

fn check_stmts(stmts: &[Stmt], table: &[GateInfo], scope: &mut Scope) -> syn::Result<Vec<Spec>> {
    let mut out = Vec::new();
    for st in stmts {
        match st {
            Stmt::Reg(r) => {
                let name = r.name.to_string();
                if scope.regs.contains_key(&name) {
                    return Err(syn::Error::new(
                        r.name.span(),
                        format!("register `{name}` is declared twice"),
                    ));
                }
                let size: usize = r.size.base10_parse()?;
                if size == 0 || size > 40 {
                    return Err(syn::Error::new(
                        r.size.span(),
                        format!("register `{name}` has {size} qubits, expected 1..=40"),
                    ));
                }
                scope.regs.insert(name, (size, r.name.span()));
                out.push(Spec::Reg {
                    name: r.name.clone(),
                    size,
                });
            }
            Stmt::For(f) => {
                let body = check_stmts(&f.body, table, scope)?;
                out.push(Spec::For {
                    var: Box::new(f.var.clone()),
                    range: Box::new(f.range.clone()),
                    body,
                });
            }
            Stmt::Gate(call) => out.push(check_gate(call, table, scope)?),
        }
    }
    Ok(out)
}

fn check_gate(call: &super::ast::GateCall, table: &[GateInfo], scope: &Scope) -> syn::Result<Spec> {
    let name = call.name.to_string();
    let info = table.iter().find(|g| g.name == name).ok_or_else(|| {
        let known: Vec<&str> = table.iter().map(|g| g.name).collect();
        syn::Error::new(
            call.name.span(),
            format!("unknown gate `{name}`; known gates: {}", known.join(", ")),
        )
    })?;
    let args_span = call.paren.span.join();
    let n_args = call.args.len();
    let arity_msg = |q: &str| {
        let p = match info.params {
            0 => String::new(),
            1 => "1 parameter and ".to_string(),
            k => format!("{k} parameters and "),
        };
        format!(
            "`{name}` takes {p}{q}, got {n_args} argument{}",
            if n_args == 1 { "" } else { "s" }
        )
    };
    if let Qubits::Register = info.qubits {
        if n_args != 1 {
            return Err(syn::Error::new(args_span, arity_msg("one register")));
        }
        let reg = match &call.args[0] {
            Expr::Path(p) if p.path.get_ident().is_some() => {
                p.path.get_ident().cloned().expect("ident")
            }
            other => {
                return Err(syn::Error::new(
                    other.span(),
                    format!("`{name}` takes a whole register, such as `{name}(a)`"),
                ))
            }
        };
        known_register(&reg, scope)?;
        return Ok(Spec::Gate {
            lowering: info.lowering,
            params: vec![],
            qubits: vec![],
            register: Some(reg),
            span: call.name.span(),
        });
    }
    let ok = match info.qubits {
        Qubits::Exactly(k) => n_args == info.params + k,
        Qubits::AtLeast(k) => n_args >= info.params + k,
        Qubits::Register => unreachable!(),
    };
    if !ok {
        let q = match info.qubits {
            Qubits::Exactly(1) => "1 qubit".to_string(),
            Qubits::Exactly(k) => format!("{k} qubits"),
            Qubits::AtLeast(k) => format!("at least {k} qubits (controls, then the target)"),
            Qubits::Register => unreachable!(),
        };
        return Err(syn::Error::new(args_span, arity_msg(&q)));
    }
    let params: Vec<Expr> = call.args[..info.params].to_vec();
    let mut qubits: Vec<QubitRef> = Vec::new();
    for arg in &call.args[info.params..] {
        let (reg, index) = match arg {
            Expr::Index(ix) => match &*ix.expr {
                Expr::Path(p) if p.path.get_ident().is_some() => (
                    p.path.get_ident().cloned().expect("ident"),
                    (*ix.index).clone(),
                ),
                other => {
                    return Err(syn::Error::new(
                        other.span(),
                        "expected a register name before `[`",
                    ))
                }
            },
            other => {
                return Err(syn::Error::new(
                    other.span(),
                    format!(
                        "expected a qubit such as `q[0]` here; `{name}` takes {} parameter{} first",
                        info.params,
                        if info.params == 1 { "" } else { "s" }
                    ),
                ))
            }
        };
        let size = known_register(&reg, scope)?;
        if let Some((v, sp)) = literal_index(&index) {
            if v >= size {
                return Err(syn::Error::new(sp, format!(
                    "qubit {reg}[{v}] is out of range: register `{reg}` has {size} qubit{} ({reg}[0]..{reg}[{}])",
                    if size == 1 { "" } else { "s" }, size - 1
                )));
            }
        }
        let key = quote::quote!(#index).to_string();
        if qubits.iter().any(|q| {
            let qi = &q.index;
            q.reg == reg && quote::quote!(#qi).to_string() == key
        }) {
            return Err(syn::Error::new(
                arg.span(),
                format!(
                "qubit {reg}[{key}] is used twice in `{name}`; a gate's qubits must be distinct"
            ),
            ));
        }
        qubits.push(QubitRef { reg, index });
    }
    Ok(Spec::Gate {
        lowering: info.lowering,
        params,
        qubits,
        register: None,
        span: call.name.span(),
    })
}

fn known_register(reg: &Ident, scope: &Scope) -> syn::Result<usize> {
    match scope.regs.get(&reg.to_string()) {
        Some((size, _)) => Ok(*size),
        None => {
            let mut names: Vec<&String> = scope.regs.keys().collect();
            names.sort();
            let list: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
            Err(syn::Error::new(
                reg.span(),
                format!(
                    "no register named `{reg}`; declare it first with `reg {reg}[size];`{}",
                    if list.is_empty() {
                        String::new()
                    } else {
                        format!(" (declared: {})", list.join(", "))
                    }
                ),
            ))
        }
    }
}
