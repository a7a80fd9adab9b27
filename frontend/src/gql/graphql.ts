/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type CreateApiTokenInput = {
  /** One of your bots to mint it for; omitted: for you. */
  botId?: string | null | undefined;
  /** When it stops working; omitted: never (revoke it instead). */
  expiresAt?: string | null | undefined;
  /** A label for you, 1–64 characters. */
  name: string;
  /** Limit the token to these rooms (at most 100); omitted: every room of its user. */
  roomIds?: Array<string> | null | undefined;
  /**
   * At least one of `messages:read`, `messages:write`, `rooms:read`, `rooms:write`, `reactions:write`,
   * `files:write`, `profile:write`.
   */
  scopes: Array<string>;
};

export type CreateBotInput = {
  /** As for people: 2–32 of `A-Z a-z 0-9 _ . -`, unique case-insensitively. */
  nickname: string;
};

export type CreateGroupRoomInput = {
  /** People to add besides me (duplicates and my own id are ignored). */
  memberIds: Array<string>;
  /** 1–80 characters after trimming. */
  name: string;
};

export type CreateOutgoingWebhookInput = {
  /**
   * At least one of `MESSAGE_ADDED`, `MESSAGE_EDITED`, `MESSAGE_DELETED`, `REACTION_CHANGED`,
   * `MEMBER_JOINED`, `MEMBER_LEFT`, `MENTION`.
   */
  events: Array<string>;
  roomId: string;
  /**
   * An absolute http(s) URL; the address rules of link previews apply (no private or loopback addresses
   * unless allow-listed in `CHORUS_PREVIEW_ALLOW_HOSTS`).
   */
  url: string;
};

export type LogInInput = {
  email: string;
  password: string;
};

/** What a notification is about. */
export type NotificationKind =
  /** I was added to a room. */
  | 'INVITE'
  /** A message that `@mentions` me. */
  | 'MENTION'
  /**
   * A new message (or thread reply) in one of my rooms. Live only (the `notifications` subscription,
   * `NotificationAdded` of `events`): never in the stored `notifications` list.
   */
  | 'MESSAGE';

export type NotificationSettingsInput = {
  /** Global switch for pushed notifications. */
  enabled?: boolean | null | undefined;
  muted?: boolean | null | undefined;
  /** With `muted`: the room whose notifications to mute or unmute. */
  roomId?: string | null | undefined;
};

export type PresenceStatus =
  | 'AWAY'
  | 'OFFLINE'
  | 'ONLINE';

export type RegisterSlashCommandInput = {
  /** One of your bots: it answers in the room (and joins it if it is not in it). */
  botId: string;
  /**
   * The name, e.g. `deploy` (a leading `/` is dropped, capitals lowered): 1 to 32 of `a-z 0-9 _ -`,
   * unique in the room.
   */
  command: string;
  /** Shown when members type `/` (at most 200 characters). */
  description?: string;
  roomId: string;
  /** An absolute http(s) URL; the address rules of outgoing webhooks apply. */
  url: string;
};

export type ReplyInput = {
  attachmentIds?: Array<string> | null | undefined;
  clientId?: string | null | undefined;
  content: string;
  /** The message replied to; replies to a reply join its thread. */
  parentId: string;
};

/** Where a client stands in one room: `events` replays that room's stored events after `afterSeq`. */
export type RoomPositionInput = {
  afterSeq: number;
  roomId: string;
};

/** A member's role: the OWNER (one per group) and ADMINs may delete anyone's messages. */
export type RoomRole =
  | 'ADMIN'
  | 'MEMBER'
  | 'OWNER';

export type RunSlashCommandInput = {
  /** Everything after the name, as typed (trimmed). */
  args?: string;
  /** The command's name, with or without its slash. */
  command: string;
  roomId: string;
};

/** Order of search results. */
export type SearchSort =
  /** Newest first. */
  | 'RECENT'
  /**
   * Best matches first (whole words over parts of words, more terms over fewer); equally good ones
   * newest first.
   */
  | 'RELEVANCE';

export type SendMessageInput = {
  /** Own uploads, not yet sent (at most 10). */
  attachmentIds?: Array<string> | null | undefined;
  /** Idempotency key: sending again with the same key returns the original message. */
  clientId?: string | null | undefined;
  /**
   * Trimmed; 1–4000 characters (may be empty when attachments are given). No control characters other
   * than newline and tab.
   */
  content: string;
  roomId: string;
};

export type SignUpInput = {
  email: string;
  /** 2–32 of `A-Z a-z 0-9 _ . -`, unique case-insensitively. */
  nickname: string;
  /** 8 to 128 characters. */
  password: string;
};

export type UpdateProfileInput = {
  /** An image you uploaded (`uploadImage`) to use as avatar. */
  avatarAttachmentId?: string | null | undefined;
  /** New nickname: 2–32 of `A-Z a-z 0-9 _ . -`, unique case-insensitively. */
  nickname?: string | null | undefined;
};

export type AddReactionMutationVariables = Exact<{
  messageId: string;
  emoji: string;
}>;


export type AddReactionMutation = { addReaction: { id: string, roomId: string, seq: number, parentId: string | null, content: string | null, clientId: string | null, createdAt: string, editedAt: string | null, deletedAt: string | null, replyCount: number, displayName: string | null, displayAvatarUrl: string | null, lastReplyAt: string | null, sender: { id: string, nickname: string, isBot: boolean, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } | null, linkPreview: { url: string, title: string | null, description: string | null, imageUrl: string | null, siteName: string | null } | null, attachments: Array<{ id: string, url: string, contentType: string, size: number, width: number | null, height: number | null, fileName: string | null, thumbnailUrl: string | null, blurhash: string | null }>, reactions: Array<{ emoji: string, count: number, reactedByMe: boolean, users: Array<{ id: string, nickname: string }> }>, mentions: Array<{ id: string, nickname: string }>, seenBy: Array<{ id: string, nickname: string }> } };

export type CreateApiTokenMutationVariables = Exact<{
  input: CreateApiTokenInput;
}>;


export type CreateApiTokenMutation = { createApiToken: { token: string, apiToken: { id: string, name: string, scopes: Array<string>, roomIds: Array<string> | null, botId: string | null, expiresAt: string | null, lastUsedAt: string | null, createdAt: string, revoked: boolean } } };

export type CreateBotMutationVariables = Exact<{
  input: CreateBotInput;
}>;


export type CreateBotMutation = { createBot: { id: string, nickname: string } };

export type CreateDirectRoomMutationVariables = Exact<{
  userId: string;
}>;


export type CreateDirectRoomMutation = { createDirectRoom: { id: string, name: string | null, isGroup: boolean, unreadCount: number, unreadMentionCount: number, muted: boolean, lastSeq: number, createdAt: string, lastActivityAt: string, members: Array<{ role: RoomRole, joinedAt: string, seenAt: string | null, lastReadSeq: number | null, user: { id: string, nickname: string, isBot: boolean, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } }>, lastMessage: { id: string, roomId: string, seq: number, parentId: string | null, content: string | null, clientId: string | null, createdAt: string, editedAt: string | null, deletedAt: string | null, replyCount: number, displayName: string | null, displayAvatarUrl: string | null, lastReplyAt: string | null, sender: { id: string, nickname: string, isBot: boolean, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } | null, linkPreview: { url: string, title: string | null, description: string | null, imageUrl: string | null, siteName: string | null } | null, attachments: Array<{ id: string, url: string, contentType: string, size: number, width: number | null, height: number | null, fileName: string | null, thumbnailUrl: string | null, blurhash: string | null }>, reactions: Array<{ emoji: string, count: number, reactedByMe: boolean, users: Array<{ id: string, nickname: string }> }>, mentions: Array<{ id: string, nickname: string }>, seenBy: Array<{ id: string, nickname: string }> } | null } };

export type CreateGroupRoomMutationVariables = Exact<{
  input: CreateGroupRoomInput;
}>;


export type CreateGroupRoomMutation = { createGroupRoom: { id: string, name: string | null, isGroup: boolean, unreadCount: number, unreadMentionCount: number, muted: boolean, lastSeq: number, createdAt: string, lastActivityAt: string, members: Array<{ role: RoomRole, joinedAt: string, seenAt: string | null, lastReadSeq: number | null, user: { id: string, nickname: string, isBot: boolean, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } }>, lastMessage: { id: string, roomId: string, seq: number, parentId: string | null, content: string | null, clientId: string | null, createdAt: string, editedAt: string | null, deletedAt: string | null, replyCount: number, displayName: string | null, displayAvatarUrl: string | null, lastReplyAt: string | null, sender: { id: string, nickname: string, isBot: boolean, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } | null, linkPreview: { url: string, title: string | null, description: string | null, imageUrl: string | null, siteName: string | null } | null, attachments: Array<{ id: string, url: string, contentType: string, size: number, width: number | null, height: number | null, fileName: string | null, thumbnailUrl: string | null, blurhash: string | null }>, reactions: Array<{ emoji: string, count: number, reactedByMe: boolean, users: Array<{ id: string, nickname: string }> }>, mentions: Array<{ id: string, nickname: string }>, seenBy: Array<{ id: string, nickname: string }> } | null } };

export type CreateIncomingWebhookMutationVariables = Exact<{
  roomId: string;
  name: string;
}>;


export type CreateIncomingWebhookMutation = { createIncomingWebhook: { id: string, name: string, url: string | null } };

export type CreateOutgoingWebhookMutationVariables = Exact<{
  input: CreateOutgoingWebhookInput;
}>;


export type CreateOutgoingWebhookMutation = { createOutgoingWebhook: { id: string, secret: string | null } };

export type DeleteIncomingWebhookMutationVariables = Exact<{
  id: string;
}>;


export type DeleteIncomingWebhookMutation = { deleteIncomingWebhook: boolean };

export type DeleteMessageMutationVariables = Exact<{
  id: string;
}>;


export type DeleteMessageMutation = { deleteMessage: { id: string, roomId: string, seq: number, parentId: string | null, content: string | null, clientId: string | null, createdAt: string, editedAt: string | null, deletedAt: string | null, replyCount: number, displayName: string | null, displayAvatarUrl: string | null, lastReplyAt: string | null, sender: { id: string, nickname: string, isBot: boolean, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } | null, linkPreview: { url: string, title: string | null, description: string | null, imageUrl: string | null, siteName: string | null } | null, attachments: Array<{ id: string, url: string, contentType: string, size: number, width: number | null, height: number | null, fileName: string | null, thumbnailUrl: string | null, blurhash: string | null }>, reactions: Array<{ emoji: string, count: number, reactedByMe: boolean, users: Array<{ id: string, nickname: string }> }>, mentions: Array<{ id: string, nickname: string }>, seenBy: Array<{ id: string, nickname: string }> } };

