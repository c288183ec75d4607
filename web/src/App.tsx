import { QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { createBrowserRouter, Navigate, Route, RouterProvider, Routes } from 'react-router';
import { onUnauthorized } from './api/apiClient';
import { goToLogin } from './auth/goToLogin';
import { canEdit, isAdmin, ME_KEY, useMe } from './auth/useAuth';
import { queryClient } from './queryClient';

// The login page is not part of the app (main.tsx loads it on its own); the layout (menu,
// dropdowns) and the 403/404 illustrations load with the first signed-in page.
const AppLayout = lazy(() => import('./layout/AppLayout').then((m) => ({ default: m.AppLayout })));
const Forbidden = lazy(() => import('./layout/StatusPages').then((m) => ({ default: m.Forbidden })));
const NotFound = lazy(() => import('./layout/StatusPages').then((m) => ({ default: m.NotFound })));
const WecomBindPage = lazy(() => import('./features/auth/WecomBindPage').then((m) => ({ default: m.WecomBindPage })));
const ReportListPage = lazy(() => import('./features/reports/ReportListPage').then((m) => ({ default: m.ReportListPage })));
const ReportPage = lazy(() => import('./features/reports/ReportPage').then((m) => ({ default: m.ReportPage })));
const ReportEditorPage = lazy(() => import('./features/reports/ReportEditorPage').then((m) => ({ default: m.ReportEditorPage })));
const DatasourcesPage = lazy(() => import('./features/datasources/DatasourcesPage').then((m) => ({ default: m.DatasourcesPage })));
const DatasetsPage = lazy(() => import('./features/datasets/DatasetsPage').then((m) => ({ default: m.DatasetsPage })));
const UsersPage = lazy(() => import('./features/users/UsersPage').then((m) => ({ default: m.UsersPage })));
const PersonnelPage = lazy(() => import('./features/personnel/PersonnelPage').then((m) => ({ default: m.PersonnelPage })));
const AuditPage = lazy(() => import('./features/audit/AuditPage').then((m) => ({ default: m.AuditPage })));
const WecomSettingsPage = lazy(() => import('./features/wecom/WecomSettingsPage').then((m) => ({ default: m.WecomSettingsPage })));
const WecomMatchingPage = lazy(() => import('./features/wecom/WecomMatchingPage').then((m) => ({ default: m.WecomMatchingPage })));
const DoctorPage = lazy(() => import('./features/doctor/DoctorPage').then((m) => ({ default: m.DoctorPage })));
const LoginMethodsPage = lazy(() => import('./features/loginMethods/LoginMethodsPage').then((m) => ({ default: m.LoginMethodsPage })));
const SettingsPage = lazy(() => import('./features/settings/SettingsPage').then((m) => ({ default: m.SettingsPage })));

export function App() {
  const { i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'zh';
  dayjs.locale(lang === 'en' ? 'en' : 'zh-cn');
  return (
    <ConfigProvider locale={lang === 'en' ? enUS : zhCN} theme={{ token: { colorPrimary: '#1677ff', borderRadius: 6 } }}>
      <AntApp style={{ height: '100%' }}>
        <QueryClientProvider client={queryClient}>
          <RouterProvider router={appRouter()} />
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}

// A data router (one catch-all route around the route tree) so pages can use useBlocker: the
// report editor asks before leaving with unsaved changes. Made on first render, not on import: the
// lean login page may load this module before it moves the address to the page to show.
let router: ReturnType<typeof createBrowserRouter> | null = null;
const appRouter = () => (router ??= createBrowserRouter([{ path: '*', element: <AppRoutes /> }]));

const pageFallback = (
  <div style={{ padding: 48, textAlign: 'center' }}>
    <Spin />
  </div>
);

function AppRoutes() {
  const qc = useQueryClient();
  // Any 401 (expired or revoked session) drops the cached user, which routes to the login page.
  useEffect(() => onUnauthorized(() => qc.setQueryData(ME_KEY, null)), [qc]);

  return (
    <Suspense fallback={pageFallback}>
      <Routes>
        <Route path="/login" element={<LoginPageLoad />} />
        <Route path="/login/wecom-bind" element={<WecomBindPage />} />
        <Route
          element={
            <RequireUser>
              <AppLayout />
            </RequireUser>
          }
        >
          <Route index element={<Navigate to="/reports" replace />} />
          <Route path="/reports" element={<ReportListPage />} />
          <Route path="/reports/new" element={<RequireRole editor><ReportEditorPage /></RequireRole>} />
          <Route path="/reports/:reportId" element={<ReportPage />} />
          <Route path="/reports/:reportId/edit" element={<RequireRole editor><ReportEditorPage /></RequireRole>} />
          <Route path="/datasources" element={<RequireRole editor><DatasourcesPage /></RequireRole>} />
          <Route path="/datasets" element={<RequireRole editor><DatasetsPage /></RequireRole>} />
          <Route path="/users" element={<RequireRole admin><UsersPage /></RequireRole>} />
          <Route path="/personnel" element={<RequireRole admin><PersonnelPage /></RequireRole>} />
          <Route path="/personnel/wecom-matching" element={<RequireRole admin><WecomMatchingPage /></RequireRole>} />
          <Route path="/audit" element={<RequireRole admin><AuditPage /></RequireRole>} />
          <Route path="/settings" element={<SettingsPage />} />
          <Route path="/settings/wecom" element={<RequireRole admin><WecomSettingsPage /></RequireRole>} />
          <Route path="/settings/login-methods" element={<RequireRole admin><LoginMethodsPage /></RequireRole>} />
          <Route path="/settings/doctor" element={<RequireRole admin><DoctorPage /></RequireRole>} />
          <Route path="*" element={<NotFound />} />
        </Route>
      </Routes>
    </Suspense>
  );
}

function RequireUser({ children }: { children: ReactNode }) {
  const me = useMe();
  const signedOut = !me.isPending && !me.data;
  useEffect(() => {
    if (signedOut) goToLogin(window.location.pathname + window.location.search);
  }, [signedOut]);
  if (!me.data) return pageFallback;
  return children;
}

/** A link inside the app to /login: the login page comes from a page load (see main.tsx). */
function LoginPageLoad() {
  useEffect(() => window.location.reload(), []);
  return pageFallback;
}

function RequireRole({ children, editor, admin }: { children: ReactNode; editor?: boolean; admin?: boolean }) {
  const me = useMe();
  const ok = admin ? isAdmin(me.data) : editor ? canEdit(me.data) : true;
  if (!ok) return <Forbidden />;
  return children;
}
