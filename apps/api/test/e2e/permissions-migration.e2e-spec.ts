import { createSecretKey, randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { READ_WRITE_PERMISSIONS } from '@conduit/contracts';
import { apiTokenHint, generateApiToken, hashApiToken } from '../../src/api-tokens/token-codec';
import { dataSourceOptions, MIGRATIONS } from '../../src/database/data-source';
import { ApiTokenPermissions1765100000000 } from '../../src/database/migrations/1765100000000-api-token-permissions';
import { http, startApp } from '../support/app';

/**
 * In a database of its own (and a file of its own: the app it boots uses other secrets, and
 * Passport's strategies are process-wide): the schema as it was before permissions, a token
 * inserted the way it was then, then the migration.
 */
describe('Migration: API token permissions', () => {
    it('gives tokens that existed before it write on everything, and they keep working', async () => {
      const name = `perm_migration_${process.pid}_${Date.now()}`;
      const admin = new Client({ connectionString: process.env.DATABASE_URL });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      const url = new URL(process.env.DATABASE_URL as string);
      url.pathname = `/${name}`;
      let migrated: NestFastifyApplication | undefined;
      try {
        // The schema as it was before permissions, and a token inserted the way it was then.
        const before = new DataSource({
          ...dataSourceOptions(url.toString(), 2),
          migrations: MIGRATIONS.slice(0, MIGRATIONS.indexOf(ApiTokenPermissions1765100000000)),
          migrationsRun: false,
        });
        await before.initialize();
        await before.runMigrations({ transaction: 'each' });
        const secret = randomBytes(32).toString('base64url');
        const jwtSecret = randomBytes(32).toString('base64url');
        const raw = generateApiToken();
        const [user] = await before.query(
          `INSERT INTO users (username, email, password_hash) VALUES ('old', 'old@example.test', 'x') RETURNING id`,
        );
        await before.query(
          `INSERT INTO api_tokens (user_id, name, token_hash, hint, expires_at) VALUES ($1, 'old token', $2, $3, now() + interval '1 day')`,
          [user.id, hashApiToken(raw, createSecretKey(Buffer.from(secret, 'utf8'))), apiTokenHint(raw)],
        );
        await before.destroy();

        // The app runs the pending migrations at boot.
        migrated = await startApp({ DATABASE_URL: url.toString(), TOKEN_HASH_SECRET: secret, JWT_SECRET: jwtSecret });
        const check = new Client({ connectionString: url.toString() });
        await check.connect();
        const { rows } = await check.query(`SELECT permissions FROM api_tokens`);
        await check.end();
        expect(rows).toEqual([{ permissions: 170 }]);
        const current = await http(migrated).get('/api/user/api-tokens/current').set('Authorization', `Bearer ${raw}`);
        expect(current.status).toBe(200);
        expect(current.body.apiToken.permissions).toEqual(READ_WRITE_PERMISSIONS);
        const write = await http(migrated)
          .post('/api/articles')
          .set('Authorization', `Bearer ${raw}`)
          .send({ article: { title: 'Still works', description: 'd', body: 'b' } });
        expect(write.status).toBe(201);
      } finally {
        await migrated?.close();
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      }
    });
});
