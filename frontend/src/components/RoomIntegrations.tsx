import { useState, type FormEvent } from 'react';
import {
  createIncomingWebhook,
  createOutgoingWebhook,
  deleteIncomingWebhook,
  deleteOutgoingWebhook,
  deleteSlashCommand,
  registerSlashCommand,
} from '../lib/actions';
import { errorMessage } from '../lib/execute';
import { useRoomIntegrations } from '../lib/queries';
import {
  buildCommandInput,
  buildOutgoingInput,
  deliveryLabel,
  emptyCommandForm,
  emptyOutgoingForm,
  EVENT_KINDS,
  hookUrl,
  type CommandForm,
  type OutgoingForm,
} from '../lib/webhookForm';
import type { Room } from '../store/merge';
import { Modal } from './Modal';

/** A value the server shows once (a hook URL, a signing secret), with a copy button. */
function ShownOnce({ label, value }: { label: string; value: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="integrations__minted" role="status">
      <p>{label}: copy it now, it will not be shown again.</p>
      <code className="integrations__token">{value}</code>
      <button
        type="button"
        className="button button--small"
        onClick={() => void navigator.clipboard?.writeText(value).then(() => setCopied(true))}
      >
        {copied ? 'Copied' : 'Copy'}
      </button>
    </div>
  );
}

