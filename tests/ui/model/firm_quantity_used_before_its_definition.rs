fn main() {
    let _model = qtt::model! {
        params {
            gamma = 2.0, rho = 0.05, delta = 0.05, alpha = 1.0 / 3.0, tfp = 0.1,
            z = [1.0, 2.0], lambda = [1.0 / 3.0, 1.0 / 3.0],
        }
        prices { r in (-0.04, 0.049) }
        firm {
            w = (1.0 - alpha) * tfp * K.powf(alpha);
            K = (alpha * tfp / (r + delta)).powf(1.0 / (1.0 - alpha));
        }
        states {
            a: wealth on [0.0, 20.0] with 2^12 points;
            e: markov values z rates [[-lambda[0], lambda[0]], [lambda[1], -lambda[1]]];
        }
        control c;
        utility c.ln();
        drift a = w * e + r * a - c;
        discount rho;
        clear sum(a * g) == K;
    };
}
