fn main() {
    let _h = qtt::mpo! { sites 4 of spin(1/2); sum i in 0..4 { Sp[i]*Sp[i] } };
}
