//! Parameter sweeps over ranks: point `i` of a list is solved on rank
//! `i mod size`, and the records come back to rank 0 in the list's order,
//! bit for bit what a serial run computes.

use super::Communicator;
use crate::{Error, Result};

/// The outcome of one point: its numbers, or the error it ended with.
pub type Record = Result<Vec<f64>>;

/// Solves `f(i)` for `i in 0..points`, round-robin over the ranks of `comm`;
/// rank 0 gets every record in order (`Some`), the other ranks `None`. A
/// point's error is returned in its place (with its message) rather than
/// ending the sweep.
pub fn sweep(
    comm: &dyn Communicator,
    points: usize,
    f: impl Fn(usize) -> Result<Vec<f64>>,
) -> Option<Vec<Record>> {
    let (rank, size) = (comm.rank(), comm.size());
    let mut bytes = Vec::new();
    for i in (rank..points).step_by(size) {
        encode(&f(i), &mut bytes);
    }
    let gathered = comm.gather_bytes(&bytes)?;
    let mut per_rank: Vec<std::vec::IntoIter<Record>> =
        gathered.iter().map(|b| decode(b).into_iter()).collect();
    Some(
        (0..points)
            .map(|i| {
                per_rank[i % size]
                    .next()
                    .unwrap_or_else(|| Err(Error::Numerical(format!("point {i}: no record"))))
            })
            .collect(),
    )
}

/// Appends a record: tag (0 numbers, 1 error), length, payload (f64 bits or UTF-8).
fn encode(r: &Record, out: &mut Vec<u8>) {
    match r {
        Ok(v) => {
            out.push(0);
            out.extend((v.len() as u64).to_le_bytes());
            v.iter().for_each(|x| out.extend(x.to_le_bytes()));
        }
        Err(e) => {
            let msg = e.to_string();
            out.push(1);
            out.extend((msg.len() as u64).to_le_bytes());
            out.extend(msg.as_bytes());
        }
    }
}

/// The records [`encode`] wrote, in order.
fn decode(mut b: &[u8]) -> Vec<Record> {
    let mut out = Vec::new();
    while b.len() >= 9 {
        let tag = b[0];
        let len = u64::from_le_bytes(b[1..9].try_into().expect("8 bytes")) as usize;
        b = &b[9..];
        if tag == 0 {
            let (v, rest) = b.split_at(8 * len);
            out.push(Ok(v
                .chunks_exact(8)
                .map(|c| f64::from_le_bytes(c.try_into().expect("8 bytes")))
                .collect()));
            b = rest;
        } else {
            let (m, rest) = b.split_at(len);
            out.push(Err(Error::Numerical(
                String::from_utf8_lossy(m).into_owned(),
            )));
            b = rest;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::Serial;
    use super::*;

    #[test]
    fn serial_sweep_keeps_order_and_errors() {
        let out = sweep(&Serial, 4, |i| {
            if i == 2 {
                Err(Error::invalid("bad point"))
            } else {
                Ok(vec![i as f64, 0.1 * i as f64])
            }
        })
        .expect("rank 0");
        assert_eq!(out.len(), 4);
        assert_eq!(out[3].as_ref().unwrap(), &vec![3.0, 0.1 * 3.0]);
        assert!(out[2]
            .as_ref()
            .unwrap_err()
            .to_string()
            .contains("bad point"));
    }
}
