//! The `qtt` command-line tool: `qtt tour` (the default) and the workload
//! commands. `qtt help` lists them.

mod cli;

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match cli::run(&args) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("qtt: {msg}");
            std::process::ExitCode::FAILURE
        }
    }
}
