use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use api::{Application, Config, config, db, telemetry};
use clap::{Parser, Subcommand};

// jemalloc instead of glibc's malloc: glibc keeps what thousands of closed sockets and finished requests
// freed in per-thread arenas, so the process's memory never shrinks after a peak. jemalloc fragments less
// and, with the options `.cargo/config.toml` builds into it, a background thread hands pages unused for a
// second back to the system.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// Chorus: real-time chat server.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    config: Config,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server (the default).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Print the GraphQL SDL (or write it to a file).
    PrintSchema {
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    // Bad values exit with clap's message (status 2); `--help` and `--version` print and exit 0.
    let cli: Cli = config::parse(std::env::args_os(), |key| std::env::var(key).ok())
        .unwrap_or_else(|err| err.exit());
    api::install_crypto_provider();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // The whole chain: what failed and why (e.g. the database refusing the connection).
            eprintln!("chorus: {err:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let config = cli.config;
    match cli.command.unwrap_or(Command::Serve) {
        Command::PrintSchema { out: Some(path) } => std::fs::write(&path, schema::sdl())
            .with_context(|| format!("writing {}", path.display())),
        Command::PrintSchema { out: None } => {
            print!("{}", schema::sdl());
            Ok(())
        }
        Command::Migrate => {
            telemetry::init();
            let config = config.checked()?;
            std::fs::create_dir_all(&config.data_dir)
                .with_context(|| format!("creating data dir {}", config.data_dir.display()))?;
            let conn = db::connect(&config.database_url(), config.db_timeout).await?;
            db::migrate(&conn).await?;
            println!(
                "migrations applied to {}",
                db::redact(&config.database_url())
            );
            Ok(())
        }
        Command::Serve => {
            telemetry::init();
            let app = Application::build(config.checked()?).await?;
            println!("listening on http://{}", app.addr());
            if let Some(secure) = app.secure_addr() {
                println!("listening on https://{secure} (HTTP/1.1, HTTP/2 and HTTP/3)");
            }
            app.run_until_stopped().await
        }
    }
}
