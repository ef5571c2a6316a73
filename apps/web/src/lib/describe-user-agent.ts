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
  'ruby': 'Ruby',
  faraday: 'Ruby (Faraday)',
  httpie: 'HTTPie',
  'github-actions': 'GitHub Actions',
  'gitlab-runner': 'GitLab Runner',
};

/**
 * A User-Agent in a few words, for a person: "Chrome on Linux", "Safari on iOS", "curl 8.5.0".
 * Browsers are recognised by bowser; command-line tools and libraries by their product name;
 * anything else is its first product name. The full string stays available to show on demand.
 */
export function describeUserAgent(userAgent: string): string {
  const ua = userAgent.trim();
  if (ua === '') return 'Unknown client';
  // Browsers all start with "Mozilla/" (or "Opera/"); a tool or library starts with its own name.
  const parsed = /^(Mozilla|Opera)\//.test(ua) ? Bowser.parse(ua) : null;
  if (parsed?.browser.name) {
    const os = parsed.os.name ? ` on ${parsed.os.name}` : '';
    return `${parsed.browser.name}${os}`;
  }
  const product = /^([A-Za-z][\w.+-]*)(?:\/(v?[\w.]+))?/.exec(ua);
  if (!product) return ua.length > 40 ? `${ua.slice(0, 39)}…` : ua;
  const [, name, version] = product;
  const known = TOOLS[name.toLowerCase()];
  const label = known ?? (name.length > 40 ? `${name.slice(0, 39)}…` : name);
  // A version helps tell two machines apart.
  return version && (known === undefined || !known.includes('(')) ? `${label} ${version}` : label;
}
