import type { LoginErrorCode, LoginMethods, LoginResult, SessionUser } from '@shulan/shared';
import { useEffect, useState, type FormEvent } from 'react';
import { api, errorMessage } from '../../api/apiClient';
import { currentLanguage, rememberLanguage, type Language } from '../../i18n/lang';
import { Logo } from '../../layout/Logo';
import { Icon } from './loginIcons';
import { safeNext } from './loginNext';
import { enLogin, zhLogin } from './loginStrings';
import './login.css';

type Field = 'username' | 'password';

export interface LoginRequests {
  me: Promise<SessionUser>;
  methods: Promise<LoginMethods>;
}

/** The page's two questions to the server, asked by the entry before React renders the form. */
export function startLoginRequests(): LoginRequests {
  const requests = { me: api.get<SessionUser>('/auth/me'), methods: api.get<LoginMethods>('/auth/methods') };
  // Answered in the page's effect; no "unhandled rejection" for a 401 in the meantime.
  requests.me.catch(() => undefined);
  requests.methods.catch(() => undefined);
  return requests;
}

/**
 * The login page as a lean route of its own: React and plain markup only (no antd, no CSS-in-JS,
 * no router or query cache), so the form shows as soon as React runs. `onSignedIn` brings the
 * app in once there is a session (already signed in, or after the password check); `onTyping`
 * (each change of a field) lets the entry start loading the app meanwhile.
 */
