//! `cmx`: the critical-minerals questions from the shell.
//!
//! Every subcommand works on the built-in data by default (`--year`,
//! `--mineral`, stage and HS filters) or on a chain of your own
//! (`--chain chain.json`, the crate's JSON). The tool only translates: every
//! number comes from the `critical_minerals` library.
//!
//! Output: `--format table|json|csv`. The default is `table` when stdout is
//! a terminal and `json` when it is not (a pipe or a file gets data that
//! round-trips into the library's types, not a picture of it). CSV has a
//! header row and plain numbers (no thousands separators).
//!
//! Exit codes: 0 success (also when stdout is closed early, as by `| head`:
//! the reader asked for no more), 1 bad data or a failed validation (the
//! library's message on stderr), 2 a usage error (clap).

mod cli;
mod output;
mod run;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help and version to stdout (exit 0) and usage
            // errors to stderr (exit 2).
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match run::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(run::Failure::ClosedStdout) => ExitCode::SUCCESS,
        Err(run::Failure::Usage(msg)) => {
            eprintln!("error: {msg}");
            ExitCode::from(2)
        }
        Err(run::Failure::Data(msg)) => {
            eprintln!("error: {msg}");
            ExitCode::from(1)
        }
    }
}
