import type { ReactElement } from 'react';
import { QueryClient } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, MemoryRouter, RouterProvider } from 'react-router';
import { AppProvider } from '@/app/provider';
import { routes } from '@/app/router';

/** A fresh client per test: no retries, so error states show at once. */
export function createTestQueryClient(): QueryClient {
  return new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: 0 }, mutations: { retry: false } } });
}

/** Renders one component with react-query and a router around it. */
export function renderWithProviders(ui: ReactElement, { queryClient = createTestQueryClient() } = {}) {
  const user = userEvent.setup();
  const result = render(
    <AppProvider queryClient={queryClient}>
      <MemoryRouter>{ui}</MemoryRouter>
    </AppProvider>,
  );
  return { ...result, user, queryClient };
}

/** Renders the whole app (real routes) at `path`. */
export function renderApp(path: string, { queryClient = createTestQueryClient() } = {}) {
  const user = userEvent.setup();
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  const result = render(
    <AppProvider queryClient={queryClient}>
      <RouterProvider router={router} />
    </AppProvider>,
  );
  return { ...result, user, queryClient, router };
}
