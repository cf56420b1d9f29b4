use qtt::constraints;

fn main() {
    let _ = constraints! {
        vars x[6];
        2*x[0] + 3*x[6] >= 1;
    };
}
