//! What an API token may do, decided in one place for every operation and transport: each root field of
//! the schema is listed in [`RULES`] with the scope it needs and the room it acts in. A field missing from
//! the table is refused to every API token, so a new field stays closed to tokens until it is classified
//! (a test checks that the table covers the schema). Sign-ins (access tokens) are not affected.
//!
//! A token limited to rooms may only name those rooms (directly, or through a message of theirs) and may not
//! use the fields that span every room of its user; the membership guard of `Room` and `Message` objects
//! (`crate::rooms::guard`) hides any other room however it is reached. Each operation sent with a token also
//! counts against the token's own rate limit.

use std::collections::HashSet;
use std::sync::Arc;

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery};
use async_graphql::parser::types::{
    ExecutableDocument, Field, OperationDefinition, OperationType, Selection, SelectionSet,
};
use async_graphql::{ServerResult, Value, Variables};
use chorus_core::Access;
use chorus_core::error::Error;
use chorus_core::integrations::scopes::Scope;
use chorus_core::rooms::permissions::{MESSAGE_NOT_FOUND, NOT_A_MEMBER};
use entity::messages;
use sea_orm::EntityTrait;
use uuid::Uuid;

use crate::context::{Auth, Deps, Viewer};
use crate::errors::server_error;

/// Where a root field acts, for tokens limited to rooms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// No room (the caller's own profile, server information).
    Nowhere,
    /// The room whose id is at this argument path (`roomId`, `input.roomId`); absent: no room.
    Room(&'static str),
    /// The room of the message whose id is at this argument path.
    Message(&'static str),
    /// Every room of the caller, and the resolver keeps only the token's rooms.
    Filtered,
    /// Every room of the caller, or a new room: refused to tokens limited to rooms.
    Everywhere,
}

/// What an API token needs for one root field.
#[derive(Clone, Copy, Debug)]
pub enum Rule {
    /// Allowed with this scope (none: with any token), acting in `Target`.
    Token(Option<Scope>, Target),
    /// Never with an API token: accounts, sessions, bots and tokens are a signed-in person's business.
    PeopleOnly,
}

use Rule::{PeopleOnly, Token};
use Scope::*;
use Target::*;

/// Every root field of the schema, by operation type.
pub const RULES: &[(OperationType, &str, Rule)] = &[
    (OperationType::Query, "me", Token(None, Nowhere)),
    (OperationType::Query, "user", Token(None, Nowhere)),
    (OperationType::Query, "searchUsers", Token(None, Nowhere)),
    (OperationType::Query, "serverInfo", Token(None, Nowhere)),
    (
        OperationType::Query,
        "rooms",
        Token(Some(RoomsRead), Filtered),
    ),
    (
        OperationType::Query,
        "roomsConnection",
        Token(Some(RoomsRead), Everywhere),
    ),
    (
        OperationType::Query,
        "room",
        Token(Some(RoomsRead), Room("id")),
    ),
    (
        OperationType::Query,
        "messages",
        Token(Some(MessagesRead), Room("roomId")),
    ),
    (
        OperationType::Query,
        "thread",
        Token(Some(MessagesRead), Message("messageId")),
    ),
    (
        OperationType::Query,
        "notifications",
        Token(Some(MessagesRead), Everywhere),
    ),
    (
        OperationType::Query,
        "search",
        Token(Some(MessagesRead), Everywhere),
    ),
    (OperationType::Query, "apiTokens", PeopleOnly),
    (OperationType::Query, "myBots", PeopleOnly),
    (OperationType::Query, "incomingWebhooks", PeopleOnly),
    (OperationType::Query, "outgoingWebhooks", PeopleOnly),
    (
        OperationType::Query,
        "slashCommands",
        Token(Some(RoomsRead), Room("roomId")),
    ),
    (OperationType::Mutation, "signUp", PeopleOnly),
    (OperationType::Mutation, "logIn", PeopleOnly),
    (OperationType::Mutation, "refreshToken", PeopleOnly),
    (OperationType::Mutation, "logOut", PeopleOnly),
    (OperationType::Mutation, "createBot", PeopleOnly),
    (OperationType::Mutation, "createApiToken", PeopleOnly),
    (OperationType::Mutation, "revokeApiToken", PeopleOnly),
    (OperationType::Mutation, "createIncomingWebhook", PeopleOnly),
    (OperationType::Mutation, "deleteIncomingWebhook", PeopleOnly),
    (OperationType::Mutation, "createOutgoingWebhook", PeopleOnly),
    (OperationType::Mutation, "deleteOutgoingWebhook", PeopleOnly),
    (OperationType::Mutation, "registerSlashCommand", PeopleOnly),
    (OperationType::Mutation, "deleteSlashCommand", PeopleOnly),
    (
        OperationType::Mutation,
        "runSlashCommand",
        Token(Some(MessagesWrite), Room("input.roomId")),
    ),
    (
        OperationType::Mutation,
        "updateProfile",
        Token(Some(ProfileWrite), Nowhere),
    ),
    (
        OperationType::Mutation,
        "setPresence",
        Token(Some(ProfileWrite), Nowhere),
    ),
    (
        OperationType::Mutation,
        "setNotificationSettings",
        Token(Some(ProfileWrite), Room("input.roomId")),
    ),
    (
        OperationType::Mutation,
        "createDirectRoom",
        Token(Some(RoomsWrite), Everywhere),
    ),
    (
        OperationType::Mutation,
        "createGroupRoom",
        Token(Some(RoomsWrite), Everywhere),
    ),
    (
        OperationType::Mutation,
        "inviteToRoom",
        Token(Some(RoomsWrite), Room("roomId")),
    ),
    (
        OperationType::Mutation,
        "leaveRoom",
        Token(Some(RoomsWrite), Room("roomId")),
    ),
    (
        OperationType::Mutation,
        "setRoomRole",
        Token(Some(RoomsWrite), Room("roomId")),
    ),
    (
        OperationType::Mutation,
        "markRead",
        Token(Some(MessagesRead), Room("roomId")),
    ),
    (
        OperationType::Mutation,
        "markNotificationsRead",
        Token(Some(MessagesRead), Everywhere),
    ),
    (
        OperationType::Mutation,
        "sendMessage",
        Token(Some(MessagesWrite), Room("input.roomId")),
    ),
    (
        OperationType::Mutation,
        "replyInThread",
        Token(Some(MessagesWrite), Message("input.parentId")),
    ),
    (
        OperationType::Mutation,
        "editMessage",
        Token(Some(MessagesWrite), Message("id")),
    ),
    (
        OperationType::Mutation,
        "deleteMessage",
        Token(Some(MessagesWrite), Message("id")),
    ),
    (
        OperationType::Mutation,
        "removeLinkPreview",
        Token(Some(MessagesWrite), Message("messageId")),
    ),
    (
        OperationType::Mutation,
        "setTyping",
        Token(Some(MessagesWrite), Room("roomId")),
    ),
    (
        OperationType::Mutation,
        "addReaction",
        Token(Some(ReactionsWrite), Message("messageId")),
    ),
    (
        OperationType::Mutation,
        "removeReaction",
        Token(Some(ReactionsWrite), Message("messageId")),
    ),
    (
        OperationType::Mutation,
        "uploadImage",
        Token(Some(FilesWrite), Nowhere),
    ),
    (
        OperationType::Subscription,
        "roomEvents",
        Token(Some(MessagesRead), Room("roomId")),
    ),
    (
        OperationType::Subscription,
        "events",
        Token(Some(MessagesRead), Everywhere),
    ),
    (
        OperationType::Subscription,
        "mentions",
        Token(Some(MessagesRead), Everywhere),
    ),
    (
        OperationType::Subscription,
        "notifications",
        Token(Some(MessagesRead), Everywhere),
    ),
    (
        OperationType::Subscription,
        "presence",
        Token(Some(RoomsRead), Nowhere),
    ),
];

/// The rule of root field `name` of an operation of type `ty`.
pub fn rule(ty: OperationType, name: &str) -> Option<Rule> {
    RULES
        .iter()
        .find(|(t, n, _)| *t == ty && *n == name)
        .map(|(_, _, rule)| *rule)
}

/// The extension applying [`RULES`] to every operation sent with an API token.
pub struct TokenAccess;

impl ExtensionFactory for TokenAccess {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(TokenAccess)
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for TokenAccess {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        let viewer = match ctx.data_opt::<Auth>() {
            Some(Auth::Viewer(viewer)) if matches!(viewer.access, Access::Token { .. }) => *viewer,
            _ => return Ok(document),
        };
        let deps = ctx
            .data::<Deps>()
            .map_err(|_| server_error(&Error::internal("Deps not registered")))?;
        if let Some(token_id) = viewer.token_id() {
            deps.rate
                .api_token(token_id)
                .await
                .map_err(|err| server_error(&err))?;
        }
        check_document(deps, viewer, &document, variables)
            .await
            .map_err(|err| server_error(&err))?;
        Ok(document)
    }
}

/// Every operation of the document must pass (any of them may be the one the request runs).
async fn check_document(
    deps: &Deps,
    viewer: Viewer,
    document: &ExecutableDocument,
    variables: &Variables,
) -> Result<(), Error> {
    let room_limited = matches!(
        viewer.access,
        Access::Token {
            room_limited: true,
            ..
        }
    );
    for (_, operation) in document.operations.iter() {
        let operation = &operation.node;
        let mut fields = Vec::new();
        root_fields(
            document,
            &operation.selection_set.node,
            &mut HashSet::new(),
            &mut fields,
        );
        for field in fields {
            let name = field.name.node.as_str();
            if name.starts_with("__") {
                continue;
            }
            let (scope, target) = match rule(operation.ty, name) {
                Some(Token(scope, target)) => (scope, target),
                Some(PeopleOnly) | None => {
                    return Err(Error::Forbidden(
                        "API tokens cannot use this field; sign in to do that",
                    ));
                }
            };
            if let Some(scope) = scope {
                viewer.require(scope)?;
            }
            if room_limited {
                check_room(deps, viewer, operation, field, variables, target).await?;
            }
        }
    }
    Ok(())
}

/// The room limit of a token, for one root field.
async fn check_room(
    deps: &Deps,
    viewer: Viewer,
    operation: &OperationDefinition,
    field: &Field,
    variables: &Variables,
    target: Target,
) -> Result<(), Error> {
    let (path, by_message) = match target {
        Nowhere | Filtered => return Ok(()),
        Everywhere => {
            return Err(Error::Forbidden(
                "a token limited to rooms cannot use this field; name one of its rooms instead",
            ));
        }
        Room(path) => (path, false),
        Message(path) => (path, true),
    };
    let refusal = || {
        if by_message {
            MESSAGE_NOT_FOUND
        } else {
            NOT_A_MEMBER
        }
    };
    let Some(value) = argument(operation, field, variables, path) else {
        // Absent (an optional room): nothing to limit. A variable that is not given also ends here, and
        // then the field's own validation refuses the request.
        return Ok(());
    };
    // An id that is not a UUID names no room of the token's; the resolver would refuse it anyway.
    let id = match value {
        Value::String(id) => Uuid::parse_str(&id).map_err(|_| refusal())?,
        _ => return Err(refusal()),
    };
    let room_id = if by_message {
        match messages::Entity::find_by_id(id).one(&deps.db).await? {
            Some(message) => message.room_id,
            None => return Err(refusal()),
        }
    } else {
        id
    };
    if deps.api_tokens.allows_room(viewer, room_id).await? {
        Ok(())
    } else {
        Err(refusal())
    }
}

/// The value at `path` (`input.roomId`) of a field's arguments, with variables (and their defaults) applied.
fn argument(
    operation: &OperationDefinition,
    field: &Field,
    variables: &Variables,
    path: &str,
) -> Option<Value> {
    let mut parts = path.split('.');
    let first = parts.next()?;
    let value = field.get_argument(first)?.node.clone();
    let mut value = value
        .into_const_with(|name| {
            variables
                .get(&name)
                .cloned()
                .or_else(|| {
                    operation
                        .variable_definitions
                        .iter()
                        .find(|def| def.node.name.node == name)
                        .and_then(|def| def.node.default_value())
                        .cloned()
                })
                .ok_or(())
        })
        .ok()?;
    for part in parts {
        value = match value {
            Value::Object(mut object) => object.swap_remove(part)?,
            _ => return None,
        };
    }
    match value {
        Value::Null => None,
        value => Some(value),
    }
}

/// The fields of an operation's root selection, through fragments (each expanded once).
fn root_fields<'a>(
    document: &'a ExecutableDocument,
    set: &'a SelectionSet,
    seen: &mut HashSet<&'a str>,
    out: &mut Vec<&'a Field>,
) {
    for selection in &set.items {
        match &selection.node {
            Selection::Field(field) => out.push(&field.node),
            Selection::InlineFragment(inline) => {
                root_fields(document, &inline.node.selection_set.node, seen, out);
            }
            Selection::FragmentSpread(spread) => {
                let name = spread.node.fragment_name.node.as_str();
                if seen.insert(name)
                    && let Some(fragment) = document.fragments.get(&spread.node.fragment_name.node)
                {
                    root_fields(document, &fragment.node.selection_set.node, seen, out);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use async_graphql::parser::parse_schema;
    use async_graphql::parser::types::{TypeKind, TypeSystemDefinition};

    use super::*;

    #[test]
    fn every_root_field_of_the_schema_has_a_rule_and_every_rule_a_field() {
        let sdl = crate::sdl();
        let document = parse_schema(&sdl).expect("the SDL parses");
        let mut fields = HashSet::new();
        for definition in document.definitions {
            let TypeSystemDefinition::Type(ty) = definition else {
                continue;
            };
            let ty = ty.node;
            let op = match ty.name.node.as_str() {
                "Query" => OperationType::Query,
                "Mutation" => OperationType::Mutation,
                "Subscription" => OperationType::Subscription,
                _ => continue,
            };
            let TypeKind::Object(object) = ty.kind else {
                continue;
            };
            for field in object.fields {
                let name = field.node.name.node.to_string();
                assert!(
                    rule(op, &name).is_some(),
                    "root field {name} ({op}) has no rule in access::RULES"
                );
                fields.insert((op.to_string(), name));
            }
        }
        for (op, name, _) in RULES {
            assert!(
                fields.contains(&(op.to_string(), (*name).to_owned())),
                "access::RULES names {name} ({op}), which the schema does not have"
            );
        }
    }
}
