//! `api_tokens` table.

use sea_orm::entity::prelude::*;

/// An API token: a bot's, or a person's own for their scripts. Only the hex SHA-256 of the token is stored;
/// the token itself is shown once, when it is created.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "api_tokens")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Who the token acts as: a bot, or the person who created it.
    #[sea_orm(indexed)]
    pub user_id: Uuid,
    /// The person who created it (a bot's owner, or the same as `user_id`).
    #[sea_orm(indexed)]
    pub created_by: Uuid,
    pub name: String,
    #[sea_orm(unique)]
    pub token_hash: String,
    /// Space-separated scopes, e.g. `messages:read messages:write`.
    pub scopes: String,
    /// Comma-separated room ids the token is limited to; none: every room of its user.
    pub room_ids: Option<String>,
    pub expires_at: Option<DateTimeUtc>,
    /// Updated at most once a minute.
    pub last_used_at: Option<DateTimeUtc>,
    pub revoked_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::users::Entity",
        from = "Column::UserId",
        to = "super::users::Column::Id",
        on_update = "NoAction",
        on_delete = "Cascade"
    )]
    Users,
}

impl Related<super::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Users.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
