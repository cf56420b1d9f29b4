fn main() {
    let _h = qtt::mpo! { sites 4 of spin(1); sum i in 0..3 { Sx[i]*Sq[i+1] } };
}
