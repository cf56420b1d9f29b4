fn main() {
    let _ = qtt::estimate! {
        x ~ uniform() on [0.0, 1.0] with 2 qubits;
    };
}
