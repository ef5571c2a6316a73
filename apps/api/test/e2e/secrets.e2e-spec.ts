import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { SecretsService } from '../../src/config/secrets.service';
import { migrate } from '../../src/database/data-source';
import { http, register, startApp } from '../support/app';

/** A database of its own: other test files start apps that would read server_secrets too. */
async function freshDatabase(): Promise<string> {
  const name = `conduit_secrets_${process.pid}_${Date.now()}`;
  const admin = new Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${name}`;
  await migrate(url.toString());
  return url.toString();
}

describe('generated secrets live in DATA_DIR, not in the database', () => {
  it('moves keys found in server_secrets into DATA_DIR/secrets.json (0600) and deletes them from the table', async () => {
    const url = await freshDatabase();
    const dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'conduit-secrets-e2e-')), 'data');
    const legacy = { jwt: 'legacy-jwt-'.repeat(6), token_hash: 'legacy-hash-'.repeat(6) };
    const db = new Client({ connectionString: url });
    await db.connect();
    try {
      await db.query("INSERT INTO server_secrets (name, value) VALUES ('jwt', $1), ('token_hash', $2)", [legacy.jwt, legacy.token_hash]);
      const app = await startApp({ DATABASE_URL: url, DATA_DIR: dataDir });
      try {
        const file = path.join(dataDir, 'secrets.json');
        expect(fs.statSync(file).mode & 0o777).toBe(0o600);
        expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(legacy);
        expect((await db.query('SELECT name FROM server_secrets')).rows).toEqual([]);
        expect(app.get(SecretsService).jwtKey.export().toString()).toBe(legacy.jwt);
        const user = await register(app);
        expect((await http(app).get('/api/user').set('Authorization', `Bearer ${user.token}`)).status).toBe(200);
      } finally {
        await app.close();
      }
      // a restart on the same DATA_DIR keeps them (sessions survive) and writes nothing to the database
      const again = await startApp({ DATABASE_URL: url, DATA_DIR: dataDir, JWT_SECRET: 'configured-'.repeat(4) });
      try {
        expect(again.get(SecretsService).tokenHashKey.export().toString()).toBe(legacy.token_hash);
        // a configured key wins over the one the file also holds
        expect(again.get(SecretsService).jwtKey.export().toString()).toBe('configured-'.repeat(4));
        expect((await db.query('SELECT name FROM server_secrets')).rows).toEqual([]);
      } finally {
        await again.close();
      }
    } finally {
      await db.end();
      const admin = new Client({ connectionString: process.env.DATABASE_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${new URL(url).pathname.slice(1)}`);
      await admin.end();
      fs.rmSync(path.dirname(dataDir), { recursive: true, force: true });
    }
  }, 60_000);
});
