/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type CreateGroupRoomInput = {
  /** People to add besides me (duplicates and my own id are ignored). */
  memberIds: Array<string>;
  /** 1–80 characters after trimming. */
  name: string;
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


export type AddReactionMutation = { addReaction: { id: string, roomId: string, seq: number, parentId: string | null, content: string | null, clientId: string | null, createdAt: string, editedAt: string | null, deletedAt: string | null, replyCount: number, lastReplyAt: string | null, sender: { id: string, nickname: string, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } | null, linkPreview: { url: string, title: string | null, description: string | null, imageUrl: string | null, siteName: string | null } | null, attachments: Array<{ id: string, url: string, contentType: string, size: number, width: number | null, height: number | null }>, reactions: Array<{ emoji: string, count: number, reactedByMe: boolean, users: Array<{ id: string, nickname: string }> }>, mentions: Array<{ id: string, nickname: string }>, seenBy: Array<{ id: string, nickname: string }> } };

export type CreateDirectRoomMutationVariables = Exact<{
  userId: string;
}>;


export type CreateDirectRoomMutation = { createDirectRoom: { id: string, name: string | null, isGroup: boolean, unreadCount: number, unreadMentionCount: number, muted: boolean, lastSeq: number, createdAt: string, lastActivityAt: string, members: Array<{ role: RoomRole, joinedAt: string, seenAt: string | null, lastReadSeq: number | null, user: { id: string, nickname: string, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } }>, lastMessage: { id: string, roomId: string, seq: number, parentId: string | null, content: string | null, clientId: string | null, createdAt: string, editedAt: string | null, deletedAt: string | null, replyCount: number, lastReplyAt: string | null, sender: { id: string, nickname: string, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } | null, linkPreview: { url: string, title: string | null, description: string | null, imageUrl: string | null, siteName: string | null } | null, attachments: Array<{ id: string, url: string, contentType: string, size: number, width: number | null, height: number | null }>, reactions: Array<{ emoji: string, count: number, reactedByMe: boolean, users: Array<{ id: string, nickname: string }> }>, mentions: Array<{ id: string, nickname: string }>, seenBy: Array<{ id: string, nickname: string }> } | null } };

export type CreateGroupRoomMutationVariables = Exact<{
  input: CreateGroupRoomInput;
}>;


export type CreateGroupRoomMutation = { createGroupRoom: { id: string, name: string | null, isGroup: boolean, unreadCount: number, unreadMentionCount: number, muted: boolean, lastSeq: number, createdAt: string, lastActivityAt: string, members: Array<{ role: RoomRole, joinedAt: string, seenAt: string | null, lastReadSeq: number | null, user: { id: string, nickname: string, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } }>, lastMessage: { id: string, roomId: string, seq: number, parentId: string | null, content: string | null, clientId: string | null, createdAt: string, editedAt: string | null, deletedAt: string | null, replyCount: number, lastReplyAt: string | null, sender: { id: string, nickname: string, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } | null, linkPreview: { url: string, title: string | null, description: string | null, imageUrl: string | null, siteName: string | null } | null, attachments: Array<{ id: string, url: string, contentType: string, size: number, width: number | null, height: number | null }>, reactions: Array<{ emoji: string, count: number, reactedByMe: boolean, users: Array<{ id: string, nickname: string }> }>, mentions: Array<{ id: string, nickname: string }>, seenBy: Array<{ id: string, nickname: string }> } | null } };

export type DeleteMessageMutationVariables = Exact<{
  id: string;
}>;


export type DeleteMessageMutation = { deleteMessage: { id: string, roomId: string, seq: number, parentId: string | null, content: string | null, clientId: string | null, createdAt: string, editedAt: string | null, deletedAt: string | null, replyCount: number, lastReplyAt: string | null, sender: { id: string, nickname: string, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } | null, linkPreview: { url: string, title: string | null, description: string | null, imageUrl: string | null, siteName: string | null } | null, attachments: Array<{ id: string, url: string, contentType: string, size: number, width: number | null, height: number | null }>, reactions: Array<{ emoji: string, count: number, reactedByMe: boolean, users: Array<{ id: string, nickname: string }> }>, mentions: Array<{ id: string, nickname: string }>, seenBy: Array<{ id: string, nickname: string }> } };

export type EditMessageMutationVariables = Exact<{
  id: string;
  content: string;
}>;


export type EditMessageMutation = { editMessage: { id: string, roomId: string, seq: number, parentId: string | null, content: string | null, clientId: string | null, createdAt: string, editedAt: string | null, deletedAt: string | null, replyCount: number, lastReplyAt: string | null, sender: { id: string, nickname: string, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } | null, linkPreview: { url: string, title: string | null, description: string | null, imageUrl: string | null, siteName: string | null } | null, attachments: Array<{ id: string, url: string, contentType: string, size: number, width: number | null, height: number | null }>, reactions: Array<{ emoji: string, count: number, reactedByMe: boolean, users: Array<{ id: string, nickname: string }> }>, mentions: Array<{ id: string, nickname: string }>, seenBy: Array<{ id: string, nickname: string }> } };

export type InviteToRoomMutationVariables = Exact<{
  roomId: string;
  userIds: Array<string> | string;
}>;


export type InviteToRoomMutation = { inviteToRoom: { id: string, name: string | null, isGroup: boolean, unreadCount: number, unreadMentionCount: number, muted: boolean, lastSeq: number, createdAt: string, lastActivityAt: string, members: Array<{ role: RoomRole, joinedAt: string, seenAt: string | null, lastReadSeq: number | null, user: { id: string, nickname: string, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } }>, lastMessage: { id: string, roomId: string, seq: number, parentId: string | null, content: string | null, clientId: string | null, createdAt: string, editedAt: string | null, deletedAt: string | null, replyCount: number, lastReplyAt: string | null, sender: { id: string, nickname: string, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } | null, linkPreview: { url: string, title: string | null, description: string | null, imageUrl: string | null, siteName: string | null } | null, attachments: Array<{ id: string, url: string, contentType: string, size: number, width: number | null, height: number | null }>, reactions: Array<{ emoji: string, count: number, reactedByMe: boolean, users: Array<{ id: string, nickname: string }> }>, mentions: Array<{ id: string, nickname: string }>, seenBy: Array<{ id: string, nickname: string }> } | null } };

export type LeaveRoomMutationVariables = Exact<{
  roomId: string;
}>;


export type LeaveRoomMutation = { leaveRoom: boolean };

export type LogInMutationVariables = Exact<{
  input: LogInInput;
}>;


export type LogInMutation = { logIn: { accessToken: string, refreshToken: string, expiresIn: number, user: { id: string, nickname: string, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } } };

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


export type MeQuery = { me: { email: string, notificationsEnabled: boolean, user: { id: string, nickname: string, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } } };

export type MessagesQueryVariables = Exact<{
  roomId: string;
  last?: number | null | undefined;
  before?: string | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
  around?: string | null | undefined;
  aroundSeq?: number | null | undefined;
}>;


export type MessagesQuery = { messages: { edges: Array<{ cursor: string, node: { id: string, roomId: string, seq: number, parentId: string | null, content: string | null, clientId: string | null, createdAt: string, editedAt: string | null, deletedAt: string | null, replyCount: number, lastReplyAt: string | null, sender: { id: string, nickname: string, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } | null, linkPreview: { url: string, title: string | null, description: string | null, imageUrl: string | null, siteName: string | null } | null, attachments: Array<{ id: string, url: string, contentType: string, size: number, width: number | null, height: number | null }>, reactions: Array<{ emoji: string, count: number, reactedByMe: boolean, users: Array<{ id: string, nickname: string }> }>, mentions: Array<{ id: string, nickname: string }>, seenBy: Array<{ id: string, nickname: string }> } }>, pageInfo: { hasPreviousPage: boolean, hasNextPage: boolean, startCursor: string | null, endCursor: string | null } } };

export type RefreshTokenMutationVariables = Exact<{
  refreshToken: string;
}>;


export type RefreshTokenMutation = { refreshToken: { accessToken: string, refreshToken: string, expiresIn: number, user: { id: string, nickname: string, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } } };

export type RemoveLinkPreviewMutationVariables = Exact<{
  messageId: string;
}>;


export type RemoveLinkPreviewMutation = { removeLinkPreview: { id: string, roomId: string, seq: number, parentId: string | null, content: string | null, clientId: string | null, createdAt: string, editedAt: string | null, deletedAt: string | null, replyCount: number, lastReplyAt: string | null, sender: { id: string, nickname: string, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } | null, linkPreview: { url: string, title: string | null, description: string | null, imageUrl: string | null, siteName: string | null } | null, attachments: Array<{ id: string, url: string, contentType: string, size: number, width: number | null, height: number | null }>, reactions: Array<{ emoji: string, count: number, reactedByMe: boolean, users: Array<{ id: string, nickname: string }> }>, mentions: Array<{ id: string, nickname: string }>, seenBy: Array<{ id: string, nickname: string }> } };

export type RemoveReactionMutationVariables = Exact<{
  messageId: string;
  emoji: string;
}>;


export type RemoveReactionMutation = { removeReaction: { id: string, roomId: string, seq: number, parentId: string | null, content: string | null, clientId: string | null, createdAt: string, editedAt: string | null, deletedAt: string | null, replyCount: number, lastReplyAt: string | null, sender: { id: string, nickname: string, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } | null, linkPreview: { url: string, title: string | null, description: string | null, imageUrl: string | null, siteName: string | null } | null, attachments: Array<{ id: string, url: string, contentType: string, size: number, width: number | null, height: number | null }>, reactions: Array<{ emoji: string, count: number, reactedByMe: boolean, users: Array<{ id: string, nickname: string }> }>, mentions: Array<{ id: string, nickname: string }>, seenBy: Array<{ id: string, nickname: string }> } };

export type ReplyInThreadMutationVariables = Exact<{
  input: ReplyInput;
}>;


export type ReplyInThreadMutation = { replyInThread: { id: string, roomId: string, seq: number, parentId: string | null, content: string | null, clientId: string | null, createdAt: string, editedAt: string | null, deletedAt: string | null, replyCount: number, lastReplyAt: string | null, parent: { id: string, replyCount: number, lastReplyAt: string | null } | null, sender: { id: string, nickname: string, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } | null, linkPreview: { url: string, title: string | null, description: string | null, imageUrl: string | null, siteName: string | null } | null, attachments: Array<{ id: string, url: string, contentType: string, size: number, width: number | null, height: number | null }>, reactions: Array<{ emoji: string, count: number, reactedByMe: boolean, users: Array<{ id: string, nickname: string }> }>, mentions: Array<{ id: string, nickname: string }>, seenBy: Array<{ id: string, nickname: string }> } };

export type RoomQueryVariables = Exact<{
  id: string;
}>;


export type RoomQuery = { room: { id: string, name: string | null, isGroup: boolean, unreadCount: number, unreadMentionCount: number, muted: boolean, lastSeq: number, createdAt: string, lastActivityAt: string, members: Array<{ role: RoomRole, joinedAt: string, seenAt: string | null, lastReadSeq: number | null, user: { id: string, nickname: string, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } }>, lastMessage: { id: string, roomId: string, seq: number, parentId: string | null, content: string | null, clientId: string | null, createdAt: string, editedAt: string | null, deletedAt: string | null, replyCount: number, lastReplyAt: string | null, sender: { id: string, nickname: string, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } | null, linkPreview: { url: string, title: string | null, description: string | null, imageUrl: string | null, siteName: string | null } | null, attachments: Array<{ id: string, url: string, contentType: string, size: number, width: number | null, height: number | null }>, reactions: Array<{ emoji: string, count: number, reactedByMe: boolean, users: Array<{ id: string, nickname: string }> }>, mentions: Array<{ id: string, nickname: string }>, seenBy: Array<{ id: string, nickname: string }> } | null } | null };

export type RoomsQueryVariables = Exact<{ [key: string]: never; }>;


export type RoomsQuery = { rooms: Array<{ id: string, name: string | null, isGroup: boolean, unreadCount: number, unreadMentionCount: number, muted: boolean, lastSeq: number, createdAt: string, lastActivityAt: string, members: Array<{ role: RoomRole, joinedAt: string, seenAt: string | null, lastReadSeq: number | null, user: { id: string, nickname: string, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } }>, lastMessage: { id: string, roomId: string, seq: number, parentId: string | null, content: string | null, clientId: string | null, createdAt: string, editedAt: string | null, deletedAt: string | null, replyCount: number, lastReplyAt: string | null, sender: { id: string, nickname: string, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } | null, linkPreview: { url: string, title: string | null, description: string | null, imageUrl: string | null, siteName: string | null } | null, attachments: Array<{ id: string, url: string, contentType: string, size: number, width: number | null, height: number | null }>, reactions: Array<{ emoji: string, count: number, reactedByMe: boolean, users: Array<{ id: string, nickname: string }> }>, mentions: Array<{ id: string, nickname: string }>, seenBy: Array<{ id: string, nickname: string }> } | null }> };

export type SearchUsersQueryVariables = Exact<{
  query: string;
  first?: number | null | undefined;
}>;


export type SearchUsersQuery = { searchUsers: Array<{ id: string, nickname: string, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } }> };

