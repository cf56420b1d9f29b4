fn main() {
    let _ = qtt::circuit! {
        reg q[2];
        cx(q[0]);
    };
}
