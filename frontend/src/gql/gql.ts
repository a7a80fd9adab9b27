/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "mutation AddReaction($messageId: ID!, $emoji: String!) {\n  addReaction(messageId: $messageId, emoji: $emoji) {\n    ...MessageFields\n  }\n}": typeof types.AddReactionDocument,
    "mutation CreateApiToken($input: CreateApiTokenInput!) {\n  createApiToken(input: $input) {\n    token\n    apiToken {\n      ...ApiTokenFields\n    }\n  }\n}": typeof types.CreateApiTokenDocument,
    "mutation CreateBot($input: CreateBotInput!) {\n  createBot(input: $input) {\n    id\n    nickname\n  }\n}": typeof types.CreateBotDocument,
    "mutation CreateDirectRoom($userId: ID!) {\n  createDirectRoom(userId: $userId) {\n    ...RoomFields\n  }\n}": typeof types.CreateDirectRoomDocument,
    "mutation CreateGroupRoom($input: CreateGroupRoomInput!) {\n  createGroupRoom(input: $input) {\n    ...RoomFields\n  }\n}": typeof types.CreateGroupRoomDocument,
    "mutation CreateIncomingWebhook($roomId: ID!, $name: String!) {\n  createIncomingWebhook(roomId: $roomId, name: $name) {\n    id\n    name\n    url\n  }\n}": typeof types.CreateIncomingWebhookDocument,
    "mutation CreateOutgoingWebhook($input: CreateOutgoingWebhookInput!) {\n  createOutgoingWebhook(input: $input) {\n    id\n    secret\n  }\n}": typeof types.CreateOutgoingWebhookDocument,
    "mutation DeleteIncomingWebhook($id: ID!) {\n  deleteIncomingWebhook(id: $id)\n}": typeof types.DeleteIncomingWebhookDocument,
    "mutation DeleteMessage($id: ID!) {\n  deleteMessage(id: $id) {\n    ...MessageFields\n  }\n}": typeof types.DeleteMessageDocument,
    "mutation DeleteOutgoingWebhook($id: ID!) {\n  deleteOutgoingWebhook(id: $id)\n}": typeof types.DeleteOutgoingWebhookDocument,
    "mutation DeleteSlashCommand($id: ID!) {\n  deleteSlashCommand(id: $id)\n}": typeof types.DeleteSlashCommandDocument,
    "mutation EditMessage($id: ID!, $content: String!) {\n  editMessage(id: $id, content: $content) {\n    ...MessageFields\n  }\n}": typeof types.EditMessageDocument,
    "query Integrations {\n  myBots {\n    id\n    nickname\n  }\n  apiTokens {\n    ...ApiTokenFields\n  }\n}": typeof types.IntegrationsDocument,
    "mutation InviteToRoom($roomId: ID!, $userIds: [ID!]!) {\n  inviteToRoom(roomId: $roomId, userIds: $userIds) {\n    ...RoomFields\n  }\n}": typeof types.InviteToRoomDocument,
    "mutation LeaveRoom($roomId: ID!) {\n  leaveRoom(roomId: $roomId)\n}": typeof types.LeaveRoomDocument,
    "mutation LogIn($input: LogInInput!) {\n  logIn(input: $input) {\n    ...AuthFields\n  }\n}": typeof types.LogInDocument,
    "mutation LogOut($refreshToken: String!) {\n  logOut(refreshToken: $refreshToken)\n}": typeof types.LogOutDocument,
    "mutation MarkRead($roomId: ID!, $messageId: ID!) {\n  markRead(roomId: $roomId, messageId: $messageId) {\n    id\n    lastSeq\n    unreadCount\n    unreadMentionCount\n    members {\n      lastReadSeq\n      seenAt\n      user {\n        id\n      }\n    }\n  }\n}": typeof types.MarkReadDocument,
    "query Me {\n  me {\n    email\n    notificationsEnabled\n    user {\n      ...UserFields\n    }\n  }\n}": typeof types.MeDocument,
    "query Messages($roomId: ID!, $last: Int, $before: String, $first: Int, $after: String, $around: ID, $aroundSeq: Int) {\n  messages(\n    roomId: $roomId\n    last: $last\n    before: $before\n    first: $first\n    after: $after\n    around: $around\n    aroundSeq: $aroundSeq\n  ) {\n    edges {\n      cursor\n      node {\n        ...MessageFields\n      }\n    }\n    pageInfo {\n      hasPreviousPage\n      hasNextPage\n      startCursor\n      endCursor\n    }\n  }\n}": typeof types.MessagesDocument,
    "mutation RefreshToken($refreshToken: String!) {\n  refreshToken(refreshToken: $refreshToken) {\n    ...AuthFields\n  }\n}": typeof types.RefreshTokenDocument,
    "mutation RegisterSlashCommand($input: RegisterSlashCommandInput!) {\n  registerSlashCommand(input: $input) {\n    id\n    command\n    secret\n  }\n}": typeof types.RegisterSlashCommandDocument,
    "mutation RemoveLinkPreview($messageId: ID!) {\n  removeLinkPreview(messageId: $messageId) {\n    ...MessageFields\n  }\n}": typeof types.RemoveLinkPreviewDocument,
    "mutation RemoveReaction($messageId: ID!, $emoji: String!) {\n  removeReaction(messageId: $messageId, emoji: $emoji) {\n    ...MessageFields\n  }\n}": typeof types.RemoveReactionDocument,
    "mutation ReplyInThread($input: ReplyInput!) {\n  replyInThread(input: $input) {\n    ...MessageFields\n    parent {\n      id\n      replyCount\n      lastReplyAt\n    }\n  }\n}": typeof types.ReplyInThreadDocument,
    "mutation RevokeApiToken($id: ID!) {\n  revokeApiToken(id: $id)\n}": typeof types.RevokeApiTokenDocument,
    "query Room($id: ID!) {\n  room(id: $id) {\n    ...RoomFields\n  }\n}": typeof types.RoomDocument,
    "query RoomIntegrations($roomId: ID!) {\n  incomingWebhooks(roomId: $roomId) {\n    id\n    name\n    botId\n    createdAt\n  }\n  outgoingWebhooks(roomId: $roomId) {\n    id\n    url\n    events\n    enabled\n    cursorSeq\n    createdAt\n    deliveries {\n      seq\n      kind\n      attempts\n      statusCode\n      error\n      deliveredAt\n      nextAttemptAt\n    }\n  }\n  slashCommands(roomId: $roomId) {\n    id\n    command\n    description\n    url\n    bot {\n      id\n      nickname\n    }\n  }\n  myBots {\n    id\n    nickname\n  }\n}": typeof types.RoomIntegrationsDocument,
    "query Rooms {\n  rooms {\n    ...RoomFields\n  }\n}": typeof types.RoomsDocument,
    "mutation RunSlashCommand($input: RunSlashCommandInput!) {\n  runSlashCommand(input: $input) {\n    reply {\n      ...MessageFields\n    }\n  }\n}": typeof types.RunSlashCommandDocument,
    "query Search($query: String!, $first: Int, $after: String, $sort: SearchSort) {\n  search(query: $query, first: $first, after: $after, sort: $sort) {\n    edges {\n      cursor\n      node {\n        message {\n          id\n          roomId\n          parentId\n          content\n          createdAt\n          editedAt\n          sender {\n            id\n            nickname\n            avatarUrl\n          }\n          attachments {\n            id\n            contentType\n          }\n        }\n        room {\n          id\n          name\n          isGroup\n        }\n        highlights {\n          start\n          end\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": typeof types.SearchDocument,
    "query SearchUsers($query: String!, $first: Int) {\n  searchUsers(query: $query, first: $first) {\n    ...UserFields\n  }\n}": typeof types.SearchUsersDocument,
    "mutation SendMessage($input: SendMessageInput!) {\n  sendMessage(input: $input) {\n    ...MessageFields\n  }\n}": typeof types.SendMessageDocument,
    "query ServerInfo {\n  serverInfo {\n    version\n    uploads {\n      enabled\n      maxBytes\n      maxImageBytes\n      types\n    }\n    limits {\n      messageMaxChars\n      pageSizeMax\n    }\n  }\n}": typeof types.ServerInfoDocument,
    "mutation SetNotificationSettings($input: NotificationSettingsInput!) {\n  setNotificationSettings(input: $input) {\n    email\n    notificationsEnabled\n    user {\n      ...UserFields\n    }\n  }\n}": typeof types.SetNotificationSettingsDocument,
    "mutation SetPresence($status: PresenceStatus!) {\n  setPresence(status: $status)\n}": typeof types.SetPresenceDocument,
    "mutation SetRoomRole($roomId: ID!, $userId: ID!, $role: RoomRole!) {\n  setRoomRole(roomId: $roomId, userId: $userId, role: $role) {\n    ...RoomFields\n  }\n}": typeof types.SetRoomRoleDocument,
    "mutation SetTyping($roomId: ID!) {\n  setTyping(roomId: $roomId)\n}": typeof types.SetTypingDocument,
    "mutation SignUp($input: SignUpInput!) {\n  signUp(input: $input) {\n    ...AuthFields\n  }\n}": typeof types.SignUpDocument,
    "query SlashCommands($roomId: ID!) {\n  slashCommands(roomId: $roomId) {\n    id\n    command\n    description\n  }\n}": typeof types.SlashCommandsDocument,
    "query Thread($messageId: ID!, $first: Int, $after: String) {\n  thread(messageId: $messageId, first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        ...MessageFields\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": typeof types.ThreadDocument,
    "mutation UpdateProfile($input: UpdateProfileInput!) {\n  updateProfile(input: $input) {\n    ...UserFields\n  }\n}": typeof types.UpdateProfileDocument,
    "query UserPresence($id: ID!) {\n  user(id: $id) {\n    id\n    presence {\n      status\n      lastSeenAt\n    }\n  }\n}": typeof types.UserPresenceDocument,
    "fragment ApiTokenFields on ApiToken {\n  id\n  name\n  scopes\n  roomIds\n  botId\n  expiresAt\n  lastUsedAt\n  createdAt\n  revoked\n}": typeof types.ApiTokenFieldsFragmentDoc,
    "fragment AuthFields on AuthPayload {\n  accessToken\n  refreshToken\n  expiresIn\n  user {\n    ...UserFields\n  }\n}": typeof types.AuthFieldsFragmentDoc,
    "fragment MessageFields on Message {\n  id\n  roomId\n  seq\n  parentId\n  content\n  clientId\n  createdAt\n  editedAt\n  deletedAt\n  replyCount\n  displayName\n  displayAvatarUrl\n  lastReplyAt\n  sender {\n    ...UserFields\n  }\n  linkPreview {\n    url\n    title\n    description\n    imageUrl\n    siteName\n  }\n  attachments {\n    id\n    url\n    contentType\n    size\n    width\n    height\n    fileName\n    thumbnailUrl\n    blurhash\n  }\n  reactions {\n    emoji\n    count\n    reactedByMe\n    users {\n      id\n      nickname\n    }\n  }\n  mentions {\n    id\n    nickname\n  }\n  seenBy {\n    id\n    nickname\n  }\n}": typeof types.MessageFieldsFragmentDoc,
    "fragment RoomFields on Room {\n  id\n  name\n  isGroup\n  unreadCount\n  unreadMentionCount\n  muted\n  lastSeq\n  createdAt\n  lastActivityAt\n  members {\n    role\n    joinedAt\n    seenAt\n    lastReadSeq\n    user {\n      ...UserFields\n    }\n  }\n  lastMessage {\n    ...MessageFields\n  }\n}": typeof types.RoomFieldsFragmentDoc,
    "fragment UserFields on User {\n  id\n  nickname\n  isBot\n  avatarUrl\n  presence {\n    status\n    lastSeenAt\n  }\n}": typeof types.UserFieldsFragmentDoc,
    "subscription Events($positions: [RoomPositionInput!]) {\n  events(positions: $positions) {\n    __typename\n    ... on MessageAdded {\n      seq\n      roomId\n      at\n      message {\n        ...MessageFields\n        parent {\n          id\n          replyCount\n          lastReplyAt\n        }\n      }\n    }\n    ... on MessageEdited {\n      seq\n      roomId\n      at\n      message {\n        ...MessageFields\n      }\n    }\n    ... on MessageDeleted {\n      seq\n      roomId\n      at\n      message {\n        ...MessageFields\n      }\n    }\n    ... on ReactionChanged {\n      seq\n      roomId\n      at\n      emoji\n      added\n      user {\n        id\n        nickname\n      }\n      message {\n        ...MessageFields\n      }\n    }\n    ... on ReadReceipt {\n      seq\n      roomId\n      at\n      lastReadSeq\n      seenAt\n      user {\n        id\n        nickname\n      }\n    }\n    ... on TypingStarted {\n      seq\n      roomId\n      at\n      user {\n        id\n        nickname\n      }\n    }\n    ... on MemberJoined {\n      seq\n      roomId\n      at\n      user {\n        ...UserFields\n      }\n    }\n    ... on MemberLeft {\n      seq\n      roomId\n      at\n      user {\n        ...UserFields\n      }\n    }\n    ... on MemberRoleChanged {\n      seq\n      roomId\n      at\n      role\n      user {\n        id\n      }\n    }\n    ... on RoomAdded {\n      roomId\n      at\n      room {\n        ...RoomFields\n      }\n    }\n    ... on RoomRemoved {\n      roomId\n      at\n    }\n    ... on UserUpdated {\n      at\n      user {\n        ...UserFields\n      }\n    }\n    ... on NotificationAdded {\n      notification {\n        id\n        kind\n        createdAt\n        read\n        room {\n          id\n          name\n          isGroup\n        }\n        message {\n          ...MessageFields\n        }\n      }\n    }\n    ... on MentionAlert {\n      by {\n        id\n        nickname\n      }\n      room {\n        id\n        name\n        isGroup\n      }\n      message {\n        ...MessageFields\n      }\n    }\n  }\n}": typeof types.EventsDocument,
    "subscription Presence($userIds: [ID!]!) {\n  presence(userIds: $userIds) {\n    status\n    lastSeenAt\n    user {\n      id\n    }\n  }\n}": typeof types.PresenceDocument,
};
const documents: Documents = {
    "mutation AddReaction($messageId: ID!, $emoji: String!) {\n  addReaction(messageId: $messageId, emoji: $emoji) {\n    ...MessageFields\n  }\n}": types.AddReactionDocument,
    "mutation CreateApiToken($input: CreateApiTokenInput!) {\n  createApiToken(input: $input) {\n    token\n    apiToken {\n      ...ApiTokenFields\n    }\n  }\n}": types.CreateApiTokenDocument,
    "mutation CreateBot($input: CreateBotInput!) {\n  createBot(input: $input) {\n    id\n    nickname\n  }\n}": types.CreateBotDocument,
    "mutation CreateDirectRoom($userId: ID!) {\n  createDirectRoom(userId: $userId) {\n    ...RoomFields\n  }\n}": types.CreateDirectRoomDocument,
    "mutation CreateGroupRoom($input: CreateGroupRoomInput!) {\n  createGroupRoom(input: $input) {\n    ...RoomFields\n  }\n}": types.CreateGroupRoomDocument,
    "mutation CreateIncomingWebhook($roomId: ID!, $name: String!) {\n  createIncomingWebhook(roomId: $roomId, name: $name) {\n    id\n    name\n    url\n  }\n}": types.CreateIncomingWebhookDocument,
    "mutation CreateOutgoingWebhook($input: CreateOutgoingWebhookInput!) {\n  createOutgoingWebhook(input: $input) {\n    id\n    secret\n  }\n}": types.CreateOutgoingWebhookDocument,
    "mutation DeleteIncomingWebhook($id: ID!) {\n  deleteIncomingWebhook(id: $id)\n}": types.DeleteIncomingWebhookDocument,
    "mutation DeleteMessage($id: ID!) {\n  deleteMessage(id: $id) {\n    ...MessageFields\n  }\n}": types.DeleteMessageDocument,
    "mutation DeleteOutgoingWebhook($id: ID!) {\n  deleteOutgoingWebhook(id: $id)\n}": types.DeleteOutgoingWebhookDocument,
    "mutation DeleteSlashCommand($id: ID!) {\n  deleteSlashCommand(id: $id)\n}": types.DeleteSlashCommandDocument,
    "mutation EditMessage($id: ID!, $content: String!) {\n  editMessage(id: $id, content: $content) {\n    ...MessageFields\n  }\n}": types.EditMessageDocument,
    "query Integrations {\n  myBots {\n    id\n    nickname\n  }\n  apiTokens {\n    ...ApiTokenFields\n  }\n}": types.IntegrationsDocument,
    "mutation InviteToRoom($roomId: ID!, $userIds: [ID!]!) {\n  inviteToRoom(roomId: $roomId, userIds: $userIds) {\n    ...RoomFields\n  }\n}": types.InviteToRoomDocument,
    "mutation LeaveRoom($roomId: ID!) {\n  leaveRoom(roomId: $roomId)\n}": types.LeaveRoomDocument,
    "mutation LogIn($input: LogInInput!) {\n  logIn(input: $input) {\n    ...AuthFields\n  }\n}": types.LogInDocument,
    "mutation LogOut($refreshToken: String!) {\n  logOut(refreshToken: $refreshToken)\n}": types.LogOutDocument,
    "mutation MarkRead($roomId: ID!, $messageId: ID!) {\n  markRead(roomId: $roomId, messageId: $messageId) {\n    id\n    lastSeq\n    unreadCount\n    unreadMentionCount\n    members {\n      lastReadSeq\n      seenAt\n      user {\n        id\n      }\n    }\n  }\n}": types.MarkReadDocument,
    "query Me {\n  me {\n    email\n    notificationsEnabled\n    user {\n      ...UserFields\n    }\n  }\n}": types.MeDocument,
    "query Messages($roomId: ID!, $last: Int, $before: String, $first: Int, $after: String, $around: ID, $aroundSeq: Int) {\n  messages(\n    roomId: $roomId\n    last: $last\n    before: $before\n    first: $first\n    after: $after\n    around: $around\n    aroundSeq: $aroundSeq\n  ) {\n    edges {\n      cursor\n      node {\n        ...MessageFields\n      }\n    }\n    pageInfo {\n      hasPreviousPage\n      hasNextPage\n      startCursor\n      endCursor\n    }\n  }\n}": types.MessagesDocument,
    "mutation RefreshToken($refreshToken: String!) {\n  refreshToken(refreshToken: $refreshToken) {\n    ...AuthFields\n  }\n}": types.RefreshTokenDocument,
    "mutation RegisterSlashCommand($input: RegisterSlashCommandInput!) {\n  registerSlashCommand(input: $input) {\n    id\n    command\n    secret\n  }\n}": types.RegisterSlashCommandDocument,
    "mutation RemoveLinkPreview($messageId: ID!) {\n  removeLinkPreview(messageId: $messageId) {\n    ...MessageFields\n  }\n}": types.RemoveLinkPreviewDocument,
    "mutation RemoveReaction($messageId: ID!, $emoji: String!) {\n  removeReaction(messageId: $messageId, emoji: $emoji) {\n    ...MessageFields\n  }\n}": types.RemoveReactionDocument,
    "mutation ReplyInThread($input: ReplyInput!) {\n  replyInThread(input: $input) {\n    ...MessageFields\n    parent {\n      id\n      replyCount\n      lastReplyAt\n    }\n  }\n}": types.ReplyInThreadDocument,
    "mutation RevokeApiToken($id: ID!) {\n  revokeApiToken(id: $id)\n}": types.RevokeApiTokenDocument,
    "query Room($id: ID!) {\n  room(id: $id) {\n    ...RoomFields\n  }\n}": types.RoomDocument,
    "query RoomIntegrations($roomId: ID!) {\n  incomingWebhooks(roomId: $roomId) {\n    id\n    name\n    botId\n    createdAt\n  }\n  outgoingWebhooks(roomId: $roomId) {\n    id\n    url\n    events\n    enabled\n    cursorSeq\n    createdAt\n    deliveries {\n      seq\n      kind\n      attempts\n      statusCode\n      error\n      deliveredAt\n      nextAttemptAt\n    }\n  }\n  slashCommands(roomId: $roomId) {\n    id\n    command\n    description\n    url\n    bot {\n      id\n      nickname\n    }\n  }\n  myBots {\n    id\n    nickname\n  }\n}": types.RoomIntegrationsDocument,
    "query Rooms {\n  rooms {\n    ...RoomFields\n  }\n}": types.RoomsDocument,
    "mutation RunSlashCommand($input: RunSlashCommandInput!) {\n  runSlashCommand(input: $input) {\n    reply {\n      ...MessageFields\n    }\n  }\n}": types.RunSlashCommandDocument,
    "query Search($query: String!, $first: Int, $after: String, $sort: SearchSort) {\n  search(query: $query, first: $first, after: $after, sort: $sort) {\n    edges {\n      cursor\n      node {\n        message {\n          id\n          roomId\n          parentId\n          content\n          createdAt\n          editedAt\n          sender {\n            id\n            nickname\n            avatarUrl\n          }\n          attachments {\n            id\n            contentType\n          }\n        }\n        room {\n          id\n          name\n          isGroup\n        }\n        highlights {\n          start\n          end\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": types.SearchDocument,
    "query SearchUsers($query: String!, $first: Int) {\n  searchUsers(query: $query, first: $first) {\n    ...UserFields\n  }\n}": types.SearchUsersDocument,
    "mutation SendMessage($input: SendMessageInput!) {\n  sendMessage(input: $input) {\n    ...MessageFields\n  }\n}": types.SendMessageDocument,
    "query ServerInfo {\n  serverInfo {\n    version\n    uploads {\n      enabled\n      maxBytes\n      maxImageBytes\n      types\n    }\n    limits {\n      messageMaxChars\n      pageSizeMax\n    }\n  }\n}": types.ServerInfoDocument,
    "mutation SetNotificationSettings($input: NotificationSettingsInput!) {\n  setNotificationSettings(input: $input) {\n    email\n    notificationsEnabled\n    user {\n      ...UserFields\n    }\n  }\n}": types.SetNotificationSettingsDocument,
    "mutation SetPresence($status: PresenceStatus!) {\n  setPresence(status: $status)\n}": types.SetPresenceDocument,
    "mutation SetRoomRole($roomId: ID!, $userId: ID!, $role: RoomRole!) {\n  setRoomRole(roomId: $roomId, userId: $userId, role: $role) {\n    ...RoomFields\n  }\n}": types.SetRoomRoleDocument,
    "mutation SetTyping($roomId: ID!) {\n  setTyping(roomId: $roomId)\n}": types.SetTypingDocument,
    "mutation SignUp($input: SignUpInput!) {\n  signUp(input: $input) {\n    ...AuthFields\n  }\n}": types.SignUpDocument,
    "query SlashCommands($roomId: ID!) {\n  slashCommands(roomId: $roomId) {\n    id\n    command\n    description\n  }\n}": types.SlashCommandsDocument,
    "query Thread($messageId: ID!, $first: Int, $after: String) {\n  thread(messageId: $messageId, first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        ...MessageFields\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": types.ThreadDocument,
    "mutation UpdateProfile($input: UpdateProfileInput!) {\n  updateProfile(input: $input) {\n    ...UserFields\n  }\n}": types.UpdateProfileDocument,
    "query UserPresence($id: ID!) {\n  user(id: $id) {\n    id\n    presence {\n      status\n      lastSeenAt\n    }\n  }\n}": types.UserPresenceDocument,
    "fragment ApiTokenFields on ApiToken {\n  id\n  name\n  scopes\n  roomIds\n  botId\n  expiresAt\n  lastUsedAt\n  createdAt\n  revoked\n}": types.ApiTokenFieldsFragmentDoc,
    "fragment AuthFields on AuthPayload {\n  accessToken\n  refreshToken\n  expiresIn\n  user {\n    ...UserFields\n  }\n}": types.AuthFieldsFragmentDoc,
    "fragment MessageFields on Message {\n  id\n  roomId\n  seq\n  parentId\n  content\n  clientId\n  createdAt\n  editedAt\n  deletedAt\n  replyCount\n  displayName\n  displayAvatarUrl\n  lastReplyAt\n  sender {\n    ...UserFields\n  }\n  linkPreview {\n    url\n    title\n    description\n    imageUrl\n    siteName\n  }\n  attachments {\n    id\n    url\n    contentType\n    size\n    width\n    height\n    fileName\n    thumbnailUrl\n    blurhash\n  }\n  reactions {\n    emoji\n    count\n    reactedByMe\n    users {\n      id\n      nickname\n    }\n  }\n  mentions {\n    id\n    nickname\n  }\n  seenBy {\n    id\n    nickname\n  }\n}": types.MessageFieldsFragmentDoc,
    "fragment RoomFields on Room {\n  id\n  name\n  isGroup\n  unreadCount\n  unreadMentionCount\n  muted\n  lastSeq\n  createdAt\n  lastActivityAt\n  members {\n    role\n    joinedAt\n    seenAt\n    lastReadSeq\n    user {\n      ...UserFields\n    }\n  }\n  lastMessage {\n    ...MessageFields\n  }\n}": types.RoomFieldsFragmentDoc,
    "fragment UserFields on User {\n  id\n  nickname\n  isBot\n  avatarUrl\n  presence {\n    status\n    lastSeenAt\n  }\n}": types.UserFieldsFragmentDoc,
    "subscription Events($positions: [RoomPositionInput!]) {\n  events(positions: $positions) {\n    __typename\n    ... on MessageAdded {\n      seq\n      roomId\n      at\n      message {\n        ...MessageFields\n        parent {\n          id\n          replyCount\n          lastReplyAt\n        }\n      }\n    }\n    ... on MessageEdited {\n      seq\n      roomId\n      at\n      message {\n        ...MessageFields\n      }\n    }\n    ... on MessageDeleted {\n      seq\n      roomId\n      at\n      message {\n        ...MessageFields\n      }\n    }\n    ... on ReactionChanged {\n      seq\n      roomId\n      at\n      emoji\n      added\n      user {\n        id\n        nickname\n      }\n      message {\n        ...MessageFields\n      }\n    }\n    ... on ReadReceipt {\n      seq\n      roomId\n      at\n      lastReadSeq\n      seenAt\n      user {\n        id\n        nickname\n      }\n    }\n    ... on TypingStarted {\n      seq\n      roomId\n      at\n      user {\n        id\n        nickname\n      }\n    }\n    ... on MemberJoined {\n      seq\n      roomId\n      at\n      user {\n        ...UserFields\n      }\n    }\n    ... on MemberLeft {\n      seq\n      roomId\n      at\n      user {\n        ...UserFields\n      }\n    }\n    ... on MemberRoleChanged {\n      seq\n      roomId\n      at\n      role\n      user {\n        id\n      }\n    }\n    ... on RoomAdded {\n      roomId\n      at\n      room {\n        ...RoomFields\n      }\n    }\n    ... on RoomRemoved {\n      roomId\n      at\n    }\n    ... on UserUpdated {\n      at\n      user {\n        ...UserFields\n      }\n    }\n    ... on NotificationAdded {\n      notification {\n        id\n        kind\n        createdAt\n        read\n        room {\n          id\n          name\n          isGroup\n        }\n        message {\n          ...MessageFields\n        }\n      }\n    }\n    ... on MentionAlert {\n      by {\n        id\n        nickname\n      }\n      room {\n        id\n        name\n        isGroup\n      }\n      message {\n        ...MessageFields\n      }\n    }\n  }\n}": types.EventsDocument,
    "subscription Presence($userIds: [ID!]!) {\n  presence(userIds: $userIds) {\n    status\n    lastSeenAt\n    user {\n      id\n    }\n  }\n}": types.PresenceDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation AddReaction($messageId: ID!, $emoji: String!) {\n  addReaction(messageId: $messageId, emoji: $emoji) {\n    ...MessageFields\n  }\n}"): typeof import('./graphql').AddReactionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CreateApiToken($input: CreateApiTokenInput!) {\n  createApiToken(input: $input) {\n    token\n    apiToken {\n      ...ApiTokenFields\n    }\n  }\n}"): typeof import('./graphql').CreateApiTokenDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CreateBot($input: CreateBotInput!) {\n  createBot(input: $input) {\n    id\n    nickname\n  }\n}"): typeof import('./graphql').CreateBotDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CreateDirectRoom($userId: ID!) {\n  createDirectRoom(userId: $userId) {\n    ...RoomFields\n  }\n}"): typeof import('./graphql').CreateDirectRoomDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CreateGroupRoom($input: CreateGroupRoomInput!) {\n  createGroupRoom(input: $input) {\n    ...RoomFields\n  }\n}"): typeof import('./graphql').CreateGroupRoomDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CreateIncomingWebhook($roomId: ID!, $name: String!) {\n  createIncomingWebhook(roomId: $roomId, name: $name) {\n    id\n    name\n    url\n  }\n}"): typeof import('./graphql').CreateIncomingWebhookDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CreateOutgoingWebhook($input: CreateOutgoingWebhookInput!) {\n  createOutgoingWebhook(input: $input) {\n    id\n    secret\n  }\n}"): typeof import('./graphql').CreateOutgoingWebhookDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation DeleteIncomingWebhook($id: ID!) {\n  deleteIncomingWebhook(id: $id)\n}"): typeof import('./graphql').DeleteIncomingWebhookDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation DeleteMessage($id: ID!) {\n  deleteMessage(id: $id) {\n    ...MessageFields\n  }\n}"): typeof import('./graphql').DeleteMessageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation DeleteOutgoingWebhook($id: ID!) {\n  deleteOutgoingWebhook(id: $id)\n}"): typeof import('./graphql').DeleteOutgoingWebhookDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation DeleteSlashCommand($id: ID!) {\n  deleteSlashCommand(id: $id)\n}"): typeof import('./graphql').DeleteSlashCommandDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation EditMessage($id: ID!, $content: String!) {\n  editMessage(id: $id, content: $content) {\n    ...MessageFields\n  }\n}"): typeof import('./graphql').EditMessageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Integrations {\n  myBots {\n    id\n    nickname\n  }\n  apiTokens {\n    ...ApiTokenFields\n  }\n}"): typeof import('./graphql').IntegrationsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation InviteToRoom($roomId: ID!, $userIds: [ID!]!) {\n  inviteToRoom(roomId: $roomId, userIds: $userIds) {\n    ...RoomFields\n  }\n}"): typeof import('./graphql').InviteToRoomDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation LeaveRoom($roomId: ID!) {\n  leaveRoom(roomId: $roomId)\n}"): typeof import('./graphql').LeaveRoomDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation LogIn($input: LogInInput!) {\n  logIn(input: $input) {\n    ...AuthFields\n  }\n}"): typeof import('./graphql').LogInDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation LogOut($refreshToken: String!) {\n  logOut(refreshToken: $refreshToken)\n}"): typeof import('./graphql').LogOutDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation MarkRead($roomId: ID!, $messageId: ID!) {\n  markRead(roomId: $roomId, messageId: $messageId) {\n    id\n    lastSeq\n    unreadCount\n    unreadMentionCount\n    members {\n      lastReadSeq\n      seenAt\n      user {\n        id\n      }\n    }\n  }\n}"): typeof import('./graphql').MarkReadDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Me {\n  me {\n    email\n    notificationsEnabled\n    user {\n      ...UserFields\n    }\n  }\n}"): typeof import('./graphql').MeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Messages($roomId: ID!, $last: Int, $before: String, $first: Int, $after: String, $around: ID, $aroundSeq: Int) {\n  messages(\n    roomId: $roomId\n    last: $last\n    before: $before\n    first: $first\n    after: $after\n    around: $around\n    aroundSeq: $aroundSeq\n  ) {\n    edges {\n      cursor\n      node {\n        ...MessageFields\n      }\n    }\n    pageInfo {\n      hasPreviousPage\n      hasNextPage\n      startCursor\n      endCursor\n    }\n  }\n}"): typeof import('./graphql').MessagesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RefreshToken($refreshToken: String!) {\n  refreshToken(refreshToken: $refreshToken) {\n    ...AuthFields\n  }\n}"): typeof import('./graphql').RefreshTokenDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RegisterSlashCommand($input: RegisterSlashCommandInput!) {\n  registerSlashCommand(input: $input) {\n    id\n    command\n    secret\n  }\n}"): typeof import('./graphql').RegisterSlashCommandDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RemoveLinkPreview($messageId: ID!) {\n  removeLinkPreview(messageId: $messageId) {\n    ...MessageFields\n  }\n}"): typeof import('./graphql').RemoveLinkPreviewDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RemoveReaction($messageId: ID!, $emoji: String!) {\n  removeReaction(messageId: $messageId, emoji: $emoji) {\n    ...MessageFields\n  }\n}"): typeof import('./graphql').RemoveReactionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ReplyInThread($input: ReplyInput!) {\n  replyInThread(input: $input) {\n    ...MessageFields\n    parent {\n      id\n      replyCount\n      lastReplyAt\n    }\n  }\n}"): typeof import('./graphql').ReplyInThreadDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RevokeApiToken($id: ID!) {\n  revokeApiToken(id: $id)\n}"): typeof import('./graphql').RevokeApiTokenDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Room($id: ID!) {\n  room(id: $id) {\n    ...RoomFields\n  }\n}"): typeof import('./graphql').RoomDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query RoomIntegrations($roomId: ID!) {\n  incomingWebhooks(roomId: $roomId) {\n    id\n    name\n    botId\n    createdAt\n  }\n  outgoingWebhooks(roomId: $roomId) {\n    id\n    url\n    events\n    enabled\n    cursorSeq\n    createdAt\n    deliveries {\n      seq\n      kind\n      attempts\n      statusCode\n      error\n      deliveredAt\n      nextAttemptAt\n    }\n  }\n  slashCommands(roomId: $roomId) {\n    id\n    command\n    description\n    url\n    bot {\n      id\n      nickname\n    }\n  }\n  myBots {\n    id\n    nickname\n  }\n}"): typeof import('./graphql').RoomIntegrationsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Rooms {\n  rooms {\n    ...RoomFields\n  }\n}"): typeof import('./graphql').RoomsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RunSlashCommand($input: RunSlashCommandInput!) {\n  runSlashCommand(input: $input) {\n    reply {\n      ...MessageFields\n    }\n  }\n}"): typeof import('./graphql').RunSlashCommandDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Search($query: String!, $first: Int, $after: String, $sort: SearchSort) {\n  search(query: $query, first: $first, after: $after, sort: $sort) {\n    edges {\n      cursor\n      node {\n        message {\n          id\n          roomId\n          parentId\n          content\n          createdAt\n          editedAt\n          sender {\n            id\n            nickname\n            avatarUrl\n          }\n          attachments {\n            id\n            contentType\n          }\n        }\n        room {\n          id\n          name\n          isGroup\n        }\n        highlights {\n          start\n          end\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"): typeof import('./graphql').SearchDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query SearchUsers($query: String!, $first: Int) {\n  searchUsers(query: $query, first: $first) {\n    ...UserFields\n  }\n}"): typeof import('./graphql').SearchUsersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SendMessage($input: SendMessageInput!) {\n  sendMessage(input: $input) {\n    ...MessageFields\n  }\n}"): typeof import('./graphql').SendMessageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ServerInfo {\n  serverInfo {\n    version\n    uploads {\n      enabled\n      maxBytes\n      maxImageBytes\n      types\n    }\n    limits {\n      messageMaxChars\n      pageSizeMax\n    }\n  }\n}"): typeof import('./graphql').ServerInfoDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SetNotificationSettings($input: NotificationSettingsInput!) {\n  setNotificationSettings(input: $input) {\n    email\n    notificationsEnabled\n    user {\n      ...UserFields\n    }\n  }\n}"): typeof import('./graphql').SetNotificationSettingsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SetPresence($status: PresenceStatus!) {\n  setPresence(status: $status)\n}"): typeof import('./graphql').SetPresenceDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SetRoomRole($roomId: ID!, $userId: ID!, $role: RoomRole!) {\n  setRoomRole(roomId: $roomId, userId: $userId, role: $role) {\n    ...RoomFields\n  }\n}"): typeof import('./graphql').SetRoomRoleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SetTyping($roomId: ID!) {\n  setTyping(roomId: $roomId)\n}"): typeof import('./graphql').SetTypingDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SignUp($input: SignUpInput!) {\n  signUp(input: $input) {\n    ...AuthFields\n  }\n}"): typeof import('./graphql').SignUpDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query SlashCommands($roomId: ID!) {\n  slashCommands(roomId: $roomId) {\n    id\n    command\n    description\n  }\n}"): typeof import('./graphql').SlashCommandsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Thread($messageId: ID!, $first: Int, $after: String) {\n  thread(messageId: $messageId, first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        ...MessageFields\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"): typeof import('./graphql').ThreadDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation UpdateProfile($input: UpdateProfileInput!) {\n  updateProfile(input: $input) {\n    ...UserFields\n  }\n}"): typeof import('./graphql').UpdateProfileDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query UserPresence($id: ID!) {\n  user(id: $id) {\n    id\n    presence {\n      status\n      lastSeenAt\n    }\n  }\n}"): typeof import('./graphql').UserPresenceDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment ApiTokenFields on ApiToken {\n  id\n  name\n  scopes\n  roomIds\n  botId\n  expiresAt\n  lastUsedAt\n  createdAt\n  revoked\n}"): typeof import('./graphql').ApiTokenFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment AuthFields on AuthPayload {\n  accessToken\n  refreshToken\n  expiresIn\n  user {\n    ...UserFields\n  }\n}"): typeof import('./graphql').AuthFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment MessageFields on Message {\n  id\n  roomId\n  seq\n  parentId\n  content\n  clientId\n  createdAt\n  editedAt\n  deletedAt\n  replyCount\n  displayName\n  displayAvatarUrl\n  lastReplyAt\n  sender {\n    ...UserFields\n  }\n  linkPreview {\n    url\n    title\n    description\n    imageUrl\n    siteName\n  }\n  attachments {\n    id\n    url\n    contentType\n    size\n    width\n    height\n    fileName\n    thumbnailUrl\n    blurhash\n  }\n  reactions {\n    emoji\n    count\n    reactedByMe\n    users {\n      id\n      nickname\n    }\n  }\n  mentions {\n    id\n    nickname\n  }\n  seenBy {\n    id\n    nickname\n  }\n}"): typeof import('./graphql').MessageFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment RoomFields on Room {\n  id\n  name\n  isGroup\n  unreadCount\n  unreadMentionCount\n  muted\n  lastSeq\n  createdAt\n  lastActivityAt\n  members {\n    role\n    joinedAt\n    seenAt\n    lastReadSeq\n    user {\n      ...UserFields\n    }\n  }\n  lastMessage {\n    ...MessageFields\n  }\n}"): typeof import('./graphql').RoomFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment UserFields on User {\n  id\n  nickname\n  isBot\n  avatarUrl\n  presence {\n    status\n    lastSeenAt\n  }\n}"): typeof import('./graphql').UserFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription Events($positions: [RoomPositionInput!]) {\n  events(positions: $positions) {\n    __typename\n    ... on MessageAdded {\n      seq\n      roomId\n      at\n      message {\n        ...MessageFields\n        parent {\n          id\n          replyCount\n          lastReplyAt\n        }\n      }\n    }\n    ... on MessageEdited {\n      seq\n      roomId\n      at\n      message {\n        ...MessageFields\n      }\n    }\n    ... on MessageDeleted {\n      seq\n      roomId\n      at\n      message {\n        ...MessageFields\n      }\n    }\n    ... on ReactionChanged {\n      seq\n      roomId\n      at\n      emoji\n      added\n      user {\n        id\n        nickname\n      }\n      message {\n        ...MessageFields\n      }\n    }\n    ... on ReadReceipt {\n      seq\n      roomId\n      at\n      lastReadSeq\n      seenAt\n      user {\n        id\n        nickname\n      }\n    }\n    ... on TypingStarted {\n      seq\n      roomId\n      at\n      user {\n        id\n        nickname\n      }\n    }\n    ... on MemberJoined {\n      seq\n      roomId\n      at\n      user {\n        ...UserFields\n      }\n    }\n    ... on MemberLeft {\n      seq\n      roomId\n      at\n      user {\n        ...UserFields\n      }\n    }\n    ... on MemberRoleChanged {\n      seq\n      roomId\n      at\n      role\n      user {\n        id\n      }\n    }\n    ... on RoomAdded {\n      roomId\n      at\n      room {\n        ...RoomFields\n      }\n    }\n    ... on RoomRemoved {\n      roomId\n      at\n    }\n    ... on UserUpdated {\n      at\n      user {\n        ...UserFields\n      }\n    }\n    ... on NotificationAdded {\n      notification {\n        id\n        kind\n        createdAt\n        read\n        room {\n          id\n          name\n          isGroup\n        }\n        message {\n          ...MessageFields\n        }\n      }\n    }\n    ... on MentionAlert {\n      by {\n        id\n        nickname\n      }\n      room {\n        id\n        name\n        isGroup\n      }\n      message {\n        ...MessageFields\n      }\n    }\n  }\n}"): typeof import('./graphql').EventsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription Presence($userIds: [ID!]!) {\n  presence(userIds: $userIds) {\n    status\n    lastSeenAt\n    user {\n      id\n    }\n  }\n}"): typeof import('./graphql').PresenceDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
