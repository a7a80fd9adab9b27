//! The example integration (`examples/faq-bot`) run as its own process against the real server, with only a
//! bot's API token: it resumes after the alert id it saved, answers a mention missed while it was down and
//! then one made live, each as a thread reply, leaves alone what came before its saved position, and stops
//! when its token is revoked.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use chorus_tests::chat::{self, group};
use chorus_tests::{Session, TestApp, WAIT, spawn_app};
use serde_json::{Value, json};

/// The faq-bot binary: `CHORUS_FAQ_BOT_BIN`, or built now by cargo into this test's target directory (it is
/// another package's binary, so `CARGO_BIN_EXE_*` does not reach here).
fn faq_bot_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("CHORUS_FAQ_BOT_BIN") {
        return PathBuf::from(path);
    }
    let exe = std::env::current_exe().expect("current exe");
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>");
    let target_dir = profile_dir.parent().expect("target dir");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut build = std::process::Command::new(cargo);
    build
        .args(["build", "--quiet", "-p", "faq-bot", "--target-dir"])
        .arg(target_dir)
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    if profile_dir.file_name().is_some_and(|n| n == "release") {
        build.arg("--release");
    }
    let status = build.status().expect("run cargo build -p faq-bot");
    assert!(status.success(), "cargo build -p faq-bot failed");
    profile_dir.join("faq-bot")
}

/// The replies in the thread of `message` as `who` sees them: (content, sender nickname, sender is a bot).
async fn thread(app: &TestApp, who: &Session, message: &str) -> Vec<(String, String, bool)> {
    let data = chat::mutate(
        app,
        who,
        "query($m: ID!) { thread(messageId: $m) { edges { node { content sender { nickname isBot } } } } }",
        json!({ "m": message }),
    )
    .await;
    data["thread"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| {
            let node = &e["node"];
            (
                node["content"].as_str().unwrap().to_owned(),
                node["sender"]["nickname"].as_str().unwrap().to_owned(),
                node["sender"]["isBot"].as_bool().unwrap(),
            )
        })
        .collect()
}

/// Waits (bounded) for the first reply in the thread of `message`.
async fn first_reply(app: &TestApp, who: &Session, message: &str) -> (String, String, bool) {
    let deadline = tokio::time::Instant::now() + WAIT * 3;
    loop {
        if let Some(reply) = thread(app, who, message).await.into_iter().next() {
            return reply;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no answer from the faq bot to {message}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn id(message: &Value) -> String {
    message["id"].as_str().expect("message id").to_owned()
}

#[tokio::test]
async fn the_faq_bot_answers_mentions_missed_while_down_and_live_in_their_threads() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let room = group(&app, &alice, "Help", &[]).await;
    let bot = chat::mutate(
        &app,
        &alice,
        "mutation { createBot(input: { nickname: \"faq\" }) { id } }",
        json!({}),
    )
    .await["createBot"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (token, token_id) = chat::api_token(
        &app,
        &alice,
        json!({ "name": "faq bot", "scopes": ["messages:read", "messages:write"], "botId": bot }),
    )
    .await;
    chat::mutate(
        &app,
        &alice,
        "mutation($r: ID!, $u: [ID!]!) { inviteToRoom(roomId: $r, userIds: $u) { id } }",
        json!({ "r": room, "u": [bot] }),
    )
    .await;

    // A mention handled in a previous run: its alert id is the bot's saved position.
    let handled = chat::send(&app, &alice, &room, "@faq are you there?").await;
    let newest = app
        .ok(
            Some(&token),
            "{ notifications(first: 1) { edges { node { id kind message { id } } } } }",
            json!({}),
        )
        .await;
    let node = &newest["notifications"]["edges"][0]["node"];
    assert_eq!(node["kind"], "MENTION", "{newest}");
    assert_eq!(node["message"]["id"], handled["id"], "{newest}");
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    std::fs::write(&state, node["id"].as_str().unwrap()).unwrap();

    // Asked while the bot is down.
    let missed = chat::send(&app, &alice, &room, "@faq how do I reset my password?").await;

    let faq = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/faq-bot/faq.json");
    let mut bot_process = tokio::process::Command::new(faq_bot_binary())
        .env("CHORUS_URL", app.url(""))
        .env("CHORUS_TOKEN", &token)
        .env("FAQ_FILE", &faq)
        .env("FAQ_STATE_FILE", &state)
        .stdout(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("start faq-bot");

    let (content, sender, is_bot) = first_reply(&app, &alice, &id(&missed)).await;
    assert_eq!((sender.as_str(), is_bot), ("faq", true));
    assert!(content.contains("Forgot password"), "{content}");

    // The bot is live now (its replay is done): a new question with no match gets the list of topics.
    let live = chat::send(&app, &alice, &room, "@faq what is the meaning of life?").await;
    let (content, _, _) = first_reply(&app, &alice, &id(&live)).await;
    assert!(
        content.contains("passwords, uploads, notifications, bots"),
        "{content}"
    );

    // One answer each, none to what came before the saved position, and the position saved.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(thread(&app, &alice, &id(&missed)).await.len(), 1);
    assert_eq!(thread(&app, &alice, &id(&live)).await.len(), 1);
    assert!(thread(&app, &alice, &id(&handled)).await.is_empty());
    let latest = app
        .ok(
            Some(&token),
            "{ notifications(first: 1) { edges { node { id } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        std::fs::read_to_string(&state).unwrap(),
        latest["notifications"]["edges"][0]["node"]["id"]
            .as_str()
            .unwrap()
    );

    // A revoked token ends its socket (4403): retrying cannot help, so the bot stops with an error.
    chat::mutate(
        &app,
        &alice,
        "mutation($id: ID!) { revokeApiToken(id: $id) }",
        json!({ "id": token_id }),
    )
    .await;
    let status = tokio::time::timeout(WAIT, bot_process.wait())
        .await
        .expect("the bot stops once its token is revoked")
        .unwrap();
    assert!(!status.success(), "{status}");
}
