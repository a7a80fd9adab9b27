// Every write the client makes: what the user does, as calls to the API with the store updated
// optimistically or from the answer. Components call these; none runs a mutation itself.
import {
  AddReactionDocument,
  CreateApiTokenDocument,
  CreateBotDocument,
  CreateDirectRoomDocument,
  CreateGroupRoomDocument,
  CreateIncomingWebhookDocument,
  CreateOutgoingWebhookDocument,
  DeleteIncomingWebhookDocument,
  DeleteMessageDocument,
  DeleteOutgoingWebhookDocument,
  DeleteSlashCommandDocument,
  EditMessageDocument,
  InviteToRoomDocument,
  LeaveRoomDocument,
  LogInDocument,
  LogOutDocument,
  MarkReadDocument,
  RegisterSlashCommandDocument,
  RemoveLinkPreviewDocument,
  RemoveReactionDocument,
  RevokeApiTokenDocument,
  ReplyInThreadDocument,
  RunSlashCommandDocument,
  SendMessageDocument,
  SetNotificationSettingsDocument,
  SetPresenceDocument,
  SetRoomRoleDocument,
  SetTypingDocument,
  SignUpDocument,
  UpdateProfileDocument,
  type CreateApiTokenInput,
  type CreateOutgoingWebhookInput,
  type RegisterSlashCommandInput,
  type LogInInput,
  type PresenceStatus,
  type RoomRole,
  type SignUpInput,
} from '../gql/graphql';
import { useChat } from '../store/chat';
import { myLastEditable, type Message, type Profile, type Room, type Source } from '../store/merge';
import { errorMessage, execute, sessionFromPayload } from './execute';
import { getSession, setSession, updateSessionUser } from './session';
import { uploadImage } from './upload';
import { newClientId } from './time';
import { queryClient } from './queryClient';
import { navigate } from './router';

export interface SendInput {
  roomId: string;
  content: string;
  parentId?: string | null;
  attachmentIds?: string[];
}

/** Shows the message at once, sends it with a clientId (idempotent on retry), then puts the server's copy in. */
export async function sendMessage(input: SendInput, clientId = newClientId()): Promise<void> {
  const chat = useChat.getState();
  const session = getSession();
  if (!session) return;
  const parentId = input.parentId ?? null;
  const me = chat.rooms[input.roomId]?.members.find((m) => m.user.id === session.user.id)?.user;
  chat.addOptimistic({
    clientId,
    roomId: input.roomId,
    content: input.content,
    parentId,
    sender: me ?? {
      id: session.user.id,
      nickname: session.user.nickname,
      isBot: false,
      avatarUrl: null,
      presence: { status: 'ONLINE', lastSeenAt: null },
    },
    now: new Date().toISOString(),
  });
  await deliver(input, clientId);
}

/** How a mutation's answer is merged: captured before the mutation is sent (see `Source`). */
function mutation(): Source {
  return { kind: 'mutation', eventsBefore: useChat.getState().eventSeq };
}

async function deliver(input: SendInput, clientId: string): Promise<void> {
  const parentId = input.parentId ?? null;
  const eventsBefore = useChat.getState().eventSeq;
  try {
    const message = parentId
      ? (
          await execute(ReplyInThreadDocument, {
            input: { parentId, content: input.content, clientId, attachmentIds: input.attachmentIds },
          })
        ).replyInThread
      : (
          await execute(SendMessageDocument, {
            input: { roomId: input.roomId, content: input.content, clientId, attachmentIds: input.attachmentIds },
          })
        ).sendMessage;
    // A reply's answer carries its root's new reply count (`parent`), as its `MessageAdded` event does.
    useChat.getState().applySent(message, eventsBefore);
  } catch (error) {
    useChat.getState().sendFailed(input.roomId, parentId, clientId, errorMessage(error));
  }
}

export async function retrySend(message: Message): Promise<void> {
  if (!message.clientId || !message.local) return;
  useChat.getState().sendRetrying(message.roomId, message.parentId, message.clientId);
  await deliver(
    { roomId: message.roomId, content: message.content ?? '', parentId: message.parentId },
    message.clientId,
  );
}

export async function editMessage(id: string, content: string): Promise<void> {
  const source = mutation();
  const { editMessage: m } = await execute(EditMessageDocument, { id, content });
  useChat.getState().mergeMessages([m], source);
}

