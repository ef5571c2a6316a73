import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

interface SigningKey {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  jwk: JWK;
}

/**
 * A loopback OIDC issuer, as GitHub Actions or GitLab would be for an exchange: discovery at
 * `/.well-known/openid-configuration`, keys at `/jwks`, keys made here. The test decides which
 * keys are published, can stop the server (the issuer is down), and counts the fetches.
 */
export class TestIssuer {
  readonly fetches = { discovery: 0, jwks: 0 };
  private readonly keys: SigningKey[] = [];
  private published: string[] = [];

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async start(host = '127.0.0.1'): Promise<TestIssuer> {
    let issuer: TestIssuer | undefined;
    const server = http.createServer((req, res) => issuer!.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, host, resolve));
    const { port } = server.address() as AddressInfo;
    issuer = new TestIssuer(server, `http://${host}:${port}`);
    await issuer.addKey('RS256', { publish: true });
    await issuer.addKey('ES256', { publish: true });
    return issuer;
  }

  /** A new key; published unless told otherwise. Returns its kid. */
  async addKey(alg: 'RS256' | 'ES256', options: { publish: boolean }): Promise<string> {
    const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
    const kid = randomUUID();
    const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
    this.keys.push({ kid, alg, privateKey, publicKey, jwk });
    if (options.publish) this.published.push(kid);
    return kid;
  }

  /** Publishes exactly these keys (a rotation drops the old ones). */
  publish(kids: string[]): void {
    this.published = [...kids];
  }

  get kids(): string[] {
    return this.keys.map((k) => k.kid);
  }

  /** Signs claims with one of our keys (default: the first RSA key). */
  async sign(claims: JWTPayload, options: { kid?: string; alg?: 'RS256' | 'ES256' } = {}): Promise<string> {
    const key = this.keys.find((k) => (options.kid ? k.kid === options.kid : k.alg === (options.alg ?? 'RS256')))!;
    return new SignJWT(claims).setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' }).sign(key.privateKey);
  }

  /** The attack on libraries that let the token choose: HS256 keyed with our published RSA public key (PEM and JWK forms). */
  async signHmacWithPublicKey(claims: JWTPayload): Promise<string> {
    const key = this.keys.find((k) => k.alg === 'RS256')!;
    const pem = await exportSPKI(key.publicKey);
    return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: key.kid }).sign(new TextEncoder().encode(pem));
  }

  /** `alg: none`, no signature. */
  unsigned(claims: JWTPayload): string {
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    return `${part({ alg: 'none', typ: 'JWT', kid: this.keys[0].kid })}.${part(claims)}.`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const json = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/.well-known/openid-configuration') {
      this.fetches.discovery += 1;
      return json({ issuer: this.url, jwks_uri: `${this.url}/jwks`, id_token_signing_alg_values_supported: ['RS256', 'ES256'] });
    }
    if (req.url === '/jwks') {
      this.fetches.jwks += 1;
      return json({ keys: this.keys.filter((k) => this.published.includes(k.kid)).map((k) => k.jwk) });
    }
    res.writeHead(404).end();
  }
}
