/** `localhost`, 127.0.0.0/8 and ::1: reachable over plain http (tests, local issuers); nothing else is. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Why a URL cannot be an issuer's (or its key set's): https, or http on a loopback host; no query, fragment or credentials. Null when fit. */
export function issuerUrlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${value} is not a URL`;
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    return `${value} must use https:// (http:// only for loopback hosts: 127.0.0.0/8, ::1, localhost)`;
  }
  if (url.search || url.hash || url.username || url.password) return `${value} must have no query, fragment or credentials`;
  return null;
}
