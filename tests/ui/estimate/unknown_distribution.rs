fn main() {
    let _ = qtt::estimate! {
        x ~ gauss(0.0, 1.0) on [-3.0, 3.0] with 4 qubits;
        payoff = x;
    };
}