export type DeleteOutgoingWebhookMutationVariables = Exact<{
  id: string;
}>;


export type DeleteOutgoingWebhookMutation = { deleteOutgoingWebhook: boolean };

export type DeleteSlashCommandMutationVariables = Exact<{
  id: string;
}>;


export type DeleteSlashCommandMutation = { deleteSlashCommand: boolean };

export type EditMessageMutationVariables = Exact<{
  id: string;
  content: string;
}>;


export type EditMessageMutation = { editMessage: { id: string, roomId: string, seq: number, parentId: string | null, content: string | null, clientId: string | null, createdAt: string, editedAt: string | null, deletedAt: string | null, replyCount: number, displayName: string | null, displayAvatarUrl: string | null, lastReplyAt: string | null, sender: { id: string, nickname: string, isBot: boolean, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } | null, linkPreview: { url: string, title: string | null, description: string | null, imageUrl: string | null, siteName: string | null } | null, attachments: Array<{ id: string, url: string, contentType: string, size: number, width: number | null, height: number | null, fileName: string | null, thumbnailUrl: string | null, blurhash: string | null }>, reactions: Array<{ emoji: string, count: number, reactedByMe: boolean, users: Array<{ id: string, nickname: string }> }>, mentions: Array<{ id: string, nickname: string }>, seenBy: Array<{ id: string, nickname: string }> } };

export type IntegrationsQueryVariables = Exact<{ [key: string]: never; }>;


export type IntegrationsQuery = { myBots: Array<{ id: string, nickname: string }>, apiTokens: Array<{ id: string, name: string, scopes: Array<string>, roomIds: Array<string> | null, botId: string | null, expiresAt: string | null, lastUsedAt: string | null, createdAt: string, revoked: boolean }> };

export type InviteToRoomMutationVariables = Exact<{
  roomId: string;
  userIds: Array<string> | string;
}>;


export type InviteToRoomMutation = { inviteToRoom: { id: string, name: string | null, isGroup: boolean, unreadCount: number, unreadMentionCount: number, muted: boolean, lastSeq: number, createdAt: string, lastActivityAt: string, members: Array<{ role: RoomRole, joinedAt: string, seenAt: string | null, lastReadSeq: number | null, user: { id: string, nickname: string, isBot: boolean, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } }>, lastMessage: { id: string, roomId: string, seq: number, parentId: string | null, content: string | null, clientId: string | null, createdAt: string, editedAt: string | null, deletedAt: string | null, replyCount: number, displayName: string | null, displayAvatarUrl: string | null, lastReplyAt: string | null, sender: { id: string, nickname: string, isBot: boolean, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } | null, linkPreview: { url: string, title: string | null, description: string | null, imageUrl: string | null, siteName: string | null } | null, attachments: Array<{ id: string, url: string, contentType: string, size: number, width: number | null, height: number | null, fileName: string | null, thumbnailUrl: string | null, blurhash: string | null }>, reactions: Array<{ emoji: string, count: number, reactedByMe: boolean, users: Array<{ id: string, nickname: string }> }>, mentions: Array<{ id: string, nickname: string }>, seenBy: Array<{ id: string, nickname: string }> } | null } };

export type LeaveRoomMutationVariables = Exact<{
  roomId: string;
}>;


export type LeaveRoomMutation = { leaveRoom: boolean };

export type LogInMutationVariables = Exact<{
  input: LogInInput;
}>;


export type LogInMutation = { logIn: { accessToken: string, refreshToken: string, expiresIn: number, user: { id: string, nickname: string, isBot: boolean, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } } };

export type LogOutMutationVariables = Exact<{
  refreshToken: string;
}>;


export type LogOutMutation = { logOut: boolean };

export type MarkReadMutationVariables = Exact<{
  roomId: string;
  messageId: string;
}>;


export type MarkReadMutation = { markRead: { id: string, lastSeq: number, unreadCount: number, unreadMentionCount: number, members: Array<{ lastReadSeq: number | null, seenAt: string | null, user: { id: string } }> } };

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { me: { email: string, notificationsEnabled: boolean, user: { id: string, nickname: string, isBot: boolean, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } } };

export type MessagesQueryVariables = Exact<{
  roomId: string;
  last?: number | null | undefined;
  before?: string | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
  around?: string | null | undefined;
  aroundSeq?: number | null | undefined;
}>;


export type MessagesQuery = { messages: { edges: Array<{ cursor: string, node: { id: string, roomId: string, seq: number, parentId: string | null, content: string | null, clientId: string | null, createdAt: string, editedAt: string | null, deletedAt: string | null, replyCount: number, displayName: string | null, displayAvatarUrl: string | null, lastReplyAt: string | null, sender: { id: string, nickname: string, isBot: boolean, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } | null, linkPreview: { url: string, title: string | null, description: string | null, imageUrl: string | null, siteName: string | null } | null, attachments: Array<{ id: string, url: string, contentType: string, size: number, width: number | null, height: number | null, fileName: string | null, thumbnailUrl: string | null, blurhash: string | null }>, reactions: Array<{ emoji: string, count: number, reactedByMe: boolean, users: Array<{ id: string, nickname: string }> }>, mentions: Array<{ id: string, nickname: string }>, seenBy: Array<{ id: string, nickname: string }> } }>, pageInfo: { hasPreviousPage: boolean, hasNextPage: boolean, startCursor: string | null, endCursor: string | null } } };

export type RefreshTokenMutationVariables = Exact<{
  refreshToken: string;
}>;


export type RefreshTokenMutation = { refreshToken: { accessToken: string, refreshToken: string, expiresIn: number, user: { id: string, nickname: string, isBot: boolean, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } } };

export type RegisterSlashCommandMutationVariables = Exact<{
  input: RegisterSlashCommandInput;
}>;


export type RegisterSlashCommandMutation = { registerSlashCommand: { id: string, command: string, secret: string | null } };

export type RemoveLinkPreviewMutationVariables = Exact<{
  messageId: string;
}>;


export type RemoveLinkPreviewMutation = { removeLinkPreview: { id: string, roomId: string, seq: number, parentId: string | null, content: string | null, clientId: string | null, createdAt: string, editedAt: string | null, deletedAt: string | null, replyCount: number, displayName: string | null, displayAvatarUrl: string | null, lastReplyAt: string | null, sender: { id: string, nickname: string, isBot: boolean, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } | null, linkPreview: { url: string, title: string | null, description: string | null, imageUrl: string | null, siteName: string | null } | null, attachments: Array<{ id: string, url: string, contentType: string, size: number, width: number | null, height: number | null, fileName: string | null, thumbnailUrl: string | null, blurhash: string | null }>, reactions: Array<{ emoji: string, count: number, reactedByMe: boolean, users: Array<{ id: string, nickname: string }> }>, mentions: Array<{ id: string, nickname: string }>, seenBy: Array<{ id: string, nickname: string }> } };

export type RemoveReactionMutationVariables = Exact<{
  messageId: string;
  emoji: string;
}>;


export type RemoveReactionMutation = { removeReaction: { id: string, roomId: string, seq: number, parentId: string | null, content: string | null, clientId: string | null, createdAt: string, editedAt: string | null, deletedAt: string | null, replyCount: number, displayName: string | null, displayAvatarUrl: string | null, lastReplyAt: string | null, sender: { id: string, nickname: string, isBot: boolean, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } | null, linkPreview: { url: string, title: string | null, description: string | null, imageUrl: string | null, siteName: string | null } | null, attachments: Array<{ id: string, url: string, contentType: string, size: number, width: number | null, height: number | null, fileName: string | null, thumbnailUrl: string | null, blurhash: string | null }>, reactions: Array<{ emoji: string, count: number, reactedByMe: boolean, users: Array<{ id: string, nickname: string }> }>, mentions: Array<{ id: string, nickname: string }>, seenBy: Array<{ id: string, nickname: string }> } };

export type ReplyInThreadMutationVariables = Exact<{
  input: ReplyInput;
}>;


export type ReplyInThreadMutation = { replyInThread: { id: string, roomId: string, seq: number, parentId: string | null, content: string | null, clientId: string | null, createdAt: string, editedAt: string | null, deletedAt: string | null, replyCount: number, displayName: string | null, displayAvatarUrl: string | null, lastReplyAt: string | null, parent: { id: string, replyCount: number, lastReplyAt: string | null } | null, sender: { id: string, nickname: string, isBot: boolean, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } | null, linkPreview: { url: string, title: string | null, description: string | null, imageUrl: string | null, siteName: string | null } | null, attachments: Array<{ id: string, url: string, contentType: string, size: number, width: number | null, height: number | null, fileName: string | null, thumbnailUrl: string | null, blurhash: string | null }>, reactions: Array<{ emoji: string, count: number, reactedByMe: boolean, users: Array<{ id: string, nickname: string }> }>, mentions: Array<{ id: string, nickname: string }>, seenBy: Array<{ id: string, nickname: string }> } };

export type RevokeApiTokenMutationVariables = Exact<{
  id: string;
}>;


export type RevokeApiTokenMutation = { revokeApiToken: boolean };

export type RoomQueryVariables = Exact<{
  id: string;
}>;


export type RoomQuery = { room: { id: string, name: string | null, isGroup: boolean, unreadCount: number, unreadMentionCount: number, muted: boolean, lastSeq: number, createdAt: string, lastActivityAt: string, members: Array<{ role: RoomRole, joinedAt: string, seenAt: string | null, lastReadSeq: number | null, user: { id: string, nickname: string, isBot: boolean, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } }>, lastMessage: { id: string, roomId: string, seq: number, parentId: string | null, content: string | null, clientId: string | null, createdAt: string, editedAt: string | null, deletedAt: string | null, replyCount: number, displayName: string | null, displayAvatarUrl: string | null, lastReplyAt: string | null, sender: { id: string, nickname: string, isBot: boolean, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } | null, linkPreview: { url: string, title: string | null, description: string | null, imageUrl: string | null, siteName: string | null } | null, attachments: Array<{ id: string, url: string, contentType: string, size: number, width: number | null, height: number | null, fileName: string | null, thumbnailUrl: string | null, blurhash: string | null }>, reactions: Array<{ emoji: string, count: number, reactedByMe: boolean, users: Array<{ id: string, nickname: string }> }>, mentions: Array<{ id: string, nickname: string }>, seenBy: Array<{ id: string, nickname: string }> } | null } | null };

export type RoomIntegrationsQueryVariables = Exact<{
  roomId: string;
}>;


