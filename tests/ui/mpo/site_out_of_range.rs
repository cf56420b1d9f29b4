fn main() {
    let _h = qtt::mpo! { sites 4 of spin(1/2); Sz[0]*Sz[4] };
}
