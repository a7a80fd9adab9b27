import { useEffect, useId, useLayoutEffect, useRef, useState, type ClipboardEvent, type DragEvent, type KeyboardEvent } from 'react';
import { runSlashCommand, sendMessage, sendTyping, stopTyping } from '../lib/actions';
import { errorMessage } from '../lib/execute';
import {
  applyMention,
  broadcastConfirmation,
  canBroadcast,
  findMentionQuery,
  suggestBroadcasts,
  suggestMentions,
  type MentionQuery,
} from '../lib/mentions';
import { useServerInfo, useSlashCommands } from '../lib/queries';
import { applyCommand, findCommandQuery, parseSubmission, suggestCommands } from '../lib/slash';
import { refusal, uploadImage, type UploadedAttachment } from '../lib/upload';
import type { RoomMember } from '../store/merge';
import { Avatar } from './Avatar';
import { Icon } from './Icons';
import { ConfirmDialog } from './Modal';

interface PendingFile {
  key: string;
  file: File;
  preview: string;
  progress: number;
  uploaded?: UploadedAttachment;
  error?: string;
}

export interface ComposerProps {
  roomId: string;
  parentId?: string | null;
  meId: string;
  members: readonly RoomMember[];
  placeholder: string;
  /** A group room: `@here`/`@everyone`/`@room` mean something there (for its owner and admins). */
  isGroup?: boolean;
  autoFocus?: boolean;
  /** ArrowUp in the empty composer: edit my last message; returns whether there was one. */
  onEditLast?(): boolean;
}

let fileSeq = 0;

type Suggestion =
  | { kind: 'user'; key: string; nickname: string; user: RoomMember['user'] }
  | { kind: 'broadcast'; key: string; nickname: string; hint: string }
  | { kind: 'command'; key: string; nickname: string; hint: string };

