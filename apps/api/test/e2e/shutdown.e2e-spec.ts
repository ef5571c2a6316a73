import { Client } from 'pg';
import { LastUsedTracker } from '../../src/api-tokens/last-used.tracker';
import { createToken, http, register, startApp } from '../support/app';

jest.setTimeout(60_000);

describe('shutdown', () => {
  it('finishes the last-used writes in flight before the database pool closes', async () => {
    // A pool of 2: most of the writes below are still queued for a connection when close() starts.
    const app = await startApp({ DATABASE_POOL_SIZE: '2' });
    const user = await register(app);
    const tokens = await Promise.all(Array.from({ length: 12 }, () => createToken(app, user.token)));
    const tracker = app.get(LastUsedTracker);
    // One through HTTP, the rest recorded directly so that they are surely still pending.
    await http(app).get('/api/user').set('Authorization', `Bearer ${tokens[0].raw}`).expect(200);
    for (const t of tokens.slice(1)) tracker.record(t.id, '192.0.2.44', null);
    await app.close();

    const client = new Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      const { rows } = await client.query<{ id: string; last_used_ip: string | null }>(
        'SELECT id, last_used_ip FROM api_tokens WHERE id = ANY($1::uuid[])',
        [tokens.map((t) => t.id)],
      );
      const byId = new Map(rows.map((r) => [r.id, r.last_used_ip]));
      expect(byId.get(tokens[0].id)).toBe('127.0.0.1');
      for (const t of tokens.slice(1)) expect(byId.get(t.id)).toBe('192.0.2.44');
    } finally {
      await client.end();
    }
  });
});
