fn main() {
    let _h = qtt::mpo! { sites 4 of spin(1); sum i in 3..3 { Sz[i] } };
}