export function LoginPage({ requests, onSignedIn, onTyping }: { requests: LoginRequests; onSignedIn: (user: SessionUser, next: string) => Promise<void>; onTyping?: () => void }) {
  const [lang, setLang] = useState<Language>(currentLanguage);
  const s = lang === 'en' ? enLogin : zhLogin;
  const params = new URLSearchParams(window.location.search);
  const next = safeNext(params.get('next'), window.location.origin);
  const rawError = params.get('loginError');
  const redirectError = rawError && Object.hasOwn(zhLogin.errors, rawError) ? (rawError as LoginErrorCode) : null;
  const startNext = `?next=${encodeURIComponent(next)}`;

  const [meChecked, setMeChecked] = useState(false);
  const [methods, setMethods] = useState<LoginMethods | null>(null);
  const [kind, setKind] = useState<'local' | 'ldap'>('local');
  const [values, setValues] = useState<Record<Field, string>>({ username: '', password: '' });
  const [missing, setMissing] = useState<Record<Field, boolean>>({ username: false, password: false });
  const [showPassword, setShowPassword] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    requests.me.then(
      (user) => {
        if (live) void onSignedIn(user, next);
      },
      () => live && setMeChecked(true),
    );
    requests.methods.then(
      (m) => live && setMethods(m),
      () => undefined,
    );
    return () => {
      live = false;
    };
    // Once per page load: the requests, `next` and `onSignedIn` come from the address and the entry.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Inside WeCom's built-in browser a member needs no password: go through WeCom's OAuth at once
  // (not after it just failed, or the page would loop).
  const autoWecom = /wxwork/i.test(navigator.userAgent) && methods?.wecom === true && !redirectError && meChecked;
  useEffect(() => {
    if (autoWecom) window.location.assign(`/api/auth/wecom/oauth/start${startNext}`);
  }, [autoWecom, startNext]);

  const change = (field: Field, value: string) => {
    onTyping?.();
    setValues((v) => ({ ...v, [field]: value }));
    // Checked on every change, as the form did before: clearing a field shows its message again.
    setMissing((m) => ({ ...m, [field]: value === '' }));
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (pending) return;
    const empty = { username: values.username === '', password: values.password === '' };
    setMissing(empty);
    if (empty.username || empty.password) return;
    setPending(true);
    setError(null);
    try {
      // Shulan accounts and LDAP accounts share the form; the toggle shows only when LDAP is on.
      const res =
        kind === 'ldap' && methods?.ldap
          ? await api.post<Pick<LoginResult, 'user'>>('/auth/ldap/login', values)
          : await api.post<LoginResult>('/auth/login', { ...values, mode: 'cookie' });
      await onSignedIn(res.user, next);
    } catch (err) {
      setError(errorMessage(err));
      setPending(false);
    }
  };

  const switchLanguage = () => {
    const to = lang === 'en' ? 'zh' : 'en';
    rememberLanguage(to);
    setLang(to);
  };

  const alert = error ?? (redirectError ? s.errors[redirectError] : null);
  const fieldProps = (field: Field) => ({
    id: `login-${field}`,
    value: values[field],
    onChange: (e: { target: { value: string } }) => change(field, e.target.value),
    placeholder: s[field],
    'data-testid': `login-${field}`,
    'aria-invalid': missing[field] || undefined,
    'aria-describedby': missing[field] ? `login-${field}-help` : undefined,
  });

  return (
    <div className="login-bg">
      <main className="login-card">
        <div className="login-head">
          <Logo size={48} />
          <h1 className="login-title">数览 Shulan</h1>
          <span className="login-subtitle">{s.subtitle}</span>
        </div>
        {alert ? (
          <div className="login-alert" role="alert" data-testid="login-error">
            <Icon name="closeCircle" className="login-alert-icon" />
            <span>{alert}</span>
          </div>
        ) : null}
        {methods?.ldap ? (
          <div className="login-segmented" role="radiogroup" aria-label={s.kind}>
            {(['local', 'ldap'] as const).map((k) => (
              <label key={k} className={kind === k ? 'login-segment login-segment-on' : 'login-segment'}>
                <input
                  type="radio"
                  name="login-kind"
                  className="login-sr"
                  checked={kind === k}
                  onChange={() => {
                    setKind(k);
                    setError(null);
                  }}
                />
                <span data-testid={k === 'ldap' ? 'login-kind-ldap' : undefined}>{k === 'ldap' ? s.kindLdap : s.kindLocal}</span>
              </label>
            ))}
          </div>
        ) : null}
        <form onSubmit={submit} noValidate>
          <div className={missing.username ? 'login-field login-field-error' : 'login-field'}>
            <label htmlFor="login-username" className="login-sr">
              {s.username}
            </label>
            <span className="login-input">
              <Icon name="user" className="login-prefix" />
              <input {...fieldProps('username')} autoComplete="username" autoFocus />
            </span>
            {missing.username ? (
              <div id="login-username-help" className="login-help" role="alert">
                {s.usernameRequired}
              </div>
            ) : null}
          </div>
          <div className={missing.password ? 'login-field login-field-error' : 'login-field'}>
            <label htmlFor="login-password" className="login-sr">
              {s.password}
            </label>
            <span className="login-input">
              <Icon name="lock" className="login-prefix" />
              <input {...fieldProps('password')} type={showPassword ? 'text' : 'password'} autoComplete="current-password" />
              <button type="button" className="login-eye" aria-label={showPassword ? s.hidePassword : s.showPassword} aria-pressed={showPassword} onClick={() => setShowPassword((v) => !v)}>
                <Icon name={showPassword ? 'eye' : 'eyeInvisible'} />
              </button>
            </span>
            {missing.password ? (
              <div id="login-password-help" className="login-help" role="alert">
                {s.passwordRequired}
              </div>
            ) : null}
          </div>
          <button type="submit" className={pending ? 'login-btn login-btn-primary login-btn-loading' : 'login-btn login-btn-primary'} aria-busy={pending} data-testid="login-submit">
            {pending ? <Icon name="loading" className="login-spin" /> : null}
            <span>{s.submit}</span>
          </button>
        </form>
        {methods?.wecom || methods?.oidc ? <div className="login-or">{s.or}</div> : null}
        {methods?.oidc ? (
          <a className="login-btn login-btn-default" href={`/api/auth/oidc/start${startNext}`} data-testid="login-oidc">
            <Icon name="safety" />
            <span>{methods.oidc}</span>
          </a>
        ) : null}
        {methods?.wecom ? (
          // A full page load: WeCom's login page is another site, and the callback sets the session cookie.
          <a className="login-btn login-btn-default" href={`/api/auth/wecom/qr/start${startNext}`} data-testid="login-wecom-qr">
            <Icon name="qrcode" />
            <span>{s.wecomQr}</span>
          </a>
        ) : null}
        <div className="login-lang">
          <button type="button" className="login-link" onClick={switchLanguage} lang={lang === 'en' ? 'zh-CN' : 'en'}>
            <Icon name="global" />
            <span>{lang === 'en' ? '中文' : 'English'}</span>
          </button>
        </div>
      </main>
    </div>
  );
}
