import { useState, type FormEvent } from 'react';
import { createApiToken, createBot, revokeApiToken } from '../lib/actions';
import { errorMessage } from '../lib/execute';
import { useIntegrations } from '../lib/queries';
import { buildTokenInput, emptyTokenForm, lastUsedLabel, SCOPES, type TokenForm } from '../lib/tokenForm';

/** Settings section: my bots, minting API tokens (for me or a bot; shown once) and revoking them. */
export function IntegrationsSettings() {
  const { data, error: loadError } = useIntegrations();
  const bots = data?.myBots ?? [];
  const tokens = data?.apiTokens ?? [];
  const botName = (id: string | null | undefined) => (id ? (bots.find((b) => b.id === id)?.nickname ?? 'a bot') : 'me');

  const [botNick, setBotNick] = useState('');
  const [botError, setBotError] = useState<string | null>(null);
  const submitBot = (e: FormEvent) => {
    e.preventDefault();
    setBotError(null);
    if (!botNick.trim()) return;
    createBot(botNick.trim())
      .then(() => setBotNick(''))
      .catch((err: unknown) => setBotError(errorMessage(err)));
  };

  const [form, setForm] = useState<TokenForm>(emptyTokenForm);
  const [formError, setFormError] = useState<string | null>(null);
  const [minted, setMinted] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const [busy, setBusy] = useState(false);
  const submitToken = (e: FormEvent) => {
    e.preventDefault();
    const built = buildTokenInput(form);
    if (!built.ok) {
      setFormError(built.error);
      return;
    }
    setFormError(null);
    setBusy(true);
    createApiToken(built.input)
      .then((token) => {
        setMinted(token);
        setCopied(false);
        setForm(emptyTokenForm());
      })
      .catch((err: unknown) => setFormError(errorMessage(err)))
      .finally(() => setBusy(false));
  };
  const toggleScope = (scope: string, on: boolean) => {
    const scopes = new Set(form.scopes);
    if (on) scopes.add(scope);
    else scopes.delete(scope);
    setForm({ ...form, scopes });
  };
  const copy = () => {
    if (!minted) return;
    void navigator.clipboard?.writeText(minted).then(() => setCopied(true));
  };

  const [listError, setListError] = useState<string | null>(null);
  const revoke = (id: string) => {
    setListError(null);
    revokeApiToken(id).catch((err: unknown) => setListError(errorMessage(err)));
  };

  return (
    <section className="settings-section" aria-labelledby="settings-integrations">
      <h3 id="settings-integrations">Bots and API tokens</h3>
      {loadError ? <p className="form-error" role="alert">{errorMessage(loadError)}</p> : null}

      <h4>My bots</h4>
      {bots.length ? (
        <ul className="integrations__list">
          {bots.map((b) => (
            <li key={b.id}>
              {b.nickname} <span className="bot-badge">BOT</span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No bots yet. Invite a bot into a room like anyone once it exists.</p>
      )}
      <form onSubmit={submitBot} className="inline-form">
        <input className="input" aria-label="Bot nickname" placeholder="Bot nickname" value={botNick} onChange={(e) => setBotNick(e.target.value)} />
        <button type="submit" className="button button--ghost">
          Create bot
        </button>
      </form>
      {botError ? <p className="field__error" role="alert">{botError}</p> : null}

      <h4>New API token</h4>
      <form onSubmit={submitToken} className="integrations__form">
        <label className="field">
          <span>Name</span>
          <input className="input" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
        </label>
        <label className="field">
          <span>Acts as</span>
          <select className="input" value={form.botId} onChange={(e) => setForm({ ...form, botId: e.target.value })}>
            <option value="">Me</option>
            {bots.map((b) => (
              <option key={b.id} value={b.id}>
                {b.nickname} (bot)
              </option>
            ))}
          </select>
        </label>
        <fieldset className="integrations__scopes">
          <legend>Permissions</legend>
          {SCOPES.map(({ scope, label }) => (
            <label key={scope} className="switch-row">
              <input type="checkbox" checked={form.scopes.has(scope)} onChange={(e) => toggleScope(scope, e.target.checked)} />
              <span>
                {label} <code>{scope}</code>
              </span>
            </label>
          ))}
        </fieldset>
        <label className="field">
          <span>Expires (optional)</span>
          <input className="input" type="date" value={form.expires} onChange={(e) => setForm({ ...form, expires: e.target.value })} />
        </label>
        <button type="submit" className="button button--primary" disabled={busy}>
          Create token
        </button>
        {formError ? <p className="field__error" role="alert">{formError}</p> : null}
      </form>
      {minted ? (
        <div className="integrations__minted" role="status">
          <p>Copy this token now: it will not be shown again.</p>
          <code className="integrations__token">{minted}</code>
          <button type="button" className="button button--small" onClick={copy}>
            {copied ? 'Copied' : 'Copy'}
          </button>
        </div>
      ) : null}

      <h4>Tokens</h4>
      {tokens.length ? (
        <ul className="integrations__list">
          {tokens.map((t) => (
            <li key={t.id} className={t.revoked ? 'integrations__token-row muted' : 'integrations__token-row'}>
              <span>
                <strong>{t.name}</strong> for {botName(t.botId)}: {t.scopes.join(', ')}
                {t.roomIds ? ` (${t.roomIds.length} room${t.roomIds.length === 1 ? '' : 's'})` : ''}
                {t.expiresAt ? `, expires ${new Date(t.expiresAt).toLocaleDateString()}` : ''}, {lastUsedLabel(t.lastUsedAt)}
              </span>
              {t.revoked ? (
                <span>revoked</span>
              ) : (
                <button type="button" className="button button--ghost button--small" onClick={() => revoke(t.id)}>
                  Revoke
                </button>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No tokens yet.</p>
      )}
      {listError ? <p className="form-error" role="alert">{listError}</p> : null}
    </section>
  );
}
