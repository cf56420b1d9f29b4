fn main() {
    let _ = qtt::estimate! {
        x ~ beta(2.0) on [0.0, 1.0] with 4 qubits;
        payoff = x;
    };
}
