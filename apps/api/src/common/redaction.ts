/**
 * Redaction by value: whatever a string is (a URL, a header, a log message, a stack trace), the
 * credentials it carries are replaced before it reaches a log. What is recognised:
 *
 * - API tokens: `conduit_` followed by 12 or more token characters (a whole token has 49; a
 *   truncated or mistyped one is redacted too), the underscore percent-encoded or not, any case;
 * - JWTs (session tokens, OIDC ID tokens): `eyJ…` base64url segments joined by dots;
 * - the value of every parameter whose name says it is a secret (`?api_key=`, `&Password=`,
 *   `;access_token=`, `conduit_refresh=` in a Cookie header, `x-api-key=` …): the name is compared
 *   percent-decoded, without case, `-`, `_` or `.`, so `apiToken`, `API-KEY` and `api%5Fkey` are
 *   one name. A query value is redacted up to the next `&` or `#`; a path (matrix) parameter's up
 *   to the next `;`, `/` or `?` too;
 * - the password in a URL's userinfo (`https://user:password@host`) and the credential after
 *   `Bearer` or `Basic` in quoted Authorization headers.
 *
 * It runs on every request line, so a string with none of `=`, `conduit`, `eyJ`, `://…@`,
 * `bearer`, `basic` is returned as it is after one scan, and every pattern is linear in the
 * length of the text, whatever a client puts in a URL.
 */
export const SECRET_REDACTED = '[REDACTED]';

/** Parameter names (normalised: lower case, no `-`, `_`, `.`) whose value is a credential. */
const SECRET_NAMES = new Set([
  'token',
  'key',
  'auth',
  'authorization',
  'bearer',
  'session',
  'sessionid',
  'sid',
  'sig',
  'signature',
  'code',
  'pwd',
  'pass',
  'passwd',
  'password',
  'passphrase',
  'secret',
  'jwt',
  'otp',
  'credential',
  'credentials',
  'conduitrefresh',
  'refresh',
  'cookie',
]);

/** …and names ending like these (`access_token`, `apiToken`, `client_secret`, `new_password`, `x-api-key`). */
const SECRET_SUFFIX = /(?:token|secret|password|passwd|apikey|accesskey|secretkey|privatekey|signature|sessionid|jwt|credentials?)$/;

const API_TOKEN = /conduit(?:_|%5f)[0-9a-z]{12,}/gi;
/**
 * Where a value ends: in a query (after `?`, `&`, in free text; `; ` ends a cookie) and in a path
 * parameter (after `;`). A value is cut generously: better a few characters too many redacted.
 */