export type SendMessageMutationVariables = Exact<{
  input: SendMessageInput;
}>;


export type SendMessageMutation = { sendMessage: { id: string, roomId: string, seq: number, parentId: string | null, content: string | null, clientId: string | null, createdAt: string, editedAt: string | null, deletedAt: string | null, replyCount: number, lastReplyAt: string | null, sender: { id: string, nickname: string, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } | null, linkPreview: { url: string, title: string | null, description: string | null, imageUrl: string | null, siteName: string | null } | null, attachments: Array<{ id: string, url: string, contentType: string, size: number, width: number | null, height: number | null }>, reactions: Array<{ emoji: string, count: number, reactedByMe: boolean, users: Array<{ id: string, nickname: string }> }>, mentions: Array<{ id: string, nickname: string }>, seenBy: Array<{ id: string, nickname: string }> } };

export type ServerInfoQueryVariables = Exact<{ [key: string]: never; }>;


export type ServerInfoQuery = { serverInfo: { version: string, uploads: { enabled: boolean, maxBytes: number, types: Array<string> }, limits: { messageMaxChars: number, pageSizeMax: number } } };

export type SetNotificationSettingsMutationVariables = Exact<{
  input: NotificationSettingsInput;
}>;


export type SetNotificationSettingsMutation = { setNotificationSettings: { email: string, notificationsEnabled: boolean, user: { id: string, nickname: string, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } } };

export type SetPresenceMutationVariables = Exact<{
  status: PresenceStatus;
}>;


export type SetPresenceMutation = { setPresence: boolean };

export type SetRoomRoleMutationVariables = Exact<{
  roomId: string;
  userId: string;
  role: RoomRole;
}>;


export type SetRoomRoleMutation = { setRoomRole: { id: string, name: string | null, isGroup: boolean, unreadCount: number, unreadMentionCount: number, muted: boolean, lastSeq: number, createdAt: string, lastActivityAt: string, members: Array<{ role: RoomRole, joinedAt: string, seenAt: string | null, lastReadSeq: number | null, user: { id: string, nickname: string, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } }>, lastMessage: { id: string, roomId: string, seq: number, parentId: string | null, content: string | null, clientId: string | null, createdAt: string, editedAt: string | null, deletedAt: string | null, replyCount: number, lastReplyAt: string | null, sender: { id: string, nickname: string, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } | null, linkPreview: { url: string, title: string | null, description: string | null, imageUrl: string | null, siteName: string | null } | null, attachments: Array<{ id: string, url: string, contentType: string, size: number, width: number | null, height: number | null }>, reactions: Array<{ emoji: string, count: number, reactedByMe: boolean, users: Array<{ id: string, nickname: string }> }>, mentions: Array<{ id: string, nickname: string }>, seenBy: Array<{ id: string, nickname: string }> } | null } };

