//! Sign-up, log-in, access tokens and the refresh-token lifecycle, over real HTTP.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chorus_tests::{TEST_JWT_SECRET, error_code, error_field, spawn_app, spawn_app_with};
use entity::{refresh_tokens, users};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use sea_orm::EntityTrait;
use serde_json::{Value, json};

const SIGN_UP: &str = "mutation($input: SignUpInput!) { signUp(input: $input) { accessToken refreshToken expiresIn user { id nickname } } }";
const LOG_IN: &str = "mutation($input: LogInInput!) { logIn(input: $input) { accessToken refreshToken user { id } } }";
const REFRESH: &str = "mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken refreshToken expiresIn user { id } } }";
const LOG_OUT: &str = "mutation($t: String!) { logOut(refreshToken: $t) }";
const ME: &str = "{ me { email notificationsEnabled user { id nickname avatarUrl } } }";

fn sign_up_vars(email: &str, password: &str, nickname: &str) -> Value {
    json!({ "input": { "email": email, "password": password, "nickname": nickname } })
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn claims(sub: &str, exp: i64) -> Value {
    json!({ "sub": sub, "exp": exp, "iat": now(), "nbf": now() - 1, "iss": "chorus", "aud": "chorus", "jti": uuid::Uuid::new_v4(), "sid": uuid::Uuid::new_v4() })
}

fn sign(claims: &Value, secret: &[u8]) -> String {
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(secret),
    )
    .unwrap()
}

#[tokio::test]
async fn sign_up_returns_a_session_and_me_shows_the_account() {
    let app = spawn_app().await;
    let data = app
        .ok(
            None,
            SIGN_UP,
            sign_up_vars("  Alice@Example.COM ", "correct horse", "Alice"),
        )
        .await;
    let payload = &data["signUp"];
    assert_eq!(payload["user"]["nickname"], "Alice");
    assert_eq!(payload["expiresIn"], 900);
    let token = payload["accessToken"].as_str().unwrap();

    let me = app.ok(Some(token), ME, json!({})).await;
    assert_eq!(
        me["me"]["email"], "alice@example.com",
        "e-mail is stored trimmed and lower-cased"
    );
    assert_eq!(me["me"]["notificationsEnabled"], true);
    assert_eq!(me["me"]["user"]["id"], payload["user"]["id"]);
    assert_eq!(me["me"]["user"]["avatarUrl"], Value::Null);
}

#[tokio::test]
async fn passwords_are_stored_as_argon2id_and_refresh_tokens_only_as_hashes() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let user = users::Entity::find().one(&app.db).await.unwrap().unwrap();
    assert!(
        user.password_hash.starts_with("$argon2id$"),
        "{}",
        user.password_hash
    );
    assert!(!user.password_hash.contains(&alice.password));

    let tokens = refresh_tokens::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(tokens.len(), 1);
    assert_ne!(tokens[0].token_hash, alice.refresh_token);
    assert_eq!(tokens[0].token_hash.len(), 64, "hex SHA-256");
}

#[tokio::test]
async fn log_in_with_the_right_password_works() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let data = app
        .ok(
            None,
            LOG_IN,
            json!({ "input": { "email": "ALICE@example.com", "password": alice.password } }),
        )
        .await;
    assert_eq!(data["logIn"]["user"]["id"], alice.user_id.as_str());
    let token = data["logIn"]["accessToken"].as_str().unwrap();
    assert_eq!(
        app.ok(Some(token), ME, json!({})).await["me"]["email"],
        "alice@example.com"
    );
}

#[tokio::test]
async fn wrong_password_and_unknown_email_give_the_same_error() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let wrong = app
        .graphql(
            None,
            LOG_IN,
            json!({ "input": { "email": alice.email, "password": "not-the-password" } }),
        )
        .await;
    let unknown = app
        .graphql(
            None,
            LOG_IN,
            json!({ "input": { "email": "nobody@example.com", "password": "whatever123" } }),
        )
        .await;
    assert_eq!(error_code(&wrong), Some("UNAUTHENTICATED"));
    assert_eq!(
        wrong["errors"][0]["message"],
        unknown["errors"][0]["message"]
    );
    assert_eq!(
        wrong["errors"][0]["extensions"],
        unknown["errors"][0]["extensions"]
    );
}

