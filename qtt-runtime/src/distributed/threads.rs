//! Ranks as threads of one process, joined by channels: the multi-rank code
//! paths (exchanges with partners, reductions, gathers) run and are tested
//! in the default build, without an MPI installation.

use std::sync::mpsc::{channel, Receiver, Sender};

use num_complex::Complex64 as C64;

use super::Communicator;

/// One message between two thread ranks.
enum Payload {
    Amps(Vec<C64>),
    Floats(Vec<f64>),
    Bytes(Vec<u8>),
}

/// Rank `rank` of `size` threads; messages between a pair arrive in order.
pub struct ThreadComm {
    rank: usize,
    to: Vec<Sender<Payload>>,
    from: Vec<Receiver<Payload>>,
}

impl std::fmt::Debug for ThreadComm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ThreadComm(rank {} of {})", self.rank, self.to.len())
    }
}

/// Runs `f` on `size` thread ranks at once and returns their results in rank order.
pub fn run_on_threads<T: Send>(size: usize, f: impl Fn(&dyn Communicator) -> T + Sync) -> Vec<T> {
    // channels[i][j] carries messages from rank i to rank j.
    let mut senders: Vec<Vec<Sender<Payload>>> = (0..size).map(|_| Vec::new()).collect();
    let mut receivers: Vec<Vec<Receiver<Payload>>> = (0..size).map(|_| Vec::new()).collect();
    for s in senders.iter_mut() {
        for r in receivers.iter_mut() {
            let (tx, rx) = channel();
            s.push(tx);
            r.push(rx);
        }
    }
    let comms: Vec<ThreadComm> = senders
        .into_iter()
        .zip(receivers)
        .enumerate()
        .map(|(rank, (to, from))| ThreadComm { rank, to, from })
        .collect();
    std::thread::scope(|s| {
        let handles: Vec<_> = comms
            .into_iter()
            .map(|c| {
                let f = &f;
                s.spawn(move || f(&c))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

impl ThreadComm {
    fn send(&self, to: usize, p: Payload) {
        self.to[to].send(p).expect("thread rank alive");
    }
    fn recv(&self, from: usize) -> Payload {
        self.from[from].recv().expect("thread rank alive")
    }
}

impl Communicator for ThreadComm {
    fn rank(&self) -> usize {
        self.rank
    }
    fn size(&self) -> usize {
        self.to.len()
    }
    fn barrier(&self) {
        self.all_reduce_sum(&mut []);
    }
    fn all_reduce_sum(&self, values: &mut [f64]) {
        // Summed on rank 0 in rank order, so every rank gets the same bits.
        if self.rank != 0 {
            self.send(0, Payload::Floats(values.to_vec()));
            match self.recv(0) {
                Payload::Floats(v) => values.copy_from_slice(&v),
                _ => unreachable!("collectives are called in the same order on every rank"),
            }
            return;
        }
        for r in 1..self.size() {
            match self.recv(r) {
                Payload::Floats(v) => values.iter_mut().zip(v).for_each(|(a, b)| *a += b),
                _ => unreachable!("collectives are called in the same order on every rank"),
            }
        }
        for r in 1..self.size() {
            self.send(r, Payload::Floats(values.to_vec()));
        }
    }
    fn exchange(&self, partner: usize, send: &[C64], recv: &mut [C64]) {
        self.send(partner, Payload::Amps(send.to_vec()));
        match self.recv(partner) {
            Payload::Amps(v) => recv.copy_from_slice(&v),
            _ => unreachable!("exchanges are paired"),
        }
    }
    fn gather_bytes(&self, local: &[u8]) -> Option<Vec<Vec<u8>>> {
        if self.rank != 0 {
            self.send(0, Payload::Bytes(local.to_vec()));
            return None;
        }
        let mut all = vec![local.to_vec()];
        for r in 1..self.size() {
            match self.recv(r) {
                Payload::Bytes(b) => all.push(b),
                _ => unreachable!("collectives are called in the same order on every rank"),
            }
        }
        Some(all)
    }
    fn abort(&self, code: i32) -> ! {
        std::process::exit(code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reduce_exchange_gather_on_four_threads() {
        let out = run_on_threads(4, |c| {
            let mut v = [c.rank() as f64, 1.0];
            c.all_reduce_sum(&mut v);
            let partner = c.rank() ^ 1;
            let mut r = [C64::new(0.0, 0.0)];
            c.exchange(partner, &[C64::new(c.rank() as f64, 0.0)], &mut r);
            let g = c.gather_bytes(&[c.rank() as u8]);
            (v, r[0].re, g)
        });
        for (rank, (v, r, g)) in out.iter().enumerate() {
            assert_eq!(*v, [6.0, 4.0]);
            assert_eq!(*r, (rank ^ 1) as f64);
            assert_eq!(g.is_some(), rank == 0);
        }
        assert_eq!(out[0].2, Some(vec![vec![0], vec![1], vec![2], vec![3]]));
    }
}
