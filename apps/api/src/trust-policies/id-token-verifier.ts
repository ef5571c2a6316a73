import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { compactVerify, decodeJwt, decodeProtectedHeader, errors, type JWTPayload } from 'jose';
import type { TrustPolicyCheck } from '@conduit/contracts';
import { Clock } from '../common/clock';
import { IssuerKeys, IssuerUnavailable, type KeySet } from './issuer-keys';

/** The only signature algorithms accepted (`none`, HMAC and the rest are refused). */
export const ID_TOKEN_ALGORITHMS = ['RS256', 'ES256'];
/** Clock skew tolerated on `exp` and `nbf`. */
export const CLOCK_LEEWAY_SECONDS = 30;
const MAX_ID_TOKEN_LENGTH = 16 * 1024;

/** What an ID token is held to: a trust policy's issuer, audience and conditions. */
export interface IdTokenRules {
  issuer: string;
  audience: string;
  conditions: Record<string, string>;
}

export interface Evaluation {
  checks: TrustPolicyCheck[];
  /** Whether every check passed. */
  ok: boolean;
  /** The first failed check as one line for the owner's security log ("claim ref: expected …, got …"). */
  failure: string | null;
  /** The payload when the signature is valid (null otherwise). */
  claims: JWTPayload | null;
  /** Replay key and until when to remember it (when the token is otherwise acceptable). */
  replay: { key: string; until: Date } | null;
}

/**
 * Checks an OIDC ID token against a trust policy and says, check by check, what passed and what
 * did not. Signatures are jose's (RS256 / ES256 only, with the issuer's published keys); the
 * claims are compared here: `iss` exactly, `aud` a single string, `exp` required and `nbf`
 * honoured within CLOCK_LEEWAY_SECONDS, every condition exactly (numbers compared as their
 * decimal string: GitLab's ids).
 */
@Injectable()
export class IdTokenVerifier {
  constructor(
    private readonly keys: IssuerKeys,
    private readonly clock: Clock,
  ) {}

  async evaluate(rules: IdTokenRules, idToken: string): Promise<Evaluation> {
    const checks: TrustPolicyCheck[] = [];
    const payload = decodePayload(idToken);
    const signature = await this.verifySignature(rules.issuer, idToken, payload !== null);
    checks.push(signature);
    const claims = payload ?? {};
    const now = this.clock.now().getTime() / 1000;

    const iss = typeof claims.iss === 'string' ? claims.iss : null;
    checks.push(compare('issuer', rules.issuer, iss, iss === rules.issuer ? null : iss === null ? 'is missing' : `expected ${rules.issuer}, got ${iss}`));

    const aud = claims.aud;
    const audActual = aud === undefined ? null : typeof aud === 'string' ? aud : JSON.stringify(aud);
    const audProblem =
      typeof aud === 'string'
        ? aud === rules.audience ? null : `expected ${rules.audience}, got ${aud}`
        : aud === undefined ? 'is missing' : 'must be a single string (a list of audiences is refused, even one that contains ours)';
    checks.push(compare('audience', rules.audience, audActual, audProblem));

    checks.push(expiryCheck(claims, now));

    for (const [name, expected] of Object.entries(rules.conditions)) {
      const actual = claimText(claims[name]);
      checks.push(compare(`claim ${name}`, expected, actual, actual === expected ? null : `expected ${expected}, got ${actual ?? 'nothing'}`));
    }

    const failed = checks.find((c) => !c.passed);
    const ok = failed === undefined;
    return {
      checks,
      ok,
      failure: failed ? `${failed.check}: ${failed.message}` : null,
      claims: signature.passed ? claims : null,
      replay: ok ? { key: replayKey(claims, idToken), until: new Date((Number(claims.exp) + CLOCK_LEEWAY_SECONDS) * 1000) } : null,
    };
  }

  private async verifySignature(issuer: string, idToken: string, decodable: boolean): Promise<TrustPolicyCheck> {
    const fail = (message: string) => compare('signature', null, null, message);
    if (idToken.length > MAX_ID_TOKEN_LENGTH) return fail(`the ID token is longer than ${MAX_ID_TOKEN_LENGTH} characters`);
    let alg: unknown;
    try {
      alg = decodeProtectedHeader(idToken).alg;
    } catch {
      return fail('is not a JWT (header.payload.signature)');
    }
    if (!decodable) return fail('is not a JWT (its payload is not a JSON object)');
    if (typeof alg !== 'string' || !ID_TOKEN_ALGORITHMS.includes(alg)) {
      return fail(`algorithm ${String(alg)} is refused (only ${ID_TOKEN_ALGORITHMS.join(' or ')})`);
    }
    try {
      let keys: KeySet = await this.keys.keySet(issuer);
      try {
        await compactVerify(idToken, keys, { algorithms: ID_TOKEN_ALGORITHMS });
      } catch (error) {
        if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
        const fresh = await this.keys.refetchForUnknownKey(issuer);
        if (!fresh) throw error;
        keys = fresh;
        await compactVerify(idToken, keys, { algorithms: ID_TOKEN_ALGORITHMS });
      }
      return compare('signature', null, alg, null);
    } catch (error) {
      if (error instanceof IssuerUnavailable) return fail(error.message);
      if (error instanceof errors.JWKSNoMatchingKey) return fail(`was made with a key ${issuer} does not publish`);
      if (error instanceof errors.JOSEAlgNotAllowed) return fail(`algorithm ${String(alg)} is refused (only ${ID_TOKEN_ALGORITHMS.join(' or ')})`);
      if (error instanceof errors.JWSSignatureVerificationFailed) return fail(`does not verify with the keys ${issuer} publishes`);
      if (error instanceof errors.JOSEError) return fail(`is invalid (${error.message})`);
      throw error;
    }
  }
}

function compare(check: string, expected: string | null, actual: string | null, problem: string | null): TrustPolicyCheck {
  return { check, passed: problem === null, expected, actual, message: problem };
}

function expiryCheck(claims: JWTPayload, now: number): TrustPolicyCheck {
  const at = (seconds: number) => new Date(seconds * 1000).toISOString();
  const exp = claims.exp;
  const nbf = claims.nbf;
  const actual = [typeof exp === 'number' ? `exp ${at(exp)}` : null, typeof nbf === 'number' ? `nbf ${at(nbf)}` : null].filter(Boolean).join(', ') || null;
  const expected = `valid at ${at(now)} (±${CLOCK_LEEWAY_SECONDS} s)`;
  let problem: string | null = null;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) problem = 'exp is missing';
  else if (exp + CLOCK_LEEWAY_SECONDS <= now) problem = `expired at ${at(exp)}`;
  else if (nbf !== undefined && (typeof nbf !== 'number' || !Number.isFinite(nbf))) problem = 'nbf is not a number';
  else if (typeof nbf === 'number' && nbf - CLOCK_LEEWAY_SECONDS > now) problem = `is not valid before ${at(nbf)}`;
  return compare('expiry', expected, actual, problem);
}

/** A claim as the text conditions compare with: strings as they are, numbers in decimal; anything else matches nothing. */
function claimText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

function decodePayload(idToken: string): JWTPayload | null {
  try {
    return decodeJwt(idToken);
  } catch {
    return null;
  }
}

/** Each ID token is exchanged once: remembered by its `jti`, or by its hash when it has none. */
function replayKey(claims: JWTPayload, idToken: string): string {
  const jti = claims.jti;
  if (typeof jti === 'string' && jti.length > 0 && jti.length <= 200) return `jti:${jti}`;
  return `sha256:${createHash('sha256').update(idToken).digest('hex')}`;
}
