//! `attachments` table.

use sea_orm::entity::prelude::*;

/// An uploaded file. `message_id` is NULL until the attachment is sent with a
/// message (and again if that message row is removed).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attachments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub uploader_id: Uuid,
    #[sea_orm(indexed)]
    pub message_id: Option<Uuid>,
    pub storage_key: String,
    pub content_type: String,
    pub size: i64,
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub created_at: DateTimeUtc,
    /// The name the file was uploaded with, sanitised (no path, no control or bidi characters).
    pub file_name: Option<String>,
    /// Images: the key of a small WebP preview (none when the image is already small).
    pub thumbnail_key: Option<String>,
    /// Images: a blurhash placeholder shown while the image loads.
    pub blurhash: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::users::Entity",
        from = "Column::UploaderId",
        to = "super::users::Column::Id",
        on_delete = "Cascade"
    )]
    Uploader,
    #[sea_orm(
        belongs_to = "super::messages::Entity",
        from = "Column::MessageId",
        to = "super::messages::Column::Id",
        on_delete = "SetNull"
    )]
    Messages,
}

/// The uploader.
impl Related<super::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Uploader.def()
    }
}

impl Related<super::messages::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Messages.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
