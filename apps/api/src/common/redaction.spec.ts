import { randomInt } from 'node:crypto';
import { LOGGED_HEADERS, loggableHeaders, redactSecrets } from './redaction';

/** A string of the API-token shape (conduit_ and 49 base62 characters): redaction goes by the shape. */
const tokenShaped = () =>
  `conduit_${Array.from({ length: 49 }, () => '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'[randomInt(62)]).join('')}`;


const token = tokenShaped();
const jwt = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
const password = 'correct horse battery staple';
const encodedPassword = encodeURIComponent(password);

describe('redactSecrets', () => {
  it('leaves ordinary URLs and text as they are', () => {
    for (const text of [
      '/api/articles?tag=x&limit=5',
      '/api/articles/how-to-train-your-dragon-a1b2c3',
      '/api/articles?author=jake&favorited=anna&offset=20',
      '/api/profiles/conduit_fan',
      '/api/articles/conduit-tokens-explained',
      '/api/articles?monkey=1&keyboard=2&tokenizer=3&passage=4',
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
      'https://conduit.example/editor?draft=1',
      'database connection lost: 57P01 terminating connection due to administrator command',
      '',
    ]) {
      expect(redactSecrets(text)).toBe(text);
    }
  });

  it('redacts an API token wherever it is: query, path, header text, a message, encoded, truncated', () => {
    expect(redactSecrets(`/api/articles/${token}`)).toBe('/api/articles/conduit_[REDACTED]');
    expect(redactSecrets(`/api/user?foo=${token}`)).toBe('/api/user?foo=conduit_[REDACTED]');
    expect(redactSecrets(`curl/8.5.0 ${token}`)).toBe('curl/8.5.0 conduit_[REDACTED]');
    expect(redactSecrets(`could not do it with ${token}: no`)).toBe('could not do it with conduit_[REDACTED]: no');
    expect(redactSecrets(`/x/${token.replace('_', '%5F')}/y`)).toBe('/x/conduit_[REDACTED]/y');
    expect(redactSecrets(`/x/${token.slice(0, 25)}`)).toBe('/x/conduit_[REDACTED]');
    expect(redactSecrets(`/x/${token.toUpperCase()}`)).toBe('/x/conduit_[REDACTED]');
  });

  it('redacts a JWT wherever it is, truncated or behind an encoded space', () => {
    expect(redactSecrets(`/api/articles/${jwt}/comments`)).toBe('/api/articles/[REDACTED]/comments');
    expect(redactSecrets(`Bearer%20${jwt}`)).toBe('Bearer%20[REDACTED]');
    expect(redactSecrets(`https://evil.example/#${jwt}`)).toBe('https://evil.example/#[REDACTED]');
    expect(redactSecrets(`x ${jwt.split('.').slice(0, 2).join('.')}.`)).toBe('x [REDACTED]');
    // eyJ alone is no JWT: a word that happens to start so is kept.
    expect(redactSecrets('/api/articles/eyJust-a-slug')).toBe('/api/articles/eyJust-a-slug');
  });

  it.each([
    'token', 'TOKEN', 'access_token', 'Access_Token', 'access-token', 'accessToken', 'refresh_token', 'id_token',
    'apiToken', 'api_token', 'api_key', 'api-key', 'apikey', 'API_KEY', 'apiKey', 'x-api-key', 'key', 'Key',
    'secret', 'client_secret', 'clientSecret', 'password', 'Password', 'new_password', 'passwd', 'pwd', 'jwt', 'JWT',
    'auth', 'authorization', 'session', 'session_id', 'sessionId', 'signature', 'sig', 'code', 'conduit_refresh',
    'credentials', 'private_key', 'aws_secret_access_key',
  ])('redacts the value of ?%s= (and its percent-encoded name) in a query, a fragment and a path parameter', (name) => {
    const encodedName = name.replace(/_/g, '%5F').replace(/-/g, '%2D').replace(/^./, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    expect(redactSecrets(`/api/user?${name}=s3cret-value`)).toBe(`/api/user?${name}=[REDACTED]`);
    expect(redactSecrets(`/api/user?limit=1&${name}=s3cret-value&tag=x`)).toBe(`/api/user?limit=1&${name}=[REDACTED]&tag=x`);
    expect(redactSecrets(`/api/user?${encodedName}=s3cret-value`)).toBe(`/api/user?${encodedName}=[REDACTED]`);
    expect(redactSecrets(`/callback#${name}=s3cret-value&state=1`)).toBe(`/callback#${name}=[REDACTED]&state=1`);
    expect(redactSecrets(`/api/user;${name}=s3cret-value/articles?tag=x`)).toBe(`/api/user;${name}=[REDACTED]/articles?tag=x`);
    expect(redactSecrets(`/api/user;${name}=s3cret-value;v=1`)).toBe(`/api/user;${name}=[REDACTED];v=1`);
  });

  it('redacts a password in ?password= whole, however it is encoded', () => {
    expect(redactSecrets(`/api/users/login?password=${encodedPassword}`)).toBe('/api/users/login?password=[REDACTED]');
    expect(redactSecrets(`/api/users/login?password=${password.replace(/ /g, '+')}&x=1`)).toBe('/api/users/login?password=[REDACTED]&x=1');
    expect(redactSecrets('/login?password=a/b;c?d#e')).toBe('/login?password=[REDACTED]#e');
    expect(redactSecrets(`/api/users/login?jwt=${jwt}`)).toBe('/api/users/login?jwt=[REDACTED]');
  });

  it('finds a secret parameter inside another parameter, plain or percent-encoded', () => {
    expect(redactSecrets('/x?next=/a?token=abc&y=2')).toBe('/x?next=/a?token=[REDACTED]&y=2');
    expect(redactSecrets('/x?next=%2Fcallback%3Ftoken%3Dabc%26y%3D2&z=1')).toBe('/x?next=%2Fcallback%3Ftoken%3D[REDACTED]%26y%3D2&z=1');
    expect(redactSecrets('https://app.example/cb?state=1&api_key=zzz')).toBe('https://app.example/cb?state=1&api_key=[REDACTED]');
  });

  it('redacts secrets in free text: a Cookie-like string, a User-Agent, a log message', () => {
    expect(redactSecrets('conduit_refresh=AbCdEf-123_x; theme=dark')).toBe('conduit_refresh=[REDACTED]; theme=dark');
    expect(redactSecrets('my-client/1.0 apikey=zzz (linux)')).toBe('my-client/1.0 apikey=[REDACTED] (linux)');
    expect(redactSecrets('fetch failed for https://idp.example/keys?client_secret=xyz: ECONNREFUSED')).toBe(
      'fetch failed for https://idp.example/keys?client_secret=[REDACTED] ECONNREFUSED',
    );
  });

  it('redacts the password of a URL\'s userinfo and a quoted Authorization header', () => {
    expect(redactSecrets('https://alice:hunter2pw@app.example/settings')).toBe('https://alice:[REDACTED]@app.example/settings');
    expect(redactSecrets('smtp://mailer:s3cret@smtp.example:587 refused')).toBe('smtp://mailer:[REDACTED]@smtp.example:587 refused');
    expect(redactSecrets('headers: {"authorization":"Basic YWxpY2U6aHVudGVyMg=="}')).toBe('headers: {"authorization":"Basic [REDACTED]"}');
    expect(redactSecrets('Authorization: Bearer some-opaque-token-123')).toBe('Authorization: Bearer [REDACTED]');
    expect(redactSecrets('/x?h=Bearer%20opaque-token-123')).toBe('/x?h=Bearer%20[REDACTED]');
    // Without a password, and ordinary words, nothing changes.
    expect(redactSecrets('mailto:alice@example.com, https://app.example/@alice')).toBe('mailto:alice@example.com, https://app.example/@alice');
    expect(redactSecrets('/api/articles/basic-cooking-for-bearers')).toBe('/api/articles/basic-cooking-for-bearers');
    expect(redactSecrets('basic settings changed; Basic Authentication Client/1.0')).toBe('basic settings changed; Basic Authentication Client/1.0');
  });

  it('keeps a bare name without a value, and parameters that only end like a secret word', () => {
    expect(redactSecrets('/api/user?token')).toBe('/api/user?token');
    expect(redactSecrets('/api/articles?keyword=x&monkey=y&passage=z')).toBe('/api/articles?keyword=x&monkey=y&passage=z');
  });

  it('stays linear on hostile input', () => {
    // Would take seconds with a backtracking pattern; the assertion is on the result, not the time.
    const hostile = `/${'a'.repeat(20000)}&=${'eyJ'.repeat(5000)}?${'conduit_'.repeat(2000)}${'x%3D'.repeat(5000)}`;
    expect(redactSecrets(hostile)).toBe(hostile);
    const userinfo = `${'a'.repeat(20000)}://${'b'.repeat(20000)}:${'c'.repeat(20000)} @ ${'bearer '.repeat(2000)}`;
    expect(redactSecrets(userinfo)).toBe(userinfo);
    const manyNames = `?${'a'.repeat(5000)}${'x='.repeat(5000)}`;
    expect(redactSecrets(manyNames)).toBe(manyNames);
  });
});

describe('loggableHeaders', () => {
  it('keeps only the allowlisted headers, each redacted by value', () => {
    const logged = loggableHeaders({
      host: 'api.example',
      'user-agent': `curl/8.5.0 ${token}`,
      referer: `https://app.example/settings?access_token=${token}&tab=1`,
      accept: 'application/json',
      authorization: `Bearer ${token}`,
      'proxy-authorization': 'Basic cHJveHk6aHVudGVyMg==',
      cookie: 'conduit_refresh=abc',
      'x-api-key': token,
      'x-secret-thing': 'hunter2',
      'x-forwarded-for': ['10.0.0.1', '10.0.0.2'],
    });
    expect(logged).toEqual({
      host: 'api.example',
      'user-agent': 'curl/8.5.0 conduit_[REDACTED]',
      referer: 'https://app.example/settings?access_token=[REDACTED]&tab=1',
      accept: 'application/json',
      'x-forwarded-for': ['10.0.0.1', '10.0.0.2'],
    });
    for (const name of ['authorization', 'proxy-authorization', 'cookie', 'x-api-key', 'set-cookie']) {
      expect(LOGGED_HEADERS).not.toContain(name);
    }
  });
});
