import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadOrCreateSecrets, SECRETS_FILE_NAME } from './secrets-file';

describe('loadOrCreateSecrets', () => {
  let dir: string;
  beforeEach(() => {
    dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'conduit-secrets-')), 'data');
  });
  afterEach(() => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));

  const mode = (file: string) => fs.statSync(file).mode & 0o777;

  it('generates the keys once, in a file only the server user can read, and reuses them', () => {
    const first = loadOrCreateSecrets(dir, ['jwt', 'token_hash']);
    expect(first.written).toBe(true);
    expect(first.file).toBe(path.join(dir, SECRETS_FILE_NAME));
    expect(mode(first.file)).toBe(0o600);
    expect(first.secrets.jwt).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(first.secrets.token_hash).not.toBe(first.secrets.jwt);
    const again = loadOrCreateSecrets(dir, ['jwt', 'token_hash']);
    expect(again.written).toBe(false);
    expect(again.secrets).toEqual(first.secrets);
    expect(fs.readdirSync(dir)).toEqual([SECRETS_FILE_NAME]); // no temporary files left
  });

  it('takes keys from the legacy database rows when the file lacks them', () => {
    const legacy = { jwt: 'j'.repeat(64), token_hash: 't'.repeat(64) };
    const { secrets } = loadOrCreateSecrets(dir, ['jwt', 'token_hash'], legacy);
    expect(secrets).toEqual(legacy);
    expect(JSON.parse(fs.readFileSync(path.join(dir, SECRETS_FILE_NAME), 'utf8'))).toEqual(legacy);
    // the file wins over the database from then on
    expect(loadOrCreateSecrets(dir, ['jwt'], { jwt: 'other'.repeat(10) }).secrets.jwt).toBe(legacy.jwt);
  });

  it('adds a key that becomes needed later, keeping the other', () => {
    const { secrets: first } = loadOrCreateSecrets(dir, ['jwt']);
    const { secrets, written } = loadOrCreateSecrets(dir, ['jwt', 'token_hash']);
    expect(written).toBe(true);
    expect(secrets.jwt).toBe(first.jwt);
    expect(secrets.token_hash).toHaveLength(64);
    expect(mode(path.join(dir, SECRETS_FILE_NAME))).toBe(0o600);
  });

  it('makes a file that others could read private again', () => {
    const { file } = loadOrCreateSecrets(dir, ['jwt']);
    fs.chmodSync(file, 0o644);
    const { fixedMode } = loadOrCreateSecrets(dir, ['jwt']);
    expect(fixedMode).toBe(true);
    expect(mode(file)).toBe(0o600);
  });
});
