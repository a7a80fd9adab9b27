//! GraphQL documents. The measured operations are the web client's own (read from `frontend/src/graphql` at
//! compile time, so the benchmark follows the client when it changes); set-up uses minimal documents whose
//! cost is not measured.

const USER_FIELDS: &str = include_str!("../../frontend/src/graphql/fragments/UserFields.graphql");
const MESSAGE_FIELDS: &str =
    include_str!("../../frontend/src/graphql/fragments/MessageFields.graphql");
const AUTH_FIELDS: &str = include_str!("../../frontend/src/graphql/fragments/AuthFields.graphql");
const ROOM_FIELDS: &str = include_str!("../../frontend/src/graphql/fragments/RoomFields.graphql");

const WEB_EVENTS: &str = include_str!("../../frontend/src/graphql/subscriptions/Events.graphql");
const WEB_SEND_MESSAGE: &str = include_str!("../../frontend/src/graphql/SendMessage.graphql");
const WEB_MESSAGES: &str = include_str!("../../frontend/src/graphql/Messages.graphql");
const WEB_LOG_IN: &str = include_str!("../../frontend/src/graphql/LogIn.graphql");

/// The web client's `events` subscription with every fragment it uses.
pub fn web_events() -> String {
    [WEB_EVENTS, MESSAGE_FIELDS, ROOM_FIELDS, USER_FIELDS].concat()
}

pub fn web_send_message() -> String {
    [WEB_SEND_MESSAGE, MESSAGE_FIELDS, USER_FIELDS].concat()
}

pub fn web_messages() -> String {
    [WEB_MESSAGES, MESSAGE_FIELDS, USER_FIELDS].concat()
}

pub fn web_log_in() -> String {
    [WEB_LOG_IN, AUTH_FIELDS, USER_FIELDS].concat()
}

/// The smallest useful `events` selection: what a bot or a thin client asks for, so fan-out measures
/// delivery rather than resolving the web client's heavy selection.
pub const MIN_EVENTS: &str = "subscription ($positions: [RoomPositionInput!]) { \
    events(positions: $positions) { __typename \
    ... on MessageAdded { roomId seq message { id clientId content } } } }";

pub const ROOM_LAST_SEQ: &str = "query ($id: ID!) { room(id: $id) { lastSeq } }";

pub const SIGN_UP: &str =
    "mutation ($input: SignUpInput!) { signUp(input: $input) { accessToken user { id } } }";

pub const CREATE_GROUP_ROOM: &str =
    "mutation ($input: CreateGroupRoomInput!) { createGroupRoom(input: $input) { id } }";

pub const INVITE_TO_ROOM: &str = "mutation ($roomId: ID!, $userIds: [ID!]!) { inviteToRoom(roomId: $roomId, userIds: $userIds) { id } }";

pub const SEND_MESSAGE_MIN: &str =
    "mutation ($input: SendMessageInput!) { sendMessage(input: $input) { id seq } }";