export async function deleteMessage(id: string): Promise<void> {
  const source = mutation();
  const { deleteMessage: m } = await execute(DeleteMessageDocument, { id });
  useChat.getState().mergeMessages([m], source);
}

/** Removes the link preview of my message, for everyone (the server announces it as an edit too). */
export async function removeLinkPreview(id: string): Promise<void> {
  const source = mutation();
  const { removeLinkPreview: m } = await execute(RemoveLinkPreviewDocument, { messageId: id });
  useChat.getState().mergeMessages([m], source);
}

export async function toggleReaction(message: Message, emoji: string): Promise<void> {
  const mine = message.reactions.some((r) => r.emoji === emoji && r.reactedByMe);
  const source = mutation();
  const result = mine
    ? (await execute(RemoveReactionDocument, { messageId: message.id, emoji })).removeReaction
    : (await execute(AddReactionDocument, { messageId: message.id, emoji })).addReaction;
  useChat.getState().mergeMessages([result], source);
}

/** Opens the editor on my last message of a room (or thread); false when there is none to edit. */
export function editLastMessage(roomId: string, parentId: string | null = null): boolean {
  const chat = useChat.getState();
  const meId = chat.meId;
  const list = parentId ? chat.threads[parentId] : chat.messages[roomId];
  if (!meId || !list) return false;
  const mine = myLastEditable(
    list.ids.map((id) => list.byId[id]),
    meId,
  );
  if (!mine) return false;
  chat.setEditing(`${parentId ? 'thread' : 'room'}:${mine.id}`);
  return true;
}

const readInFlight = new Map<string, number>();

/** Moves my read marker to this message (never back). */
export async function markRead(roomId: string, message: Message): Promise<void> {
  if (message.local) return;
  if ((readInFlight.get(roomId) ?? 0) >= message.seq) return;
  readInFlight.set(roomId, message.seq);
  const meId = useChat.getState().meId;
  // Forward only; the answer's `seenAt` comes with the marker it confirms.
  const moveMarker = (room: Room, seq: number, seenAt?: string | null) =>
    room.members.map((m) =>
      m.user.id === meId && ((m.lastReadSeq ?? 0) < seq || ((m.lastReadSeq ?? 0) === seq && seenAt))
        ? { ...m, lastReadSeq: seq, ...(seenAt ? { seenAt } : {}) }
        : m,
    );
  const before = useChat.getState().rooms[roomId];
  // My marker moves at once (the divider, receipts); the counts are the server's answer.
  if (before && meId) useChat.getState().patchRoom(roomId, { members: moveMarker(before, message.seq) });
  try {
    const { markRead: answer } = await execute(MarkReadDocument, { roomId, messageId: message.id });
    const room = useChat.getState().rooms[roomId];
    const mine = answer.members.find((m) => m.user.id === meId);
    // Counts taken up to the answer's `lastSeq`: events after it were counted by the stream already, so an
    // older answer leaves them be (my ReadReceipt event settles them).
    if (room && answer.lastSeq >= room.lastSeq) {
      useChat.getState().patchRoom(roomId, {
        unreadCount: answer.unreadCount,
        unreadMentionCount: answer.unreadMentionCount,
        members: mine?.lastReadSeq != null ? moveMarker(room, mine.lastReadSeq, mine.seenAt) : room.members,
      });
    }
  } catch {
    readInFlight.delete(roomId);
  }
}

const lastTyping = new Map<string, number>();
const trailingTyping = new Map<string, ReturnType<typeof setTimeout>>();
export const TYPING_THROTTLE_MS = 3_000;
/** Past the end of the throttle window before the trailing signal: the server's clock started a bit later. */
const TRAILING_MARGIN_MS = 150;

/**
 * Tells the room I am typing, at most once every 3 s (the server absorbs more). Typing inside the window is not
 * dropped: one signal goes out when the window ends, and once more shortly after if the server still absorbed
 * it, so the others see me typing again soon after my last message cleared the indicator.
 */