export type RoomIntegrationsQuery = { incomingWebhooks: Array<{ id: string, name: string, botId: string, createdAt: string }>, outgoingWebhooks: Array<{ id: string, url: string, events: Array<string>, enabled: boolean, cursorSeq: number, createdAt: string, deliveries: Array<{ seq: number, kind: string, attempts: number, statusCode: number | null, error: string | null, deliveredAt: string | null, nextAttemptAt: string | null }> }>, slashCommands: Array<{ id: string, command: string, description: string, url: string | null, bot: { id: string, nickname: string } | null }>, myBots: Array<{ id: string, nickname: string }> };

export type RoomsQueryVariables = Exact<{ [key: string]: never; }>;


export type RoomsQuery = { rooms: Array<{ id: string, name: string | null, isGroup: boolean, unreadCount: number, unreadMentionCount: number, muted: boolean, lastSeq: number, createdAt: string, lastActivityAt: string, members: Array<{ role: RoomRole, joinedAt: string, seenAt: string | null, lastReadSeq: number | null, user: { id: string, nickname: string, isBot: boolean, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } }>, lastMessage: { id: string, roomId: string, seq: number, parentId: string | null, content: string | null, clientId: string | null, createdAt: string, editedAt: string | null, deletedAt: string | null, replyCount: number, displayName: string | null, displayAvatarUrl: string | null, lastReplyAt: string | null, sender: { id: string, nickname: string, isBot: boolean, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } | null, linkPreview: { url: string, title: string | null, description: string | null, imageUrl: string | null, siteName: string | null } | null, attachments: Array<{ id: string, url: string, contentType: string, size: number, width: number | null, height: number | null, fileName: string | null, thumbnailUrl: string | null, blurhash: string | null }>, reactions: Array<{ emoji: string, count: number, reactedByMe: boolean, users: Array<{ id: string, nickname: string }> }>, mentions: Array<{ id: string, nickname: string }>, seenBy: Array<{ id: string, nickname: string }> } | null }> };

export type RunSlashCommandMutationVariables = Exact<{
  input: RunSlashCommandInput;
}>;


export type RunSlashCommandMutation = { runSlashCommand: { reply: { id: string, roomId: string, seq: number, parentId: string | null, content: string | null, clientId: string | null, createdAt: string, editedAt: string | null, deletedAt: string | null, replyCount: number, displayName: string | null, displayAvatarUrl: string | null, lastReplyAt: string | null, sender: { id: string, nickname: string, isBot: boolean, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } | null, linkPreview: { url: string, title: string | null, description: string | null, imageUrl: string | null, siteName: string | null } | null, attachments: Array<{ id: string, url: string, contentType: string, size: number, width: number | null, height: number | null, fileName: string | null, thumbnailUrl: string | null, blurhash: string | null }>, reactions: Array<{ emoji: string, count: number, reactedByMe: boolean, users: Array<{ id: string, nickname: string }> }>, mentions: Array<{ id: string, nickname: string }>, seenBy: Array<{ id: string, nickname: string }> } | null } };

export type SearchQueryVariables = Exact<{
  query: string;
  first?: number | null | undefined;
  after?: string | null | undefined;
  sort?: SearchSort | null | undefined;
}>;