const QUERY_VALUE_END = /[&#\s"'<>]|;(?=\s)|%26|%23/gi;
const MATRIX_VALUE_END = /[;/?&#\s"'<>]|%26|%23|%3b|%2f|%3f/gi;

/** `scheme://user:password@`: the password of a URL's userinfo. */
const USERINFO = /(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*:\/\/[^/\s:@]*):([^/\s@]*)@/gi;
/**
 * An Authorization header's value quoted in text: `Bearer …`, `Basic …` (space, `%20` or `+` after
 * the scheme), a credential being 8 or more token68 characters with a digit or one of `_+/=` among
 * them, so that "basic settings" stays as it is.
 */
const AUTH_SCHEME = /\b(bearer|basic)(\s+|%20|\+)(?=[A-Za-z.~-]*[0-9_+/=])[A-Za-z0-9._~+/=-]{8,}/gi;

/** One scan that rules out nearly every string: nothing below can match without one of these. */
const MAY_HOLD_SECRET = /=|%3d|conduit|eyJ|:\/\/|bearer|basic/i;

export function redactSecrets(text: string): string {
  if (!MAY_HOLD_SECRET.test(text)) return text;
  const params = text.includes('=') || /%3d/i.test(text);
  const token = /conduit/i.test(text);
  const jwt = text.includes('eyJ');
  const userinfo = text.includes('@') && text.includes('://');
  const scheme = /bearer|basic/i.test(text);
  let out = text;
  if (userinfo) out = out.replace(USERINFO, `$1:${SECRET_REDACTED}@`);
  if (scheme) out = out.replace(AUTH_SCHEME, `$1$2${SECRET_REDACTED}`);
  if (params) out = redactParams(out);
  if (token) out = out.replace(API_TOKEN, `conduit_${SECRET_REDACTED}`);
  if (jwt) out = redactJwts(out);
  return out;
}

/** `=`, or `%3D` (a parameter inside an encoded URL). */
const EQUALS = /=|%3d/gi;

/**
 * Each `=` is found, then the name before it read backwards (characters of a name and
 * percent-encodings): every character of the text is looked at a bounded number of times, so the
 * cost stays linear whatever a client puts in a URL.
 */
function redactParams(text: string): string {
  let out = '';
  let copied = 0;
  let scanned = 0; // names are read back no further than the previous `=`: no character twice
  EQUALS.lastIndex = 0;
  for (let m = EQUALS.exec(text); m !== null; m = EQUALS.exec(text)) {
    let nameStart = m.index;
    while (nameStart > scanned && isNameChar(text.charCodeAt(nameStart - 1))) nameStart--;
    scanned = m.index + m[0].length;
    if (nameStart === m.index || !isSecretName(text.slice(nameStart, m.index))) continue;
    const valueStart = m.index + m[0].length;
    const matrix = text[nameStart - 1] === ';' || /^%3b$/i.test(text.slice(nameStart - 3, nameStart));
    const endPattern = matrix ? MATRIX_VALUE_END : QUERY_VALUE_END;
    endPattern.lastIndex = valueStart;
    const end = endPattern.exec(text);
    const valueEnd = end ? end.index : text.length;
    out += text.slice(copied, valueStart) + SECRET_REDACTED;
    copied = scanned = valueEnd;
    EQUALS.lastIndex = valueEnd;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** 0-9 A-Z a-z _ . - and % (names may be percent-encoded). */
const isNameChar = (c: number) =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46 || c === 45 || c === 37;

const isBase64Url = (c: number) =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 /* - */ || c === 95; /* _ */

/**
 * JWTs: `eyJ` and at least 8 more base64url characters, then one or two `.`-separated segments
 * (a truncated token too). Scanned by hand, each character once, rather than by a backtracking
 * regular expression.
 */
function redactJwts(text: string): string {
  let out = '';
  let copied = 0;
  let i = text.indexOf('eyJ');
  while (i !== -1) {
    let j = i;
    while (j < text.length && isBase64Url(text.charCodeAt(j))) j++;
    if (j - i >= 11 && text[j] === '.') {
      for (let segment = 0; segment < 2 && text[j] === '.'; segment++) {
        j++;
        while (j < text.length && isBase64Url(text.charCodeAt(j))) j++;
      }
      out += text.slice(copied, i) + SECRET_REDACTED;
      copied = j;
    }
    i = text.indexOf('eyJ', j);
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** `api_key`, `API-Key`, `apiKey`, `api%5Fkey`, `%3Fapi_key` (an encoded URL in a parameter) are all `apikey`. */
function isSecretName(rawName: string): boolean {
  let name = rawName;
  if (name.includes('%')) {
    try {
      name = decodeURIComponent(name);
    } catch {
      name = name.replace(/%[0-9a-f]{2}/gi, '');
    }
    // An encoded URL inside a value: only the last name counts (`%2Fcallback%3Ftoken` is `token`).
    name = name.slice(Math.max(name.lastIndexOf('?'), name.lastIndexOf('&'), name.lastIndexOf(';'), name.lastIndexOf('/'), name.lastIndexOf('=')) + 1);
  }
  name = name.toLowerCase();
  if (SECRET_NAMES.has(name)) return true;
  if (name.includes('-') || name.includes('_') || name.includes('.')) name = name.replace(/[-_.]/g, '');
  return SECRET_NAMES.has(name) || SECRET_SUFFIX.test(name);
}

/** Request headers written to the request log; any other header (Authorization, Cookie, X-Api-Key, …) is not. */
export const LOGGED_HEADERS = [
  'host',
  'user-agent',
  'content-type',
  'content-length',
  'accept',
  'accept-encoding',
  'accept-language',
  'origin',
  'referer',
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-forwarded-host',
  'x-real-ip',
  'x-request-id',
] as const;

/** The allowlisted headers of a request, each value redacted by value (a token in User-Agent or Referer). */
export function loggableHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const name of LOGGED_HEADERS) {
    const value = headers[name];
    if (value === undefined) continue;
    out[name] = Array.isArray(value) ? value.map(redactSecrets) : redactSecrets(value);
  }
  return out;
}
