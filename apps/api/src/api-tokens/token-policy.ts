import { Inject, Injectable } from '@nestjs/common';
import { allowedExpiryPresets, describeDuration, TokenPolicy } from '@conduit/contracts';
import { APP_CONFIG, AppConfig } from '../config/config';

/**
 * The instance's rules for API tokens (TOKEN_MAX_LIFETIME, TOKEN_INACTIVITY_REVOKE). Creation and
 * rotation call `lifetimeError()` with the expiry they are about to give a token; the inactivity
 * rule is applied by the TokenRemindersJob.
 */
@Injectable()
export class TokenPolicyService {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get maxLifetimeSeconds(): number | null {
    return this.config.tokenMaxLifetimeSeconds ?? null;
  }

  get inactivityRevokeSeconds(): number | null {
    return this.config.tokenInactivityRevokeSeconds ?? null;
  }

  describe(now: Date): TokenPolicy {
    return {
      maxLifetimeSeconds: this.maxLifetimeSeconds,
      inactivityRevokeSeconds: this.inactivityRevokeSeconds,
      allowedExpiryPresets: allowedExpiryPresets(this.maxLifetimeSeconds, now),
    };
  }

  /**
   * Null when a token created (or rotated) at `now` may expire at `expiresAt` (null: never);
   * otherwise the 422 message, stating the limit. Existing tokens are never re-checked.
   */
  lifetimeError(expiresAt: Date | null, now: Date): string | null {
    const max = this.maxLifetimeSeconds;
    if (max === null) return null;
    const limit = describeDuration(max);
    const latest = new Date(now.getTime() + max * 1000).toISOString();
    if (expiresAt === null) return `cannot be never: tokens on this server expire within ${limit} (TOKEN_MAX_LIFETIME); choose an expiry up to ${latest}`;
    if (expiresAt.getTime() - now.getTime() > max * 1000) {
      return `is beyond the maximum token lifetime of ${limit} (TOKEN_MAX_LIFETIME); choose an expiry up to ${latest}`;
    }
    return null;
  }

  /** A default expiry, no later than the maximum lifetime allows. */
  clampDefault(expiresAt: Date | null, now: Date): Date | null {
    const max = this.maxLifetimeSeconds;
    if (max === null) return expiresAt;
    const latest = new Date(now.getTime() + max * 1000);
    return expiresAt === null || expiresAt > latest ? latest : expiresAt;
  }
}
