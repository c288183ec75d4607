import { GlobalOutlined, LockOutlined, QrcodeOutlined, SafetyCertificateOutlined, UserOutlined } from '@ant-design/icons';
import { LOGIN_ERROR_CODES, type LoginErrorCode } from '@shulan/shared';
import { Alert, Button, Form, Input, Segmented } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate, useSearchParams } from 'react-router';
import { errorMessage } from '../../api/apiClient';
import { useLdapLogin, useLoginMethods, useLogin, useMe } from '../../auth/useAuth';
import { setLanguage } from '../../i18n/i18n';
import { Logo } from '../../layout/Logo';

export function LoginPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const local = useLogin();
  const ldap = useLdapLogin();
  const [kind, setKind] = useState<'local' | 'ldap'>('local');
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from ?? '/reports';
  const methods = useLoginMethods();
  const [params] = useSearchParams();
  const raw = params.get('loginError');
  const redirectError = LOGIN_ERROR_CODES.includes(raw as LoginErrorCode) ? (raw as LoginErrorCode) : null;
  const wecomNext = `?next=${encodeURIComponent(from)}`;
  // Inside WeCom's built-in browser a member needs no password: go through WeCom's OAuth at once
  // (not after it just failed, or the page would loop).
  const inWecom = /wxwork/i.test(navigator.userAgent);
  const autoWecom = inWecom && methods.data?.wecom === true && !redirectError && !me.data && me.isFetched;
  useEffect(() => {
    if (autoWecom) window.location.assign(`/api/auth/wecom/oauth/start${wecomNext}`);
  }, [autoWecom, wecomNext]);

  if (me.data) return <Navigate to={from} replace />;

  // Shulan accounts and LDAP accounts share the form; the toggle shows only when LDAP is on.
  const login = kind === 'ldap' && methods.data?.ldap ? ldap : local;
  const handleSubmit = (values: { username: string; password: string }) => {
    login.mutate(values, { onSuccess: () => void navigate(from, { replace: true }) });
  };

  return (
    <div className="login-bg">
      {/* Plain markup for the card and headings: antd's Card and Typography would add ~30 KB to the first load. */}
      <div className="login-card">
        <div style={{ textAlign: 'center', marginBottom: 24 }}>
          <Logo size={48} />
          <h1 className="login-title">数览 Shulan</h1>
          <span className="login-subtitle">{t('login.subtitle')}</span>
        </div>
        {login.error ? <Alert type="error" showIcon title={errorMessage(login.error)} style={{ marginBottom: 16 }} data-testid="login-error" /> : null}
        {!login.error && redirectError ? <Alert type="error" showIcon title={t(`login.errors.${redirectError}`)} style={{ marginBottom: 16 }} data-testid="login-error" /> : null}
        {methods.data?.ldap ? (
          <Segmented
            block
            value={kind}
            onChange={(v) => setKind(v as 'local' | 'ldap')}
            options={[
              { value: 'local', label: t('login.kindLocal') },
              { value: 'ldap', label: <span data-testid="login-kind-ldap">{t('login.kindLdap')}</span> },
            ]}
            style={{ marginBottom: 16 }}
          />
        ) : null}
        <Form layout="vertical" onFinish={handleSubmit} requiredMark={false} size="large">
          <Form.Item name="username" rules={[{ required: true, message: t('login.usernameRequired') }]}>
            <Input prefix={<UserOutlined />} placeholder={t('login.username')} autoComplete="username" data-testid="login-username" autoFocus />
          </Form.Item>
          <Form.Item name="password" rules={[{ required: true, message: t('login.passwordRequired') }]}>
            <Input.Password prefix={<LockOutlined />} placeholder={t('login.password')} autoComplete="current-password" data-testid="login-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={login.isPending} data-testid="login-submit">
            {t('login.submit')}
          </Button>
        </Form>
        {methods.data?.wecom || methods.data?.oidc ? <div className="login-or">{t('login.or')}</div> : null}
        {methods.data?.oidc ? (
          <Button block size="large" icon={<SafetyCertificateOutlined />} href={`/api/auth/oidc/start${wecomNext}`} data-testid="login-oidc" style={{ marginBottom: 8 }}>
            {methods.data.oidc}
          </Button>
        ) : null}
        {methods.data?.wecom ? (
          <>
            {/* A full page load: WeCom's login page is another site, and the callback sets the session cookie. */}
            <Button block size="large" icon={<QrcodeOutlined />} href={`/api/auth/wecom/qr/start${wecomNext}`} data-testid="login-wecom-qr">
              {t('login.wecomQr')}
            </Button>
          </>
        ) : null}
        <div style={{ textAlign: 'center', marginTop: 16 }}>
          <Button type="link" icon={<GlobalOutlined />} onClick={() => setLanguage(i18n.language === 'en' ? 'zh' : 'en')}>
            {i18n.language === 'en' ? '中文' : 'English'}
          </Button>
        </div>
      </div>
    </div>
  );
}
