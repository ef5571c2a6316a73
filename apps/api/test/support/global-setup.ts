import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { migrate } from '../../src/database/data-source';
import { EmbeddedPostgres } from '../../src/database/embedded-postgres';

/**
 * One real PostgreSQL for the whole e2e run: TEST_DATABASE_URL when given, otherwise an embedded
 * server in a fresh temporary folder. Tests get its URL through DATABASE_URL.
 */
export default async function globalSetup(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conduit-e2e-'));
  fs.chmodSync(dir, 0o755);
  // The apps' DATA_DIR (generated keys), shared by every worker of the run.
  process.env.CONDUIT_E2E_DATA_DIR = path.join(dir, 'data');
  if (process.env.TEST_DATABASE_URL) {
    process.env.DATABASE_URL = process.env.TEST_DATABASE_URL;
    (globalThis as Record<string, unknown>).__CONDUIT_PG__ = { dir };
  } else {
    const pg = new EmbeddedPostgres({ dataDir: path.join(dir, 'pg') });
    await pg.start();
    (globalThis as Record<string, unknown>).__CONDUIT_PG__ = { pg, dir };
    process.env.DATABASE_URL = pg.url;
  }
  await migrate(process.env.DATABASE_URL);
}
