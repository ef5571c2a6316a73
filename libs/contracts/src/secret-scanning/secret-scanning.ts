/**
 * GitHub's secret scanning partner program (`POST /api/secret-scanning/github`): GitHub sends the
 * strings it found that match Conduit's token pattern, signed with one of its published keys, and
 * is answered with a label for each.
 */

/** One match in an alert: the string, the pattern's name, where it was found, and in what (content, commit, issue, …). */
export interface GitHubSecretScanningMatch {
  token: string;
  type: string;
  url?: string;
  source?: string;
}

/** GitHub's alert body: a list of matches. */
export type GitHubSecretScanningAlert = GitHubSecretScanningMatch[];

/** `true_positive`: a Conduit token (now revoked, if it was not already); `false_positive`: anything else. */
export type GitHubSecretScanningLabel = 'true_positive' | 'false_positive';

/** GitHub's feedback format: one entry per reported string, in the order they came. */
export interface GitHubSecretScanningFeedback {
  token_raw: string;
  token_type: string;
  label: GitHubSecretScanningLabel;
}

/** The headers carrying the signature: the key's identifier and the base64 DER ECDSA P-256 SHA-256 signature of the body. */
export const GITHUB_KEY_IDENTIFIER_HEADER = 'Github-Public-Key-Identifier';
export const GITHUB_KEY_SIGNATURE_HEADER = 'Github-Public-Key-Signature';