#[tokio::test]
async fn duplicate_email_is_a_conflict_on_the_email_field() {
    let app = spawn_app().await;
    app.sign_up("alice").await;
    let body = app
        .graphql(
            None,
            SIGN_UP,
            sign_up_vars("ALICE@example.com", "password123", "someone"),
        )
        .await;
    assert_eq!(error_code(&body), Some("CONFLICT"));
    assert_eq!(error_field(&body), Some("email"));
}

#[tokio::test]
async fn duplicate_nickname_is_a_conflict_whatever_its_case() {
    let app = spawn_app().await;
    app.sign_up("alice").await;
    let body = app
        .graphql(
            None,
            SIGN_UP,
            sign_up_vars("other@example.com", "password123", "ALICE"),
        )
        .await;
    assert_eq!(error_code(&body), Some("CONFLICT"));
    assert_eq!(error_field(&body), Some("nickname"));
}

#[tokio::test]
async fn each_invalid_sign_up_field_is_bad_user_input_naming_it() {
    let app = spawn_app().await;
    let cases = [
        (sign_up_vars("not-an-email", "password123", "bob"), "email"),
        (sign_up_vars("", "password123", "bob"), "email"),
        (sign_up_vars("bob@example.com", "short", "bob"), "password"),
        (
            sign_up_vars("bob@example.com", &"x".repeat(129), "bob"),
            "password",
        ),
        (
            sign_up_vars("bob@example.com", "password123", "b"),
            "nickname",
        ),
        (
            sign_up_vars("bob@example.com", "password123", &"b".repeat(33)),
            "nickname",
        ),
        (
            sign_up_vars("bob@example.com", "password123", "bob smith"),
            "nickname",
        ),
        (
            sign_up_vars("bob@example.com", "password123", "bob@home"),
            "nickname",
        ),
    ];
    for (vars, field) in cases {
        let body = app.graphql(None, SIGN_UP, vars.clone()).await;
        assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{vars}: {body}");
        assert_eq!(error_field(&body), Some(field), "{vars}: {body}");
    }
    assert!(
        users::Entity::find().one(&app.db).await.unwrap().is_none(),
        "nothing written"
    );
}

#[tokio::test]
async fn me_without_a_token_is_unauthenticated() {
    let app = spawn_app().await;
    let body = app.graphql(None, ME, json!({})).await;
    assert_eq!(error_code(&body), Some("UNAUTHENTICATED"));
}

#[tokio::test]
async fn an_expired_access_token_is_unauthenticated() {
    let app = spawn_app_with(|c| c.access_token_ttl = Duration::from_secs(1)).await;
    let alice = app.sign_up("alice").await;
    assert!(app.graphql(Some(&alice.access_token), ME, json!({})).await["errors"].is_null());
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let body = app.graphql(Some(&alice.access_token), ME, json!({})).await;
    assert_eq!(error_code(&body), Some("UNAUTHENTICATED"));
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("expired")
    );
}

#[tokio::test]
async fn forged_and_malformed_access_tokens_are_unauthenticated() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;

    // Tampered signature.
    let mut tampered = alice.access_token.clone();
    let last = tampered.pop().unwrap();
    tampered.push(if last == 'A' { 'B' } else { 'A' });
    // Tampered payload, original signature.
    let parts: Vec<&str> = alice.access_token.split('.').collect();
    let forged_payload =
        URL_SAFE_NO_PAD.encode(claims(&uuid::Uuid::new_v4().to_string(), now() + 600).to_string());
    let swapped = format!("{}.{}.{}", parts[0], forged_payload, parts[2]);
    // `alg: none`, no signature.
    let none_header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
    let none_payload = URL_SAFE_NO_PAD.encode(claims(&alice.user_id, now() + 600).to_string());
    let alg_none = format!("{none_header}.{none_payload}.");
    // Signed with another key, and signed right but for another audience / issuer.
    let other_key = sign(
        &claims(&alice.user_id, now() + 600),
        b"another-secret-another-secret-0000",
    );
    let mut wrong_aud = claims(&alice.user_id, now() + 600);
    wrong_aud["aud"] = json!("someone-else");
    let mut wrong_iss = claims(&alice.user_id, now() + 600);
    wrong_iss["iss"] = json!("someone-else");
    let mut no_exp = claims(&alice.user_id, now() + 600);
    no_exp.as_object_mut().unwrap().remove("exp");
    // Every access token names its session, so log-out can end it.
    let mut no_sid = claims(&alice.user_id, now() + 600);
    no_sid.as_object_mut().unwrap().remove("sid");

    let cases = [
        ("tampered signature", tampered),
        ("tampered payload", swapped),
        ("alg none", alg_none),
        ("other key", other_key),
        ("wrong audience", sign(&wrong_aud, TEST_JWT_SECRET)),
        ("wrong issuer", sign(&wrong_iss, TEST_JWT_SECRET)),
        ("no exp", sign(&no_exp, TEST_JWT_SECRET)),
        ("no sid", sign(&no_sid, TEST_JWT_SECRET)),
        ("refresh token as access token", alice.refresh_token.clone()),
        ("garbage", "not.a.jwt".to_owned()),
    ];
    for (what, token) in cases {
        let body = app.graphql(Some(&token), ME, json!({})).await;
        assert_eq!(error_code(&body), Some("UNAUTHENTICATED"), "{what}: {body}");
    }
    // The same claims signed with the right key are accepted: the cases above fail for the stated reason.
    let good = sign(&claims(&alice.user_id, now() + 600), TEST_JWT_SECRET);
    assert_eq!(
        app.ok(Some(&good), ME, json!({})).await["me"]["user"]["id"],
        alice.user_id.as_str()
    );
}

