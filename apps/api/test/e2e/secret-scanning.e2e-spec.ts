import { generateKeyPairSync, KeyObject, sign } from 'node:crypto';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import type { GitHubSecretScanningFeedback, Notification } from '@conduit/contracts';
import { ApiTokensRepository } from '../../src/api-tokens/api-tokens.repository';
import { ApiTokensService } from '../../src/api-tokens/api-tokens.service';
import { generateApiToken } from '../../src/api-tokens/token-codec';
import { Clock } from '../../src/common/clock';
import { createToken, http, register, Registered, startApp } from '../support/app';
import { allEvents, settle } from '../support/security-log';

jest.setTimeout(120_000);

const TYPE = 'conduit_api_token';

/** A P-256 key pair as GitHub would have one, under an identifier. */
interface GitHubKey {
  id: string;
  privateKey: KeyObject;
  pem: string;
}
function makeKey(id: string): GitHubKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return { id, privateKey, pem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

/** GitHub's key document (`/meta/public_keys/secret_scanning`), on a loopback port; it counts fetches and can fail on demand. */
class KeyDocumentServer {
  published: GitHubKey[] = [];
  fetches = 0;
  failing = false;
  private server: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((_req, res) => {
      this.fetches += 1;
      if (this.failing) {
        res.writeHead(503).end('unavailable');
        return;
      }
      const body = { public_keys: this.published.map((k, i) => ({ key_identifier: k.id, key: k.pem, is_current: i === this.published.length - 1 })) };
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/meta/public_keys/secret_scanning`;
    return this;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** An alert as GitHub sends it: the body's exact bytes, and their signature by `key`. */
function alert(matches: Array<{ token: string; url?: string; type?: string }>, key: GitHubKey) {
  const body = JSON.stringify(matches.map((m) => ({ token: m.token, type: m.type ?? TYPE, url: m.url ?? 'https://github.com/octo-org/site/blob/main/.env', source: 'content' })));
  return { body, keyId: key.id, signature: sign('sha256', Buffer.from(body), key.privateKey).toString('base64') };
}

describe('GitHub secret scanning (POST /api/secret-scanning/github)', () => {
  let app: NestFastifyApplication;
  let keys: KeyDocumentServer;
  let db: Client;
  let owner: Registered;
  const k1 = makeKey('k1-4f0c');
  /** Moves this app's clock on, past the refresh cooldown for unknown identifiers. */
  let offsetMs = 0;
  const later = (ms: number) => {
    offsetMs += ms;
  };

  beforeAll(async () => {
    keys = await new KeyDocumentServer().start();
    keys.published = [k1];
    app = await startApp({ GITHUB_SECRET_SCANNING_KEYS_URL: keys.url, PUBLIC_URL: 'https://conduit.example.test' });
    const clock = app.get(Clock);
    clock.now = () => new Date(Date.now() + offsetMs);
    db = new Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
    owner = await register(app);
  });
  afterAll(async () => {
    await db.end();
    await app.close();
    await keys.stop();
  });

  const post = (a: { body: string; keyId?: string; signature?: string }) => {
    const req = http(app).post('/api/secret-scanning/github').set('Content-Type', 'application/json');
    if (a.keyId !== undefined) req.set('Github-Public-Key-Identifier', a.keyId);
    if (a.signature !== undefined) req.set('Github-Public-Key-Signature', a.signature);
    return req.send(a.body);
  };
  const works = (raw: string) => http(app).get('/api/user').set('Authorization', `Bearer ${raw}`);
  const notSigned = { errors: { signature: ["must be GitHub's signature of the body (Github-Public-Key-Identifier and Github-Public-Key-Signature)"] } };

  it('a signed alert: each Conduit token is revoked and labelled true_positive, everything else false_positive, in order', async () => {
    const live = await createToken(app, owner.token, { name: 'committed by mistake' });
    const alreadyRevoked = await createToken(app, owner.token, { name: 'revoked earlier' });
    await http(app).delete(`/api/user/api-tokens/${alreadyRevoked.id}`).set('Authorization', `Bearer ${owner.token}`).expect(204);
    const unknown = generateApiToken(); // well-formed, never issued here
    const url = 'https://github.com/octo-org/site/blob/4f1c2d3/deploy.sh#L12';
    const a = alert(
      [{ token: live.raw, url }, { token: 'conduit_looks-like-one-but-is-not' }, { token: unknown }, { token: alreadyRevoked.raw }, { token: live.raw, url }],
      k1,
    );
    const res = await post(a).expect(200);
    expect(res.body as GitHubSecretScanningFeedback[]).toEqual([
      { token_raw: live.raw, token_type: TYPE, label: 'true_positive' },
      { token_raw: 'conduit_looks-like-one-but-is-not', token_type: TYPE, label: 'false_positive' },
      { token_raw: unknown, token_type: TYPE, label: 'false_positive' },
      { token_raw: alreadyRevoked.raw, token_type: TYPE, label: 'true_positive' },
      { token_raw: live.raw, token_type: TYPE, label: 'true_positive' },
    ]);
    await works(live.raw).expect(401);

    // The owner is told where it was found: in the security log, in the app, and which token.
    const events = (await allEvents(app, owner.token)).filter((e) => e.type === 'token.revoked' && e.tokenId === live.id);
    expect(events).toHaveLength(1);
    expect(events[0].detail).toEqual({ by: 'leak_report', reporter: 'github_secret_scanning', url, source: 'content' });
    // The one revoked before keeps its first revocation: no second event.
    expect((await allEvents(app, owner.token)).filter((e) => e.type === 'token.revoked' && e.tokenId === alreadyRevoked.id)).toHaveLength(1);
    await settle(app);
    const res2 = await http(app).get('/api/user/notifications').set('Authorization', `Bearer ${owner.token}`).expect(200);
    const alerts = (res2.body.notifications as Notification[]).filter((n) => n.kind === 'token_revoked' && n.tokenId === live.id);
    expect(alerts).toHaveLength(1);
    expect(alerts[0].message).toContain('“committed by mistake”');
    expect(alerts[0].message).toContain(`GitHub secret scanning found it in public at ${url}`);
    const row = await db.query('SELECT revoked_reason FROM api_tokens WHERE id = $1', [live.id]);
    expect(row.rows[0].revoked_reason).toBe('leak_report');
    expect(keys.fetches).toBe(1);
  });

  it('like a leak report, the tokens a reported token rotated itself into are revoked with it', async () => {
    const original = await createToken(app, owner.token, { name: 'rotates itself' });
    const rotated = await http(app).post('/api/user/api-tokens/current/rotate').set('Authorization', `Bearer ${original.raw}`).send({}).expect(201);
    const successor = rotated.body.token as string;
    await works(successor).expect(200);
    const url = 'https://github.com/octo-org/site/blob/main/ci.yml';
    const res = await post(alert([{ token: original.raw, url }], k1)).expect(200);
    expect(res.body[0].label).toBe('true_positive');
    await works(successor).expect(401);
    const events = (await allEvents(app, owner.token)).filter((e) => e.type === 'token.revoked' && e.tokenId === original.id);
    expect(events).toHaveLength(1);
    expect(events[0].detail).toMatchObject({ by: 'leak_report', reporter: 'github_secret_scanning', url, revokedWith: [{ id: rotated.body.apiToken.id }] });
  });

  it('keeps where a token was found without a credential that location carried (a token, a key in its query)', async () => {
    const t = await createToken(app, owner.token, { name: 'found with a key' });
    const url = `https://gist.githubusercontent.com/octo/abc/raw/env?api_key=gh-s3cret-value&raw=1#${t.raw}`;
    await post(alert([{ token: t.raw, url }], k1)).expect(200);
    const events = (await allEvents(app, owner.token)).filter((e) => e.type === 'token.revoked' && e.tokenId === t.id);
    expect(events).toHaveLength(1);
    expect(events[0].detail).toMatchObject({ url: 'https://gist.githubusercontent.com/octo/abc/raw/env?api_key=[REDACTED]&raw=1#conduit_[REDACTED]' });
    expect(JSON.stringify(events)).not.toContain(t.raw);
    expect(JSON.stringify(events)).not.toContain('gh-s3cret-value');
  });

  it('a body changed after signing, or a signature of another body: 401, nothing revoked', async () => {
    const t = await createToken(app, owner.token);
    const signed = alert([{ token: t.raw }], k1);
    // One byte changed (the url) after signing: GitHub's signature no longer covers it.
    await post({ ...signed, body: signed.body.replace('.env', '.enw') }).expect(401, notSigned);
    // The same JSON written differently (whitespace) is other bytes too.
    await post({ ...signed, body: JSON.stringify(JSON.parse(signed.body), null, 1) }).expect(401, notSigned);
    // A real signature of another alert.
    const other = alert([{ token: generateApiToken() }], k1);
    await post({ ...signed, signature: other.signature }).expect(401, notSigned);
    // Not base64 of DER at all.
    await post({ ...signed, signature: 'bm90IGEgc2lnbmF0dXJl' }).expect(401, notSigned);
    await works(t.raw).expect(200);
  });

  it('missing headers: 401 in the error format, nothing revoked, and the Authorization header does not help', async () => {
    const t = await createToken(app, owner.token);
    const signed = alert([{ token: t.raw }], k1);
    await post({ body: signed.body }).expect(401, notSigned);
    await post({ body: signed.body, keyId: signed.keyId }).expect(401, notSigned);
    await post({ body: signed.body, signature: signed.signature }).expect(401, notSigned);
    await post({ body: signed.body, keyId: '', signature: signed.signature }).expect(401, notSigned);
    await http(app).post('/api/secret-scanning/github').set('Authorization', `Bearer ${owner.token}`).send(JSON.parse(signed.body)).expect(401, notSigned);
    await works(t.raw).expect(200);
  });

  it('GitHub rotates its key: an alert signed by a newly published key fetches the document once and is accepted', async () => {
    const k2 = makeKey('k2-9b7e');
    keys.published = [k1, k2];
    const before = keys.fetches;
    later(61_000);
    const t = await createToken(app, owner.token);
    const res = await post(alert([{ token: t.raw }], k2)).expect(200);
    expect(res.body[0].label).toBe('true_positive');
    expect(keys.fetches).toBe(before + 1);
    await works(t.raw).expect(401);
    // Known keys need no fetch.
    await post(alert([{ token: generateApiToken() }], k1)).expect(200);
    await post(alert([{ token: generateApiToken() }], k2)).expect(200);
    expect(keys.fetches).toBe(before + 1);
  });

  it('an unknown key: 401 after one refresh, no refetch per forged identifier; accepted once GitHub publishes it', async () => {
    const k3 = makeKey('k3-unpublished');
    const t = await createToken(app, owner.token);
    later(61_000);
    const before = keys.fetches;
    await post(alert([{ token: t.raw }], k3)).expect(401, notSigned);
    expect(keys.fetches).toBe(before + 1);
    // Forged identifiers within the cooldown fetch nothing more.
    for (const id of ['forged-1', 'forged-2', 'forged-3']) await post({ ...alert([{ token: t.raw }], k3), keyId: id }).expect(401);
    await post(alert([{ token: t.raw }], k3)).expect(401);
    expect(keys.fetches).toBe(before + 1);
    await works(t.raw).expect(200);

    // Published later: the next alert after the cooldown refreshes and is accepted.
    keys.published = [k1, k3];
    later(61_000);
    const res = await post(alert([{ token: t.raw }], k3)).expect(200);
    expect(res.body[0].label).toBe('true_positive');
    expect(keys.fetches).toBe(before + 2);
    await works(t.raw).expect(401);
  });

  it('the key document unreachable: keys already known keep working', async () => {
    keys.failing = true;
    try {
      const t = await createToken(app, owner.token);
      later(7 * 3_600_000); // past the cache's lifetime: a refetch is tried, fails, and the keys are kept
      const before = keys.fetches;
      await post(alert([{ token: t.raw }], k1)).expect(200);
      expect(keys.fetches).toBe(before + 1);
      await works(t.raw).expect(401);
      await post(alert([{ token: generateApiToken() }], makeKey('k4-while-down'))).expect(401);
      expect(keys.fetches).toBe(before + 1);
    } finally {
      keys.failing = false;
    }
  });

  it('a signed body that is not an alert: 400 for bad JSON, 422 for the wrong shape, nothing revoked', async () => {
    const signedText = (body: string) => ({ body, keyId: k1.id, signature: sign('sha256', Buffer.from(body), k1.privateKey).toString('base64') });
    await post(signedText('[{"token": ')).expect(400, { errors: { body: ['is not valid JSON'] } });
    const shape = { errors: { body: ['must be a list of {"token", "type", "url", "source"} with string values'] } };
    await post(signedText('{"token": "x"}')).expect(422, shape);
    await post(signedText('[{"token": 42, "type": "t"}]')).expect(422, shape);
    await post(signedText('[]')).expect(200, []);
  });

  it('a batch of 1,000 matches: one lookup by hash for all of them, answered in one go', async () => {
    const users = [await register(app), await register(app)];
    const real: Array<{ raw: string; id: string; userIndex: number }> = [];
    for (let i = 0; i < 100; i++) {
      const userIndex = i % 2;
      const t = await createToken(app, users[userIndex].token, { name: `leaked ${i}` });
      real.push({ raw: t.raw, id: t.id, userIndex });
    }
    const matches: Array<{ token: string; url: string }> = [];
    for (let i = 0; i < 1000; i++) {
      // Every tenth is a real token; the others are well-formed strings this instance never issued, or junk.
      const token = i % 10 === 0 ? real[i / 10].raw : i % 3 === 0 ? `conduit_junk${i}` : generateApiToken();
      matches.push({ token, url: `https://github.com/octo-org/monorepo/blob/main/file-${i}.txt` });
    }
    const signed = alert(matches, k1);
    const lookups = jest.spyOn(app.get(ApiTokensRepository), 'findByHashes');
    const revocations = jest.spyOn(app.get(ApiTokensService), 'revokeReported');
    const started = process.hrtime.bigint();
    const res = await post(signed).expect(200);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const calls = { lookups: lookups.mock.calls.length, revocations: revocations.mock.calls.length };
    lookups.mockRestore();
    revocations.mockRestore();
    // Reported for the note: how long a 1,000-match alert took end to end (signature, lookup, revocation).
    console.log(`secret scanning: 1,000 matches (${Buffer.byteLength(signed.body)} bytes, 100 real tokens) answered in ${ms.toFixed(0)} ms`);

    expect(calls).toEqual({ lookups: 1, revocations: 1 });
    const feedback = res.body as GitHubSecretScanningFeedback[];
    expect(feedback).toHaveLength(1000);
    expect(feedback.map((f) => f.token_raw)).toEqual(matches.map((m) => m.token));
    expect(feedback.filter((f) => f.label === 'true_positive')).toHaveLength(100);
    feedback.forEach((f, i) => expect(f.label).toBe(i % 10 === 0 ? 'true_positive' : 'false_positive'));
    const revoked = await db.query("SELECT count(*)::int AS n FROM api_tokens WHERE id = ANY($1::uuid[]) AND revoked_reason = 'leak_report'", [real.map((t) => t.id)]);
    expect(revoked.rows[0].n).toBe(100);
    await works(real[37].raw).expect(401);
    // Each owner's log says where each of theirs was found.
    const events = (await allEvents(app, users[1].token)).filter((e) => e.type === 'token.revoked');
    expect(events).toHaveLength(50);
    const index = real.findIndex((t) => t.id === events[0].tokenId);
    expect(events[0].detail.url).toBe(`https://github.com/octo-org/monorepo/blob/main/file-${index * 10}.txt`);
  });
});
