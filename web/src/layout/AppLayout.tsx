import {
  ApartmentOutlined,
  AuditOutlined,
  BarChartOutlined,
  DatabaseOutlined,
  DownOutlined,
  GlobalOutlined,
  IdcardOutlined,
  KeyOutlined,
  LinkOutlined,
  LogoutOutlined,
  SafetyCertificateOutlined,
  SettingOutlined,
  TableOutlined,
  TeamOutlined,
  UserOutlined,
  WechatWorkOutlined,
} from '@ant-design/icons';
import type { SessionUser } from '@shulan/shared';
import { App, Avatar, Button, Dropdown, Layout, Menu, Space, type MenuProps } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { goToLogin } from '../auth/goToLogin';
import { canEdit, isAdmin, useLogout, useMe } from '../auth/useAuth';
import { setLanguage } from '../i18n/i18n';
import { Logo } from './Logo';

type MenuItem = Required<MenuProps>['items'][number];

/** Every leaf key of the side menu, longest first, for picking the selected entry from the URL. */
const MENU_PATHS = ['personnel/wecom-matching', 'settings/wecom', 'settings/doctor', 'reports', 'datasources', 'datasets', 'users', 'personnel', 'audit', 'settings'];

/** Side menu entries by role: viewers see reports only; editors add data; admins add people, audit and settings. */
function menuItems(user: SessionUser, t: (k: string) => string): MenuItem[] {
  const link = (key: string, to: string, label: string) => (
    <Link to={to} data-testid={`menu-${key}`}>
      {label}
    </Link>
  );
  const items: MenuItem[] = [{ key: 'reports', icon: <BarChartOutlined />, label: link('reports', '/reports', t('menu.reports')) }];
  if (canEdit(user)) {
    items.push(
      { key: 'datasources', icon: <DatabaseOutlined />, label: link('datasources', '/datasources', t('menu.datasources')) },
      { key: 'datasets', icon: <TableOutlined />, label: link('datasets', '/datasets', t('menu.datasets')) },
    );
  }
  if (isAdmin(user)) {
    items.push(
      { key: 'users', icon: <TeamOutlined />, label: link('users', '/users', t('menu.users')) },
      {
        key: 'org',
        icon: <ApartmentOutlined />,
        label: <span data-testid="menu-org">{t('menu.org')}</span>,
        children: [
          { key: 'personnel', icon: <IdcardOutlined />, label: link('personnel', '/personnel', t('menu.personnel')) },
          { key: 'personnel/wecom-matching', icon: <LinkOutlined />, label: link('wecom-matching', '/personnel/wecom-matching', t('menu.wecomMatching')) },
        ],
      },
      { key: 'audit', icon: <AuditOutlined />, label: link('audit', '/audit', t('menu.audit')) },
      {
        key: 'system',
        icon: <SettingOutlined />,
        label: <span data-testid="menu-system">{t('menu.settings')}</span>,
        children: [
          { key: 'settings/wecom', icon: <WechatWorkOutlined />, label: link('wecom-settings', '/settings/wecom', t('menu.wecomSettings')) },
          { key: 'settings/doctor', icon: <SafetyCertificateOutlined />, label: link('doctor', '/settings/doctor', t('menu.doctor')) },
          { key: 'settings', icon: <UserOutlined />, label: link('settings', '/settings', t('menu.profile')) },
        ],
      },
    );
  }
  // Others reach their own settings (change password) through the user menu.
  return items;
}

export function AppLayout() {
  const { t, i18n } = useTranslation();
  const { data: user } = useMe();
  const location = useLocation();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const logout = useLogout(false);
  const logoutAll = useLogout(true);
  const [collapsed, setCollapsed] = useState(false);
  if (!user) return null;

  // Menu keys are paths without the leading slash; the longest key that prefixes the path wins
  // (so /settings/wecom selects 企业微信集成设置, /reports/x/edit selects 报表).
  const path = location.pathname.replace(/^\/+/, '');
  const selected = MENU_PATHS.find((k) => path === k || path.startsWith(`${k}/`)) ?? (path.split('/')[0] || 'reports');
  const userMenu: MenuProps['items'] = [
    { key: 'password', icon: <KeyOutlined />, label: <span data-testid="change-password">{t('user.changePassword')}</span> },
    { type: 'divider' },
    { key: 'logout', icon: <LogoutOutlined />, label: <span data-testid="logout">{t('user.logout')}</span> },
    { key: 'logout-all', icon: <LogoutOutlined />, danger: true, label: <span data-testid="logout-all">{t('user.logoutAll')}</span> },
  ];
  const handleUserMenu: MenuProps['onClick'] = ({ key }) => {
    if (key === 'password') void navigate('/settings#password');
    if (key === 'logout') logout.mutate(undefined, { onSettled: () => goToLogin() });
    if (key === 'logout-all') {
      logoutAll.mutate(undefined, {
        // The confirmation first: the page load to the login page would take it away.
        onSuccess: () => void message.success(t('user.loggedOutAll'), 1.5).then(() => goToLogin()),
        onError: () => goToLogin(),
      });
    }
  };

  return (
    <Layout style={{ minHeight: '100%' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', paddingInline: 20, position: 'sticky', top: 0, zIndex: 20 }}>
        <Link to="/reports" className="app-logo">
          <Logo />
          <span>数览 Shulan</span>
        </Link>
        <Space size="middle">
          <Button
            type="text"
            style={{ color: '#fff' }}
            icon={<GlobalOutlined />}
            data-testid="lang-switch"
            onClick={() => setLanguage(i18n.language === 'en' ? 'zh' : 'en')}
          >
            {i18n.language === 'en' ? '中文' : 'English'}
          </Button>
          <Dropdown menu={{ items: userMenu, onClick: handleUserMenu }} trigger={['click']}>
            <Button type="text" style={{ color: '#fff' }} data-testid="user-menu">
              <Avatar size="small" icon={<UserOutlined />} style={{ background: '#1677ff' }} />
              {user.displayName}
              <DownOutlined style={{ fontSize: 10 }} />
            </Button>
          </Dropdown>
        </Space>
      </Layout.Header>
      <Layout>
        <Layout.Sider
          width={208}
          theme="light"
          collapsible
          collapsed={collapsed}
          onCollapse={setCollapsed}
          breakpoint="lg"
          style={{ position: 'sticky', top: 64, height: 'calc(100vh - 64px)', overflow: 'auto' }}
        >
          <Menu
            mode="inline"
            selectedKeys={[selected]}
            defaultOpenKeys={['org', 'system']}
            items={menuItems(user, t)}
            // The labels are links (testids, middle-click); this makes the whole row clickable too.
            onClick={({ key }) => void navigate(`/${key}`)}
            style={{ borderInlineEnd: 0, paddingTop: 8 }}
          />
        </Layout.Sider>
        <Layout.Content style={{ padding: 24, minWidth: 0 }}>
          <Outlet />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
