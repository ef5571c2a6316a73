import { setupServer } from 'msw/node';

/** One MSW server for all component tests; each test installs its handlers with `server.use`. */
export const server = setupServer();
