//! The scenarios of the benchmark table, one module each, and what they share: the run's storage, a fresh
//! api process per scenario, and users seeded once per run.

pub mod chat;
pub mod fanout;
pub mod history;
pub mod idle;
pub mod logins;
pub mod sends;
pub mod web_events;

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::Result;

use crate::gql::Gql;
use crate::server::{ApiServer, Argon2, Storage};
use crate::world::{self, User};

/// Sign-ups in flight during seeding.
const SIGN_UP_CONCURRENCY: usize = 16;

pub struct Ctx {
    pub api_bin: PathBuf,
    pub storage: Storage,
    /// Unique per run: nicknames, clientIds and the database name carry it.
    pub tag: String,
    /// Correctness only: tiny sizes, exactly-once checked, nothing timed is judged.
    pub smoke: bool,
    big_room_users: Vec<User>,
    big_rooms: BTreeMap<usize, String>,
    prefixes: usize,
}

impl Ctx {
    pub fn new(api_bin: PathBuf, storage: Storage, tag: String, smoke: bool) -> Self {
        Self {
            api_bin,
            storage,
            tag,
            smoke,
            big_room_users: Vec::new(),
            big_rooms: BTreeMap::new(),
            prefixes: 0,
        }
    }

    /// A fresh api process over the run's storage.
    pub fn start_api(&self, argon2: Argon2) -> Result<(ApiServer, Gql)> {
        let api = ApiServer::start(&self.api_bin, &self.storage, argon2)?;
        let gql = Gql::new(api.addr)?;
        Ok((api, gql))
    }

    /// A nickname prefix no other group of users of this run has.
    pub fn prefix(&mut self) -> String {
        self.prefixes += 1;
        format!("b{}x{}x", self.tag, self.prefixes)
    }

    pub async fn sign_up(&mut self, gql: &Gql, n: usize) -> Result<Vec<User>> {
        let prefix = self.prefix();
        world::sign_up(gql, &prefix, n, SIGN_UP_CONCURRENCY).await
    }

    /// A room of `n` subscribers plus its sender (`users[0]`), seeded once per size and reused by the fan-out
    /// and idle-memory scenarios: the room of the largest size holds everyone signed up so far.
    pub async fn big_room(&mut self, gql: &Gql, n: usize) -> Result<(String, Vec<User>)> {
        if self.big_room_users.len() < n + 1 {
            let more = n + 1 - self.big_room_users.len();
            let users = self.sign_up(gql, more).await?;
            self.big_room_users.extend(users);
        }
        let members = self.big_room_users[..=n].to_vec();
        if let Some(room) = self.big_rooms.get(&n) {
            return Ok((room.clone(), members));
        }
        let room = world::group_room(gql, &format!("fan-out {n}"), &members).await?;
        self.big_rooms.insert(n, room.clone());
        Ok((room, members))
    }
}