export function sendTyping(roomId: string, now = Date.now()): void {
  const since = now - (lastTyping.get(roomId) ?? -Infinity);
  if (since >= TYPING_THROTTLE_MS) {
    lastTyping.set(roomId, now);
    execute(SetTypingDocument, { roomId })
      .then(({ setTyping }) => {
        if (!setTyping && !trailingTyping.has(roomId)) {
          trailingTyping.set(
            roomId,
            setTimeout(() => {
              trailingTyping.delete(roomId);
              lastTyping.delete(roomId);
              sendTyping(roomId);
            }, 500),
          );
        }
      })
      .catch(() => {});
    return;
  }
  if (trailingTyping.has(roomId)) return;
  trailingTyping.set(
    roomId,
    setTimeout(() => {
      trailingTyping.delete(roomId);
      sendTyping(roomId);
    }, TYPING_THROTTLE_MS - since + TRAILING_MARGIN_MS),
  );
}

/**
 * I sent my message (`sent`) or emptied the composer: no trailing typing signal for what is already sent. A
 * sent message clears my indicator for the others and the server's throttle with it, so typing after it is
 * announced at once rather than when the old window ends.
 */
export function stopTyping(roomId: string, sent = false): void {
  const timer = trailingTyping.get(roomId);
  if (timer) clearTimeout(timer);
  trailingTyping.delete(roomId);
  if (sent) lastTyping.delete(roomId);
}

export async function setMyPresence(status: PresenceStatus): Promise<void> {
  await execute(SetPresenceDocument, { status });
  const meId = useChat.getState().meId;
  if (meId) useChat.getState().setPresence(meId, status, null);
}

export async function openDirectRoom(userId: string): Promise<string> {
  const { createDirectRoom: room } = await execute(CreateDirectRoomDocument, { userId });
  useChat.getState().upsertRoom(room);
  // A room list fetched before this answer must not drop the new room: refetch (cancelling any in flight).
  void queryClient.invalidateQueries({ queryKey: ['rooms'] });
  return room.id;
}

export async function createGroup(name: string, memberIds: string[]): Promise<string> {
  const { createGroupRoom: room } = await execute(CreateGroupRoomDocument, { input: { name, memberIds } });
  useChat.getState().upsertRoom(room);
  // A room list fetched before this answer must not drop the new room: refetch (cancelling any in flight).
  void queryClient.invalidateQueries({ queryKey: ['rooms'] });
  return room.id;
}

export async function inviteToRoom(roomId: string, userIds: string[]): Promise<void> {
  const { inviteToRoom: room } = await execute(InviteToRoomDocument, { roomId, userIds });
  useChat.getState().upsertRoom(room);
}

/** Mutes or unmutes a room's notifications (shown at once, put back if the server refuses). */
export async function setRoomMuted(roomId: string, muted: boolean): Promise<void> {
  const chat = useChat.getState();
  chat.patchRoom(roomId, { muted });
  try {
    await execute(SetNotificationSettingsDocument, { input: { roomId, muted } });
  } catch (error) {
    useChat.getState().patchRoom(roomId, { muted: !muted });
    throw error;
  }
}

/** My notifications on or off, everywhere. */
export async function setNotificationsEnabled(enabled: boolean): Promise<void> {
  const { setNotificationSettings: viewer } = await execute(SetNotificationSettingsDocument, { input: { enabled } });
  useChat.getState().setViewer(viewer);
}

/** My new nickname or avatar, shown everywhere I appear (the `UserUpdated` event brings the same later). */
function profileChanged(user: Profile): void {
  updateSessionUser({ nickname: user.nickname });
  useChat.getState().applyProfile(user);
}

export async function setNickname(nickname: string): Promise<void> {
  const { updateProfile } = await execute(UpdateProfileDocument, { input: { nickname } });
  profileChanged(updateProfile);
}

/** Uploads an image and makes it my avatar. */
export async function setAvatar(file: File, onProgress: (fraction: number) => void): Promise<void> {
  const attachment = await uploadImage(file, onProgress);
  const { updateProfile } = await execute(UpdateProfileDocument, { input: { avatarAttachmentId: attachment.id } });
  profileChanged(updateProfile);
}

export async function setRoomRole(roomId: string, userId: string, role: RoomRole): Promise<void> {
  const { setRoomRole: room } = await execute(SetRoomRoleDocument, { roomId, userId, role });
  useChat.getState().upsertRoom(room);
}

