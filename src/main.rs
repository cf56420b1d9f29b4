//! The `qtt` command-line tool: `qtt tour` (the default) and the workload
//! commands. `qtt --help` lists them; exit code 0 on success, 1 when the
//! command fails, 2 on a usage error.

mod cli;

fn main() -> std::process::ExitCode {
    match cli::run(std::env::args_os().skip(1).collect()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("qtt: {}", e.message());
            e.exit_code()
        }
    }
}
