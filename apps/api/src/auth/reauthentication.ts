import { ApiForbiddenResponse } from '@nestjs/swagger';

/**
 * Sensitive actions (changing the email or password, creating an API token, changing a token's
 * allowlist or permissions) need a session whose password was proved within REAUTH_WINDOW: by
 * signing up or in with it, or with `POST /api/user/reauthenticate`. A copied access token alone
 * is not enough; API tokens are refused. Routes say so with `recentPassword` in their @Access
 * declaration, and the authorization guard enforces it (its refusal `reauthentication`).
 *
 * This adds the OpenAPI description of that 403 to such a route.
 */
export const ApiRecentPasswordResponse = (what = 'The session has not proved its password within REAUTH_WINDOW') =>
  ApiForbiddenResponse({
    description:
      `An API token (session only), or ${what.charAt(0).toLowerCase()}${what.slice(1)}: ` +
      '`{"errors": {"reauthentication": ["is required: confirm your password"]}}`; confirm it with ' +
      '`POST /api/user/reauthenticate` and retry.',
  });
