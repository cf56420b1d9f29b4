fn main() {
    let _ = qtt::circuit! {
        reg q[3];
        h(q[3]);
    };
}
