import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/lib/errors.js';
import { Config, Kubeconfig, OidcAuthenticator } from '../../../src/lib/config/index.js';
import { b64, isolatedEnvironment, issueCertificate, tempDir } from './helpers.js';

const NOW = Date.parse('2030-06-01T12:00:00Z');

/** An unsigned JWT whose `exp` is `expSeconds` (the apiserver verifies signatures, the client does not). */
function jwt(expSeconds: number, subject = 'alice'): string {
  const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256' })}.${part({ sub: subject, exp: expSeconds })}.c2lnbmF0dXJl`;
}

interface SeenRequest {
  method: string;
  url: string;
  authorization: string | undefined;
  form: URLSearchParams;
}

type TokenHandler = (request: SeenRequest) => { status: number; body: unknown };

/** A stand-in OpenID provider: discovery document plus token endpoint, recording every request. */
class FakeIdp {
  readonly requests: SeenRequest[] = [];
  issuer = '';
  discoveryStatus = 200;
  onToken: TokenHandler = () => ({ status: 200, body: { id_token: jwt(NOW / 1000 + 3600, 'refreshed'), refresh_token: 'rt-2', token_type: 'Bearer' } });

  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const seen: SeenRequest = { method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, form: new URLSearchParams(Buffer.concat(chunks).toString()) };
      this.requests.push(seen);
      let answer: { status: number; body: unknown };
      if (seen.url === '/.well-known/openid-configuration') {
        answer = this.discoveryStatus === 200 ? { status: 200, body: { issuer: this.issuer, token_endpoint: `${this.issuer}/token` } } : { status: this.discoveryStatus, body: 'nope' };
      } else if (seen.url === '/token' && seen.method === 'POST') {
        answer = this.onToken(seen);
      } else {
        answer = { status: 404, body: 'unknown' };
      }
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
    });
  };

  tokenRequests(): SeenRequest[] {
    return this.requests.filter((r) => r.url === '/token');
  }
}

