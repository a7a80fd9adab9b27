//! `room_events` table.

use sea_orm::entity::prelude::*;

/// What happened: the `kind` column (text, the variant's name). Each kind's payload is described by
/// `chorus_core::events::EventData`.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    serde::Serialize,
    serde::Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum EventKind {
    #[sea_orm(string_value = "MessageAdded")]
    MessageAdded,
    #[sea_orm(string_value = "MessageEdited")]
    MessageEdited,
    #[sea_orm(string_value = "MessageDeleted")]
    MessageDeleted,
    #[sea_orm(string_value = "ReactionChanged")]
    ReactionChanged,
    #[sea_orm(string_value = "ReadReceipt")]
    ReadReceipt,
    #[sea_orm(string_value = "MemberJoined")]
    MemberJoined,
    #[sea_orm(string_value = "MemberLeft")]
    MemberLeft,
    #[sea_orm(string_value = "MemberRoleChanged")]
    MemberRoleChanged,
    #[sea_orm(string_value = "LinkPreviewChanged")]
    LinkPreviewChanged,
}

impl EventKind {
    /// The stored spelling (also the GraphQL type name of the event, except `LinkPreviewChanged`, which
    /// clients receive as `MessageEdited`).
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::MessageAdded => "MessageAdded",
            EventKind::MessageEdited => "MessageEdited",
            EventKind::MessageDeleted => "MessageDeleted",
            EventKind::ReactionChanged => "ReactionChanged",
            EventKind::ReadReceipt => "ReadReceipt",
            EventKind::MemberJoined => "MemberJoined",
            EventKind::MemberLeft => "MemberLeft",
            EventKind::MemberRoleChanged => "MemberRoleChanged",
            EventKind::LinkPreviewChanged => "LinkPreviewChanged",
        }
    }
}

/// A sequenced event in a room's event log (`(room_id, seq)` is the key).
/// `payload` is JSON (JSONB on PostgreSQL).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "room_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub room_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub seq: i64,
    pub kind: EventKind,
    #[sea_orm(column_type = "JsonBinary")]
    pub payload: Json,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::rooms::Entity",
        from = "Column::RoomId",
        to = "super::rooms::Column::Id",
        on_delete = "Cascade"
    )]
    Rooms,
}

impl Related<super::rooms::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Rooms.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
