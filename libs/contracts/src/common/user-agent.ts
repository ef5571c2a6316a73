import Bowser from 'bowser';

/** Clients that are not browsers, by the product name that starts their User-Agent. */
const TOOLS: Record<string, string> = {
  curl: 'curl',
  wget: 'Wget',
  'python-requests': 'Python (requests)',
  'python-urllib': 'Python (urllib)',
  'python-httpx': 'Python (httpx)',
  aiohttp: 'Python (aiohttp)',
  'go-http-client': 'Go',
  node: 'Node.js',
  'node-fetch': 'Node.js',
  undici: 'Node.js',
  axios: 'Node.js (axios)',
  postmanruntime: 'Postman',
  insomnia: 'Insomnia',
  okhttp: 'OkHttp',
  'apache-httpclient': 'Java (Apache HttpClient)',
  java: 'Java',
  ruby: 'Ruby',
  faraday: 'Ruby (Faraday)',
  httpie: 'HTTPie',
  'github-actions': 'GitHub Actions',
  'gitlab-runner': 'GitLab Runner',
};

/** A version as tools write it ("8.5.0", "v1.2"): nothing else is repeated from what a client sent. */
const VERSION = /^v?\d+(?:\.\d+)*$/;

/**
 * A client recognised from its User-Agent, in words of our own: "Chrome on Linux", "Safari on
 * iOS", "curl 8.5.0", "Python (requests)"; null when it is neither a browser nor a known tool.
 * Nothing the client wrote is repeated but a numeric version, so the result is safe to put in a
 * notification or an email (a User-Agent is chosen by whoever sends the request).
 */
export function describeClient(userAgent: string | null | undefined): string | null {
  const ua = (userAgent ?? '').trim();
  if (ua === '') return null;
  // Browsers all start with "Mozilla/" (or "Opera/"); a tool or library starts with its own name.
  if (/^(Mozilla|Opera)\//.test(ua)) {
    const parsed = Bowser.parse(ua);
    if (parsed.browser.name) return `${parsed.browser.name}${parsed.os.name ? ` on ${parsed.os.name}` : ''}`;
    return null;
  }
  const product = /^([A-Za-z][\w.+-]*)(?:\/([\w.]+))?/.exec(ua);
  const known = product ? TOOLS[product[1].toLowerCase()] : undefined;
  if (!product || known === undefined) return null;
  // A version helps tell two machines apart (not after a library's name in parentheses).
  const version = product[2];
  return version && VERSION.test(version) && !known.includes('(') ? `${known} ${version}` : known;
}

/**
 * A User-Agent in a few words, for the account's owner reading their own log: what
 * describeClient() recognises, else the client's first product name (at most 40 characters).
 * The full string stays available to show on demand.
 */
export function describeUserAgent(userAgent: string): string {
  const ua = userAgent.trim();
  if (ua === '') return 'Unknown client';
  const known = describeClient(ua);
  if (known !== null) return known;
  const product = /^([A-Za-z][\w.+-]*)(?:\/(v?[\w.]+))?/.exec(ua);
  if (!product) return ua.length > 40 ? `${ua.slice(0, 39)}…` : ua;
  const [, name, version] = product;
  const label = name.length > 40 ? `${name.slice(0, 39)}…` : name;
  return version ? `${label} ${version}` : label;
}