const servers: Array<{ close(): void; closeAllConnections(): void }> = [];
afterEach(() => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

async function listen(server: ReturnType<typeof createHttpServer> | ReturnType<typeof createHttpsServer>): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function startIdp(): Promise<FakeIdp> {
  const idp = new FakeIdp();
  const port = await listen(createHttpServer(idp.handle));
  idp.issuer = `http://127.0.0.1:${port}`;
  return idp;
}

function authenticator(idp: FakeIdp, config: Record<string, string>): OidcAuthenticator {
  return new OidcAuthenticator({ 'idp-issuer-url': idp.issuer, 'client-id': 'ktx', 'client-secret': 's3cret', ...config }, { now: () => NOW });
}

describe('oidc auth-provider', () => {
  it('uses a valid id-token without contacting the provider', async () => {
    const idp = await startIdp();
    const idToken = jwt(NOW / 1000 + 600);
    const auth = authenticator(idp, { 'id-token': idToken, 'refresh-token': 'rt-1' });
    expect(await auth.credentials()).toEqual({ authorization: `Bearer ${idToken}` });
    expect(idp.requests).toEqual([]);
  });

  it('refreshes an expired (or nearly expired) id-token through discovery and the refresh_token grant', async () => {
    for (const exp of [NOW / 1000 - 1, NOW / 1000 + 5]) {
      const idp = await startIdp();
      const auth = authenticator(idp, { 'id-token': jwt(exp), 'refresh-token': 'rt-1' });
      const credentials = await auth.credentials();
      expect(credentials).toEqual({ authorization: `Bearer ${jwt(NOW / 1000 + 3600, 'refreshed')}` });
      expect(idp.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /.well-known/openid-configuration', 'POST /token']);
      const [token] = idp.tokenRequests();
      expect(token?.authorization).toBe(`Basic ${b64('ktx:s3cret')}`);
      expect(Object.fromEntries(token?.form ?? [])).toEqual({ grant_type: 'refresh_token', refresh_token: 'rt-1' });
      // The refreshed token is kept in memory and reused.
      expect(await auth.credentials()).toEqual(credentials);
      expect(idp.tokenRequests()).toHaveLength(1);
    }
  });

  it('invalidate() forces a refresh with the rotated refresh token', async () => {
    const idp = await startIdp();
    const auth = authenticator(idp, { 'id-token': jwt(NOW / 1000 + 600), 'refresh-token': 'rt-1' });
    await auth.credentials();
    expect(auth.invalidate()).toBe(true);
    await auth.credentials();
    idp.onToken = () => ({ status: 200, body: { id_token: jwt(NOW / 1000 + 7200, 'third') } });
    expect(auth.invalidate()).toBe(true);
    expect(await auth.credentials()).toEqual({ authorization: `Bearer ${jwt(NOW / 1000 + 7200, 'third')}` });
    expect(idp.tokenRequests().map((r) => r.form.get('refresh_token'))).toEqual(['rt-1', 'rt-2']);
  });

  it('concurrent callers share one refresh', async () => {
    const idp = await startIdp();
    const auth = authenticator(idp, { 'refresh-token': 'rt-1' });
    const results = await Promise.all(Array.from({ length: 5 }, () => auth.credentials()));
    expect(new Set(results.map((r) => r.authorization)).size).toBe(1);
    expect(idp.tokenRequests()).toHaveLength(1);
  });

  it('falls back to client credentials in the form when basic auth is refused', async () => {
    const idp = await startIdp();
    idp.onToken = (request) =>
      request.authorization ? { status: 401, body: { error: 'invalid_client' } } : { status: 200, body: { id_token: jwt(NOW / 1000 + 60) } };
    const auth = authenticator(idp, { 'refresh-token': 'rt-1' });
    expect(await auth.credentials()).toEqual({ authorization: `Bearer ${jwt(NOW / 1000 + 60)}` });
    const [, second] = idp.tokenRequests();
    expect(Object.fromEntries(second?.form ?? [])).toEqual({ grant_type: 'refresh_token', refresh_token: 'rt-1', client_id: 'ktx', client_secret: 's3cret' });
  });

  it('reports the provider failures with client-go messages', async () => {
    const idp = await startIdp();
    const expired = { 'id-token': jwt(NOW / 1000 - 60) };
    const noRefresh = authenticator(idp, expired);
    await expect(noRefresh.credentials()).rejects.toThrow(new ConfigError('No valid id-token, and cannot refresh without refresh-token'));
    expect(noRefresh.invalidate()).toBe(false);

    idp.onToken = () => ({ status: 200, body: { access_token: 'only-access' } });
    await expect(authenticator(idp, { ...expired, 'refresh-token': 'rt' }).credentials()).rejects.toThrow(/^token response did not contain an id_token/);

    idp.onToken = () => ({ status: 400, body: { error: 'invalid_grant' } });
    await expect(authenticator(idp, { ...expired, 'refresh-token': 'rt' }).credentials()).rejects.toThrow(
      'failed to refresh token: oauth2: cannot fetch token: 400 Bad Request\nResponse: {"error":"invalid_grant"}',
    );

    idp.discoveryStatus = 404;
    await expect(authenticator(idp, { ...expired, 'refresh-token': 'rt' }).credentials()).rejects.toThrow(
      'oidc: failed to query metadata endpoint 404 Not Found: "nope"',
    );

    await expect(authenticator(idp, { 'id-token': 'not-a-jwt' }).credentials()).rejects.toThrow('ID Token is not a valid JWT');
    expect(() => new OidcAuthenticator({ 'client-id': 'x' })).toThrow('Must provide idp-issuer-url');
    expect(() => new OidcAuthenticator({ 'idp-issuer-url': idp.issuer })).toThrow('Must provide client-id');
  });

  it('trusts idp-certificate-authority-data for an https issuer', async () => {
    const dir = await tempDir();
    const pair = await issueCertificate(dir, 'idp');
    const idp = new FakeIdp();
    const port = await listen(createHttpsServer({ cert: pair.cert, key: pair.key }, idp.handle));
    idp.issuer = `https://127.0.0.1:${port}`;
    const auth = authenticator(idp, { 'refresh-token': 'rt-1', 'idp-certificate-authority-data': b64(pair.cert) });
    expect(await auth.credentials()).toEqual({ authorization: `Bearer ${jwt(NOW / 1000 + 3600, 'refreshed')}` });
    // Without the CA the same issuer is not trusted.
    const untrusted = authenticator(idp, { 'refresh-token': 'rt-1' });
    await expect(untrusted.credentials()).rejects.toBeInstanceOf(ConfigError);
  });

  it('is what a kubeconfig auth-provider: oidc resolves to', async () => {
    const idp = await startIdp();
    const dir = await tempDir();
    const kc = Kubeconfig.fromYaml(
      `current-context: c\nclusters:\n- name: c\n  cluster: {server: "https://oidc-cluster.example.test"}\nusers:\n- name: u\n  user:\n    auth-provider:\n      name: oidc\n      config:\n        idp-issuer-url: ${idp.issuer}\n        client-id: ktx\n        refresh-token: rt-1\ncontexts:\n- name: c\n  context: {cluster: c, user: u}\n`,
    );
    const config = await Config.fromKubeconfig(kc, {}, isolatedEnvironment(dir, {}, { now: () => NOW }));
    expect(config.auth.type).toBe('oidc');
    expect(await config.auth.credentials()).toEqual({ authorization: `Bearer ${jwt(NOW / 1000 + 3600, 'refreshed')}` });
    expect(idp.tokenRequests()[0]?.authorization).toBe(`Basic ${b64('ktx:')}`);
  });
});
