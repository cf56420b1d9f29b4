use qtt::constraints;

fn main() {
    let _ = constraints! {
        vars x[4];
        sum(x) <= 1;
        x[0] + x[1] >= 1;
        x[2] + x[3] >= 1;
    };
}
