use qtt::constraints;

fn main() {
    let _ = constraints! {
        vars x[4];
        x[0] + y[1] <= 1;
    };
}
