//! GraphQL over HTTP, as any client would send it.

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

#[derive(Clone)]
pub struct Gql {
    http: reqwest::Client,
    url: String,
}

impl Gql {
    pub fn new(addr: SocketAddr) -> Result<Self> {
        let http = reqwest::Client::builder()
            // Generous: under overload a slow answer is a measurement, not an error.
            .timeout(Duration::from_secs(60))
            .pool_max_idle_per_host(1024)
            .build()?;
        Ok(Self {
            http,
            url: format!("http://{addr}/graphql"),
        })
    }

    /// Runs one operation; an answer with `errors` is an error naming the first code.
    pub async fn call(&self, token: Option<&str>, query: &str, variables: Value) -> Result<Value> {
        let mut request = self
            .http
            .post(&self.url)
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.context("POST /graphql")?;
        let status = response.status();
        let body: Value = response
            .json()
            .await
            .with_context(|| format!("reading the answer (HTTP {status})"))?;
        if let Some(error) = body["errors"].as_array().and_then(|e| e.first()) {
            bail!(
                "HTTP {status}, {}: {}",
                error["extensions"]["code"].as_str().unwrap_or("?"),
                error["message"].as_str().unwrap_or("")
            );
        }
        Ok(body["data"].clone())
    }
}
