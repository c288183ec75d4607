import { LockOutlined, UserOutlined } from '@ant-design/icons';
import type { LoginResult, WecomWebBindInfo } from '@shulan/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { api, errorMessage } from '../../api/apiClient';
import { ME_KEY } from '../../auth/useAuth';
import { Logo } from '../../layout/Logo';
import { safeNext } from './loginNext';
import './login.css';

/**
 * Bind once: a WeCom member (from the H5 entry or the QR scan) whose Shulan account is not known
 * yet enters its username and password; from then on WeCom lets it in without a password.
 * The bind ticket travels in an HttpOnly cookie, so this page never sees it.
 */
export function WecomBindPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'), window.location.origin);
  const info = useQuery({ queryKey: ['auth', 'wecom-bind'], queryFn: () => api.get<WecomWebBindInfo | null>('/auth/wecom/bind') });
  const bind = useMutation({
    mutationFn: (body: { username: string; password: string }) => api.post<Pick<LoginResult, 'user' | 'expiresAt'>>('/auth/wecom/bind', body),
    onSuccess: (res) => {
      qc.clear();
      qc.setQueryData(ME_KEY, res.user);
      void navigate(next, { replace: true });
    },
  });

  return (
    <div className="login-bg">
      <div className="login-card">
        <div style={{ textAlign: 'center', marginBottom: 24 }}>
          <Logo size={48} />
          <h1 className="login-title">{t('login.bind.title')}</h1>
        </div>
        {info.isPending ? (
          <Spin />
        ) : !info.data ? (
          <>
            <Alert type="warning" showIcon title={t('login.bind.none')} data-testid="wecom-bind-none" />
            <div style={{ textAlign: 'center', marginTop: 16 }}>
              {/* A page load: the login page is not a route of the app. */}
              <a href="/login">{t('login.bind.back')}</a>
            </div>
          </>
        ) : (
          <>
            <p data-testid="wecom-bind-help">{t('login.bind.help', { who: info.data.name ? `${info.data.name}（${info.data.wecomUserid}）` : info.data.wecomUserid })}</p>
            {bind.error ? <Alert type="error" showIcon title={errorMessage(bind.error)} style={{ marginBottom: 16 }} data-testid="login-error" /> : null}
            <Form layout="vertical" onFinish={(v: { username: string; password: string }) => bind.mutate(v)} requiredMark={false} size="large">
              <Form.Item name="username" rules={[{ required: true, message: t('login.usernameRequired') }]}>
                <Input prefix={<UserOutlined />} placeholder={t('login.username')} autoComplete="username" data-testid="login-username" autoFocus />
              </Form.Item>
              <Form.Item name="password" rules={[{ required: true, message: t('login.passwordRequired') }]}>
                <Input.Password prefix={<LockOutlined />} placeholder={t('login.password')} autoComplete="current-password" data-testid="login-password" />
              </Form.Item>
              <Button type="primary" htmlType="submit" block loading={bind.isPending} data-testid="login-submit">
                {t('login.bind.submit')}
              </Button>
            </Form>
          </>
        )}
      </div>
    </div>
  );
}
