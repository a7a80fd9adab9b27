import { useState, type FormEvent } from 'react';
import { logIn, signUp } from '../lib/actions';
import { GraphQLRequestError } from '../lib/execute';

type Mode = 'login' | 'signup';
type Field = 'email' | 'password' | 'nickname';

/** `extensions.field` names the input at fault; it may be a path such as `input.email`. */
export function fieldOf(error: unknown): Field | null {
  if (!(error instanceof GraphQLRequestError) || !error.field) return null;
  const last = error.field.split('.').pop()?.toLowerCase();
  return last === 'email' || last === 'password' || last === 'nickname' ? last : null;
}

export function AuthScreen() {
  const [mode, setMode] = useState<Mode>('login');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [nickname, setNickname] = useState('');
  const [busy, setBusy] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<Field, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);

  const switchMode = (next: Mode) => {
    setMode(next);
    setFieldErrors({});
    setFormError(null);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setFieldErrors({});
    setFormError(null);
    try {
      if (mode === 'signup') await signUp({ email, password, nickname });
      else await logIn({ email, password });
    } catch (error) {
      const field = fieldOf(error);
      const message = error instanceof Error ? error.message : String(error);
      if (field) setFieldErrors({ [field]: message });
      else setFormError(message);
    } finally {
      setBusy(false);
    }
  };

  const fieldProps = (name: Field) => ({
    id: `auth-${name}`,
    name,
    'aria-invalid': fieldErrors[name] ? true : undefined,
    'aria-describedby': fieldErrors[name] ? `auth-${name}-error` : undefined,
  });
  const errorFor = (name: Field) =>
    fieldErrors[name] ? (
      <p className="field__error" id={`auth-${name}-error`} role="alert">
        {fieldErrors[name]}
      </p>
    ) : null;

  return (
    <main className="auth">
      <div className="auth__card">
        <div className="auth__brand">
          <img src="/favicon.svg" alt="" width={40} height={40} />
          <h1>Chorus</h1>
        </div>
        <p className="auth__tagline">{mode === 'login' ? 'Welcome back.' : 'Create your account.'}</p>
        <div className="auth__tabs" role="tablist" aria-label="Sign in or sign up">
          <button type="button" role="tab" aria-selected={mode === 'login'} onClick={() => switchMode('login')}>
            Log in
          </button>
          <button type="button" role="tab" aria-selected={mode === 'signup'} onClick={() => switchMode('signup')}>
            Sign up
          </button>
        </div>
        <form className="auth__form" onSubmit={submit} noValidate>
          <div className="field">
            <label htmlFor="auth-email">Email</label>
            <input
              {...fieldProps('email')}
              type="email"
              autoComplete="email"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              required
            />
            {errorFor('email')}
          </div>
          {mode === 'signup' ? (
            <div className="field">
              <label htmlFor="auth-nickname">Nickname</label>
              <input
                {...fieldProps('nickname')}
                autoComplete="username"
                value={nickname}
                onChange={(e) => setNickname(e.target.value)}
                placeholder="2–32 letters, digits, _ . -"
                required
              />
              {errorFor('nickname')}
            </div>
          ) : null}
          <div className="field">
            <label htmlFor="auth-password">Password</label>
            <input
              {...fieldProps('password')}
              type="password"
              autoComplete={mode === 'signup' ? 'new-password' : 'current-password'}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              placeholder={mode === 'signup' ? 'At least 8 characters' : undefined}
              required
            />
            {errorFor('password')}
          </div>
          {formError ? (
            <p className="auth__error" role="alert">
              {formError}
            </p>
          ) : null}
          <button className="button button--primary button--block" type="submit" disabled={busy}>
            {busy ? 'Please wait…' : mode === 'login' ? 'Log in' : 'Create account'}
          </button>
        </form>
      </div>
    </main>
  );
}
