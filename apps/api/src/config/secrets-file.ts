import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const SECRETS_FILE_NAME = 'secrets.json';
export type SecretName = 'jwt' | 'token_hash';
export type StoredSecrets = Partial<Record<SecretName, string>>;

export const generateSecret = () => randomBytes(48).toString('base64url');

function read(file: string): StoredSecrets | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null) throw new Error(`${file} is not a JSON object`);
  const out: StoredSecrets = {};
  for (const name of ['jwt', 'token_hash'] as const) {
    const value = (parsed as Record<string, unknown>)[name];
    if (typeof value === 'string' && value.length >= 32) out[name] = value;
  }
  return out;
}

/** Writes beside the target, readable by this user only, then moves it in place (never half-written). */
function write(file: string, secrets: StoredSecrets, replace: boolean): boolean {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(temp, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  try {
    if (replace) {
      fs.renameSync(temp, file);
      return true;
    }
    try {
      fs.linkSync(temp, file); // fails if another process created it first
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

/**
 * The generated keys, kept in `DATA_DIR/secrets.json` (mode 0600, so only the server's user can
 * read it), away from the database whose token hashes and sessions they protect. Keys missing
 * from the file are taken from `legacy` (where older versions kept them) or generated.
 * Returns the keys and whether the file was written.
 */
export function loadOrCreateSecrets(
  dataDir: string,
  needed: readonly SecretName[],
  legacy: StoredSecrets = {},
): { secrets: Required<Pick<StoredSecrets, SecretName>> & StoredSecrets; file: string; written: boolean; fixedMode: boolean } {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, SECRETS_FILE_NAME);
  let fixedMode = false;
  for (let attempt = 0; attempt < 3; attempt++) {
    const existing = read(file);
    if (existing && (fs.statSync(file).mode & 0o077) !== 0) {
      fs.chmodSync(file, 0o600);
      fixedMode = true;
    }
    const merged: StoredSecrets = { ...existing };
    for (const name of needed) merged[name] ??= legacy[name] ?? generateSecret();
    const complete = needed.every((name) => existing?.[name] !== undefined);
    if (complete) return { secrets: merged as never, file, written: false, fixedMode };
    if (write(file, merged, existing !== undefined)) return { secrets: merged as never, file, written: true, fixedMode };
    // another process created it in between: read theirs
  }
  throw new Error(`could not create ${file}`);
}
