use async_graphql::{Context, ID, InputObject, Object};
use entity::users;

use crate::context::{Auth, ContextExt};
use crate::ids::to_id;
use crate::realtime::resolve_once::ImpliedMember;
use crate::realtime::types::Presence;
use crate::realtime::types::PresenceStatus;

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

    /// A bot (created by a person, acting through API tokens) rather than a person.
    async fn is_bot(&self) -> bool {
        self.0.kind == users::UserKind::Bot
    }

    /// ONLINE while they have the app open somewhere, AWAY when they said so, else OFFLINE. Only for yourself
    /// and people you share a room with now (the rule of the `presence` subscription): anyone else always
    /// reads OFFLINE with a null `lastSeenAt`, so presence cannot be watched from outside. So does a caller
    /// who is not signed in yet (the `user` of a `signUp`/`logIn` payload).
    async fn presence(&self, ctx: &Context<'_>) -> async_graphql::Result<Presence> {
        if !self.presence_visible(ctx).await? {
            return Ok(Presence {
                status: PresenceStatus::Offline,
                last_seen_at: None,
            });
        }
        let status = ctx
            .loaders()
            .presence()
            .load_one(self.0.id)
            .await?
            .map_or(PresenceStatus::Offline, Into::into);
        Ok(Presence {
            status,
            last_seen_at: self.0.last_seen_at,
        })
    }

    /// URL of the user's avatar image, signed for you and valid for a few minutes; null when they have not
    /// set one, or when you are not signed in (e.g. in the payload of `logIn`).
    async fn avatar_url(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        // Who is asking is read only for a user with an avatar (see `resolve_once`: results that never read
        // it are shared between subscribers).
        let Some(id) = self.0.avatar_attachment_id else {
            return Ok(None);
        };
        let Ok(viewer) = ctx.viewer() else {
            return Ok(None);
        };
        let avatar = ctx.loaders().attachment().load_one(id).await?;
        Ok(avatar.map(|a| ctx.deps().file_urls.url(&a.storage_key, viewer.user_id)))
    }
}

impl User {
    /// Whether the caller may see this user's presence: they share a room. While an event of a room is
    /// resolved, the caller is a member of that room (the stream delivers its events only to members), so
    /// another current member is visible without asking who the caller is, which keeps the event's result
    /// shareable between its subscribers.
    async fn presence_visible(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        if let Some(ImpliedMember(room)) = ctx.data_opt::<ImpliedMember>().copied() {
            let members = ctx.loaders().members().load_one(room).await?;
            if members.is_some_and(|m| m.iter().any(|m| m.user_id == self.0.id)) {
                return Ok(true);
            }
        }
        Ok(match ctx.auth() {
            Auth::Viewer(viewer) => ctx
                .loaders()
                .shares_room()
                .load_one((viewer.user_id, self.0.id))
                .await?
                .unwrap_or(false),
            Auth::Anonymous | Auth::Invalid(_) | Auth::Unavailable(_) => false,
        })
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
    /// An image you uploaded (`uploadImage`) to use as avatar.
    pub avatar_attachment_id: Option<ID>,
}
