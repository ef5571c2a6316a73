import { GITHUB_ACTIONS_ISSUER, GITLAB_ISSUER, ID_TOKEN_TYPES, TOKEN_EXCHANGE_GRANT_TYPE, type TrustPolicy } from '@conduit/contracts';

/** What a CI job runs to exchange its ID token at `origin` for a Conduit token (curl and jq). */
function exchangeCommand(origin: string, policy: Pick<TrustPolicy, 'id'>, idTokenVariable: string, indent: string): string {
  return [
    `curl -sS --fail-with-body "${origin}/api/oauth/token" \\`,
    `  -d grant_type=${TOKEN_EXCHANGE_GRANT_TYPE} \\`,
    `  -d subject_token_type=${ID_TOKEN_TYPES[0]} \\`,
    `  -d client_id=${policy.id} \\`,
    `  --data-urlencode "subject_token=$${idTokenVariable}" | jq -r .access_token`,
  ].join(`\n${indent}`);
}

/** GitHub Actions: `id-token: write`, request the ID token for the policy's audience, exchange it, use the token. */
export function githubActionsSnippet(origin: string, policy: Pick<TrustPolicy, 'id' | 'audience'>): string {
  const indent = '            ';
  return `permissions:
  id-token: write   # lets the job request an OIDC ID token
  contents: read

jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - name: Get a Conduit token (valid for minutes, nothing stored)
        run: |
          ID_TOKEN=$(curl -sS -H "Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN" \\
            "$ACTIONS_ID_TOKEN_REQUEST_URL&audience=${encodeURIComponent(policy.audience)}" | jq -r .value)
          CONDUIT_TOKEN=$(${exchangeCommand(origin, policy, 'ID_TOKEN', indent)})
          echo "::add-mask::$CONDUIT_TOKEN"
          echo "CONDUIT_TOKEN=$CONDUIT_TOKEN" >> "$GITHUB_ENV"
      - name: Use it
        run: curl -sS -H "Authorization: Bearer $CONDUIT_TOKEN" "${origin}/api/user"
`;
}

/** GitLab CI: `id_tokens:` with the policy's audience, exchange it, use the token. */
export function gitlabCiSnippet(origin: string, policy: Pick<TrustPolicy, 'id' | 'audience'>): string {
  const indent = '      ';
  return `publish:
  id_tokens:
    CONDUIT_ID_TOKEN:
      aud: ${policy.audience}
  script:
    - |
      CONDUIT_TOKEN=$(${exchangeCommand(origin, policy, 'CONDUIT_ID_TOKEN', indent)})
    - curl -sS -H "Authorization: Bearer $CONDUIT_TOKEN" "${origin}/api/user"
`;
}

/** Any other issuer: the exchange itself, for the job's own ID token in $ID_TOKEN. */
export function genericSnippet(origin: string, policy: Pick<TrustPolicy, 'id'>): string {
  return `# $ID_TOKEN: the job's OIDC ID token, issued for this policy's audience
CONDUIT_TOKEN=$(${exchangeCommand(origin, policy, 'ID_TOKEN', '')})
curl -sS -H "Authorization: Bearer $CONDUIT_TOKEN" "${origin}/api/user"
`;
}

export type CiPlatform = 'github' | 'gitlab' | 'other';

export function platformOf(issuer: string): CiPlatform {
  return issuer === GITHUB_ACTIONS_ISSUER ? 'github' : issuer === GITLAB_ISSUER ? 'gitlab' : 'other';
}
