fn main() {
    let _h = qtt::mpo! { sites 4 of spn(1); Sz[0] };
}
