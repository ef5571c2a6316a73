import { Injectable, Logger } from '@nestjs/common';
import { createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { Clock } from '../common/clock';
import { issuerUrlProblem } from '../config/issuer-url';

/** At most one fetch per issuer in this interval when a token names a key we do not have (about twice a minute). */
export const KEY_REFETCH_COOLDOWN_MS = 30_000;
/** Keys older than this are refetched (in the background of the next exchange; kept if that fails). */
export const KEY_MAX_AGE_MS = 10 * 60_000;
const FETCH_TIMEOUT_MS = 5_000;
const MAX_DOCUMENT_BYTES = 256 * 1024;

export type KeySet = ReturnType<typeof createLocalJWKSet>;

interface Entry {
  keys: KeySet | null;
  fetchedAt: number;
  /** When a fetch was last started (successful or not): the cooldown counts from here. */
  attemptedAt: number;
  refreshing: Promise<void> | null;
  lastError: string | null;
}

/** The issuer could not give us its keys and none are cached. */
export class IssuerUnavailable extends Error {}

/**
 * The signing keys of each trusted issuer, found by OIDC discovery
 * (`<issuer>/.well-known/openid-configuration` → `jwks_uri`) and cached per issuer. A token
 * signed with a key we do not know triggers one refetch (at most once per KEY_REFETCH_COOLDOWN_MS:
 * a flood of made-up key ids cannot make us hammer the issuer); keys are refreshed after
 * KEY_MAX_AGE_MS; when the issuer cannot be reached the keys we have are kept.
 */
@Injectable()
export class IssuerKeys {
  private readonly logger = new Logger(IssuerKeys.name);
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly clock: Clock) {}

  /** The issuer's keys: fetched the first time, refreshed when old. Throws IssuerUnavailable when there are none. */
  async keySet(issuer: string): Promise<KeySet> {
    const entry = this.entry(issuer);
    const now = this.clock.now().getTime();
    if (!entry.keys) {
      if (now - entry.attemptedAt >= KEY_REFETCH_COOLDOWN_MS || entry.refreshing) await this.refresh(issuer, entry);
    } else if (now - entry.fetchedAt >= KEY_MAX_AGE_MS && now - entry.attemptedAt >= KEY_REFETCH_COOLDOWN_MS) {
      await this.refresh(issuer, entry);
    }
    if (!entry.keys) throw new IssuerUnavailable(`the keys of ${issuer} could not be fetched (${entry.lastError ?? 'tried less than 30 seconds ago'})`);
    return entry.keys;
  }

  /**
   * A token names a key we do not have: refetch once (unless fetched within the cooldown).
   * Returns the fresh keys, or null when nothing new could be fetched.
   */
  async refetchForUnknownKey(issuer: string): Promise<KeySet | null> {
    const entry = this.entry(issuer);
    if (!entry.refreshing && this.clock.now().getTime() - entry.attemptedAt < KEY_REFETCH_COOLDOWN_MS) return null;
    const before = entry.fetchedAt;
    await this.refresh(issuer, entry);
    return entry.fetchedAt !== before ? entry.keys : null;
  }

  private entry(issuer: string): Entry {
    let entry = this.entries.get(issuer);
    if (!entry) {
      entry = { keys: null, fetchedAt: 0, attemptedAt: -Infinity, refreshing: null, lastError: null };
      this.entries.set(issuer, entry);
    }
    return entry;
  }

  /** One fetch at a time per issuer; failures keep the keys we had. */
  private refresh(issuer: string, entry: Entry): Promise<void> {
    if (entry.refreshing) return entry.refreshing;
    entry.attemptedAt = this.clock.now().getTime();
    entry.refreshing = this.download(issuer)
      .then((jwks) => {
        entry.keys = createLocalJWKSet(jwks);
        entry.fetchedAt = this.clock.now().getTime();
        entry.lastError = null;
      })
      .catch((error: Error) => {
        entry.lastError = error.message;
        this.logger.warn(`could not fetch the keys of ${issuer}${entry.keys ? ' (keeping the cached ones)' : ''}: ${error.message}`);
      })
      .finally(() => {
        entry.refreshing = null;
      });
    return entry.refreshing;
  }

  private async download(issuer: string): Promise<JSONWebKeySet> {
    const discovery = await fetchJson(`${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`);
    if (discovery.issuer !== issuer) throw new Error(`its discovery document names the issuer ${JSON.stringify(discovery.issuer)}`);
    const jwksUri = discovery.jwks_uri;
    if (typeof jwksUri !== 'string') throw new Error('its discovery document has no jwks_uri');
    const problem = issuerUrlProblem(jwksUri);
    if (problem) throw new Error(`jwks_uri ${problem}`);
    const jwks = await fetchJson(jwksUri);
    if (!Array.isArray(jwks.keys)) throw new Error('its jwks_uri has no "keys" list');
    return jwks as unknown as JSONWebKeySet;
  }
}

async function fetchJson(url: string): Promise<Record<string, unknown>> {
  const response = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  const text = await response.text();
  if (text.length > MAX_DOCUMENT_BYTES) throw new Error(`${url} answered a document too large`);
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${url} did not answer a JSON object`);
  return value as Record<string, unknown>;
}
