fn main() {
    let _ = qtt::circuit! {
        reg q[3];
        cx(q[1], q[1]);
    };
}
