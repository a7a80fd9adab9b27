//! faq-bot: answers `@mentions` of its bot user with the best match from a FAQ file, as a thread reply to
//! the mentioning message. It uses only the public API with a bot's API token (scopes `messages:read` and
//! `messages:write`). See README.md.

mod client;
mod faq;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;

use crate::client::{Client, Error, MentionAlert, User};
use crate::faq::Faq;

const FIRST_RETRY: Duration = Duration::from_secs(1);
const LAST_RETRY: Duration = Duration::from_secs(30);

struct Config {
    url: String,
    token: String,
    faq: PathBuf,
    /// Where the id of the last alert handled is kept, so a restart resumes after it.
    state: Option<PathBuf>,
}

impl Config {
    fn from_env() -> anyhow::Result<Self> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        Ok(Self {
            url: var("CHORUS_URL").unwrap_or_else(|| "http://127.0.0.1:8080".to_owned()),
            token: var("CHORUS_TOKEN").context("CHORUS_TOKEN is not set (a bot's API token)")?,
            faq: var("FAQ_FILE")
                .unwrap_or_else(|| "faq.json".to_owned())
                .into(),
            state: var("FAQ_STATE_FILE").map(PathBuf::from),
        })
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("faq-bot: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> anyhow::Result<()> {
    let config = Config::from_env()?;
    let faq = Faq::load(&config.faq)?;
    let client = Client::new(&config.url, &config.token)?;
    let mut after = config.state.as_deref().and_then(read_state);
    let mut retry = FIRST_RETRY;
    let me = loop {
        match client.me().await {
            Ok(me) => break me,
            Err(e) if e.is_transient() => {
                eprintln!("faq-bot: {e}; retrying in {retry:?}");
                tokio::time::sleep(retry).await;
                retry = (retry * 2).min(LAST_RETRY);
            }
            Err(e) => return Err(e).context("checking the token"),
        }
    };
    loop {
        let error = serve(
            &client,
            &faq,
            &me,
            &mut after,
            config.state.as_deref(),
            &mut retry,
        )
        .await;
        if error.is_fatal() {
            return Err(error).context("the server refused the bot");
        }
        if error.code() == Some("BAD_USER_INPUT") && after.is_some() {
            // The alert resumed from is gone (its message was deleted): start live, as the schema advises.
            eprintln!("faq-bot: cannot resume after {after:?} ({error}); subscribing without it");
            after = None;
            continue;
        }
        eprintln!("faq-bot: {error}; reconnecting in {retry:?}");
        tokio::time::sleep(retry).await;
        retry = (retry * 2).min(LAST_RETRY);
    }
}

/// One connection: subscribes after the last alert handled and answers until something fails. `after` only
/// moves past an alert once it is answered (or refused for good), so an alert cut off by a failure is
/// replayed on the next connection; the reply's `clientId` keeps it from being posted twice.
async fn serve(
    client: &Client,
    faq: &Faq,
    me: &User,
    after: &mut Option<String>,
    state: Option<&Path>,
    retry: &mut Duration,
) -> Error {
    let mut mentions = match client.mentions(after.as_deref()).await {
        Ok(mentions) => mentions,
        Err(e) => return e,
    };
    println!("faq-bot: listening for mentions of @{}", me.nickname);
    let connected = Instant::now();
    loop {
        let alert = match mentions.next().await {
            Ok(alert) => alert,
            Err(e) => {
                // A connection that worked for a while starts the backoff over; one failing at once keeps
                // it growing.
                if connected.elapsed() > LAST_RETRY {
                    *retry = FIRST_RETRY;
                }
                return e;
            }
        };
        *retry = FIRST_RETRY;
        if let Err(e) = answer(client, faq, me, &alert).await {
            if e.is_fatal() || e.is_transient() {
                return e;
            }
            // This one message cannot be answered (deleted, or the room left since): skip it.
            eprintln!("faq-bot: not answering {}: {e}", alert.message.id);
        }
        *after = Some(alert.id);
        if let (Some(path), Some(id)) = (state, after.as_deref())
            && let Err(e) = std::fs::write(path, id)
        {
            eprintln!("faq-bot: cannot save the state to {}: {e}", path.display());
        }
    }
}

async fn answer(client: &Client, faq: &Faq, me: &User, alert: &MentionAlert) -> Result<(), Error> {
    // Other bots are not answered: two bots mentioning each other would never stop.
    if alert.by.id == me.id || alert.by.is_bot {
        return Ok(());
    }
    let text = faq.answer(&alert.message.content);
    client
        .reply(&alert.message.id, &text, &format!("faq-bot:{}", alert.id))
        .await?;
    println!(
        "faq-bot: answered @{} in room {} (message {})",
        alert.by.nickname, alert.message.room_id, alert.message.id
    );
    Ok(())
}

fn read_state(path: &Path) -> Option<String> {
    let id = std::fs::read_to_string(path).ok()?;
    let id = id.trim();
    (!id.is_empty()).then(|| id.to_owned())
}
