import { generateApiToken } from '../api-tokens/token-codec';
import { credentialOf, parseAuthorization } from './credential';
import type { FastifyRequest } from 'fastify';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln';
const parse = (value: string | undefined, extra: string[] = []) =>
  parseAuthorization(value === undefined ? {} : { authorization: value }, [...(value === undefined ? [] : ['Authorization', value]), ...extra]);

describe('parseAuthorization', () => {
  const token = generateApiToken();

  it('no header, or an empty one: none', () => {
    expect(parse(undefined)).toEqual({ kind: 'none' });
    expect(parse('')).toEqual({ kind: 'none' });
    expect(parse(' \t ')).toEqual({ kind: 'none' });
  });

  it.each([
    ['Bearer ', 'one space'],
    ['Bearer  ', 'two spaces'],
    ['Bearer\t', 'a tab'],
    ['Bearer \t ', 'spaces and a tab'],
    [' \tBearer ', 'whitespace before the scheme'],
    ['bearer ', 'a lower-case scheme'],
    ['BEARER ', 'an upper-case scheme'],
  ])('a JWT and an API token after %j (%s) read the same', (prefix) => {
    expect(parse(`${prefix}${JWT}`)).toEqual({ kind: 'jwt', token: JWT });
    expect(parse(`${prefix}${token}`)).toEqual({ kind: 'api-token', token });
    expect(parse(`${prefix}${token} \t`)).toEqual({ kind: 'api-token', token });
  });

  it('the RealWorld "Token" scheme carries a JWT, never an API token', () => {
    expect(parse(`Token ${JWT}`)).toEqual({ kind: 'jwt', token: JWT });
    expect(parse(`token  ${JWT}`)).toEqual({ kind: 'jwt', token: JWT });
    expect(parse(`Token ${token}`)).toEqual({ kind: 'unsupported' });
  });

  it('a conduit_ string is an API token whether or not it is well-formed (the authenticator decides)', () => {
    expect(parse(`Bearer ${token.slice(0, -1)}`)).toEqual({ kind: 'api-token', token: token.slice(0, -1) });
    expect(parse('Bearer conduit_')).toEqual({ kind: 'api-token', token: 'conduit_' });
  });

  it('other schemes, a scheme alone, a credential alone: unsupported', () => {
    expect(parse(`Basic ${Buffer.from('a:b').toString('base64')}`)).toEqual({ kind: 'unsupported' });
    expect(parse(`Basic ${token}`)).toEqual({ kind: 'unsupported' });
    expect(parse('Bearer')).toEqual({ kind: 'unsupported' });
    expect(parse(token)).toEqual({ kind: 'unsupported' });
    expect(parse(JWT)).toEqual({ kind: 'unsupported' });
  });

  it('anything after the credential: malformed (400 invalid_request)', () => {
    for (const value of [`Bearer ${JWT} extra`, `Bearer ${token} ${token}`, `Bearer\t${token}\tx`, 'Bearer a b c']) {
      expect(parse(value)).toEqual({ kind: 'malformed', problem: 'must be "Bearer <token>" with nothing after the token' });
    }
  });

  it('the header sent twice, whatever the names\' case: malformed', () => {
    const twice = { kind: 'malformed', problem: 'must be sent once (the request has several Authorization headers)' };
    expect(parse(`Bearer ${JWT}`, ['authorization', `Bearer ${token}`])).toEqual(twice);
    expect(parse(`Bearer ${token}`, ['AUTHORIZATION', 'garbage'])).toEqual(twice);
    expect(parse(`Bearer ${token}`, ['X-Authorization', 'x', 'Host', 'h'])).toEqual({ kind: 'api-token', token });
  });
});

describe('credentialOf', () => {
  it('parses the header once per request and keeps the result on it', () => {
    const request = { headers: { authorization: `Bearer ${JWT}` }, raw: { rawHeaders: ['Authorization', `Bearer ${JWT}`] } } as unknown as FastifyRequest;
    const first = credentialOf(request);
    expect(first).toEqual({ kind: 'jwt', token: JWT });
    request.headers.authorization = 'Basic x';
    expect(credentialOf(request)).toBe(first);
  });
});
