import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { NotificationsService } from '../../src/notifications/notifications.service';
import { createToken, http, register, Registered, startApp } from '../support/app';

jest.setTimeout(30_000);

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('Notifications: GET /api/user/notifications, POST /api/user/notifications/read', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => {
    await app.close();
  });

  const notify = (user: { id: string }, message: string, extra: { tokenId?: string; dedupeKey?: string } = {}) =>
    app.get(NotificationsService).notify(user.id, { kind: 'token_expiring', message, ...extra });
  const list = (u: Registered) => http(app).get('/api/user/notifications').set('Authorization', `Bearer ${u.token}`);
  const markRead = (u: Registered, body: unknown) => http(app).post('/api/user/notifications/read').set('Authorization', `Bearer ${u.token}`).send(body as object);
  async function user(): Promise<Registered & { id: string }> {
    const u = await register(app);
    const me = await http(app).get('/api/user').set('Authorization', `Bearer ${u.token}`);
    const { sub } = JSON.parse(Buffer.from(u.token.split('.')[1], 'base64url').toString()) as { sub: string };
    expect(me.status).toBe(200);
    return { ...u, id: sub };
  }

  it('lists nothing for a new account', async () => {
    const a = await user();
    const res = await list(a);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ notifications: [], unreadCount: 0 });
  });

  it('lists the newest first with the contract shape, tokenId null when not about a token', async () => {
    const a = await user();
    const { id: tokenId } = await createToken(app, a.token);
    await notify(a, 'first');
    await new Promise((r) => setTimeout(r, 5));
    await notify(a, 'second', { tokenId });
    const res = await list(a);
    expect(res.status).toBe(200);
    expect(res.body.unreadCount).toBe(2);
    expect(res.body.notifications).toEqual([
      { id: expect.any(String), kind: 'token_expiring', createdAt: expect.stringMatching(ISO), readAt: null, tokenId, message: 'second' },
      { id: expect.any(String), kind: 'token_expiring', createdAt: expect.stringMatching(ISO), readAt: null, tokenId: null, message: 'first' },
    ]);
  });

  it('marks some read by id (others\' ids ignored), then all; read ones keep their time', async () => {
    const a = await user();
    const other = await user();
    await notify(other, 'not yours');
    const [othersId] = (await list(other)).body.notifications.map((n: { id: string }) => n.id);
    for (const m of ['1', '2', '3']) await notify(a, m);
    const ids: string[] = (await list(a)).body.notifications.map((n: { id: string }) => n.id);

    const res = await markRead(a, { ids: [ids[0], ids[0], othersId, randomUUID()] });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    let body = (await list(a)).body;
    expect(body.unreadCount).toBe(2);
    expect(body.notifications[0].readAt).toMatch(ISO);
    expect(body.notifications[1].readAt).toBeNull();
    expect((await list(other)).body.unreadCount).toBe(1);
    const firstReadAt = body.notifications[0].readAt;

    await new Promise((r) => setTimeout(r, 5));
    expect((await markRead(a, { all: true })).status).toBe(204);
    body = (await list(a)).body;
    expect(body.unreadCount).toBe(0);
    expect(body.notifications.every((n: { readAt: string | null }) => n.readAt !== null)).toBe(true);
    expect(body.notifications[0].readAt).toBe(firstReadAt);
    expect((await list(other)).body.unreadCount).toBe(1);
  });

  it.each([
    [{}, 'ids', 'send ids (a list of notification ids) or all: true'],
    [{ ids: [] }, 'ids', 'must list at least one notification id'],
    [{ ids: 'abc' }, 'ids', 'must be a list of notification ids'],
    [{ ids: ['not-a-uuid'] }, 'ids', 'must contain only notification ids (UUIDs)'],
    [{ ids: [42] }, 'ids', 'must contain only notification ids (UUIDs)'],
    [{ all: false }, 'all', 'must be true (or leave it out and send ids)'],
    [{ all: 'yes' }, 'all', 'must be true (or leave it out and send ids)'],
    [{ all: true, ids: [randomUUID()] }, 'all', 'cannot be combined with ids; send one of them'],
    [{ all: true, everything: true }, 'everything', 'property everything should not exist'],
  ])('POST /read %j → 422 naming %s', async (body, field, message) => {
    const a = await user();
    await notify(a, 'stays unread');
    const res = await markRead(a, body);
    expect(res.status).toBe(422);
    expect(res.body.errors[field]).toEqual([message]);
    expect((await list(a)).body.unreadCount).toBe(1);
  });

  it('POST /read with more than 100 ids → 422 pointing to all', async () => {
    const a = await user();
    const res = await markRead(a, { ids: Array.from({ length: 101 }, () => randomUUID()) });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ errors: { ids: ['must list at most 100 ids; send {"all": true} to mark every notification read'] } });
  });

  it('needs a credential (401); an API token of the account may read and mark them too', async () => {
    expect((await http(app).get('/api/user/notifications')).status).toBe(401);
    expect((await http(app).post('/api/user/notifications/read').send({ all: true })).status).toBe(401);
    const a = await user();
    await notify(a, 'for the token');
    const { raw } = await createToken(app, a.token);
    const res = await http(app).get('/api/user/notifications').set('Authorization', `Bearer ${raw}`);
    expect(res.status).toBe(200);
    expect(res.body.unreadCount).toBe(1);
    expect((await http(app).post('/api/user/notifications/read').set('Authorization', `Bearer ${raw}`).send({ all: true })).status).toBe(204);
    expect((await list(a)).body.unreadCount).toBe(0);
  });

  it('is in the OpenAPI document with its DTOs, errors and security', async () => {
    const doc = (await http(app).get('/api/docs/openapi.json')).body;
    const get = doc.paths['/api/user/notifications'].get;
    const post = doc.paths['/api/user/notifications/read'].post;
    expect(get.security).toEqual([{ bearer: [] }]);
    expect(get.responses['200'].content['application/json'].schema.$ref).toBe('#/components/schemas/NotificationListResponseDto');
    expect(Object.keys(get.responses)).toEqual(expect.arrayContaining(['200', '401', '503']));
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(['204', '401', '422', '503']));
    expect(post.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/MarkNotificationsReadDto');
    expect(doc.components.schemas.NotificationDto.properties.kind.enum).toEqual(['token_expiring', 'token_expired', 'token_inactive', 'token_revoked', 'token_new_ip', 'token_refused_ip', 'token_reused', 'token_self_rotated']);
  });
});

// Passport keeps one strategy per name for the whole process (the last app's), so apps that run
// side by side are started and closed together.
describe('Notifications on two instances', () => {
  async function userOn(app: NestFastifyApplication) {
    const u = await register(app);
    const { sub } = JSON.parse(Buffer.from(u.token.split('.')[1], 'base64url').toString()) as { sub: string };
    return { ...u, id: sub };
  }

  it('creates a notification once per dedupe key, even when two instances try at the same moment', async () => {
    const [app, b] = await Promise.all([startApp(), startApp()]);
    const a = await userOn(app);
    try {
      const key = `test:${randomUUID()}`;
      const input = { kind: 'token_expired' as const, message: 'once', dedupeKey: key };
      const results = await Promise.all([
        app.get(NotificationsService).notify(a.id, input),
        b.get(NotificationsService).notify(a.id, input),
        app.get(NotificationsService).notify(a.id, input),
        b.get(NotificationsService).notify(a.id, input),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await http(app).get('/api/user/notifications').set('Authorization', `Bearer ${a.token}`)).body.notifications.map((n: { message: string }) => n.message)).toEqual(['once']);
    } finally {
      await Promise.all([app.close(), b.close()]);
    }
  });

});
