fn main() {
    let _h = qtt::mpo! { site 4 of spin(1); Sz[0] };
}
