// What the user does, as calls to the API with the store updated optimistically or from the answer.
import {
  AddReactionDocument,
  CreateDirectRoomDocument,
  CreateGroupRoomDocument,
  DeleteMessageDocument,
  EditMessageDocument,
  InviteToRoomDocument,
  LeaveRoomDocument,
  LogOutDocument,
  MarkReadDocument,
  RemoveReactionDocument,
  ReplyInThreadDocument,
  SendMessageDocument,
  SetPresenceDocument,
  SetTypingDocument,
  type PresenceStatus,
} from '../gql/graphql';
import { useChat } from '../store/chat';
import { myLastEditable, type Message } from '../store/merge';
import { errorMessage, execute } from './execute';
import { getSession, setSession } from './session';
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
      avatarUrl: null,
      presence: { status: 'ONLINE', lastSeenAt: null },
    },
    now: new Date().toISOString(),
  });
  await deliver(input, clientId);
}

async function deliver(input: SendInput, clientId: string): Promise<void> {
  const parentId = input.parentId ?? null;
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
    const chat = useChat.getState();
    chat.mergeMessages([message], { kind: 'mutation' });
    if (!parentId) {
      const room = chat.rooms[input.roomId];
      if (room && (!room.lastMessage || room.lastMessage.seq <= message.seq)) {
        chat.patchRoom(input.roomId, { lastMessage: message });
      }
    } else {
      bumpParent(input.roomId, parentId, message);
    }
  } catch (error) {
    useChat.getState().sendFailed(input.roomId, parentId, clientId, errorMessage(error));
  }
}

function bumpParent(roomId: string, parentId: string, reply: Message) {
  const chat = useChat.getState();
  const parent = chat.messages[roomId]?.byId[parentId];
  if (parent && (!parent.lastReplyAt || parent.lastReplyAt < reply.createdAt)) {
    chat.mergeMessages(
      [{ ...parent, replyCount: parent.replyCount + 1, lastReplyAt: reply.createdAt }],
      { kind: 'mutation' },
    );
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
  const { editMessage: m } = await execute(EditMessageDocument, { id, content });
  useChat.getState().mergeMessages([m], { kind: 'mutation' });
}

export async function deleteMessage(id: string): Promise<void> {
  const { deleteMessage: m } = await execute(DeleteMessageDocument, { id });
  useChat.getState().mergeMessages([m], { kind: 'mutation' });
}

export async function toggleReaction(message: Message, emoji: string): Promise<void> {
  const mine = message.reactions.some((r) => r.emoji === emoji && r.reactedByMe);
  const result = mine
    ? (await execute(RemoveReactionDocument, { messageId: message.id, emoji })).removeReaction
    : (await execute(AddReactionDocument, { messageId: message.id, emoji })).addReaction;
  useChat.getState().mergeMessages([result], { kind: 'mutation' });
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
  const chat = useChat.getState();
  const meId = chat.meId;
  const room = chat.rooms[roomId];
  if (room && meId) {
    // Reading up to the newest message clears the counts; reading part of a long backlog leaves them to the
    // server (the next room list).
    const all = !room.lastMessage || message.seq >= room.lastMessage.seq;
    chat.patchRoom(roomId, {
      ...(all ? { unreadCount: 0, unreadMentionCount: 0 } : {}),
      members: room.members.map((m) =>
        m.user.id === meId && (m.lastReadSeq ?? 0) < message.seq ? { ...m, lastReadSeq: message.seq } : m,
      ),
    });
  }
  try {
    await execute(MarkReadDocument, { roomId, messageId: message.id });
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

/** I sent my message (or emptied the composer): no trailing typing signal for what is already sent. */
export function stopTyping(roomId: string): void {
  const timer = trailingTyping.get(roomId);
  if (timer) clearTimeout(timer);
  trailingTyping.delete(roomId);
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