#[tokio::test]
async fn refresh_rotates_the_refresh_token() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let data = app
        .ok(None, REFRESH, json!({ "t": alice.refresh_token }))
        .await;
    let next = data["refreshToken"]["refreshToken"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(next, alice.refresh_token);
    let access = data["refreshToken"]["accessToken"].as_str().unwrap();
    assert_eq!(
        app.ok(Some(access), ME, json!({})).await["me"]["user"]["id"],
        alice.user_id.as_str()
    );
    // The new one works once more.
    let again = app.ok(None, REFRESH, json!({ "t": next })).await;
    assert!(again["refreshToken"]["refreshToken"].is_string());
}

#[tokio::test]
async fn reusing_a_rotated_refresh_token_revokes_the_whole_family() {
    // No grace window: every repeat counts as reuse (the window has its own tests in security_sessions.rs).
    let app = spawn_app_with(|c| c.refresh_reuse_grace = Duration::ZERO).await;
    let alice = app.sign_up("alice").await;
    let first = app
        .ok(None, REFRESH, json!({ "t": alice.refresh_token }))
        .await;
    let second = first["refreshToken"]["refreshToken"]
        .as_str()
        .unwrap()
        .to_owned();

    let reuse = app
        .graphql(None, REFRESH, json!({ "t": alice.refresh_token }))
        .await;
    assert_eq!(error_code(&reuse), Some("UNAUTHENTICATED"));
    // The thief's reuse also ends the legitimate holder's current token.
    let after = app.graphql(None, REFRESH, json!({ "t": second })).await;
    assert_eq!(error_code(&after), Some("UNAUTHENTICATED"));

    // Another sign-in (another family) is unaffected.
    let login = app
        .ok(
            None,
            LOG_IN,
            json!({ "input": { "email": alice.email, "password": alice.password } }),
        )
        .await;
    let other = login["logIn"]["refreshToken"].as_str().unwrap();
    assert!(app.graphql(None, REFRESH, json!({ "t": other })).await["errors"].is_null());
}

#[tokio::test]
async fn two_concurrent_refreshes_of_one_token_both_get_tokens_of_the_same_sign_in() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let vars = json!({ "t": alice.refresh_token });
    let (a, b) = tokio::join!(
        app.graphql(None, REFRESH, vars.clone()),
        app.graphql(None, REFRESH, vars.clone())
    );
    // The loser of the rotation is a repeat within the grace window: it gets a token of the same family
    // instead of revoking it (security_sessions.rs checks both stay signed in).
    assert!(a["errors"].is_null() && b["errors"].is_null(), "{a}\n{b}");
    let families: std::collections::HashSet<uuid::Uuid> = refresh_tokens::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.family_id)
        .collect();
    assert_eq!(families.len(), 1);
}

#[tokio::test]
async fn an_access_token_is_not_a_refresh_token() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let body = app
        .graphql(None, REFRESH, json!({ "t": alice.access_token }))
        .await;
    assert_eq!(error_code(&body), Some("UNAUTHENTICATED"));
}

