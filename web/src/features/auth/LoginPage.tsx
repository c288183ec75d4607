import { GlobalOutlined, LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { errorMessage } from '../../api/apiClient';
import { useLogin, useMe } from '../../auth/useAuth';
import { setLanguage } from '../../i18n/i18n';
import { Logo } from '../../layout/Logo';

export function LoginPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const login = useLogin();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from ?? '/reports';

  if (me.data) return <Navigate to={from} replace />;

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
        <div style={{ textAlign: 'center', marginTop: 16 }}>
          <Button type="link" icon={<GlobalOutlined />} onClick={() => setLanguage(i18n.language === 'en' ? 'zh' : 'en')}>
            {i18n.language === 'en' ? '中文' : 'English'}
          </Button>
        </div>
      </div>
    </div>
  );
}
