import { createBrowserRouter, Navigate, type RouteObject } from 'react-router';
import { AppLayout } from './routes/app-layout';
import { RootLayout } from './routes/root-layout';
import { HomeRoute } from './routes/home';
import { LoginRoute } from './routes/login';
import { RegisterRoute } from './routes/register';
import { ForgotPasswordRoute } from './routes/forgot-password';
import { ResetPasswordRoute } from './routes/reset-password';
import { RequireAuth } from './routes/require-auth';
import { AccountSettingsRoute } from './routes/settings/account';
import { ApiTokensRoute } from './routes/settings/api-tokens';
import { SecurityLogRoute } from './routes/settings/security-log';
import { TrustedCiRoute } from './routes/settings/trusted-ci';
import { NotFoundRoute } from './routes/not-found';
import { NotificationsRoute } from './routes/notifications';
import { ArticleRoute } from './routes/article';
import { EditorRoute } from './routes/editor';
import { ProfileRoute } from './routes/profile';

export const routes: RouteObject[] = [
  {
    element: <RootLayout />,
    children: [
      { index: true, element: <HomeRoute /> },
      { path: 'login', element: <LoginRoute /> },
      { path: 'register', element: <RegisterRoute /> },
      { path: 'forgot-password', element: <ForgotPasswordRoute /> },
      { path: 'reset-password', element: <ResetPasswordRoute /> },
      // The RealWorld screens: articles, the editor, profiles (and /settings as RealWorld clients know it).
      { path: 'article/:slug', element: <ArticleRoute /> },
      { path: 'profile/:username', element: <ProfileRoute tab="articles" /> },
      { path: 'profile/:username/favorites', element: <ProfileRoute tab="favorites" /> },
      {
        element: <RequireAuth />,
        children: [
          { path: 'editor', element: <EditorRoute /> },
          { path: 'editor/:slug', element: <EditorRoute /> },
          { path: 'settings', element: <Navigate to="/app/settings/account" replace /> },
        ],
      },
      {
        path: 'app',
        element: <RequireAuth />,
        children: [
          { index: true, element: <Navigate to="/app/settings/account" replace /> },
          { path: 'settings', element: <Navigate to="/app/settings/account" replace /> },
          {
            element: <AppLayout />,
            children: [
              { path: 'notifications', element: <NotificationsRoute /> },
              { path: 'settings/account', element: <AccountSettingsRoute /> },
              { path: 'settings/api-tokens', element: <ApiTokensRoute /> },
              { path: 'settings/security-log', element: <SecurityLogRoute /> },
              { path: 'settings/trusted-ci', element: <TrustedCiRoute /> },
              { path: '*', element: <NotFoundRoute /> },
            ],
          },
        ],
      },
      { path: '*', element: <NotFoundRoute /> },
    ],
  },
];

export function createAppRouter() {
  return createBrowserRouter(routes);
}