#[tokio::test]
async fn an_expired_refresh_token_is_refused() {
    let app = spawn_app_with(|c| c.refresh_token_ttl = Duration::from_secs(1)).await;
    let alice = app.sign_up("alice").await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let body = app
        .graphql(None, REFRESH, json!({ "t": alice.refresh_token }))
        .await;
    assert_eq!(error_code(&body), Some("UNAUTHENTICATED"));
}

#[tokio::test]
async fn log_out_revokes_the_session() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let data = app
        .ok(None, LOG_OUT, json!({ "t": alice.refresh_token }))
        .await;
    assert_eq!(data["logOut"], true);
    let body = app
        .graphql(None, REFRESH, json!({ "t": alice.refresh_token }))
        .await;
    assert_eq!(error_code(&body), Some("UNAUTHENTICATED"));
    assert_eq!(
        app.ok(None, LOG_OUT, json!({ "t": alice.refresh_token }))
            .await["logOut"],
        false
    );
    assert_eq!(
        app.ok(None, LOG_OUT, json!({ "t": "unknown" })).await["logOut"],
        false
    );
}

#[tokio::test]
async fn update_profile_changes_the_nickname_with_the_sign_up_rules() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    app.sign_up("bob").await;
    let q = "mutation($n: String) { updateProfile(input: { nickname: $n }) { id nickname } }";
    let t = Some(alice.access_token.as_str());

    let data = app.ok(t, q, json!({ "n": "Alicia" })).await;
    assert_eq!(data["updateProfile"]["nickname"], "Alicia");
    assert_eq!(
        app.ok(t, ME, json!({})).await["me"]["user"]["nickname"],
        "Alicia"
    );
    // Only the case changes: still hers.
    assert_eq!(
        app.ok(t, q, json!({ "n": "ALICIA" })).await["updateProfile"]["nickname"],
        "ALICIA"
    );

    let taken = app.graphql(t, q, json!({ "n": "BOB" })).await;
    assert_eq!(
        (error_code(&taken), error_field(&taken)),
        (Some("CONFLICT"), Some("nickname"))
    );
    let invalid = app.graphql(t, q, json!({ "n": "no spaces" })).await;
    assert_eq!(
        (error_code(&invalid), error_field(&invalid)),
        (Some("BAD_USER_INPUT"), Some("nickname"))
    );
    let anonymous = app.graphql(None, q, json!({ "n": "x1" })).await;
    assert_eq!(error_code(&anonymous), Some("UNAUTHENTICATED"));
}

#[tokio::test]
async fn user_by_id_is_visible_to_signed_in_users_without_email() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let q = "query($id: ID!) { user(id: $id) { id nickname } }";
    let data = app
        .ok(Some(&alice.access_token), q, json!({ "id": bob.user_id }))
        .await;
    assert_eq!(data["user"]["nickname"], "bob");
    let missing = app
        .ok(
            Some(&alice.access_token),
            q,
            json!({ "id": uuid::Uuid::now_v7() }),
        )
        .await;
    assert!(missing["user"].is_null());
    let bad = app
        .graphql(Some(&alice.access_token), q, json!({ "id": "nope" }))
        .await;
    assert_eq!(
        (error_code(&bad), error_field(&bad)),
        (Some("BAD_USER_INPUT"), Some("id"))
    );
}

#[tokio::test]
async fn repeated_log_in_attempts_for_one_account_are_rate_limited() {
    let app = spawn_app_with(|c| c.rate.login_per_minute = 3).await;
    let alice = app.sign_up("alice").await;
    let attempt = |password: &'static str| {
        app.graphql(
            None,
            LOG_IN,
            json!({ "input": { "email": alice.email, "password": password } }),
        )
    };
    for _ in 0..3 {
        assert_eq!(
            error_code(&attempt("wrong-password").await),
            Some("UNAUTHENTICATED")
        );
    }
    // Even the right password waits now: guessing is what is being slowed down.
    let limited = attempt("wrong-password").await;
    assert_eq!(error_code(&limited), Some("RATE_LIMITED"), "{limited}");
    // Other accounts are not affected.
    let bob = app.sign_up("bob").await;
    let other = app
        .graphql(
            None,
            LOG_IN,
            json!({ "input": { "email": bob.email, "password": bob.password } }),
        )
        .await;
    assert!(other["errors"].is_null(), "{other}");
    // REST answers 429.
    let res = app
        .http
        .post(app.url("/api/auth/login"))
        .json(&json!({ "email": alice.email, "password": alice.password }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 429);
}