/** A room's incoming and outgoing webhooks and slash commands, for its owner and admins. */
export function RoomIntegrationsDialog({ room, onClose }: { room: Room; onClose(): void }) {
  const { data, error: loadError } = useRoomIntegrations(room.id);
  const [error, setError] = useState<string | null>(null);
  const [shown, setShown] = useState<{ label: string; value: string } | null>(null);
  const fail = (err: unknown) => setError(errorMessage(err));
  const run = (work: Promise<unknown>) => {
    setError(null);
    work.catch(fail);
  };

  const [hookName, setHookName] = useState('');
  const submitIncoming = (e: FormEvent) => {
    e.preventDefault();
    if (!hookName.trim()) return;
    setError(null);
    createIncomingWebhook(room.id, hookName.trim())
      .then((path) => {
        setHookName('');
        setShown({ label: 'Incoming webhook URL', value: hookUrl(path, window.location.origin) });
      })
      .catch(fail);
  };

  const [outgoing, setOutgoing] = useState<OutgoingForm>(emptyOutgoingForm);
  const submitOutgoing = (e: FormEvent) => {
    e.preventDefault();
    const built = buildOutgoingInput(room.id, outgoing);
    if (!built.ok) return setError(built.error);
    setError(null);
    createOutgoingWebhook(built.input)
      .then((secret) => {
        setOutgoing(emptyOutgoingForm());
        setShown({ label: 'Signing secret', value: secret });
      })
      .catch(fail);
  };
  const toggleKind = (kind: string, on: boolean) => {
    const events = new Set(outgoing.events);
    if (on) events.add(kind);
    else events.delete(kind);
    setOutgoing({ ...outgoing, events });
  };

  const [command, setCommand] = useState<CommandForm>(emptyCommandForm);
  const submitCommand = (e: FormEvent) => {
    e.preventDefault();
    const built = buildCommandInput(room.id, command);
    if (!built.ok) return setError(built.error);
    setError(null);
    registerSlashCommand(built.input)
      .then((secret) => {
        setCommand(emptyCommandForm());
        setShown({ label: `Signing secret of /${built.input.command}`, value: secret });
      })
      .catch(fail);
  };

  return (
    <Modal title={`Integrations of # ${room.name ?? 'group'}`} onClose={onClose} wide>
      {loadError ? (
        <p className="form-error" role="alert">
          {errorMessage(loadError)}
        </p>
      ) : null}
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      {shown ? <ShownOnce label={shown.label} value={shown.value} /> : null}

      <h4>Incoming webhooks</h4>
      <p className="muted">Outside services post messages here as a bot, with a secret URL.</p>
      {data?.incomingWebhooks.length ? (
        <ul className="integrations__list" aria-label="Incoming webhooks">
          {data.incomingWebhooks.map((h) => (
            <li key={h.id} className="integrations__token-row">
              <span>
                <strong>{h.name}</strong> <span className="bot-badge">BOT</span>
              </span>
              <button type="button" className="button button--ghost button--small" onClick={() => run(deleteIncomingWebhook(room.id, h.id))}>
                Delete
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <form onSubmit={submitIncoming} className="inline-form">
        <input
          className="input"
          aria-label="Incoming webhook name"
          placeholder="Name (the bot's nickname)"
          value={hookName}
          onChange={(e) => setHookName(e.target.value)}
        />
        <button type="submit" className="button button--ghost">
          Create incoming webhook
        </button>
      </form>

      <h4>Outgoing webhooks</h4>
      <p className="muted">The room's events are POSTed to a URL, signed with a secret.</p>
      {data?.outgoingWebhooks.length ? (
        <ul className="integrations__list" aria-label="Outgoing webhooks">
          {data.outgoingWebhooks.map((h) => (
            <li key={h.id}>
              <div className="integrations__token-row">
                <span>
                  <code>{h.url}</code> {h.events.join(', ')}
                  {h.enabled ? '' : ' (disabled after a day of failures)'}
                </span>
                <button type="button" className="button button--ghost button--small" onClick={() => run(deleteOutgoingWebhook(room.id, h.id))}>
                  Delete
                </button>
              </div>
              {h.deliveries.length ? (
                <ul className="integrations__deliveries" aria-label={`Deliveries to ${h.url}`}>
                  {h.deliveries.map((d) => (
                    <li key={d.seq} className={d.deliveredAt ? 'muted' : 'field__error'}>
                      {deliveryLabel(d)}
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="muted">No deliveries yet.</p>
              )}
            </li>
          ))}
        </ul>
      ) : null}
      <form onSubmit={submitOutgoing} className="integrations__form">
        <label className="field">
          <span>URL</span>
          <input
            className="input"
            placeholder="https://example.com/chorus"
            value={outgoing.url}
            onChange={(e) => setOutgoing({ ...outgoing, url: e.target.value })}
          />
        </label>
        <fieldset className="integrations__scopes">
          <legend>Events</legend>
          {EVENT_KINDS.map(({ kind, label }) => (
            <label key={kind} className="switch-row">
              <input type="checkbox" checked={outgoing.events.has(kind)} onChange={(e) => toggleKind(kind, e.target.checked)} />
              <span>
                {label} <code>{kind}</code>
              </span>
            </label>
          ))}
        </fieldset>
        <button type="submit" className="button button--primary">
          Create outgoing webhook
        </button>
      </form>

      <h4>Slash commands</h4>
      <p className="muted">
        <code>/command args</code> typed here goes to your bot's URL; its answer posts to the room.
      </p>
      {data?.slashCommands.length ? (
        <ul className="integrations__list" aria-label="Slash commands">
          {data.slashCommands.map((c) => (
            <li key={c.id} className="integrations__token-row">
              <span>
                <strong>/{c.command}</strong> {c.description} ({c.bot?.nickname ?? 'bot'}, <code>{c.url}</code>)
              </span>
              <button type="button" className="button button--ghost button--small" onClick={() => run(deleteSlashCommand(room.id, c.id))}>
                Delete
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <form onSubmit={submitCommand} className="integrations__form">
        <label className="field">
          <span>Command</span>
          <input className="input" placeholder="deploy" value={command.command} onChange={(e) => setCommand({ ...command, command: e.target.value })} />
        </label>
        <label className="field">
          <span>Description</span>
          <input className="input" value={command.description} onChange={(e) => setCommand({ ...command, description: e.target.value })} />
        </label>
        <label className="field">
          <span>Command URL</span>
          <input
            className="input"
            placeholder="https://example.com/commands"
            value={command.url}
            onChange={(e) => setCommand({ ...command, url: e.target.value })}
          />
        </label>
        <label className="field">
          <span>Answered by</span>
          <select className="input" value={command.botId} onChange={(e) => setCommand({ ...command, botId: e.target.value })}>
            <option value="">Choose one of your bots</option>
            {(data?.myBots ?? []).map((b) => (
              <option key={b.id} value={b.id}>
                {b.nickname}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button button--primary">
          Register command
        </button>
      </form>
    </Modal>
  );
}