/** Signs up or logs in; the session it opens shows the chat. */
export async function signUp(input: SignUpInput): Promise<void> {
  setSession(sessionFromPayload((await execute(SignUpDocument, { input })).signUp));
}

export async function logIn(input: LogInInput): Promise<void> {
  setSession(sessionFromPayload((await execute(LogInDocument, { input })).logIn));
}

export async function leaveRoom(roomId: string): Promise<void> {
  await execute(LeaveRoomDocument, { roomId });
  useChat.getState().dropRoom(roomId);
}

export async function logOut(): Promise<void> {
  const session = getSession();
  if (session) await execute(LogOutDocument, { refreshToken: session.refreshToken }).catch(() => false);
  setSession(null);
  navigate('/', true);
  queryClient.clear();
  useChat.getState().reset(null);
}

// Bots and API tokens: no store data; the settings list is refetched after each change.
const INTEGRATIONS_KEY = ['integrations'];

export async function createBot(nickname: string): Promise<void> {
  await execute(CreateBotDocument, { input: { nickname } });
  await queryClient.invalidateQueries({ queryKey: INTEGRATIONS_KEY });
}

/** Mints a token; returns its value, which the server shows this once. */
export async function createApiToken(input: CreateApiTokenInput): Promise<string> {
  const { createApiToken: created } = await execute(CreateApiTokenDocument, { input });
  await queryClient.invalidateQueries({ queryKey: INTEGRATIONS_KEY });
  return created.token;
}

export async function revokeApiToken(id: string): Promise<void> {
  await execute(RevokeApiTokenDocument, { id });
  await queryClient.invalidateQueries({ queryKey: INTEGRATIONS_KEY });
}

/**
 * Runs `/command args` in a room: nothing is posted for the invocation; the bot's answer, if any, is a message
 * of the room (merged now, and arriving live too). Throws the server's refusal (unknown command, bot down).
 */
export async function runSlashCommand(roomId: string, command: string, args: string): Promise<void> {
  const source = mutation();
  const { runSlashCommand: ran } = await execute(RunSlashCommandDocument, { input: { roomId, command, args } });
  if (ran.reply) useChat.getState().mergeMessages([ran.reply], source);
}

// A room's webhooks and slash commands (its owner's and admins' business): no store data; the dialog's list,
// and the composer's commands, are refetched after each change.
async function roomIntegrationsChanged(roomId: string): Promise<void> {
  await Promise.all([
    queryClient.invalidateQueries({ queryKey: ['roomIntegrations', roomId] }),
    queryClient.invalidateQueries({ queryKey: ['slashCommands', roomId] }),
  ]);
}

/** Creates an incoming webhook posting as a new bot `name`; returns its URL path, shown this once. */
export async function createIncomingWebhook(roomId: string, name: string): Promise<string> {
  const { createIncomingWebhook: hook } = await execute(CreateIncomingWebhookDocument, { roomId, name });
  await roomIntegrationsChanged(roomId);
  return hook.url ?? '';
}

export async function deleteIncomingWebhook(roomId: string, id: string): Promise<void> {
  await execute(DeleteIncomingWebhookDocument, { id });
  await roomIntegrationsChanged(roomId);
}

/** Registers an outgoing webhook; returns its signing secret, shown this once. */
export async function createOutgoingWebhook(input: CreateOutgoingWebhookInput): Promise<string> {
  const { createOutgoingWebhook: hook } = await execute(CreateOutgoingWebhookDocument, { input });
  await roomIntegrationsChanged(input.roomId);
  return hook.secret ?? '';
}

export async function deleteOutgoingWebhook(roomId: string, id: string): Promise<void> {
  await execute(DeleteOutgoingWebhookDocument, { id });
  await roomIntegrationsChanged(roomId);
}

/** Registers a slash command; returns its signing secret, shown this once. */
export async function registerSlashCommand(input: RegisterSlashCommandInput): Promise<string> {
  const { registerSlashCommand: command } = await execute(RegisterSlashCommandDocument, { input });
  await roomIntegrationsChanged(input.roomId);
  return command.secret ?? '';
}

export async function deleteSlashCommand(roomId: string, id: string): Promise<void> {
  await execute(DeleteSlashCommandDocument, { id });
  await roomIntegrationsChanged(roomId);
}
