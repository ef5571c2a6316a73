import { createPublicKey, KeyObject, verify } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { z } from 'zod';
import { Clock } from '../common/clock';
import { APP_CONFIG, AppConfig } from '../config/config';

/** Keys are fetched again after this long even when every identifier is known. */
const CACHE_TTL_MS = 6 * 3_600_000;
/** An unknown identifier fetches the document again, at most this often (signatures are free to forge). */
const REFRESH_COOLDOWN_MS = 60_000;
const FETCH_TIMEOUT_MS = 5_000;
const DOCUMENT_MAX_BYTES = 256 * 1024;

const KEY_DOCUMENT = z.object({
  public_keys: z.array(z.object({ key_identifier: z.string().min(1), key: z.string().min(1), is_current: z.boolean().optional() })),
});

/**
 * GitHub's secret-scanning public keys (GITHUB_SECRET_SCANNING_KEYS_URL), and the check of an
 * alert's signature against them: ECDSA P-256 with SHA-256, DER-encoded, over the exact bytes of
 * the body, with Node's own `crypto.verify`. The document is fetched on first use and kept for
 * hours; an identifier it does not list makes one refresh (at most one a minute, so that forged
 * identifiers cannot turn this into a way to hammer GitHub). Keys already known are kept when a
 * refresh fails, and only P-256 keys are kept at all.
 */
@Injectable()
export class GitHubScanningKeys {
  private readonly logger = new Logger(GitHubScanningKeys.name);
  private keys = new Map<string, KeyObject>();
  private fetchedAt = -Infinity;
  private attemptedAt = -Infinity;
  private inflight: Promise<void> | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** True when `signature` (base64 DER) is the key `identifier`'s signature of `body`. */
  async verify(identifier: string, signature: string, body: Buffer): Promise<boolean> {
    const key = await this.key(identifier);
    if (!key) return false;
    try {
      return verify('sha256', body, { key, dsaEncoding: 'der' }, Buffer.from(signature, 'base64'));
    } catch {
      return false; // not DER at all
    }
  }

  private async key(identifier: string): Promise<KeyObject | undefined> {
    if (this.inflight) await this.inflight; // a fetch under way may bring the key
    if (this.elapsed(this.fetchedAt) > CACHE_TTL_MS && this.elapsed(this.attemptedAt) >= REFRESH_COOLDOWN_MS) await this.load();
    const known = this.keys.get(identifier);
    if (known || this.elapsed(this.attemptedAt) < REFRESH_COOLDOWN_MS) return known;
    await this.load();
    return this.keys.get(identifier);
  }

  private elapsed(since: number): number {
    return this.clock.now().getTime() - since;
  }

  /** One fetch at a time: concurrent alerts wait for the same one. */
  private load(): Promise<void> {
    this.inflight ??= this.fetchKeys().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  private async fetchKeys(): Promise<void> {
    const url = this.config.githubSecretScanningKeysUrl;
    this.attemptedAt = this.clock.now().getTime();
    try {
      const response = await fetch(url, {
        headers: { Accept: 'application/json', 'User-Agent': 'conduit-secret-scanning' },
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
        redirect: 'error',
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const text = await response.text();
      if (text.length > DOCUMENT_MAX_BYTES) throw new Error('the document is too large');
      const parsed = KEY_DOCUMENT.safeParse(JSON.parse(text));
      if (!parsed.success) throw new Error('the document has no public_keys list');
      const keys = new Map<string, KeyObject>();
      for (const entry of parsed.data.public_keys) {
        const key = p256Key(entry.key);
        if (key) keys.set(entry.key_identifier, key);
      }
      this.keys = keys;
      this.fetchedAt = this.clock.now().getTime();
    } catch (error) {
      // Keep what we had; the next attempt comes after the cooldown, not on every alert.
      this.logger.warn(`could not fetch GitHub's secret-scanning keys from ${url}: ${(error as Error).message}`);
    }
  }
}

function p256Key(pem: string): KeyObject | undefined {
  try {
    const key = createPublicKey(pem);
    return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1' ? key : undefined;
  } catch {
    return undefined;
  }
}
