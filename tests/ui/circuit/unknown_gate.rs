fn main() {
    let _ = qtt::circuit! {
        reg q[2];
        hadamard(q[0]);
    };
}
