import { STATUS_CODES } from 'node:http';
import { Agent, request, type Dispatcher } from 'undici';
import { ConfigError } from '../../errors.js';
import { decodeBase64Strict, readTextFile } from '../files.js';
import type { Authenticator, Credentials } from '../types.js';
import { abortable } from './abortable.js';
import { jwtExpiry } from './jwt.js';

// A token this close to its expiry counts as expired (client-go, after golang.org/x/oauth2).
const EXPIRY_DELTA_MS = 10_000;

/** Options of {@link OidcAuthenticator}. */
export interface OidcAuthenticatorOptions {
  /** Clock in epoch milliseconds, compared with the id-token's `exp`. */
  now?: () => number;
}

interface HttpAnswer {
  status: number;
  body: string;
}

function statusLine(status: number): string {
  return `${status} ${STATUS_CODES[status] ?? ''}`.trimEnd();
}

/**
 * The `oidc` auth-provider (`users[].user.auth-provider: {name: oidc, config: {…}}`). The
 * `id-token` is sent as a bearer token while its JWT `exp` is more than 10 s away. After that, or
 * after a 401 ({@link invalidate}), the `refresh-token` is exchanged at the token endpoint named by
 * the issuer's `/.well-known/openid-configuration` (refresh_token grant, client id and secret as
 * HTTP basic auth, then as form fields), trusting `idp-certificate-authority(-data)` when given.
 * Refreshed tokens are kept in memory only; the kubeconfig file is not rewritten. Concurrent
 * callers share one refresh.
 */
export class OidcAuthenticator implements Authenticator {
  readonly type = 'oidc';
  readonly #issuer: string;
  readonly #clientId: string;
  readonly #clientSecret: string;
  readonly #caFile: string | undefined;
  readonly #caData: string | undefined;
  readonly #now: () => number;
  #idToken: string | undefined;
  #refreshToken: string | undefined;
  #forceRefresh = false;
  #refreshing: Promise<string> | undefined;
  #dispatcher: Promise<Dispatcher | undefined> | undefined;

  constructor(config: Record<string, string>, options: OidcAuthenticatorOptions = {}) {
    const issuer = config['idp-issuer-url'];
    if (!issuer) throw new ConfigError('Must provide idp-issuer-url');
    const clientId = config['client-id'];
    if (!clientId) throw new ConfigError('Must provide client-id');
    this.#issuer = issuer;
    this.#clientId = clientId;
    this.#clientSecret = config['client-secret'] ?? '';
    this.#caFile = config['idp-certificate-authority'] || undefined;
    this.#caData = config['idp-certificate-authority-data'] || undefined;
    if (this.#caData) {
      try {
        decodeBase64Strict(this.#caData);
      } catch (err) {
        throw new ConfigError((err as Error).message, { cause: err });
      }
    }
    this.#idToken = config['id-token'] || undefined;
    this.#refreshToken = config['refresh-token'] || undefined;
    this.#now = options.now ?? Date.now;
  }

  async credentials(signal?: AbortSignal): Promise<Credentials> {
    const current = this.#idToken;
    if (current && !this.#forceRefresh) {
      let expiresAt: number;
      try {
        expiresAt = jwtExpiry(current);
      } catch (err) {
        throw new ConfigError((err as Error).message, { cause: err });
      }
      if (this.#now() + EXPIRY_DELTA_MS < expiresAt) return { authorization: `Bearer ${current}` };
    }
    this.#refreshing ??= this.#refresh().finally(() => {
      this.#refreshing = undefined;
    });
    return { authorization: `Bearer ${await abortable(this.#refreshing, signal)}` };
  }

  /** Forces a refresh on the next call; true when a refresh token exists to do it with. */
  invalidate(): boolean {
    if (!this.#refreshToken) return false;
    this.#forceRefresh = true;
    return true;
  }

  async #refresh(): Promise<string> {
    const refreshToken = this.#refreshToken;
    if (!refreshToken) throw new ConfigError('No valid id-token, and cannot refresh without refresh-token');
    const tokenUrl = await this.#tokenEndpoint();
    let answer: HttpAnswer;
    try {
      answer = await this.#exchange(tokenUrl, refreshToken);
    } catch (err) {
      throw new ConfigError(`failed to refresh token: ${(err as Error).message}`, { cause: err });
    }
    let token: Record<string, unknown>;
    try {
      token = JSON.parse(answer.body) as Record<string, unknown>;
    } catch (err) {
      throw new ConfigError(`failed to refresh token: oauth2: cannot parse json: ${(err as Error).message}`, { cause: err });
    }
    const idToken = token.id_token;
    if (typeof idToken !== 'string' || idToken === '') {
      throw new ConfigError(
        `token response did not contain an id_token, either the scope "openid" wasn't requested upon login, or the provider doesn't support id_tokens as part of the refresh response`,
      );
    }
    if (typeof token.refresh_token === 'string' && token.refresh_token !== '') this.#refreshToken = token.refresh_token;
    this.#idToken = idToken;
    this.#forceRefresh = false;
    return idToken;
  }

