use std::path::PathBuf;

use anyhow::Context;
use api::{Application, Config, db, telemetry};
use clap::{Parser, Subcommand};

/// Chorus: real-time chat server.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
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
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    api::install_crypto_provider();
    match cli.command.unwrap_or(Command::Serve) {
        Command::PrintSchema { out: Some(path) } => std::fs::write(&path, schema::sdl())
            .with_context(|| format!("writing {}", path.display())),
        Command::PrintSchema { out: None } => {
            print!("{}", schema::sdl());
            Ok(())
        }
        Command::Migrate => {
            telemetry::init();
            let config = Config::from_env()?;
            std::fs::create_dir_all(&config.data_dir)?;
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
            let app = Application::build(Config::from_env()?).await?;
            println!("listening on http://{}", app.addr());
            if let Some(secure) = app.secure_addr() {
                println!("listening on https://{secure} (HTTP/1.1, HTTP/2 and HTTP/3)");
            }
            app.run_until_stopped().await
        }
    }
}
