use qtt::constraints;

fn main() {
    let _ = constraints! {
        vars x[3];
        2.5*x[0] + x[1] <= 2;
    };
}