export function Composer({ roomId, parentId = null, meId, members, placeholder, isGroup = false, autoFocus, onEditLast }: ComposerProps) {
  const [text, setText] = useState('');
  const [caret, setCaret] = useState(0);
  const [mentionIndex, setMentionIndex] = useState(0);
  const [dismissed, setDismissed] = useState<number | null>(null);
  const [files, setFiles] = useState<PendingFile[]>([]);
  const [dragging, setDragging] = useState(false);
  const ref = useRef<HTMLTextAreaElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const listId = useId();
  const uploads = useServerInfo()?.uploads ?? null;

  const myRole = members.find((m) => m.user.id === meId)?.role;
  const mayBroadcast = canBroadcast(myRole, isGroup);
  const query: MentionQuery | null = findMentionQuery(text, caret);
  // Slash commands run in the room, from its main composer (not in threads).
  const commandsHere = parentId === null;
  const commands = useSlashCommands(roomId, commandsHere && text.startsWith('/'));
  const commandQuery = commandsHere ? findCommandQuery(text, caret) : null;
  const suggestions: Suggestion[] =
    commandQuery !== null && dismissed !== -1
      ? suggestCommands(commands, commandQuery).map(
          (c): Suggestion => ({ kind: 'command', key: `/${c.command}`, nickname: c.command, hint: c.description }),
        )
      : query && dismissed !== query.start
      ? [
          ...suggestMentions(
            members.map((m) => m.user),
            query.query,
            meId,
          ).map((user): Suggestion => ({ kind: 'user', key: user.id, nickname: user.nickname, user })),
          ...(mayBroadcast ? suggestBroadcasts(query.query) : []).map(
            (b): Suggestion => ({ kind: 'broadcast', key: `@${b.nickname}`, nickname: b.nickname, hint: b.hint }),
          ),
        ]
      : [];
  const open = suggestions.length > 0;
  // A broadcast to a large room waits for a confirmation: the question asked.
  const [confirming, setConfirming] = useState<string | null>(null);

  // Put the caret after an inserted mention in the same commit as the new text, before the next key.
  const pendingCaret = useRef<number | null>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (pendingCaret.current !== null) {
      el.focus();
      el.setSelectionRange(pendingCaret.current, pendingCaret.current);
      pendingCaret.current = null;
    }
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, 200)}px`;
  }, [text]);

  useEffect(() => {
    if (autoFocus) ref.current?.focus();
  }, [autoFocus, roomId]);

  useEffect(() => () => files.forEach((f) => URL.revokeObjectURL(f.preview)), []);

  // Why the last dropped or pasted files were not attached (said, never ignored silently).
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setNotice(null), 8_000);
    return () => clearTimeout(timer);
  }, [notice]);

  const addFiles = (list: Iterable<File>) => {
    const refused: string[] = [];
    for (const file of list) {
      const why = refusal(file, uploads);
      if (why) {
        refused.push(why);
        continue;
      }
      const key = `f${++fileSeq}`;
      const pending: PendingFile = { key, file, preview: URL.createObjectURL(file), progress: 0 };
      setFiles((fs) => [...fs, pending]);
      uploadImage(file, (p) => setFiles((fs) => fs.map((f) => (f.key === key ? { ...f, progress: p } : f))))
        .then((uploaded) => setFiles((fs) => fs.map((f) => (f.key === key ? { ...f, uploaded, progress: 1 } : f))))
        .catch((e: Error) => setFiles((fs) => fs.map((f) => (f.key === key ? { ...f, error: e.message } : f))));
    }
    setNotice(refused.length > 0 ? refused.join('\n') : null);
  };

  const removeFile = (key: string) =>
    setFiles((fs) => {
      const f = fs.find((x) => x.key === key);
      if (f) URL.revokeObjectURL(f.preview);
      return fs.filter((x) => x.key !== key);
    });

  const uploading = files.some((f) => !f.uploaded && !f.error);
  const ready = files.filter((f) => f.uploaded);

  const submit = (confirmed = false) => {
    const content = text.trim();
    if ((!content && ready.length === 0) || uploading) return;
    // Only for those allowed: a member's broadcast is refused by the server, with its reason shown.
    const question = confirmed || !mayBroadcast ? null : broadcastConfirmation(content, { isGroup, memberCount: members.length });
    if (question) {
      setConfirming(question);
      return;
    }
    setConfirming(null);
    stopTyping(roomId, true);
    const submission = commandsHere && ready.length === 0 ? parseSubmission(content) : { kind: 'text' as const, content };
    if (submission.kind === 'command') {
      // The invocation is not a message: clear now, and give the text back with the reason if it fails.
      setText('');
      setCaret(0);
      setNotice(null);
      runSlashCommand(roomId, submission.command, submission.args).catch((err: unknown) => {
        setText((current) => current || text);
        setNotice(`/${submission.command}: ${errorMessage(err)}`);
      });
      return;
    }
    void sendMessage({ roomId, parentId, content: submission.content, attachmentIds: ready.map((f) => f.uploaded!.id) });
    setText('');
    setCaret(0);
    files.forEach((f) => URL.revokeObjectURL(f.preview));
    setFiles([]);
  };

  const choose = (suggestion: Suggestion) => {
    if (suggestion.kind === 'command') {
      const next = applyCommand(text, caret, suggestion.nickname);
      setText(next.text);
      setCaret(next.caret);
      setMentionIndex(0);
      pendingCaret.current = next.caret;
      return;
    }
    const nickname = suggestion.nickname;
    if (!query) return;
    const next = applyMention(text, caret, query, nickname);
    setText(next.text);
    setCaret(next.caret);
    setMentionIndex(0);
    pendingCaret.current = next.caret;
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.nativeEvent.isComposing) return;
    if (open) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        const delta = e.key === 'ArrowDown' ? 1 : -1;
        setMentionIndex((i) => (i + delta + suggestions.length) % suggestions.length);
        return;
      }
      if (e.key === 'Enter' || e.key === 'Tab') {
        e.preventDefault();
        choose(suggestions[Math.min(mentionIndex, suggestions.length - 1)]);
        return;
      }
      if (e.key === 'Escape') {
        e.preventDefault();
        setDismissed(commandQuery !== null ? -1 : query!.start);
        return;
      }
    }
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      submit();
      return;
    }
    if (e.key === 'ArrowUp' && text === '' && files.length === 0 && !e.shiftKey && !e.altKey && !e.metaKey && !e.ctrlKey) {
      if (onEditLast?.()) e.preventDefault();
    }
  };

  const onPaste = (e: ClipboardEvent<HTMLTextAreaElement>) => {
    const pasted = [...e.clipboardData.files];
    if (pasted.length > 0) {
      e.preventDefault();
      addFiles(pasted);
    }
  };

  const onDrop = (e: DragEvent) => {
    setDragging(false);
    if (e.dataTransfer.files.length === 0) return;
    e.preventDefault();
    addFiles(e.dataTransfer.files);
  };

  return (
    <div
      className={`composer${dragging ? ' composer--dragging' : ''}`}
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes('Files')) {
          e.preventDefault();
          setDragging(true);
        }
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      {open ? (
        <ul
          className="mention-menu"
          id={listId}
          role="listbox"
          aria-label={suggestions[0].kind === 'command' ? 'Slash commands' : 'Mention someone'}
        >
          {suggestions.map((u, i) => (
            <li
              key={u.key}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === mentionIndex}
              className={i === mentionIndex ? 'mention-menu__item mention-menu__item--active' : 'mention-menu__item'}
              onMouseDown={(e) => {
                e.preventDefault();
                choose(u);
              }}
              onMouseEnter={() => setMentionIndex(i)}
            >
              {u.kind === 'user' ? (
                <>
                  <Avatar id={u.user.id} name={u.nickname} url={u.user.avatarUrl} size={22} />
                  <span>{u.nickname}</span>
                </>
              ) : u.kind === 'command' ? (
                <>
                  <span>/{u.nickname}</span>
                  <span className="mention-menu__hint">{u.hint}</span>
                </>
              ) : (
                <>
                  <span className="mention-menu__broadcast" aria-hidden="true">
                    @
                  </span>
                  <span>{u.nickname}</span>
                  <span className="mention-menu__hint">{u.hint}</span>
                </>
              )}
            </li>
          ))}
        </ul>
      ) : null}
      {confirming ? (
        <ConfirmDialog
          title="Notify the whole room?"
          message={confirming}
          confirmLabel="Send and notify"
          onConfirm={() => submit(true)}
          onCancel={() => {
            setConfirming(null);
            ref.current?.focus();
          }}
        />
      ) : null}
      {notice ? (
        <p className="composer__notice" role="alert">
          {notice}
          <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => setNotice(null)}>
            <Icon name="close" size={14} />
          </button>
        </p>
      ) : null}
      {files.length > 0 ? (
        <ul className="composer__files" aria-label="Attachments">
          {files.map((f) => (
            <li key={f.key} className={`file-chip${f.error ? ' file-chip--error' : ''}`}>
              {f.file.type.startsWith('image/') ? (
                <img src={f.preview} alt={f.file.name} />
              ) : (
                <span className="file-chip__name" title={f.file.name}>
                  {f.file.name}
                </span>
              )}
              {!f.uploaded && !f.error ? (
                <progress max={1} value={f.progress} aria-label={`Uploading ${f.file.name}`} />
              ) : null}
              {f.error ? <span className="file-chip__error">{f.error}</span> : null}
              <button type="button" className="file-chip__remove" aria-label={`Remove ${f.file.name}`} onClick={() => removeFile(f.key)}>
                <Icon name="close" size={16} />
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <div className="composer__row">
        {uploads?.enabled ? (
          <>
            <button type="button" className="icon-button" aria-label="Attach file" title="Attach file" onClick={() => fileInput.current?.click()}>
              <Icon name="attach" />
            </button>
            <input
              ref={fileInput}
              type="file"
              multiple
              hidden
              onChange={(e) => {
                if (e.target.files) addFiles(e.target.files);
                e.target.value = '';
              }}
            />
          </>
        ) : null}
        <textarea
          ref={ref}
          className="composer__input"
          rows={1}
          value={text}
          placeholder={placeholder}
          aria-label={placeholder}
          aria-autocomplete="list"
          aria-expanded={open}
          aria-controls={open ? listId : undefined}
          aria-activedescendant={open ? `${listId}-${mentionIndex}` : undefined}
          onChange={(e) => {
            setText(e.target.value);
            setCaret(e.target.selectionStart);
            // Escape hid the command list for this `/`; a new one shows it again.
            if (dismissed === -1 && !e.target.value.startsWith('/')) setDismissed(null);
            if (e.target.value.trim()) sendTyping(roomId);
            else stopTyping(roomId);
          }}
          onSelect={(e) => setCaret(e.currentTarget.selectionStart)}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
        />
        <button
          type="button"
          className="composer__send"
          aria-label="Send message"
          disabled={(!text.trim() && ready.length === 0) || uploading}
          onClick={() => submit()}
        >
          <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
            <path fill="currentColor" d="M3.4 20.4 21 12 3.4 3.6 3.4 10l12.6 2-12.6 2z" />
          </svg>
        </button>
      </div>
    </div>
  );
}
