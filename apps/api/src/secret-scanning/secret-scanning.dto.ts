import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { GitHubSecretScanningFeedback, GitHubSecretScanningLabel, GitHubSecretScanningMatch } from '@conduit/contracts';
import { z } from 'zod';

/** At most this many matches in one alert (GitHub sends up to a thousand or so; the body limit bounds it too). */
export const MAX_MATCHES = 10_000;

/** The alert, checked once its signature is: entries that are not objects with `token` and `type` strings are a 422. */
export const ALERT_SCHEMA = z
  .array(
    z.object({
      token: z.string().max(1000),
      type: z.string().max(200),
      url: z.string().max(2000).optional(),
      source: z.string().max(200).optional(),
    }),
  )
  .max(MAX_MATCHES);

/** For the OpenAPI document (the handler reads the raw bytes: the signature covers them). */
export class GitHubSecretScanningMatchDto implements GitHubSecretScanningMatch {
  @ApiProperty({ example: 'conduit_0000000000000000000000000000000000000000000000000', description: 'The string found (at most 1000 characters)' })
  token: string;

  @ApiProperty({ example: 'conduit_api_token', description: 'The name the pattern was registered under' })
  type: string;

  @ApiPropertyOptional({ example: 'https://github.com/octo-org/site/blob/4f1c…/deploy.sh#L12', description: 'Where it was found; told to the owner' })
  url?: string;

  @ApiPropertyOptional({ example: 'content', description: 'What it was found in: content, commit, pull_request, issue, discussion, gist, wiki, …' })
  source?: string;
}

export class GitHubSecretScanningFeedbackDto implements GitHubSecretScanningFeedback {
  @ApiProperty({ example: 'conduit_0000000000000000000000000000000000000000000000000', description: 'The reported string, as GitHub sent it' })
  token_raw: string;

  @ApiProperty({ example: 'conduit_api_token', description: 'The `type` GitHub sent with it' })
  token_type: string;

  @ApiProperty({
    enum: ['true_positive', 'false_positive'],
    example: 'true_positive',
    description: '`true_positive`: a Conduit token of this instance (revoked now, if it was still usable); `false_positive`: anything else',
  })
  label: GitHubSecretScanningLabel;
}
