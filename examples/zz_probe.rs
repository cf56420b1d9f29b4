use qtt::solve::{dmrg, DmrgOptions, LocalSpace, OpSum};
use qtt::TensorTrain;
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let d: usize = args[1].parse().unwrap();
    let chi: usize = args[2].parse().unwrap();
    let mut h = OpSum::new(d, LocalSpace::spin(2).unwrap()).unwrap();
    for i in 0..d - 1 {
        for op in ["Sx", "Sy", "Sz"] {
            h.add(1.0, &[(op, i), (op, i + 1)]).unwrap();
        }
    }
    let h = h.to_mpo().unwrap();
    println!("mpo ranks {:?}", h.max_rank());
    let x0 = TensorTrain::random(&vec![3; d], 4, 1).unwrap();
    let mut o = DmrgOptions::two_site(chi);
    o.verbose = true;
    let gs = dmrg(&h, &x0, &o).unwrap();
    println!("{:.12}", gs.energy);
}
