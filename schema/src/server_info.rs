//! `serverInfo`: what this deployment accepts, read from the values the server enforces, so a client shapes its
//! UI from them instead of guessing (or reading the schema by introspection, which a deployment may switch off).
//! Public: a client may ask before signing in.

use async_graphql::{Context, Object, SimpleObject};

use crate::context::ContextExt;
use chorus_core::messages::validate as messages;
use chorus_core::pagination;
use chorus_core::rooms::service as rooms;
use chorus_core::search::parse as search;
use chorus_core::users::{service as users_service, validate as users};

/// The image types an upload may be: what `attachments::service::inspect` recognises by content (the unit test
/// below checks the two agree).
pub const IMAGE_TYPES: [&str; 4] = chorus_core::attachments::kinds::INLINE_IMAGE_TYPES;

#[derive(Default)]
pub struct ServerInfoQuery;

#[Object]
impl ServerInfoQuery {
    /// This server's version and the limits it enforces. Needs no sign-in.
    async fn server_info(&self, ctx: &Context<'_>) -> async_graphql::Result<ServerInfo> {
        let deps = ctx.deps();
        Ok(ServerInfo {
            version: env!("CARGO_PKG_VERSION"),
            uploads: UploadInfo {
                enabled: deps.max_upload_bytes > 0,
                max_bytes: deps.max_upload_bytes as u64,
                types: IMAGE_TYPES.to_vec(),
                max_image_bytes: deps
                    .upload_rules
                    .max_image_bytes
                    .min(deps.max_upload_bytes as u64),
                max_pixels: deps.upload_rules.max_pixels,
                max_side: chorus_core::attachments::service::MAX_SIDE,
                daily_quota_bytes: deps.upload_rules.daily_quota_bytes,
            },
            limits: ServerLimits {
                page_size_max: pagination::MAX_PAGE,
                page_size_default: pagination::DEFAULT_PAGE,
                message_max_chars: messages::CONTENT_MAX as u64,
                attachments_per_message_max: messages::ATTACHMENTS_MAX as u64,
                client_id_max_chars: messages::CLIENT_ID_MAX as u64,
                group_name_max_chars: rooms::GROUP_NAME_MAX as u64,
                group_members_max: deps.room_rules.max_group_members as u64,
                rooms_list_max: rooms::ROOMS_LIST_MAX,
                nickname_min_chars: users::NICKNAME_MIN as u64,
                nickname_max_chars: users::NICKNAME_MAX as u64,
                password_min_chars: users::PASSWORD_MIN as u64,
                password_max_chars: users::PASSWORD_MAX as u64,
                search_users_max: users_service::SEARCH_MAX,
                search_query_max_chars: search::MAX_QUERY_CHARS as u64,
            },
        })
    }
}

/// This deployment: its version, what it accepts as uploads, and its input limits.
#[derive(SimpleObject)]
pub struct ServerInfo {
    /// The server's version (semver).
    pub version: &'static str,
    pub uploads: UploadInfo,
    pub limits: ServerLimits,
}

/// Uploads (`uploadImage`, `POST /api/upload`): files of any type, typed by content.
#[derive(SimpleObject)]
pub struct UploadInfo {
    /// Whether this server accepts uploads at all.
    pub enabled: bool,
    /// Largest file accepted, in bytes; a bigger one is PAYLOAD_TOO_LARGE.
    pub max_bytes: u64,
    /// The image types (recognised from the file's content, not its name or declared type) that are shown
    /// inline and get a thumbnail. Files of other types are accepted too, as downloads.
    pub types: Vec<&'static str>,
    /// Largest image (one of `types`) accepted, in bytes.
    pub max_image_bytes: u64,
    /// Largest image area (width × height) accepted.
    pub max_pixels: u64,
    /// Largest image side accepted, in pixels.
    pub max_side: u32,
    /// Bytes one user may upload per rolling 24 hours.
    pub daily_quota_bytes: u64,
}

/// Input limits; going over one is BAD_USER_INPUT naming the field.
#[derive(SimpleObject)]
pub struct ServerLimits {
    /// Largest `first`/`last` of a paged list.
    pub page_size_max: u64,
    /// Page size when `first`/`last` is not given.
    pub page_size_default: u64,
    /// Longest message content, in characters.
    pub message_max_chars: u64,
    /// Most attachments on one message.
    pub attachments_per_message_max: u64,
    /// Longest `clientId` of a send.
    pub client_id_max_chars: u64,
    /// Longest group name, in characters.
    pub group_name_max_chars: u64,
    /// Largest group, the owner included.
    pub group_members_max: u64,
    /// Most rooms the plain `rooms` list returns (`roomsConnection` pages through all of them).
    pub rooms_list_max: u64,
    pub nickname_min_chars: u64,
    pub nickname_max_chars: u64,
    pub password_min_chars: u64,
    pub password_max_chars: u64,
    /// Most results of `searchUsers`.
    pub search_users_max: u64,
    /// Longest `search` query, in characters.
    pub search_query_max_chars: u64,
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use image::{DynamicImage, ImageFormat};

    use super::IMAGE_TYPES;
    use chorus_core::attachments::service::inspect;

    /// Every format the image decoder knows, encoded, is accepted exactly when its type is listed.
    #[test]
    fn listed_types_are_the_types_uploads_accept() {
        let mut accepted = Vec::new();
        for format in ImageFormat::all() {
            let mut bytes = Cursor::new(Vec::new());
            if DynamicImage::new_rgb8(2, 2)
                .write_to(&mut bytes, format)
                .is_err()
            {
                // No encoder for it here: it could not be tested either way.
                assert!(!IMAGE_TYPES.contains(&format.to_mime_type()));
                continue;
            }
            if let Ok(info) = inspect(bytes.get_ref(), u64::MAX) {
                accepted.push(info.content_type);
            }
        }
        accepted.sort_unstable();
        let mut listed = IMAGE_TYPES.to_vec();
        listed.sort_unstable();
        assert_eq!(accepted, listed);
    }
}