export type SetTypingMutationVariables = Exact<{
  roomId: string;
}>;


export type SetTypingMutation = { setTyping: boolean };

export type SignUpMutationVariables = Exact<{
  input: SignUpInput;
}>;


export type SignUpMutation = { signUp: { accessToken: string, refreshToken: string, expiresIn: number, user: { id: string, nickname: string, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } } };

export type ThreadQueryVariables = Exact<{
  messageId: string;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type ThreadQuery = { thread: { edges: Array<{ cursor: string, node: { id: string, roomId: string, seq: number, parentId: string | null, content: string | null, clientId: string | null, createdAt: string, editedAt: string | null, deletedAt: string | null, replyCount: number, lastReplyAt: string | null, sender: { id: string, nickname: string, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } | null, linkPreview: { url: string, title: string | null, description: string | null, imageUrl: string | null, siteName: string | null } | null, attachments: Array<{ id: string, url: string, contentType: string, size: number, width: number | null, height: number | null }>, reactions: Array<{ emoji: string, count: number, reactedByMe: boolean, users: Array<{ id: string, nickname: string }> }>, mentions: Array<{ id: string, nickname: string }>, seenBy: Array<{ id: string, nickname: string }> } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type UpdateProfileMutationVariables = Exact<{
  input: UpdateProfileInput;
}>;


export type UpdateProfileMutation = { updateProfile: { id: string, nickname: string, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } };

export type UserPresenceQueryVariables = Exact<{
  id: string;
}>;


export type UserPresenceQuery = { user: { id: string, presence: { status: PresenceStatus, lastSeenAt: string | null } } | null };

export type AuthFieldsFragment = { accessToken: string, refreshToken: string, expiresIn: number, user: { id: string, nickname: string, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } };

export type MessageFieldsFragment = { id: string, roomId: string, seq: number, parentId: string | null, content: string | null, clientId: string | null, createdAt: string, editedAt: string | null, deletedAt: string | null, replyCount: number, lastReplyAt: string | null, sender: { id: string, nickname: string, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } | null, linkPreview: { url: string, title: string | null, description: string | null, imageUrl: string | null, siteName: string | null } | null, attachments: Array<{ id: string, url: string, contentType: string, size: number, width: number | null, height: number | null }>, reactions: Array<{ emoji: string, count: number, reactedByMe: boolean, users: Array<{ id: string, nickname: string }> }>, mentions: Array<{ id: string, nickname: string }>, seenBy: Array<{ id: string, nickname: string }> };

export type RoomFieldsFragment = { id: string, name: string | null, isGroup: boolean, unreadCount: number, unreadMentionCount: number, muted: boolean, lastSeq: number, createdAt: string, lastActivityAt: string, members: Array<{ role: RoomRole, joinedAt: string, seenAt: string | null, lastReadSeq: number | null, user: { id: string, nickname: string, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } }>, lastMessage: { id: string, roomId: string, seq: number, parentId: string | null, content: string | null, clientId: string | null, createdAt: string, editedAt: string | null, deletedAt: string | null, replyCount: number, lastReplyAt: string | null, sender: { id: string, nickname: string, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } | null, linkPreview: { url: string, title: string | null, description: string | null, imageUrl: string | null, siteName: string | null } | null, attachments: Array<{ id: string, url: string, contentType: string, size: number, width: number | null, height: number | null }>, reactions: Array<{ emoji: string, count: number, reactedByMe: boolean, users: Array<{ id: string, nickname: string }> }>, mentions: Array<{ id: string, nickname: string }>, seenBy: Array<{ id: string, nickname: string }> } | null };

export type UserFieldsFragment = { id: string, nickname: string, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } };

export type EventsSubscriptionVariables = Exact<{
  positions?: Array<RoomPositionInput> | RoomPositionInput | null | undefined;
}>;


export type EventsSubscription = { events:
    | { __typename: 'MemberJoined', seq: number | null, roomId: string, at: string, user: { id: string, nickname: string, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } }
    | { __typename: 'MemberLeft', seq: number | null, roomId: string, at: string, user: { id: string, nickname: string, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } }
    | { __typename: 'MemberRoleChanged', seq: number | null, roomId: string, at: string, role: RoomRole, user: { id: string } }
    | { __typename: 'MentionAlert', by: { id: string, nickname: string }, room: { id: string, name: string | null, isGroup: boolean }, message: { id: string, roomId: string, seq: number, parentId: string | null, content: string | null, clientId: string | null, createdAt: string, editedAt: string | null, deletedAt: string | null, replyCount: number, lastReplyAt: string | null, sender: { id: string, nickname: string, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } | null, linkPreview: { url: string, title: string | null, description: string | null, imageUrl: string | null, siteName: string | null } | null, attachments: Array<{ id: string, url: string, contentType: string, size: number, width: number | null, height: number | null }>, reactions: Array<{ emoji: string, count: number, reactedByMe: boolean, users: Array<{ id: string, nickname: string }> }>, mentions: Array<{ id: string, nickname: string }>, seenBy: Array<{ id: string, nickname: string }> } }
    | { __typename: 'MessageAdded', seq: number | null, roomId: string, at: string, message: { id: string, roomId: string, seq: number, parentId: string | null, content: string | null, clientId: string | null, createdAt: string, editedAt: string | null, deletedAt: string | null, replyCount: number, lastReplyAt: string | null, parent: { id: string, replyCount: number, lastReplyAt: string | null } | null, sender: { id: string, nickname: string, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } | null, linkPreview: { url: string, title: string | null, description: string | null, imageUrl: string | null, siteName: string | null } | null, attachments: Array<{ id: string, url: string, contentType: string, size: number, width: number | null, height: number | null }>, reactions: Array<{ emoji: string, count: number, reactedByMe: boolean, users: Array<{ id: string, nickname: string }> }>, mentions: Array<{ id: string, nickname: string }>, seenBy: Array<{ id: string, nickname: string }> } }
    | { __typename: 'MessageDeleted', seq: number | null, roomId: string, at: string, message: { id: string, roomId: string, seq: number, parentId: string | null, content: string | null, clientId: string | null, createdAt: string, editedAt: string | null, deletedAt: string | null, replyCount: number, lastReplyAt: string | null, sender: { id: string, nickname: string, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } | null, linkPreview: { url: string, title: string | null, description: string | null, imageUrl: string | null, siteName: string | null } | null, attachments: Array<{ id: string, url: string, contentType: string, size: number, width: number | null, height: number | null }>, reactions: Array<{ emoji: string, count: number, reactedByMe: boolean, users: Array<{ id: string, nickname: string }> }>, mentions: Array<{ id: string, nickname: string }>, seenBy: Array<{ id: string, nickname: string }> } }
    | { __typename: 'MessageEdited', seq: number | null, roomId: string, at: string, message: { id: string, roomId: string, seq: number, parentId: string | null, content: string | null, clientId: string | null, createdAt: string, editedAt: string | null, deletedAt: string | null, replyCount: number, lastReplyAt: string | null, sender: { id: string, nickname: string, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } | null, linkPreview: { url: string, title: string | null, description: string | null, imageUrl: string | null, siteName: string | null } | null, attachments: Array<{ id: string, url: string, contentType: string, size: number, width: number | null, height: number | null }>, reactions: Array<{ emoji: string, count: number, reactedByMe: boolean, users: Array<{ id: string, nickname: string }> }>, mentions: Array<{ id: string, nickname: string }>, seenBy: Array<{ id: string, nickname: string }> } }
    | { __typename: 'NotificationAdded', notification: { id: string, kind: NotificationKind, createdAt: string, read: boolean, room: { id: string, name: string | null, isGroup: boolean }, message: { id: string, roomId: string, seq: number, parentId: string | null, content: string | null, clientId: string | null, createdAt: string, editedAt: string | null, deletedAt: string | null, replyCount: number, lastReplyAt: string | null, sender: { id: string, nickname: string, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } | null, linkPreview: { url: string, title: string | null, description: string | null, imageUrl: string | null, siteName: string | null } | null, attachments: Array<{ id: string, url: string, contentType: string, size: number, width: number | null, height: number | null }>, reactions: Array<{ emoji: string, count: number, reactedByMe: boolean, users: Array<{ id: string, nickname: string }> }>, mentions: Array<{ id: string, nickname: string }>, seenBy: Array<{ id: string, nickname: string }> } | null } }
    | { __typename: 'ReactionChanged', seq: number | null, roomId: string, at: string, emoji: string, added: boolean, user: { id: string, nickname: string }, message: { id: string, roomId: string, seq: number, parentId: string | null, content: string | null, clientId: string | null, createdAt: string, editedAt: string | null, deletedAt: string | null, replyCount: number, lastReplyAt: string | null, sender: { id: string, nickname: string, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } | null, linkPreview: { url: string, title: string | null, description: string | null, imageUrl: string | null, siteName: string | null } | null, attachments: Array<{ id: string, url: string, contentType: string, size: number, width: number | null, height: number | null }>, reactions: Array<{ emoji: string, count: number, reactedByMe: boolean, users: Array<{ id: string, nickname: string }> }>, mentions: Array<{ id: string, nickname: string }>, seenBy: Array<{ id: string, nickname: string }> } }
    | { __typename: 'ReadReceipt', seq: number | null, roomId: string, at: string, lastReadSeq: number, seenAt: string, user: { id: string, nickname: string } }
    | { __typename: 'RoomAdded', roomId: string, at: string, room: { id: string, name: string | null, isGroup: boolean, unreadCount: number, unreadMentionCount: number, muted: boolean, lastSeq: number, createdAt: string, lastActivityAt: string, members: Array<{ role: RoomRole, joinedAt: string, seenAt: string | null, lastReadSeq: number | null, user: { id: string, nickname: string, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } }>, lastMessage: { id: string, roomId: string, seq: number, parentId: string | null, content: string | null, clientId: string | null, createdAt: string, editedAt: string | null, deletedAt: string | null, replyCount: number, lastReplyAt: string | null, sender: { id: string, nickname: string, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } | null, linkPreview: { url: string, title: string | null, description: string | null, imageUrl: string | null, siteName: string | null } | null, attachments: Array<{ id: string, url: string, contentType: string, size: number, width: number | null, height: number | null }>, reactions: Array<{ emoji: string, count: number, reactedByMe: boolean, users: Array<{ id: string, nickname: string }> }>, mentions: Array<{ id: string, nickname: string }>, seenBy: Array<{ id: string, nickname: string }> } | null } }
    | { __typename: 'RoomRemoved', roomId: string, at: string }
    | { __typename: 'TypingStarted', seq: number | null, roomId: string, at: string, user: { id: string, nickname: string } }
    | { __typename: 'UserUpdated', at: string, user: { id: string, nickname: string, avatarUrl: string | null, presence: { status: PresenceStatus, lastSeenAt: string | null } } }
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
export const UserFieldsFragmentDoc = new TypedDocumentString(`
    fragment UserFields on User {
  id
  nickname
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
  avatarUrl
  presence {
    status
    lastSeenAt
  }
}`, {"hash":"sha256:6377721c215a06d54a5b3f40a8af636113885a4e7c1f0086870711b5dd1d7533"}) as unknown as TypedDocumentString<AddReactionMutation, AddReactionMutationVariables>;
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
  avatarUrl
  presence {
    status
    lastSeenAt
  }
}`, {"hash":"sha256:fc53240cf00b2a4d62f985d9766fbcae9095586d3f4157a25c4a312ee18b544a"}) as unknown as TypedDocumentString<CreateDirectRoomMutation, CreateDirectRoomMutationVariables>;
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
  avatarUrl
  presence {
    status
    lastSeenAt
  }
}`, {"hash":"sha256:6cde2890bcc7aa6c586c6263f67a60057beef1e11f594bc8a7b9ce85c6e895e5"}) as unknown as TypedDocumentString<CreateGroupRoomMutation, CreateGroupRoomMutationVariables>;
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
  avatarUrl
  presence {
    status
    lastSeenAt
  }
}`, {"hash":"sha256:d2075c5f364dd926643d54cbba82406e25a5fea7f4834b969cbf88ba2c319fda"}) as unknown as TypedDocumentString<DeleteMessageMutation, DeleteMessageMutationVariables>;
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
  avatarUrl
  presence {
    status
    lastSeenAt
  }
}`, {"hash":"sha256:e74aa2036eef376d5a80531536eb5f7bb6a255602e59dcf6b3e506e43dbea2f8"}) as unknown as TypedDocumentString<EditMessageMutation, EditMessageMutationVariables>;
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
  avatarUrl
  presence {
    status
    lastSeenAt
  }
}`, {"hash":"sha256:f32f8d1d0ab080c73988a462708ec6c24353b93626e26944ea5e626f61936438"}) as unknown as TypedDocumentString<InviteToRoomMutation, InviteToRoomMutationVariables>;
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
  avatarUrl
  presence {
    status
    lastSeenAt
  }
}`, {"hash":"sha256:7607af3e39f604cd14c2a9d8a1ebde82f9949971adf631bc256ea090c21d68fe"}) as unknown as TypedDocumentString<LogInMutation, LogInMutationVariables>;
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
  avatarUrl
  presence {
    status
    lastSeenAt
  }
}`, {"hash":"sha256:7aba3762f6a17e9e3d819055dabc15b0d7439a0e0e009d0da7a172117340ff82"}) as unknown as TypedDocumentString<MeQuery, MeQueryVariables>;
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
  avatarUrl
  presence {
    status
    lastSeenAt
  }
}`, {"hash":"sha256:e08e5b4988ce7aa47aed37697afd0f965cf927b2ca8becb530441b1d13f4eb0c"}) as unknown as TypedDocumentString<MessagesQuery, MessagesQueryVariables>;
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
  avatarUrl
  presence {
    status
    lastSeenAt
  }
}`, {"hash":"sha256:862715106a9994d6773b59ba230602350d27f56da511f9733bb1dc36adf08412"}) as unknown as TypedDocumentString<RefreshTokenMutation, RefreshTokenMutationVariables>;
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
  avatarUrl
  presence {
    status
    lastSeenAt
  }
}`, {"hash":"sha256:d8e5697d0940691b2f590bf7e67c013538d5fe5816c03b962336876de4432bce"}) as unknown as TypedDocumentString<RemoveLinkPreviewMutation, RemoveLinkPreviewMutationVariables>;
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
  avatarUrl
  presence {
    status
    lastSeenAt
  }
}`, {"hash":"sha256:b160d2c02eaf2bb002e2eb4350686eafb3f08621cb0fd78b3d3c5e649b6d680b"}) as unknown as TypedDocumentString<RemoveReactionMutation, RemoveReactionMutationVariables>;
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
  avatarUrl
  presence {
    status
    lastSeenAt
  }
}`, {"hash":"sha256:f68243471eecc4ff09d26816ba03890dc265385bdb4ddde87dd8e963c1dc0446"}) as unknown as TypedDocumentString<ReplyInThreadMutation, ReplyInThreadMutationVariables>;
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
  avatarUrl
  presence {
    status
    lastSeenAt
  }
}`, {"hash":"sha256:d6393bd8bf3a68ed0611a23003f794af7ee18ce646fac0df4b1eef8261596cb4"}) as unknown as TypedDocumentString<RoomQuery, RoomQueryVariables>;
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
  avatarUrl
  presence {
    status
    lastSeenAt
  }
}`, {"hash":"sha256:1a419451e4d43f39feb4303e6ce986bb582ab09545796ff1420912c9656ae34a"}) as unknown as TypedDocumentString<RoomsQuery, RoomsQueryVariables>;
export const SearchUsersDocument = new TypedDocumentString(`
    query SearchUsers($query: String!, $first: Int) {
  searchUsers(query: $query, first: $first) {
    ...UserFields
  }
}
    fragment UserFields on User {
  id
  nickname
  avatarUrl
  presence {
    status
    lastSeenAt
  }
}`, {"hash":"sha256:24e3e4665f6fcd186a625873f5ad16c77b854b6e76c24aafe1408dd7c16ebac7"}) as unknown as TypedDocumentString<SearchUsersQuery, SearchUsersQueryVariables>;
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
  avatarUrl
  presence {
    status
    lastSeenAt
  }
}`, {"hash":"sha256:e4865d34d569465fb96bbc29f50ab8f1248d12dacb55381a7f4bff78bca98b3f"}) as unknown as TypedDocumentString<SendMessageMutation, SendMessageMutationVariables>;
export const ServerInfoDocument = new TypedDocumentString(`
    query ServerInfo {
  serverInfo {
    version
    uploads {
      enabled
      maxBytes
      types
    }
    limits {
      messageMaxChars
      pageSizeMax
    }
  }
}
    `, {"hash":"sha256:ff94d3514847f374a7cc1818237b046ae38cf5bc3bb5209e0146cf536b121a74"}) as unknown as TypedDocumentString<ServerInfoQuery, ServerInfoQueryVariables>;
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
  avatarUrl
  presence {
    status
    lastSeenAt
  }
}`, {"hash":"sha256:d8604322980089eecccd10fe1cd21012cdeec94c1169edb104201e85d0e436a1"}) as unknown as TypedDocumentString<SetNotificationSettingsMutation, SetNotificationSettingsMutationVariables>;
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
  avatarUrl
  presence {
    status
    lastSeenAt
  }
}`, {"hash":"sha256:fdf053c9f8b02ff516befb05f09630094bbef442113e5ca3fcb0a72aa67bf7d8"}) as unknown as TypedDocumentString<SetRoomRoleMutation, SetRoomRoleMutationVariables>;
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
  avatarUrl
  presence {
    status
    lastSeenAt
  }
}`, {"hash":"sha256:1220b9580705ffe3624fc355329996e3fb5dc9fb1ab6e4a1d7c9def1df6cd12c"}) as unknown as TypedDocumentString<SignUpMutation, SignUpMutationVariables>;
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
  avatarUrl
  presence {
    status
    lastSeenAt
  }
}`, {"hash":"sha256:6ef5e5e00fad45aa7ea8758097b8a885135d4f29509160ad925a74c60fd98872"}) as unknown as TypedDocumentString<ThreadQuery, ThreadQueryVariables>;
export const UpdateProfileDocument = new TypedDocumentString(`
    mutation UpdateProfile($input: UpdateProfileInput!) {
  updateProfile(input: $input) {
    ...UserFields
  }
}
    fragment UserFields on User {
  id
  nickname
  avatarUrl
  presence {
    status
    lastSeenAt
  }
}`, {"hash":"sha256:612bcf09f87e2b6de9de2d7888c9b59f87041de58dc2595c17215314fcfecdc6"}) as unknown as TypedDocumentString<UpdateProfileMutation, UpdateProfileMutationVariables>;
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
  avatarUrl
  presence {
    status
    lastSeenAt
  }
}`, {"hash":"sha256:206a34536e20f33e25d0ff7576e2282681c44c8ef6147e389090d6f637bcaeec"}) as unknown as TypedDocumentString<EventsSubscription, EventsSubscriptionVariables>;
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