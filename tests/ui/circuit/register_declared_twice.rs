fn main() {
    let _ = qtt::circuit! {
        reg q[3];
        reg q[2];
    };
}
