import { Injectable } from '@nestjs/common';
import type { GitHubSecretScanningFeedback, GitHubSecretScanningMatch } from '@conduit/contracts';
import { ApiTokensRepository } from '../api-tokens/api-tokens.repository';
import { ApiTokensService, LeakLocation } from '../api-tokens/api-tokens.service';
import { hashApiToken, isWellFormedApiToken } from '../api-tokens/token-codec';
import { redactSecrets } from '../common/redaction';
import { SecretsService } from '../config/secrets.service';

/**
 * What GitHub's secret scanning found: every reported string that is a token of this instance is
 * revoked through the leak report's own path (so that whatever a leak report revokes with it is
 * revoked here too), and its owner is told where it was found. One lookup by hash for the whole
 * batch, whatever its size; the raw strings go nowhere but the answer to GitHub.
 */
@Injectable()
export class SecretScanningService {
  constructor(
    private readonly tokens: ApiTokensRepository,
    private readonly apiTokens: ApiTokensService,
    private readonly secrets: SecretsService,
  ) {}

  async report(matches: readonly GitHubSecretScanningMatch[]): Promise<GitHubSecretScanningFeedback[]> {
    const key = this.secrets.tokenHashKey;
    // Malformed strings (wrong length, alphabet or checksum) are not looked up at all.
    const hashOf = new Map<string, string>();
    for (const { token } of matches) {
      if (!hashOf.has(token) && isWellFormedApiToken(token)) hashOf.set(token, hashApiToken(token, key).toString('hex'));
    }
    const found = await this.tokens.findByHashes([...hashOf.values()].map((hex) => Buffer.from(hex, 'hex')));
    const tokenOf = new Map(found.map((t) => [t.tokenHash.toString('hex'), t.id]));
    const known = (raw: string): string | undefined => {
      const hash = hashOf.get(raw);
      return hash === undefined ? undefined : tokenOf.get(hash);
    };

    const foundAt = new Map<string, LeakLocation>();
    const leaked: string[] = [];
    for (const match of matches) {
      const id = known(match.token);
      if (id === undefined || foundAt.has(id)) continue;
      foundAt.set(id, { reporter: 'github_secret_scanning', ...(match.url ? { url: redactSecrets(match.url) } : {}), ...(match.source ? { source: match.source } : {}) });
      leaked.push(match.token);
    }
    if (leaked.length > 0) await this.apiTokens.revokeReported(leaked, foundAt);

    return matches.map((match) => ({
      token_raw: match.token,
      token_type: match.type,
      label: known(match.token) === undefined ? 'false_positive' : 'true_positive',
    }));
  }
}
