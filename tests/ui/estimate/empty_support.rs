fn main() {
    let _ = qtt::estimate! {
        x ~ uniform() on [1.0, 0.0] with 2 qubits;
        payoff = x;
    };
}