export type SearchQuery = { search: { edges: Array<{ cursor: string, node: { message: { id: string, roomId: string, parentId: string | null, content: string | null, createdAt: string, editedAt: string | null, sender: { id: string, nickname: string, avatarUrl: string | null } | null, attachments: Array<{ id: string, contentType: string }> }, room: { id: string, name: string | null, isGroup: boolean }, highlights: Array<{ start: number, end: number }> } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type SearchUsersQueryVariables = Exact<{
  query: string;
  first?: number | null | undefined;
}>;


export type SearchUsersQuery = { searchUsers: Array<{ id: string, nickname: string, isBot: boolean, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } }> };

export type SendMessageMutationVariables = Exact<{
  input: SendMessageInput;
}>;


export type SendMessageMutation = { sendMessage: { id: string, roomId: string, seq: number, parentId: string | null, content: string | null, clientId: string | null, createdAt: string, editedAt: string | null, deletedAt: string | null, replyCount: number, displayName: string | null, displayAvatarUrl: string | null, lastReplyAt: string | null, sender: { id: string, nickname: string, isBot: boolean, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } | null, linkPreview: { url: string, title: string | null, description: string | null, imageUrl: string | null, siteName: string | null } | null, attachments: Array<{ id: string, url: string, contentType: string, size: number, width: number | null, height: number | null, fileName: string | null, thumbnailUrl: string | null, blurhash: string | null }>, reactions: Array<{ emoji: string, count: number, reactedByMe: boolean, users: Array<{ id: string, nickname: string }> }>, mentions: Array<{ id: string, nickname: string }>, seenBy: Array<{ id: string, nickname: string }> } };

export type ServerInfoQueryVariables = Exact<{ [key: string]: never; }>;


export type ServerInfoQuery = { serverInfo: { version: string, uploads: { enabled: boolean, maxBytes: number, maxImageBytes: number, types: Array<string> }, limits: { messageMaxChars: number, pageSizeMax: number } } };

export type SetNotificationSettingsMutationVariables = Exact<{
  input: NotificationSettingsInput;
}>;


export type SetNotificationSettingsMutation = { setNotificationSettings: { email: string, notificationsEnabled: boolean, user: { id: string, nickname: string, isBot: boolean, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } } };

export type SetPresenceMutationVariables = Exact<{
  status: PresenceStatus;
}>;


export type SetPresenceMutation = { setPresence: boolean };

export type SetRoomRoleMutationVariables = Exact<{
  roomId: string;
  userId: string;
  role: RoomRole;
}>;


export type SetRoomRoleMutation = { setRoomRole: { id: string, name: string | null, isGroup: boolean, unreadCount: number, unreadMentionCount: number, muted: boolean, lastSeq: number, createdAt: string, lastActivityAt: string, members: Array<{ role: RoomRole, joinedAt: string, seenAt: string | null, lastReadSeq: number | null, user: { id: string, nickname: string, isBot: boolean, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } }>, lastMessage: { id: string, roomId: string, seq: number, parentId: string | null, content: string | null, clientId: string | null, createdAt: string, editedAt: string | null, deletedAt: string | null, replyCount: number, displayName: string | null, displayAvatarUrl: string | null, lastReplyAt: string | null, sender: { id: string, nickname: string, isBot: boolean, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } | null, linkPreview: { url: string, title: string | null, description: string | null, imageUrl: string | null, siteName: string | null } | null, attachments: Array<{ id: string, url: string, contentType: string, size: number, width: number | null, height: number | null, fileName: string | null, thumbnailUrl: string | null, blurhash: string | null }>, reactions: Array<{ emoji: string, count: number, reactedByMe: boolean, users: Array<{ id: string, nickname: string }> }>, mentions: Array<{ id: string, nickname: string }>, seenBy: Array<{ id: string, nickname: string }> } | null } };

export type SetTypingMutationVariables = Exact<{
  roomId: string;
}>;


export type SetTypingMutation = { setTyping: boolean };

export type SignUpMutationVariables = Exact<{
  input: SignUpInput;
}>;


export type SignUpMutation = { signUp: { accessToken: string, refreshToken: string, expiresIn: number, user: { id: string, nickname: string, isBot: boolean, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } } };

export type SlashCommandsQueryVariables = Exact<{
  roomId: string;
}>;


export type SlashCommandsQuery = { slashCommands: Array<{ id: string, command: string, description: string }> };

export type ThreadQueryVariables = Exact<{
  messageId: string;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type ThreadQuery = { thread: { edges: Array<{ cursor: string, node: { id: string, roomId: string, seq: number, parentId: string | null, content: string | null, clientId: string | null, createdAt: string, editedAt: string | null, deletedAt: string | null, replyCount: number, displayName: string | null, displayAvatarUrl: string | null, lastReplyAt: string | null, sender: { id: string, nickname: string, isBot: boolean, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } | null, linkPreview: { url: string, title: string | null, description: string | null, imageUrl: string | null, siteName: string | null } | null, attachments: Array<{ id: string, url: string, contentType: string, size: number, width: number | null, height: number | null, fileName: string | null, thumbnailUrl: string | null, blurhash: string | null }>, reactions: Array<{ emoji: string, count: number, reactedByMe: boolean, users: Array<{ id: string, nickname: string }> }>, mentions: Array<{ id: string, nickname: string }>, seenBy: Array<{ id: string, nickname: string }> } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type UpdateProfileMutationVariables = Exact<{
  input: UpdateProfileInput;
}>;


export type UpdateProfileMutation = { updateProfile: { id: string, nickname: string, isBot: boolean, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } };

export type UserPresenceQueryVariables = Exact<{
  id: string;
}>;


export type UserPresenceQuery = { user: { id: string, presence: { status: PresenceStatus, lastSeenAt: string | null } } | null };

export type ApiTokenFieldsFragment = { id: string, name: string, scopes: Array<string>, roomIds: Array<string> | null, botId: string | null, expiresAt: string | null, lastUsedAt: string | null, createdAt: string, revoked: boolean };

export type AuthFieldsFragment = { accessToken: string, refreshToken: string, expiresIn: number, user: { id: string, nickname: string, isBot: boolean, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } };

export type MessageFieldsFragment = { id: string, roomId: string, seq: number, parentId: string | null, content: string | null, clientId: string | null, createdAt: string, editedAt: string | null, deletedAt: string | null, replyCount: number, displayName: string | null, displayAvatarUrl: string | null, lastReplyAt: string | null, sender: { id: string, nickname: string, isBot: boolean, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } | null, linkPreview: { url: string, title: string | null, description: string | null, imageUrl: string | null, siteName: string | null } | null, attachments: Array<{ id: string, url: string, contentType: string, size: number, width: number | null, height: number | null, fileName: string | null, thumbnailUrl: string | null, blurhash: string | null }>, reactions: Array<{ emoji: string, count: number, reactedByMe: boolean, users: Array<{ id: string, nickname: string }> }>, mentions: Array<{ id: string, nickname: string }>, seenBy: Array<{ id: string, nickname: string }> };

export type RoomFieldsFragment = { id: string, name: string | null, isGroup: boolean, unreadCount: number, unreadMentionCount: number, muted: boolean, lastSeq: number, createdAt: string, lastActivityAt: string, members: Array<{ role: RoomRole, joinedAt: string, seenAt: string | null, lastReadSeq: number | null, user: { id: string, nickname: string, isBot: boolean, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } }>, lastMessage: { id: string, roomId: string, seq: number, parentId: string | null, content: string | null, clientId: string | null, createdAt: string, editedAt: string | null, deletedAt: string | null, replyCount: number, displayName: string | null, displayAvatarUrl: string | null, lastReplyAt: string | null, sender: { id: string, nickname: string, isBot: boolean, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } | null, linkPreview: { url: string, title: string | null, description: string | null, imageUrl: string | null, siteName: string | null } | null, attachments: Array<{ id: string, url: string, contentType: string, size: number, width: number | null, height: number | null, fileName: string | null, thumbnailUrl: string | null, blurhash: string | null }>, reactions: Array<{ emoji: string, count: number, reactedByMe: boolean, users: Array<{ id: string, nickname: string }> }>, mentions: Array<{ id: string, nickname: string }>, seenBy: Array<{ id: string, nickname: string }> } | null };

export type UserFieldsFragment = { id: string, nickname: string, isBot: boolean, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } };

export type EventsSubscriptionVariables = Exact<{
  positions?: Array<RoomPositionInput> | RoomPositionInput | null | undefined;
}>;


export type EventsSubscription = { events:
    | { __typename: 'MemberJoined', seq: number | null, roomId: string, at: string, user: { id: string, nickname: string, isBot: boolean, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } }
    | { __typename: 'MemberLeft', seq: number | null, roomId: string, at: string, user: { id: string, nickname: string, isBot: boolean, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } }
    | { __typename: 'MemberRoleChanged', seq: number | null, roomId: string, at: string, role: RoomRole, user: { id: string } }
    | { __typename: 'MentionAlert', by: { id: string, nickname: string }, room: { id: string, name: string | null, isGroup: boolean }, message: { id: string, roomId: string, seq: number, parentId: string | null, content: string | null, clientId: string | null, createdAt: string, editedAt: string | null, deletedAt: string | null, replyCount: number, displayName: string | null, displayAvatarUrl: string | null, lastReplyAt: string | null, sender: { id: string, nickname: string, isBot: boolean, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } | null, linkPreview: { url: string, title: string | null, description: string | null, imageUrl: string | null, siteName: string | null } | null, attachments: Array<{ id: string, url: string, contentType: string, size: number, width: number | null, height: number | null, fileName: string | null, thumbnailUrl: string | null, blurhash: string | null }>, reactions: Array<{ emoji: string, count: number, reactedByMe: boolean, users: Array<{ id: string, nickname: string }> }>, mentions: Array<{ id: string, nickname: string }>, seenBy: Array<{ id: string, nickname: string }> } }
    | { __typename: 'MessageAdded', seq: number | null, roomId: string, at: string, message: { id: string, roomId: string, seq: number, parentId: string | null, content: string | null, clientId: string | null, createdAt: string, editedAt: string | null, deletedAt: string | null, replyCount: number, displayName: string | null, displayAvatarUrl: string | null, lastReplyAt: string | null, parent: { id: string, replyCount: number, lastReplyAt: string | null } | null, sender: { id: string, nickname: string, isBot: boolean, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } | null, linkPreview: { url: string, title: string | null, description: string | null, imageUrl: string | null, siteName: string | null } | null, attachments: Array<{ id: string, url: string, contentType: string, size: number, width: number | null, height: number | null, fileName: string | null, thumbnailUrl: string | null, blurhash: string | null }>, reactions: Array<{ emoji: string, count: number, reactedByMe: boolean, users: Array<{ id: string, nickname: string }> }>, mentions: Array<{ id: string, nickname: string }>, seenBy: Array<{ id: string, nickname: string }> } }
    | { __typename: 'MessageDeleted', seq: number | null, roomId: string, at: string, message: { id: string, roomId: string, seq: number, parentId: string | null, content: string | null, clientId: string | null, createdAt: string, editedAt: string | null, deletedAt: string | null, replyCount: number, displayName: string | null, displayAvatarUrl: string | null, lastReplyAt: string | null, sender: { id: string, nickname: string, isBot: boolean, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } | null, linkPreview: { url: string, title: string | null, description: string | null, imageUrl: string | null, siteName: string | null } | null, attachments: Array<{ id: string, url: string, contentType: string, size: number, width: number | null, height: number | null, fileName: string | null, thumbnailUrl: string | null, blurhash: string | null }>, reactions: Array<{ emoji: string, count: number, reactedByMe: boolean, users: Array<{ id: string, nickname: string }> }>, mentions: Array<{ id: string, nickname: string }>, seenBy: Array<{ id: string, nickname: string }> } }
    | { __typename: 'MessageEdited', seq: number | null, roomId: string, at: string, message: { id: string, roomId: string, seq: number, parentId: string | null, content: string | null, clientId: string | null, createdAt: string, editedAt: string | null, deletedAt: string | null, replyCount: number, displayName: string | null, displayAvatarUrl: string | null, lastReplyAt: string | null, sender: { id: string, nickname: string, isBot: boolean, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } | null, linkPreview: { url: string, title: string | null, description: string | null, imageUrl: string | null, siteName: string | null } | null, attachments: Array<{ id: string, url: string, contentType: string, size: number, width: number | null, height: number | null, fileName: string | null, thumbnailUrl: string | null, blurhash: string | null }>, reactions: Array<{ emoji: string, count: number, reactedByMe: boolean, users: Array<{ id: string, nickname: string }> }>, mentions: Array<{ id: string, nickname: string }>, seenBy: Array<{ id: string, nickname: string }> } }
    | { __typename: 'NotificationAdded', notification: { id: string, kind: NotificationKind, createdAt: string, read: boolean, room: { id: string, name: string | null, isGroup: boolean }, message: { id: string, roomId: string, seq: number, parentId: string | null, content: string | null, clientId: string | null, createdAt: string, editedAt: string | null, deletedAt: string | null, replyCount: number, displayName: string | null, displayAvatarUrl: string | null, lastReplyAt: string | null, sender: { id: string, nickname: string, isBot: boolean, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } | null, linkPreview: { url: string, title: string | null, description: string | null, imageUrl: string | null, siteName: string | null } | null, attachments: Array<{ id: string, url: string, contentType: string, size: number, width: number | null, height: number | null, fileName: string | null, thumbnailUrl: string | null, blurhash: string | null }>, reactions: Array<{ emoji: string, count: number, reactedByMe: boolean, users: Array<{ id: string, nickname: string }> }>, mentions: Array<{ id: string, nickname: string }>, seenBy: Array<{ id: string, nickname: string }> } | null } }
    | { __typename: 'ReactionChanged', seq: number | null, roomId: string, at: string, emoji: string, added: boolean, user: { id: string, nickname: string }, message: { id: string, roomId: string, seq: number, parentId: string | null, content: string | null, clientId: string | null, createdAt: string, editedAt: string | null, deletedAt: string | null, replyCount: number, displayName: string | null, displayAvatarUrl: string | null, lastReplyAt: string | null, sender: { id: string, nickname: string, isBot: boolean, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } | null, linkPreview: { url: string, title: string | null, description: string | null, imageUrl: string | null, siteName: string | null } | null, attachments: Array<{ id: string, url: string, contentType: string, size: number, width: number | null, height: number | null, fileName: string | null, thumbnailUrl: string | null, blurhash: string | null }>, reactions: Array<{ emoji: string, count: number, reactedByMe: boolean, users: Array<{ id: string, nickname: string }> }>, mentions: Array<{ id: string, nickname: string }>, seenBy: Array<{ id: string, nickname: string }> } }
    | { __typename: 'ReadReceipt', seq: number | null, roomId: string, at: string, lastReadSeq: number, seenAt: string, user: { id: string, nickname: string } }
    | { __typename: 'RoomAdded', roomId: string, at: string, room: { id: string, name: string | null, isGroup: boolean, unreadCount: number, unreadMentionCount: number, muted: boolean, lastSeq: number, createdAt: string, lastActivityAt: string, members: Array<{ role: RoomRole, joinedAt: string, seenAt: string | null, lastReadSeq: number | null, user: { id: string, nickname: string, isBot: boolean, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } }>, lastMessage: { id: string, roomId: string, seq: number, parentId: string | null, content: string | null, clientId: string | null, createdAt: string, editedAt: string | null, deletedAt: string | null, replyCount: number, displayName: string | null, displayAvatarUrl: string | null, lastReplyAt: string | null, sender: { id: string, nickname: string, isBot: boolean, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } | null, linkPreview: { url: string, title: string | null, description: string | null, imageUrl: string | null, siteName: string | null } | null, attachments: Array<{ id: string, url: string, contentType: string, size: number, width: number | null, height: number | null, fileName: string | null, thumbnailUrl: string | null, blurhash: string | null }>, reactions: Array<{ emoji: string, count: number, reactedByMe: boolean, users: Array<{ id: string, nickname: string }> }>, mentions: Array<{ id: string, nickname: string }>, seenBy: Array<{ id: string, nickname: string }> } | null } }
    | { __typename: 'RoomRemoved', roomId: string, at: string }
    | { __typename: 'TypingStarted', seq: number | null, roomId: string, at: string, user: { id: string, nickname: string } }
    | { __typename: 'UserUpdated', at: string, user: { id: string, nickname: string, isBot: boolean, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } }
   };

export type PresenceSubscriptionVariables = Exact<{
  userIds: Array<string> | string;
}>;


export type PresenceSubscription = { presence: { status: PresenceStatus, lastSeenAt: string | null, user: { id: string } } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const ApiTokenFieldsFragmentDoc = new TypedDocumentString(`
    fragment ApiTokenFields on ApiToken {
  id
  name
  scopes
  roomIds
  botId
  expiresAt
  lastUsedAt
  createdAt
  revoked
}
    `, {"fragmentName":"ApiTokenFields"}) as unknown as TypedDocumentString<ApiTokenFieldsFragment, unknown>;
export const UserFieldsFragmentDoc = new TypedDocumentString(`
    fragment UserFields on User {
  id
  nickname
  isBot
  avatarUrl
  presence {
    status
    lastSeenAt
  }
}
    `, {"fragmentName":"UserFields"}) as unknown as TypedDocumentString<UserFieldsFragment, unknown>;
export const AuthFieldsFragmentDoc = new TypedDocumentString(`
    fragment AuthFields on AuthPayload {
  accessToken
  refreshToken
  expiresIn
  user {
    ...UserFields
  }
}
    fragment UserFields on User {
  id
  nickname
  isBot
  avatarUrl
  presence {
    status
    lastSeenAt
  }
}`, {"fragmentName":"AuthFields"}) as unknown as TypedDocumentString<AuthFieldsFragment, unknown>;
export const MessageFieldsFragmentDoc = new TypedDocumentString(`
    fragment MessageFields on Message {
  id
  roomId
  seq
  parentId
  content
  clientId
  createdAt
  editedAt
  deletedAt
  replyCount
  displayName
  displayAvatarUrl
  lastReplyAt
  sender {
    ...UserFields
  }
  linkPreview {
    url
    title
    description
    imageUrl
    siteName
  }
  attachments {
    id
    url
    contentType
    size
    width
    height
    fileName
    thumbnailUrl
    blurhash
  }
  reactions {
    emoji
    count
    reactedByMe
    users {
      id
      nickname
    }
  }
  mentions {
    id
    nickname
  }
  seenBy {
    id
    nickname
  }
}
    fragment UserFields on User {
  id
  nickname
  isBot
  avatarUrl
  presence {
    status
    lastSeenAt
  }
}`, {"fragmentName":"MessageFields"}) as unknown as TypedDocumentString<MessageFieldsFragment, unknown>;
export const RoomFieldsFragmentDoc = new TypedDocumentString(`
    fragment RoomFields on Room {
  id
  name
  isGroup
  unreadCount
  unreadMentionCount
  muted
  lastSeq
  createdAt
  lastActivityAt
  members {
    role
    joinedAt
    seenAt
    lastReadSeq
    user {
      ...UserFields
    }
  }
  lastMessage {
    ...MessageFields
  }
}
    fragment MessageFields on Message {
  id
  roomId
  seq
  parentId
  content
  clientId
  createdAt
  editedAt
  deletedAt
  replyCount
  displayName
  displayAvatarUrl
  lastReplyAt
  sender {
    ...UserFields
  }
  linkPreview {
    url
    title
    description
    imageUrl
    siteName
  }
  attachments {
    id
    url
    contentType
    size
    width
    height
    fileName
    thumbnailUrl
    blurhash
  }
  reactions {
    emoji
    count
    reactedByMe
    users {
      id
      nickname
    }
  }
  mentions {
    id
    nickname
  }
  seenBy {
    id
    nickname
  }
}
fragment UserFields on User {
  id
  nickname
  isBot
  avatarUrl
  presence {
    status
    lastSeenAt
  }
}`, {"fragmentName":"RoomFields"}) as unknown as TypedDocumentString<RoomFieldsFragment, unknown>;
export const AddReactionDocument = new TypedDocumentString(`
    mutation AddReaction($messageId: ID!, $emoji: String!) {
  addReaction(messageId: $messageId, emoji: $emoji) {
    ...MessageFields
  }
}
    fragment MessageFields on Message {
  id
  roomId
  seq
  parentId
  content
  clientId
  createdAt
  editedAt
  deletedAt
  replyCount
  displayName
  displayAvatarUrl
  lastReplyAt
  sender {
    ...UserFields
  }
  linkPreview {
    url
    title
    description
    imageUrl
    siteName
  }
  attachments {
    id
    url
    contentType
    size
    width
    height
    fileName
    thumbnailUrl
    blurhash
  }
  reactions {
    emoji
    count
    reactedByMe
    users {
      id
      nickname
    }
  }
  mentions {
    id
    nickname
  }
  seenBy {
    id
    nickname
  }
}
fragment UserFields on User {
  id
  nickname
  isBot
  avatarUrl
  presence {
    status
    lastSeenAt
  }
}`, {"hash":"sha256:9e363a03ce42880ac65c8615439b7587c9456722f2281bb0f04764c0ad4a608e"}) as unknown as TypedDocumentString<AddReactionMutation, AddReactionMutationVariables>;
export const CreateApiTokenDocument = new TypedDocumentString(`
    mutation CreateApiToken($input: CreateApiTokenInput!) {
  createApiToken(input: $input) {
    token
    apiToken {
      ...ApiTokenFields
    }
  }
}
    fragment ApiTokenFields on ApiToken {
  id
  name
  scopes
  roomIds
  botId
  expiresAt
  lastUsedAt
  createdAt
  revoked
}`, {"hash":"sha256:be56e95ae428cd2cb88d663cef6fc8cf964351726566fd072ee36cf58134ba0a"}) as unknown as TypedDocumentString<CreateApiTokenMutation, CreateApiTokenMutationVariables>;
export const CreateBotDocument = new TypedDocumentString(`
    mutation CreateBot($input: CreateBotInput!) {
  createBot(input: $input) {
    id
    nickname
  }
}
    `, {"hash":"sha256:f19715b292ecb6881755c4e1b171142fd6611a4771c924aa3f5bcd68277483b2"}) as unknown as TypedDocumentString<CreateBotMutation, CreateBotMutationVariables>;
export const CreateDirectRoomDocument = new TypedDocumentString(`
    mutation CreateDirectRoom($userId: ID!) {
  createDirectRoom(userId: $userId) {
    ...RoomFields
  }
}
    fragment MessageFields on Message {
  id
  roomId
  seq
  parentId
  content
  clientId
  createdAt
  editedAt
  deletedAt
  replyCount
  displayName
  displayAvatarUrl
  lastReplyAt
  sender {
    ...UserFields
  }
  linkPreview {
    url
    title
    description
    imageUrl
    siteName
  }
  attachments {
    id
    url
    contentType
    size
    width
    height
    fileName
    thumbnailUrl
    blurhash
  }
  reactions {
    emoji
    count
    reactedByMe
    users {
      id
      nickname
    }
  }
  mentions {
    id
    nickname
  }
  seenBy {
    id
    nickname
  }
}
fragment RoomFields on Room {
  id
  name
  isGroup
  unreadCount
  unreadMentionCount
  muted
  lastSeq
  createdAt
  lastActivityAt
  members {
    role
    joinedAt
    seenAt
    lastReadSeq
    user {
      ...UserFields
    }
  }
  lastMessage {
    ...MessageFields
  }
}
fragment UserFields on User {
  id
  nickname
  isBot
  avatarUrl
  presence {
    status
    lastSeenAt
  }
}`, {"hash":"sha256:df96bd090b44f5aaaf501dd2bc49941abf726776e799d8575928babc4c40ed2e"}) as unknown as TypedDocumentString<CreateDirectRoomMutation, CreateDirectRoomMutationVariables>;
export const CreateGroupRoomDocument = new TypedDocumentString(`
    mutation CreateGroupRoom($input: CreateGroupRoomInput!) {
  createGroupRoom(input: $input) {
    ...RoomFields
  }
}
    fragment MessageFields on Message {
  id
  roomId
  seq
  parentId
  content
  clientId
  createdAt
  editedAt
  deletedAt
  replyCount
  displayName
  displayAvatarUrl
  lastReplyAt
  sender {
    ...UserFields
  }
  linkPreview {
    url
    title
    description
    imageUrl
    siteName
  }
  attachments {
    id
    url
    contentType
    size
    width
    height
    fileName
    thumbnailUrl
    blurhash
  }
  reactions {
    emoji
    count
    reactedByMe
    users {
      id
      nickname
    }
  }
  mentions {
    id
    nickname
  }
  seenBy {
    id
    nickname
  }
}
fragment RoomFields on Room {
  id
  name
  isGroup
  unreadCount
  unreadMentionCount
  muted
  lastSeq
  createdAt
  lastActivityAt
  members {
    role
    joinedAt
    seenAt
    lastReadSeq
    user {
      ...UserFields
    }
  }
  lastMessage {
    ...MessageFields
  }
}
fragment UserFields on User {
  id
  nickname
  isBot
  avatarUrl
  presence {
    status
    lastSeenAt
  }
}`, {"hash":"sha256:ea476328e2234eb1f795e9f2d4c1fcc350203fe054dccfbdbd86422232e76c0f"}) as unknown as TypedDocumentString<CreateGroupRoomMutation, CreateGroupRoomMutationVariables>;
export const CreateIncomingWebhookDocument = new TypedDocumentString(`
    mutation CreateIncomingWebhook($roomId: ID!, $name: String!) {
  createIncomingWebhook(roomId: $roomId, name: $name) {
    id
    name
    url
  }
}
    `, {"hash":"sha256:9fc5eb7f49ffd497850f8f8c7e0e180a2fc396a2556d27b259986f9930984955"}) as unknown as TypedDocumentString<CreateIncomingWebhookMutation, CreateIncomingWebhookMutationVariables>;
export const CreateOutgoingWebhookDocument = new TypedDocumentString(`
    mutation CreateOutgoingWebhook($input: CreateOutgoingWebhookInput!) {
  createOutgoingWebhook(input: $input) {
    id
    secret
  }
}
    `, {"hash":"sha256:9e80454c74741c49fd3242683f325e9d58896c8dd27eaeeada9bf9554f7d0edb"}) as unknown as TypedDocumentString<CreateOutgoingWebhookMutation, CreateOutgoingWebhookMutationVariables>;
export const DeleteIncomingWebhookDocument = new TypedDocumentString(`
    mutation DeleteIncomingWebhook($id: ID!) {
  deleteIncomingWebhook(id: $id)
}
    `, {"hash":"sha256:31d505e4797d0f7c30dffa9b40c4f9ab5ca7c5eadb8f7f395530e6a96c6e3a42"}) as unknown as TypedDocumentString<DeleteIncomingWebhookMutation, DeleteIncomingWebhookMutationVariables>;
export const DeleteMessageDocument = new TypedDocumentString(`
    mutation DeleteMessage($id: ID!) {
  deleteMessage(id: $id) {
    ...MessageFields
  }
}
    fragment MessageFields on Message {
  id
  roomId
  seq
  parentId
  content
  clientId
  createdAt
  editedAt
  deletedAt
  replyCount
  displayName
  displayAvatarUrl
  lastReplyAt
  sender {
    ...UserFields
  }
  linkPreview {
    url
    title
    description
    imageUrl
    siteName
  }
  attachments {
    id
    url
    contentType
    size
    width
    height
    fileName
    thumbnailUrl
    blurhash
  }
  reactions {
    emoji
    count
    reactedByMe
    users {
      id
      nickname
    }
  }
  mentions {
    id
    nickname
  }
  seenBy {
    id
    nickname
  }
}
fragment UserFields on User {
  id
  nickname
  isBot
  avatarUrl
  presence {
    status
    lastSeenAt
  }
}`, {"hash":"sha256:dccfad1ff1a6fc78c61ed148d90c7cea27b9a3c2d61b9eb59a79e41826688a20"}) as unknown as TypedDocumentString<DeleteMessageMutation, DeleteMessageMutationVariables>;
export const DeleteOutgoingWebhookDocument = new TypedDocumentString(`
    mutation DeleteOutgoingWebhook($id: ID!) {
  deleteOutgoingWebhook(id: $id)
}
    `, {"hash":"sha256:36a4ba9c399dec4979116cb0b35783160ded81a199b49a868da45d585140c302"}) as unknown as TypedDocumentString<DeleteOutgoingWebhookMutation, DeleteOutgoingWebhookMutationVariables>;
export const DeleteSlashCommandDocument = new TypedDocumentString(`
    mutation DeleteSlashCommand($id: ID!) {
  deleteSlashCommand(id: $id)
}
    `, {"hash":"sha256:a3bc10293a18472fcc5058f1b6795af78bbded55c64b2fd466ef0f4635e58ac2"}) as unknown as TypedDocumentString<DeleteSlashCommandMutation, DeleteSlashCommandMutationVariables>;
export const EditMessageDocument = new TypedDocumentString(`
    mutation EditMessage($id: ID!, $content: String!) {
  editMessage(id: $id, content: $content) {
    ...MessageFields
  }
}
    fragment MessageFields on Message {
  id
  roomId
  seq
  parentId
  content
  clientId
  createdAt
  editedAt
  deletedAt
  replyCount
  displayName
  displayAvatarUrl
  lastReplyAt
  sender {
    ...UserFields
  }
  linkPreview {
    url
    title
    description
    imageUrl
    siteName
  }
  attachments {
    id
    url
    contentType
    size
    width
    height
    fileName
    thumbnailUrl
    blurhash
  }
  reactions {
    emoji
    count
    reactedByMe
    users {
      id
      nickname
    }
  }
  mentions {
    id
    nickname
  }
  seenBy {
    id
    nickname
  }
}
fragment UserFields on User {
  id
  nickname
  isBot
  avatarUrl
  presence {
    status
    lastSeenAt
  }
}`, {"hash":"sha256:76e670aefcec2a1609d953b8d15de5052b344ad88dc868a7e107d51b5a3292a7"}) as unknown as TypedDocumentString<EditMessageMutation, EditMessageMutationVariables>;
export const IntegrationsDocument = new TypedDocumentString(`
    query Integrations {
  myBots {
    id
    nickname
  }
  apiTokens {
    ...ApiTokenFields
  }
}
    fragment ApiTokenFields on ApiToken {
  id
  name
  scopes
  roomIds
  botId
  expiresAt
  lastUsedAt
  createdAt
  revoked
}`, {"hash":"sha256:cee57af277e625b34c0f5049b7876e8b6ca252fb5b7b8b1048964b55f3bb5dc7"}) as unknown as TypedDocumentString<IntegrationsQuery, IntegrationsQueryVariables>;
export const InviteToRoomDocument = new TypedDocumentString(`
    mutation InviteToRoom($roomId: ID!, $userIds: [ID!]!) {
  inviteToRoom(roomId: $roomId, userIds: $userIds) {
    ...RoomFields
  }
}
    fragment MessageFields on Message {
  id
  roomId
  seq
  parentId
  content
  clientId
  createdAt
  editedAt
  deletedAt
  replyCount
  displayName
  displayAvatarUrl
  lastReplyAt
  sender {
    ...UserFields
  }
  linkPreview {
    url
    title
    description
    imageUrl
    siteName
  }
  attachments {
    id
    url
    contentType
    size
    width
    height
    fileName
    thumbnailUrl
    blurhash
  }
  reactions {
    emoji
    count
    reactedByMe
    users {
      id
      nickname
    }
  }
  mentions {
    id
    nickname
  }
  seenBy {
    id
    nickname
  }
}
fragment RoomFields on Room {
  id
  name
  isGroup
  unreadCount
  unreadMentionCount
  muted
  lastSeq
  createdAt
  lastActivityAt
  members {
    role
    joinedAt
    seenAt
    lastReadSeq
    user {
      ...UserFields
    }
  }
  lastMessage {
    ...MessageFields
  }
}
fragment UserFields on User {
  id
  nickname
  isBot
  avatarUrl
  presence {
    status
    lastSeenAt
  }
}`, {"hash":"sha256:2eafdb81b9a4a9b22fb9db431509f3699c7b7398adf2775dfa4099364535429f"}) as unknown as TypedDocumentString<InviteToRoomMutation, InviteToRoomMutationVariables>;
export const LeaveRoomDocument = new TypedDocumentString(`
    mutation LeaveRoom($roomId: ID!) {
  leaveRoom(roomId: $roomId)
}
    `, {"hash":"sha256:1bbcfe5ceb53fc4dd1f1bd218d5696c0737b0f776c58131d1dd947b240e83f5e"}) as unknown as TypedDocumentString<LeaveRoomMutation, LeaveRoomMutationVariables>;
export const LogInDocument = new TypedDocumentString(`
    mutation LogIn($input: LogInInput!) {
  logIn(input: $input) {
    ...AuthFields
  }
}
    fragment AuthFields on AuthPayload {
  accessToken
  refreshToken
  expiresIn
  user {
    ...UserFields
  }
}
fragment UserFields on User {
  id
  nickname
  isBot
  avatarUrl
  presence {
    status
    lastSeenAt
  }
}`, {"hash":"sha256:dd56a1265a57cc1eab90b9c1a236d613c5b011ed3427916bc69890fb7426a40f"}) as unknown as TypedDocumentString<LogInMutation, LogInMutationVariables>;
export const LogOutDocument = new TypedDocumentString(`
    mutation LogOut($refreshToken: String!) {
  logOut(refreshToken: $refreshToken)
}
    `, {"hash":"sha256:9c79a1268593654e557bf80cabe837c8e02f9099a44da6f8f285db0e3b8010a4"}) as unknown as TypedDocumentString<LogOutMutation, LogOutMutationVariables>;
export const MarkReadDocument = new TypedDocumentString(`
    mutation MarkRead($roomId: ID!, $messageId: ID!) {
  markRead(roomId: $roomId, messageId: $messageId) {
    id
    lastSeq
    unreadCount
    unreadMentionCount
    members {
      lastReadSeq
      seenAt
      user {
        id
      }
    }
  }
}
    `, {"hash":"sha256:bd052387a048781589076d71fc3386a3d071f5a15f615787a7ba00a352e2943b"}) as unknown as TypedDocumentString<MarkReadMutation, MarkReadMutationVariables>;
export const MeDocument = new TypedDocumentString(`
    query Me {
  me {
    email
    notificationsEnabled
    user {
      ...UserFields
    }
  }
}
    fragment UserFields on User {
  id
  nickname
  isBot
  avatarUrl
  presence {
    status
    lastSeenAt
  }
}`, {"hash":"sha256:641cc65aee4221233d6e3bb2a6c79d10a5b5ab7d2cd3469654061fe12fc44152"}) as unknown as TypedDocumentString<MeQuery, MeQueryVariables>;
export const MessagesDocument = new TypedDocumentString(`
    query Messages($roomId: ID!, $last: Int, $before: String, $first: Int, $after: String, $around: ID, $aroundSeq: Int) {
  messages(
    roomId: $roomId
    last: $last
    before: $before
    first: $first
    after: $after
    around: $around
    aroundSeq: $aroundSeq
  ) {
    edges {
      cursor
      node {
        ...MessageFields
      }
    }
    pageInfo {
      hasPreviousPage
      hasNextPage
      startCursor
      endCursor
    }
  }
}
    fragment MessageFields on Message {
  id
  roomId
  seq
  parentId
  content
  clientId
  createdAt
  editedAt
  deletedAt
  replyCount
  displayName
  displayAvatarUrl
  lastReplyAt
  sender {
    ...UserFields
  }
  linkPreview {
    url
    title
    description
    imageUrl
    siteName
  }
  attachments {
    id
    url
    contentType
    size
    width
    height
    fileName
    thumbnailUrl
    blurhash
  }
  reactions {
    emoji
    count
    reactedByMe
    users {
      id
      nickname
    }
  }
  mentions {
    id
    nickname
  }
  seenBy {
    id
    nickname
  }
}
fragment UserFields on User {
  id
  nickname
  isBot
  avatarUrl
  presence {
    status
    lastSeenAt
  }
}`, {"hash":"sha256:95fd3ff3cd1a2eafb8482ae4b103a350ce960e528468901f29c44d0034b28a50"}) as unknown as TypedDocumentString<MessagesQuery, MessagesQueryVariables>;
export const RefreshTokenDocument = new TypedDocumentString(`
    mutation RefreshToken($refreshToken: String!) {
  refreshToken(refreshToken: $refreshToken) {
    ...AuthFields
  }
}
    fragment AuthFields on AuthPayload {
  accessToken
  refreshToken
  expiresIn
  user {
    ...UserFields
  }
}
fragment UserFields on User {
  id
  nickname
  isBot
  avatarUrl
  presence {
    status
    lastSeenAt
  }
}`, {"hash":"sha256:d0686057c3ac569bf5431c1810d6b623b0d50c4d1851973857ecefea37c1df65"}) as unknown as TypedDocumentString<RefreshTokenMutation, RefreshTokenMutationVariables>;
export const RegisterSlashCommandDocument = new TypedDocumentString(`
    mutation RegisterSlashCommand($input: RegisterSlashCommandInput!) {
  registerSlashCommand(input: $input) {
    id
    command
    secret
  }
}
    `, {"hash":"sha256:d2269b46d669e0a05507bb097c46123c0185412fa4a74216754449252c25a48d"}) as unknown as TypedDocumentString<RegisterSlashCommandMutation, RegisterSlashCommandMutationVariables>;
export const RemoveLinkPreviewDocument = new TypedDocumentString(`
    mutation RemoveLinkPreview($messageId: ID!) {
  removeLinkPreview(messageId: $messageId) {
    ...MessageFields
  }
}
    fragment MessageFields on Message {
  id
  roomId
  seq
  parentId
  content
  clientId
  createdAt
  editedAt
  deletedAt
  replyCount
  displayName
  displayAvatarUrl
  lastReplyAt
  sender {
    ...UserFields
  }
  linkPreview {
    url
    title
    description
    imageUrl
    siteName
  }
  attachments {
    id
    url
    contentType
    size
    width
    height
    fileName
    thumbnailUrl
    blurhash
  }
  reactions {
    emoji
    count
    reactedByMe
    users {
      id
      nickname
    }
  }
  mentions {
    id
    nickname
  }
  seenBy {
    id
    nickname
  }
}
fragment UserFields on User {
  id
  nickname
  isBot
  avatarUrl
  presence {
    status
    lastSeenAt
  }
}`, {"hash":"sha256:62323ff3728ac0f090b3169a99a0d18d57cefbb6b7a1b8c8c0a4a67000319fb2"}) as unknown as TypedDocumentString<RemoveLinkPreviewMutation, RemoveLinkPreviewMutationVariables>;
export const RemoveReactionDocument = new TypedDocumentString(`
    mutation RemoveReaction($messageId: ID!, $emoji: String!) {
  removeReaction(messageId: $messageId, emoji: $emoji) {
    ...MessageFields
  }
}
    fragment MessageFields on Message {
  id
  roomId
  seq
  parentId
  content
  clientId
  createdAt
  editedAt
  deletedAt
  replyCount
  displayName
  displayAvatarUrl
  lastReplyAt
  sender {
    ...UserFields
  }
  linkPreview {
    url
    title
    description
    imageUrl
    siteName
  }
  attachments {
    id
    url
    contentType
    size
    width
    height
    fileName
    thumbnailUrl
    blurhash
  }
  reactions {
    emoji
    count
    reactedByMe
    users {
      id
      nickname
    }
  }
  mentions {
    id
    nickname
  }
  seenBy {
    id
    nickname
  }
}
fragment UserFields on User {
  id
  nickname
  isBot
  avatarUrl
  presence {
    status
    lastSeenAt
  }
}`, {"hash":"sha256:1b27aceaae485070e4cb3015e048a471c516cd7209014f4eb87d885787e15311"}) as unknown as TypedDocumentString<RemoveReactionMutation, RemoveReactionMutationVariables>;
export const ReplyInThreadDocument = new TypedDocumentString(`
    mutation ReplyInThread($input: ReplyInput!) {
  replyInThread(input: $input) {
    ...MessageFields
    parent {
      id
      replyCount
      lastReplyAt
    }
  }
}
    fragment MessageFields on Message {
  id
  roomId
  seq
  parentId
  content
  clientId
  createdAt
  editedAt
  deletedAt
  replyCount
  displayName
  displayAvatarUrl
  lastReplyAt
  sender {
    ...UserFields
  }
  linkPreview {
    url
    title
    description
    imageUrl
    siteName
  }
  attachments {
    id
    url
    contentType
    size
    width
    height
    fileName
    thumbnailUrl
    blurhash
  }
  reactions {
    emoji
    count
    reactedByMe
    users {
      id
      nickname
    }
  }
  mentions {
    id
    nickname
  }
  seenBy {
    id
    nickname
  }
}
fragment UserFields on User {
  id
  nickname
  isBot
  avatarUrl
  presence {
    status
    lastSeenAt
  }
}`, {"hash":"sha256:751c62a218af6c020dd52df3561e787cfbe560a6163595b1d05a55a71d2890b8"}) as unknown as TypedDocumentString<ReplyInThreadMutation, ReplyInThreadMutationVariables>;
export const RevokeApiTokenDocument = new TypedDocumentString(`
    mutation RevokeApiToken($id: ID!) {
  revokeApiToken(id: $id)
}
    `, {"hash":"sha256:760484427514c6721d03239fdea331b31205ecf6f781c374aee629364524b315"}) as unknown as TypedDocumentString<RevokeApiTokenMutation, RevokeApiTokenMutationVariables>;
export const RoomDocument = new TypedDocumentString(`
    query Room($id: ID!) {
  room(id: $id) {
    ...RoomFields
  }
}
    fragment MessageFields on Message {
  id
  roomId
  seq
  parentId
  content
  clientId
  createdAt
  editedAt
  deletedAt
  replyCount
  displayName
  displayAvatarUrl
  lastReplyAt
  sender {
    ...UserFields
  }
  linkPreview {
    url
    title
    description
    imageUrl
    siteName
  }
  attachments {
    id
    url
    contentType
    size
    width
    height
    fileName
    thumbnailUrl
    blurhash
  }
  reactions {
    emoji
    count
    reactedByMe
    users {
      id
      nickname
    }
  }
  mentions {
    id
    nickname
  }
  seenBy {
    id
    nickname
  }
}
fragment RoomFields on Room {
  id
  name
  isGroup
  unreadCount
  unreadMentionCount
  muted
  lastSeq
  createdAt
  lastActivityAt
  members {
    role
    joinedAt
    seenAt
    lastReadSeq
    user {
      ...UserFields
    }
  }
  lastMessage {
    ...MessageFields
  }
}
fragment UserFields on User {
  id
  nickname
  isBot
  avatarUrl
  presence {
    status
    lastSeenAt
  }
}`, {"hash":"sha256:006353abb8b74f3c3808b232e7407566ea30ca9172353b4bd7b9443ec3f9a4c5"}) as unknown as TypedDocumentString<RoomQuery, RoomQueryVariables>;
export const RoomIntegrationsDocument = new TypedDocumentString(`
    query RoomIntegrations($roomId: ID!) {
  incomingWebhooks(roomId: $roomId) {
    id
    name
    botId
    createdAt
  }
  outgoingWebhooks(roomId: $roomId) {
    id
    url
    events
    enabled
    cursorSeq
    createdAt
    deliveries {
      seq
      kind
      attempts
      statusCode
      error
      deliveredAt
      nextAttemptAt
    }
  }
  slashCommands(roomId: $roomId) {
    id
    command
    description
    url
    bot {
      id
      nickname
    }
  }
  myBots {
    id
    nickname
  }
}
    `, {"hash":"sha256:c30c8493c3c0ba07c0e948d5cc6e938bc6b23aea8fd1a81564be41fe3e54e696"}) as unknown as TypedDocumentString<RoomIntegrationsQuery, RoomIntegrationsQueryVariables>;
export const RoomsDocument = new TypedDocumentString(`
    query Rooms {
  rooms {
    ...RoomFields
  }
}
    fragment MessageFields on Message {
  id
  roomId
  seq
  parentId
  content
  clientId
  createdAt
  editedAt
  deletedAt
  replyCount
  displayName
  displayAvatarUrl
  lastReplyAt
  sender {
    ...UserFields
  }
  linkPreview {
    url
    title
    description
    imageUrl
    siteName
  }
  attachments {
    id
    url
    contentType
    size
    width
    height
    fileName
    thumbnailUrl
    blurhash
  }
  reactions {
    emoji
    count
    reactedByMe
    users {
      id
      nickname
    }
  }
  mentions {
    id
    nickname
  }
  seenBy {
    id
    nickname
  }
}
fragment RoomFields on Room {
  id
  name
  isGroup
  unreadCount
  unreadMentionCount
  muted
  lastSeq
  createdAt
  lastActivityAt
  members {
    role
    joinedAt
    seenAt
    lastReadSeq
    user {
      ...UserFields
    }
  }
  lastMessage {
    ...MessageFields
  }
}
fragment UserFields on User {
  id
  nickname
  isBot
  avatarUrl
  presence {
    status
    lastSeenAt
  }
}`, {"hash":"sha256:190693238b0fc3a27a596c45da0472ceaae0b572214fa57afc3cf39ef0ef7475"}) as unknown as TypedDocumentString<RoomsQuery, RoomsQueryVariables>;
export const RunSlashCommandDocument = new TypedDocumentString(`
    mutation RunSlashCommand($input: RunSlashCommandInput!) {
  runSlashCommand(input: $input) {
    reply {
      ...MessageFields
    }
  }
}
    fragment MessageFields on Message {
  id
  roomId
  seq
  parentId
  content
  clientId
  createdAt
  editedAt
  deletedAt
  replyCount
  displayName
  displayAvatarUrl
  lastReplyAt
  sender {
    ...UserFields
  }
  linkPreview {
    url
    title
    description
    imageUrl
    siteName
  }
  attachments {
    id
    url
    contentType
    size
    width
    height
    fileName
    thumbnailUrl
    blurhash
  }
  reactions {
    emoji
    count
    reactedByMe
    users {
      id
      nickname
    }
  }
  mentions {
    id
    nickname
  }
  seenBy {
    id
    nickname
  }
}
fragment UserFields on User {
  id
  nickname
  isBot
  avatarUrl
  presence {
    status
    lastSeenAt
  }
}`, {"hash":"sha256:e2c5ba55418be7b7c5d491566b9c3e236feda44b20ab8a454d0f8b0b26a9c26d"}) as unknown as TypedDocumentString<RunSlashCommandMutation, RunSlashCommandMutationVariables>;
export const SearchDocument = new TypedDocumentString(`
    query Search($query: String!, $first: Int, $after: String, $sort: SearchSort) {
  search(query: $query, first: $first, after: $after, sort: $sort) {
    edges {
      cursor
      node {
        message {
          id
          roomId
          parentId
          content
          createdAt
          editedAt
          sender {
            id
            nickname
            avatarUrl
          }
          attachments {
            id
            contentType
          }
        }
        room {
          id
          name
          isGroup
        }
        highlights {
          start
          end
        }
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `, {"hash":"sha256:dd62c7713e304dd3825f501c2b30a07f3a4e58fa15f477fb4800fa9fd0c472d9"}) as unknown as TypedDocumentString<SearchQuery, SearchQueryVariables>;
export const SearchUsersDocument = new TypedDocumentString(`
    query SearchUsers($query: String!, $first: Int) {
  searchUsers(query: $query, first: $first) {
    ...UserFields
  }
}
    fragment UserFields on User {
  id
  nickname
  isBot
  avatarUrl
  presence {
    status
    lastSeenAt
  }
}`, {"hash":"sha256:629cb82a604abbf353f12eb4ba7068c098f9bc118835c3c1a777040cadf99b02"}) as unknown as TypedDocumentString<SearchUsersQuery, SearchUsersQueryVariables>;
export const SendMessageDocument = new TypedDocumentString(`
    mutation SendMessage($input: SendMessageInput!) {
  sendMessage(input: $input) {
    ...MessageFields
  }
}
    fragment MessageFields on Message {
  id
  roomId
  seq
  parentId
  content
  clientId
  createdAt
  editedAt
  deletedAt
  replyCount
  displayName
  displayAvatarUrl
  lastReplyAt
  sender {
    ...UserFields
  }
  linkPreview {
    url
    title
    description
    imageUrl
    siteName
  }
  attachments {
    id
    url
    contentType
    size
    width
    height
    fileName
    thumbnailUrl
    blurhash
  }
  reactions {
    emoji
    count
    reactedByMe
    users {
      id
      nickname
    }
  }
  mentions {
    id
    nickname
  }
  seenBy {
    id
    nickname
  }
}
fragment UserFields on User {
  id
  nickname
  isBot
  avatarUrl
  presence {
    status
    lastSeenAt
  }
}`, {"hash":"sha256:a8313d262c1b7ef7af1106b0c9f29b2934bf967c2323c9fc3281bd5fab78fbad"}) as unknown as TypedDocumentString<SendMessageMutation, SendMessageMutationVariables>;
export const ServerInfoDocument = new TypedDocumentString(`
    query ServerInfo {
  serverInfo {
    version
    uploads {
      enabled
      maxBytes
      maxImageBytes
      types
    }
    limits {
      messageMaxChars
      pageSizeMax
    }
  }
}
    `, {"hash":"sha256:d2be60997e39ac93ad56fa1271c1f119cee11d5b07eeddabe35a2eb3784ab8aa"}) as unknown as TypedDocumentString<ServerInfoQuery, ServerInfoQueryVariables>;
export const SetNotificationSettingsDocument = new TypedDocumentString(`
    mutation SetNotificationSettings($input: NotificationSettingsInput!) {
  setNotificationSettings(input: $input) {
    email
    notificationsEnabled
    user {
      ...UserFields
    }
  }
}
    fragment UserFields on User {
  id
  nickname
  isBot
  avatarUrl
  presence {
    status
    lastSeenAt
  }
}`, {"hash":"sha256:07c16b0d986eb8310653277e593a0c7f71b9c71a88a5590adbd324387d92e79d"}) as unknown as TypedDocumentString<SetNotificationSettingsMutation, SetNotificationSettingsMutationVariables>;
export const SetPresenceDocument = new TypedDocumentString(`
    mutation SetPresence($status: PresenceStatus!) {
  setPresence(status: $status)
}
    `, {"hash":"sha256:d27dfe821cff9ba0b23bfcc42bece306967e83943054334254f8c3c91bb65455"}) as unknown as TypedDocumentString<SetPresenceMutation, SetPresenceMutationVariables>;
export const SetRoomRoleDocument = new TypedDocumentString(`
    mutation SetRoomRole($roomId: ID!, $userId: ID!, $role: RoomRole!) {
  setRoomRole(roomId: $roomId, userId: $userId, role: $role) {
    ...RoomFields
  }
}
    fragment MessageFields on Message {
  id
  roomId
  seq
  parentId
  content
  clientId
  createdAt
  editedAt
  deletedAt
  replyCount
  displayName
  displayAvatarUrl
  lastReplyAt
  sender {
    ...UserFields
  }
  linkPreview {
    url
    title
    description
    imageUrl
    siteName
  }
  attachments {
    id
    url
    contentType
    size
    width
    height
    fileName
    thumbnailUrl
    blurhash
  }
  reactions {
    emoji
    count
    reactedByMe
    users {
      id
      nickname
    }
  }
  mentions {
    id
    nickname
  }
  seenBy {
    id
    nickname
  }
}
fragment RoomFields on Room {
  id
  name
  isGroup
  unreadCount
  unreadMentionCount
  muted
  lastSeq
  createdAt
  lastActivityAt
  members {
    role
    joinedAt
    seenAt
    lastReadSeq
    user {
      ...UserFields
    }
  }
  lastMessage {
    ...MessageFields
  }
}
fragment UserFields on User {
  id
  nickname
  isBot
  avatarUrl
  presence {
    status
    lastSeenAt
  }
}`, {"hash":"sha256:7c738f24bb7d5a64130b330507ae4abf9c3a3f29c618acbd2d7db04ed848141a"}) as unknown as TypedDocumentString<SetRoomRoleMutation, SetRoomRoleMutationVariables>;
export const SetTypingDocument = new TypedDocumentString(`
    mutation SetTyping($roomId: ID!) {
  setTyping(roomId: $roomId)
}
    `, {"hash":"sha256:0eaf0365cd4d1b1d5174b8b48a1c6db5c668a4701637a709df163716c89df906"}) as unknown as TypedDocumentString<SetTypingMutation, SetTypingMutationVariables>;
export const SignUpDocument = new TypedDocumentString(`
    mutation SignUp($input: SignUpInput!) {
  signUp(input: $input) {
    ...AuthFields
  }
}
    fragment AuthFields on AuthPayload {
  accessToken
  refreshToken
  expiresIn
  user {
    ...UserFields
  }
}
fragment UserFields on User {
  id
  nickname
  isBot
  avatarUrl
  presence {
    status
    lastSeenAt
  }
}`, {"hash":"sha256:d52c5952ba102204107d445b1748e2cb9ba268194bfe7a706bce449f63f5da94"}) as unknown as TypedDocumentString<SignUpMutation, SignUpMutationVariables>;
export const SlashCommandsDocument = new TypedDocumentString(`
    query SlashCommands($roomId: ID!) {
  slashCommands(roomId: $roomId) {
    id
    command
    description
  }
}
    `, {"hash":"sha256:0e9bcccf87642ab91fba2562b4b1dae1495ad85d51e3eb3cf60f4a83071ee38a"}) as unknown as TypedDocumentString<SlashCommandsQuery, SlashCommandsQueryVariables>;
export const ThreadDocument = new TypedDocumentString(`
    query Thread($messageId: ID!, $first: Int, $after: String) {
  thread(messageId: $messageId, first: $first, after: $after) {
    edges {
      cursor
      node {
        ...MessageFields
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment MessageFields on Message {
  id
  roomId
  seq
  parentId
  content
  clientId
  createdAt
  editedAt
  deletedAt
  replyCount
  displayName
  displayAvatarUrl
  lastReplyAt
  sender {
    ...UserFields
  }
  linkPreview {
    url
    title
    description
    imageUrl
    siteName
  }
  attachments {
    id
    url
    contentType
    size
    width
    height
    fileName
    thumbnailUrl
    blurhash
  }
  reactions {
    emoji
    count
    reactedByMe
    users {
      id
      nickname
    }
  }
  mentions {
    id
    nickname
  }
  seenBy {
    id
    nickname
  }
}
fragment UserFields on User {
  id
  nickname
  isBot
  avatarUrl
  presence {
    status
    lastSeenAt
  }
}`, {"hash":"sha256:38134cf4903cad527ceffbb1b5bd72339a87989d7e4d8f175164cf049ef87bb0"}) as unknown as TypedDocumentString<ThreadQuery, ThreadQueryVariables>;
export const UpdateProfileDocument = new TypedDocumentString(`
    mutation UpdateProfile($input: UpdateProfileInput!) {
  updateProfile(input: $input) {
    ...UserFields
  }
}
    fragment UserFields on User {
  id
  nickname
  isBot
  avatarUrl
  presence {
    status
    lastSeenAt
  }
}`, {"hash":"sha256:9f89f2e649e66855de6fc3133f49300de512c237d79137a55a6aa0fc394ad17c"}) as unknown as TypedDocumentString<UpdateProfileMutation, UpdateProfileMutationVariables>;
export const UserPresenceDocument = new TypedDocumentString(`
    query UserPresence($id: ID!) {
  user(id: $id) {
    id
    presence {
      status
      lastSeenAt
    }
  }
}
    `, {"hash":"sha256:a2fbd9d8f0a3ac01203612e9a82158a27dfd87ed11531c06fa16a99f4bd9887d"}) as unknown as TypedDocumentString<UserPresenceQuery, UserPresenceQueryVariables>;
export const EventsDocument = new TypedDocumentString(`
    subscription Events($positions: [RoomPositionInput!]) {
  events(positions: $positions) {
    __typename
    ... on MessageAdded {
      seq
      roomId
      at
      message {
        ...MessageFields
        parent {
          id
          replyCount
          lastReplyAt
        }
      }
    }
    ... on MessageEdited {
      seq
      roomId
      at
      message {
        ...MessageFields
      }
    }
    ... on MessageDeleted {
      seq
      roomId
      at
      message {
        ...MessageFields
      }
    }
    ... on ReactionChanged {
      seq
      roomId
      at
      emoji
      added
      user {
        id
        nickname
      }
      message {
        ...MessageFields
      }
    }
    ... on ReadReceipt {
      seq
      roomId
      at
      lastReadSeq
      seenAt
      user {
        id
        nickname
      }
    }
    ... on TypingStarted {
      seq
      roomId
      at
      user {
        id
        nickname
      }
    }
    ... on MemberJoined {
      seq
      roomId
      at
      user {
        ...UserFields
      }
    }
    ... on MemberLeft {
      seq
      roomId
      at
      user {
        ...UserFields
      }
    }
    ... on MemberRoleChanged {
      seq
      roomId
      at
      role
      user {
        id
      }
    }
    ... on RoomAdded {
      roomId
      at
      room {
        ...RoomFields
      }
    }
    ... on RoomRemoved {
      roomId
      at
    }
    ... on UserUpdated {
      at
      user {
        ...UserFields
      }
    }
    ... on NotificationAdded {
      notification {
        id
        kind
        createdAt
        read
        room {
          id
          name
          isGroup
        }
        message {
          ...MessageFields
        }
      }
    }
    ... on MentionAlert {
      by {
        id
        nickname
      }
      room {
        id
        name
        isGroup
      }
      message {
        ...MessageFields
      }
    }
  }
}
    fragment MessageFields on Message {
  id
  roomId
  seq
  parentId
  content
  clientId
  createdAt
  editedAt
  deletedAt
  replyCount
  displayName
  displayAvatarUrl
  lastReplyAt
  sender {
    ...UserFields
  }
  linkPreview {
    url
    title
    description
    imageUrl
    siteName
  }
  attachments {
    id
    url
    contentType
    size
    width
    height
    fileName
    thumbnailUrl
    blurhash
  }
  reactions {
    emoji
    count
    reactedByMe
    users {
      id
      nickname
    }
  }
  mentions {
    id
    nickname
  }
  seenBy {
    id
    nickname
  }
}
fragment RoomFields on Room {
  id
  name
  isGroup
  unreadCount
  unreadMentionCount
  muted
  lastSeq
  createdAt
  lastActivityAt
  members {
    role
    joinedAt
    seenAt
    lastReadSeq
    user {
      ...UserFields
    }
  }
  lastMessage {
    ...MessageFields
  }
}
fragment UserFields on User {
  id
  nickname
  isBot
  avatarUrl
  presence {
    status
    lastSeenAt
  }
}`, {"hash":"sha256:231db6ef6198fb09d533243756d20b2a971012d16a488882b021bc103f37e651"}) as unknown as TypedDocumentString<EventsSubscription, EventsSubscriptionVariables>;
export const PresenceDocument = new TypedDocumentString(`
    subscription Presence($userIds: [ID!]!) {
  presence(userIds: $userIds) {
    status
    lastSeenAt
    user {
      id
    }
  }
}
    `, {"hash":"sha256:174450fb30908a9fdfc9ac559a0338419e35b2eb852d7ca46567a86e0ab3c442"}) as unknown as TypedDocumentString<PresenceSubscription, PresenceSubscriptionVariables>;