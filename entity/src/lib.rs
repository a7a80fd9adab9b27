//! SeaORM entities for Chorus.
//!
//! All primary keys are application-generated UUIDv7 values; all timestamps are
//! UTC. The schema itself is created by the `migration` crate.

pub mod api_tokens;
pub mod attachments;
pub mod incoming_webhooks;
pub mod link_previews;
pub mod mentions;
pub mod message_link_previews;
pub mod message_reactions;
pub mod messages;
pub mod notifications;
pub mod outgoing_webhooks;
pub mod refresh_tokens;
pub mod revoked_sessions;
pub mod room_events;
pub mod room_users;
pub mod rooms;
pub mod slash_commands;
pub mod users;
pub mod webhook_deliveries;

pub mod prelude {
    //! Entities re-exported under their table-like names.
    pub use crate::api_tokens::Entity as ApiTokens;
    pub use crate::attachments::Entity as Attachments;
    pub use crate::incoming_webhooks::Entity as IncomingWebhooks;
    pub use crate::link_previews::Entity as LinkPreviews;
    pub use crate::mentions::Entity as Mentions;
    pub use crate::message_link_previews::Entity as MessageLinkPreviews;
    pub use crate::message_reactions::Entity as MessageReactions;
    pub use crate::messages::Entity as Messages;
    pub use crate::notifications::Entity as Notifications;
    pub use crate::outgoing_webhooks::Entity as OutgoingWebhooks;
    pub use crate::refresh_tokens::Entity as RefreshTokens;
    pub use crate::revoked_sessions::Entity as RevokedSessions;
    pub use crate::room_events::Entity as RoomEvents;
    pub use crate::room_users::{Entity as RoomUsers, RoomRole};
    pub use crate::rooms::Entity as Rooms;
    pub use crate::slash_commands::Entity as SlashCommands;
    pub use crate::users::{Entity as Users, UserKind};
    pub use crate::webhook_deliveries::Entity as WebhookDeliveries;
}
