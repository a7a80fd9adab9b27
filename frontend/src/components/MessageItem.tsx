import { memo, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { deleteMessage, editMessage, removeLinkPreview, retrySend, toggleReaction } from '../lib/actions';
import { errorMessage } from '../lib/execute';
import { permalink } from '../lib/router';
import { shortWhen, timeLabel } from '../lib/time';
import { useChat } from '../store/chat';
import type { Message } from '../store/merge';
import { Avatar } from './Avatar';
import { EmojiPopover } from './EmojiPopover';
import { ConfirmDialog } from './Modal';
import { AttachmentFile, AttachmentImage, isInlineImage } from './AttachmentView';
import { Icon } from './Icons';
import { Lightbox } from './Lightbox';
import { LinkPreviewCard } from './LinkPreviewCard';
import { Markdown } from './Markdown';

export interface MessageItemProps {
  message: Message;
  meId: string;
  /** Same sender as the message above, shortly after: no avatar and name. */
  compact: boolean;
  canModerate: boolean;
  memberNames: readonly string[];
  inThread?: boolean;
  seenLabel?: string | null;
  /** The message a permalink points at: highlighted. */
  focused?: boolean;
}

export const MessageItem = memo(function MessageItem({
  message,
  meId,
  compact,
  canModerate,
  memberNames,
  inThread,
  seenLabel,
  focused,
}: MessageItemProps) {
  // One message is edited at a time, also when ArrowUp in the composer asks for my last one.
  const editKey = `${inThread ? 'thread' : 'room'}:${message.id}`;
  const editing = useChat((s) => s.editingId === editKey);
  const setEditingId = useChat((s) => s.setEditing);
  const setEditing = (on: boolean) => setEditingId(on ? editKey : null);
  /** Back to the composer of this pane after editing with the keyboard. */
  const backToComposer = () =>
    requestAnimationFrame(() => ref.current?.closest('.room, .thread')?.querySelector<HTMLTextAreaElement>('.composer__input')?.focus());
  const [draft, setDraft] = useState('');
  const [picker, setPicker] = useState<'up' | 'down' | null>(null);
  const ref = useRef<HTMLElement>(null);
  // Open the picker on the side of the message with more room.
  const openPicker = () => {
    const rect = ref.current?.getBoundingClientRect();
    setPicker(rect && rect.top > window.innerHeight / 2 ? 'up' : 'down');
  };
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [lightbox, setLightbox] = useState<string | null>(null);
  const lightboxAttachment = lightbox ? message.attachments.find((a) => a.id === lightbox) : undefined;
  const [error, setError] = useState<string | null>(null);
  const setActiveThread = useChat((s) => s.setActiveThread);
  const presence = useChat((s) => (message.sender ? s.presence[message.sender.id]?.status : undefined));

  const mine = message.sender?.id === meId;
  const deleted = !!message.deletedAt;
  const local = message.local;
  const canEdit = mine && !deleted && !local;
  const canDelete = (mine || canModerate) && !deleted && !local;
  const mentionsMe = message.mentions.some((u) => u.id === meId);
  const nickname = message.sender?.nickname ?? 'Deleted user';
  // A webhook's post may ask to be shown under another name: the bot that posted it stays visible.
  const senderName = message.displayName ? `${message.displayName} (via ${nickname})` : nickname;

  const copyLink = () => {
    const url = permalink(message.roomId, message.id);
    const pushToast = useChat.getState().pushToast;
    navigator.clipboard
      .writeText(url)
      .then(() => pushToast({ kind: 'info', title: 'Link copied', body: url }))
      .catch(() => pushToast({ kind: 'error', title: 'Could not copy the link', body: url }));
  };
  const run = (p: Promise<unknown>) => p.catch((e) => setError(errorMessage(e)));
  const startEdit = () => setEditing(true);
  // Entering edit mode (from the toolbar or from the composer) starts from the current text.
  const wasEditing = useRef(false);
  useEffect(() => {
    if (editing && !wasEditing.current) setDraft(message.content ?? '');
    wasEditing.current = editing;
  }, [editing, message.content]);
  const saveEdit = () => {
    const text = draft.trim();
    setEditing(false);
    if (text && text !== message.content) void run(editMessage(message.id, text));
  };
  const onEditKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      saveEdit();
      backToComposer();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      setEditing(false);
      backToComposer();
    }
  };

  return (
    <article
      ref={ref}
      className={`message${compact ? ' message--compact' : ''}${focused ? ' message--focus' : ''}${mentionsMe ? ' message--mention' : ''}${local ? ` message--${local.status}` : ''}${deleted ? ' message--deleted' : ''}`}
      aria-label={`${senderName} at ${timeLabel(message.createdAt)}`}
      data-message-id={message.id}
      data-seq={message.seq}
      tabIndex={0}
    >
      <div className="message__gutter">
        {compact ? (
          <time className="message__hover-time" dateTime={message.createdAt}>
            {timeLabel(message.createdAt)}
          </time>
        ) : (
          <Avatar
            id={message.sender?.id ?? 'ghost'}
            name={senderName}
            url={message.displayAvatarUrl ?? message.sender?.avatarUrl}
            size={36}
            presence={!mine ? presence : undefined}
          />
        )}
      </div>
      <div className="message__body">
        {compact ? null : (
          <header className="message__header">
            <span className="message__sender">{senderName}</span>
            {message.sender?.isBot ? <span className="bot-badge">BOT</span> : null}
            <time className="message__time" dateTime={message.createdAt} title={new Date(message.createdAt).toLocaleString()}>
              {timeLabel(message.createdAt)}
            </time>
          </header>
        )}
        {deleted ? (
          <p className="message__tombstone">Message deleted</p>
        ) : editing ? (
          <div className="message__edit">
            <textarea
              className="input"
              aria-label="Edit message"
              value={draft}
              autoFocus
              rows={Math.min(8, draft.split('\n').length + 1)}
              onChange={(e) => setDraft(e.target.value)}
              onKeyDown={onEditKey}
            />
            <div className="message__edit-actions">
              <span className="muted">Enter to save · Esc to cancel</span>
              <button type="button" className="button button--ghost button--small" onClick={() => setEditing(false)}>
                Cancel
              </button>
              <button type="button" className="button button--primary button--small" onClick={saveEdit}>
                Save
              </button>
            </div>
          </div>
        ) : (
          <div className="message__content">
            {message.content ? <Markdown text={message.content} memberNames={memberNames} /> : null}
            {message.editedAt ? <span className="message__edited"> (edited)</span> : null}
          </div>
        )}
        {!deleted && message.attachments.length > 0 ? (
          <div className="message__attachments">
            {message.attachments.map((a) =>
              isInlineImage(a) ? (
                <AttachmentImage key={a.id} attachment={a} onOpen={() => setLightbox(a.id)} />
              ) : (
                <AttachmentFile key={a.id} attachment={a} />
              ),
            )}
          </div>
        ) : null}
        {!deleted && message.linkPreview ? (
          <LinkPreviewCard
            preview={message.linkPreview}
            onRemove={mine && !local ? () => void run(removeLinkPreview(message.id)) : undefined}
          />
        ) : null}
        {!deleted && message.reactions.length > 0 ? (
          <ul className="reactions" aria-label="Reactions">
            {message.reactions.map((r) => {
              const who = r.users.map((u) => (u.id === meId ? 'you' : u.nickname)).join(', ');
              return (
                <li key={r.emoji}>
                  <button
                    type="button"
                    className={`reaction${r.reactedByMe ? ' reaction--mine' : ''}`}
                    aria-pressed={r.reactedByMe}
                    aria-label={`${r.emoji} ${r.count}, by ${who}`}
                    title={`${who} reacted with ${r.emoji}`}
                    onClick={() => void run(toggleReaction(message, r.emoji))}
                  >
                    <span className="reaction__emoji">{r.emoji}</span>
                    <span className="reaction__count">{r.count}</span>
                  </button>
                </li>
              );
            })}
            <li>
              <button type="button" className="reaction reaction--add" aria-label="Add reaction" onClick={openPicker}>
                <Icon name="smile" size={16} />+
              </button>
            </li>
          </ul>
        ) : null}
        {!inThread && message.replyCount > 0 && !local ? (
          <button type="button" className="thread-link" onClick={() => setActiveThread(message.id)}>
            {message.replyCount} {message.replyCount === 1 ? 'reply' : 'replies'}
            {message.lastReplyAt ? <span className="thread-link__when"> · last {shortWhen(message.lastReplyAt)}</span> : null}
          </button>
        ) : null}
        {local?.status === 'sending' ? <span className="message__status">Sending…</span> : null}
        {local?.status === 'failed' ? (
          <span className="message__status message__status--failed" role="alert">
            Not sent{local.error ? `: ${local.error}` : ''}.{' '}
            <button type="button" className="link-button" onClick={() => void retrySend(message)}>
              Retry
            </button>
          </span>
        ) : null}
        {seenLabel ? (
          <span className="message__seen" data-testid="seen">
            {seenLabel}
          </span>
        ) : null}
        {error ? (
          <span className="message__status message__status--failed" role="alert">
            {error}
          </span>
        ) : null}
      </div>
      {!local && !deleted && !editing ? (
        <div className="message__toolbar" role="toolbar" aria-label="Message actions">
          <button type="button" className="icon-button" aria-label="Add reaction" title="React" onClick={openPicker}>
            <Icon name="smile" />
          </button>
          {!inThread ? (
            <button type="button" className="icon-button" aria-label="Reply in thread" title="Reply in thread" onClick={() => setActiveThread(message.id)}>
              <Icon name="thread" />
            </button>
          ) : null}
          <button type="button" className="icon-button" aria-label="Copy link to message" title="Copy link" onClick={copyLink}>
            <Icon name="link" />
          </button>
          {canEdit ? (
            <button type="button" className="icon-button" aria-label="Edit message" title="Edit" onClick={startEdit}>
              <Icon name="edit" />
            </button>
          ) : null}
          {canDelete ? (
            <button type="button" className="icon-button icon-button--danger" aria-label="Delete message" title="Delete" onClick={() => setConfirmDelete(true)}>
              <Icon name="trash" />
            </button>
          ) : null}
        </div>
      ) : null}
      {picker ? (
        <EmojiPopover
          direction={picker}
          onPick={(e) => void run(toggleReaction(message, e))}
          onClose={() => setPicker(null)}
        />
      ) : null}
      {lightboxAttachment ? <Lightbox attachment={lightboxAttachment} onClose={() => setLightbox(null)} /> : null}
      {confirmDelete ? (
        <ConfirmDialog
          title="Delete message?"
          message="The message will be replaced by “Message deleted” for everyone. This cannot be undone."
          confirmLabel="Delete"
          danger
          onCancel={() => setConfirmDelete(false)}
          onConfirm={() => {
            setConfirmDelete(false);
            void run(deleteMessage(message.id));
          }}
        />
      ) : null}
    </article>
  );
});
