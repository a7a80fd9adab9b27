use async_graphql::{ID, InputObject, Object};
use entity::users;

use crate::ids::to_id;

/// A Chorus user as other people see them. E-mail addresses are never exposed here.
pub struct User(pub users::Model);

#[Object]
impl User {
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }

    /// Unique (case-insensitively) handle, used for `@mentions`.
    async fn nickname(&self) -> &str {
        &self.0.nickname
    }

    /// URL of the user's avatar image; null when they have not set one.
    async fn avatar_url(&self) -> Option<String> {
        // Avatars are attachments; no attachment can be set as avatar until image uploads exist.
        None
    }
}

/// The signed-in user, with what only they may see.
#[derive(Clone)]
pub struct Viewer(pub users::Model);

#[Object(name = "Viewer")]
impl Viewer {
    async fn user(&self) -> User {
        User(self.0.clone())
    }

    async fn email(&self) -> &str {
        &self.0.email
    }

    /// Global switch for pushed notifications (they are still stored when off).
    async fn notifications_enabled(&self) -> bool {
        self.0.notifications_enabled
    }
}

#[derive(InputObject)]
pub struct UpdateProfileInput {
    /// New nickname: 2–32 of `A-Z a-z 0-9 _ . -`, unique case-insensitively.
    pub nickname: Option<String>,
}