  async #tokenEndpoint(): Promise<string> {
    const wellKnown = `${this.#issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    let answer: HttpAnswer;
    try {
      answer = await this.#http(wellKnown, { method: 'GET' });
    } catch (err) {
      throw new ConfigError(`Get "${wellKnown}": ${(err as Error).message}`, { cause: err });
    }
    if (answer.status !== 200) {
      const body = answer.body.length > 80 ? `${answer.body.slice(0, 80)}...` : answer.body;
      throw new ConfigError(`oidc: failed to query metadata endpoint ${statusLine(answer.status)}: ${JSON.stringify(body)}`);
    }
    let metadata: unknown;
    try {
      metadata = JSON.parse(answer.body);
    } catch (err) {
      throw new ConfigError(`oidc: failed to decode provider discovery object: ${(err as Error).message}`, { cause: err });
    }
    const endpoint = typeof metadata === 'object' && metadata !== null && 'token_endpoint' in metadata ? metadata.token_endpoint : undefined;
    if (typeof endpoint !== 'string' || endpoint === '') throw new ConfigError(`oidc: discovery object doesn't contain a token_endpoint`);
    return endpoint;
  }

  // RFC 6749 lets the client authenticate with HTTP basic auth or form fields; like oauth2's
  // auto-detection, try the header first and fall back to the fields when the server refuses.
  async #exchange(tokenUrl: string, refreshToken: string): Promise<HttpAnswer> {
    const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken });
    const basic = Buffer.from(`${encodeURIComponent(this.#clientId)}:${encodeURIComponent(this.#clientSecret)}`).toString('base64');
    const headers = { 'content-type': 'application/x-www-form-urlencoded' };
    let answer = await this.#http(tokenUrl, { method: 'POST', headers: { ...headers, authorization: `Basic ${basic}` }, body: form.toString() });
    if (answer.status === 400 || answer.status === 401) {
      const withFields = new URLSearchParams(form);
      withFields.set('client_id', this.#clientId);
      if (this.#clientSecret) withFields.set('client_secret', this.#clientSecret);
      answer = await this.#http(tokenUrl, { method: 'POST', headers, body: withFields.toString() });
    }
    if (answer.status < 200 || answer.status > 299) {
      throw new Error(`oauth2: cannot fetch token: ${statusLine(answer.status)}\nResponse: ${answer.body}`);
    }
    return answer;
  }

  async #http(url: string, options: { method: 'GET' | 'POST'; headers?: Record<string, string>; body?: string }): Promise<HttpAnswer> {
    // A CA that cannot be read now may be readable on the next attempt: do not keep the failure.
    this.#dispatcher ??= this.#makeDispatcher().catch((err: unknown) => {
      this.#dispatcher = undefined;
      throw err;
    });
    const dispatcher = await this.#dispatcher;
    const response = await request(url, { ...options, ...(dispatcher ? { dispatcher } : {}) });
    return { status: response.statusCode, body: await response.body.text() };
  }

  async #makeDispatcher(): Promise<Dispatcher | undefined> {
    let ca: string | undefined;
    if (this.#caData) ca = decodeBase64Strict(this.#caData).toString('utf8');
    else if (this.#caFile) ca = await readTextFile(this.#caFile);
    return ca === undefined ? undefined : new Agent({ connect: { ca } });
  }
}

const sharedOidcAuthenticators = new Map<string, OidcAuthenticator>();

/**
 * The process-wide {@link OidcAuthenticator} for one (cluster server, issuer, client id), as
 * client-go keeps one per provider so that clients sharing a login share its refreshes.
 */
export function sharedOidcAuthenticator(server: string, config: Record<string, string>, options: OidcAuthenticatorOptions = {}): OidcAuthenticator {
  const key = JSON.stringify([server, config['idp-issuer-url'] ?? '', config['client-id'] ?? '']);
  let authenticator = sharedOidcAuthenticators.get(key);
  if (!authenticator) {
    authenticator = new OidcAuthenticator(config, options);
    sharedOidcAuthenticators.set(key, authenticator);
  }
  return authenticator;
}
