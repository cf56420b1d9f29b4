//! Gate fusion: neighbouring operations whose qubits fit in a small set are
//! multiplied into one dense block, so the state is streamed through memory once
//! per block instead of once per gate.
//!
//! An operation may join any block created after the last block that touches one
//! of its qubits (it commutes with everything in between), provided the union of
//! qubits stays within the limit. Blocks holding a single operation keep it as is,
//! so its specialised kernel (phase, permutation, controlled) is still used.

use std::sync::Arc;

use num_complex::Complex64 as C64;

use super::kernels::apply_op;
use crate::quantum::circuits::circuit::Op;
use crate::quantum::circuits::gate::Gate;

/// How far back (in blocks) an operation looks for a block to join.
const WINDOW: usize = 16;

struct Block {
    qubits: Vec<usize>,
    ops: Vec<Op>,
    closed: bool,
}

/// Fuses `ops` into blocks acting on at most `max_qubits` qubits each.
pub(crate) fn fuse(ops: &[Op], max_qubits: usize) -> Vec<Op> {
    let mut blocks: Vec<Block> = Vec::new();
    let mut last: Vec<Option<usize>> = Vec::new();
    for op in ops {
        let qs = op.qubits();
        let top = qs.iter().copied().max().unwrap_or(0);
        if last.len() <= top {
            last.resize(top + 1, None);
        }
        let after = qs.iter().filter_map(|&q| last[q]).max();
        let mut chosen = None;
        if qs.len() <= max_qubits {
            let floor = after.unwrap_or(0).max(blocks.len().saturating_sub(WINDOW));
            for b in (floor..blocks.len()).rev() {
                let blk = &blocks[b];
                if blk.closed {
                    if Some(b) == after {
                        break;
                    }
                    continue;
                }
                let extra = qs.iter().filter(|q| !blk.qubits.contains(q)).count();
                if blk.qubits.len() + extra <= max_qubits {
                    chosen = Some(b);
                    break;
                }
            }
        }
        let b = match chosen {
            Some(b) => {
                let blk = &mut blocks[b];
                for &q in &qs {
                    if !blk.qubits.contains(&q) {
                        blk.qubits.push(q);
                    }
                }
                blk.ops.push(op.clone());
                b
            }
            None => {
                blocks.push(Block {
                    qubits: qs.clone(),
                    ops: vec![op.clone()],
                    closed: qs.len() > max_qubits,
                });
                blocks.len() - 1
            }
        };
        for &q in &qs {
            last[q] = Some(b);
        }
    }
    blocks.into_iter().map(block_op).collect()
}

/// One operation for a block: the op itself, or the dense product of its ops.
fn block_op(mut blk: Block) -> Op {
    if blk.ops.len() == 1 {
        return blk.ops.pop().expect("one op");
    }
    blk.qubits.sort_unstable();
    let k = blk.qubits.len();
    let dim = 1usize << k;
    let top = blk.qubits[k - 1];
    let mut local = vec![usize::MAX; top + 1];
    for (j, &q) in blk.qubits.iter().enumerate() {
        local[q] = j;
    }
    let ops: Vec<Op> = blk.ops.iter().map(|op| op.remapped(&local, &[])).collect();
    let mut matrix = vec![C64::new(0.0, 0.0); dim * dim];
    for s in 0..dim {
        let mut col = vec![C64::new(0.0, 0.0); dim];
        col[s] = C64::new(1.0, 0.0);
        for op in &ops {
            apply_op(&mut col, op);
        }
        for (r, a) in col.iter().enumerate() {
            matrix[r * dim + s] = *a;
        }
    }
    if k == 1 {
        Op::Gate {
            gate: Gate::Unitary([matrix[0], matrix[1], matrix[2], matrix[3]]),
            target: blk.qubits[0],
            controls: vec![],
        }
    } else {
        Op::Unitary {
            qubits: blk.qubits,
            matrix: Arc::new(matrix),
            controls: vec![],
        }
    }
}
