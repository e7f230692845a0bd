import { ConfigError } from '../../errors.js';
import { readTextFile } from '../files.js';
import type { Authenticator, Credentials } from '../types.js';

/** How long a token read from a file is used before the file is read again (client-go: one minute). */
export const TOKEN_FILE_REFRESH_MS = 60_000;

/** Options of {@link TokenFileAuthenticator}. */
export interface TokenFileOptions {
  /** `users[].user.token`: used only while the file has never been read successfully. */
  fallbackToken?: string;
  /** Clock in epoch milliseconds. */
  now?: () => number;
  /** Re-read period; default {@link TOKEN_FILE_REFRESH_MS}. */
  refreshMs?: number;
}

async function readToken(path: string): Promise<string> {
  const token = (await readTextFile(path)).trim();
  if (token === '') throw new Error(`read empty token from file "${path}"`);
  return token;
}

/**
 * A bearer token kept in a file (`tokenFile`, and the in-cluster service-account token), which
 * rotates on disk. The file is re-read about once a minute; when a read fails the last good value
 * is kept, and that value beats a static `token` (client-go's cached file token source). After a
 * 401, {@link invalidate} makes the next request read the file again.
 */
export class TokenFileAuthenticator implements Authenticator {
  readonly type = 'token-file';
  readonly path: string;
  readonly #fallback: string | undefined;
  readonly #now: () => number;
  readonly #refreshMs: number;
  #token: string | undefined;
  #readAt = Number.NEGATIVE_INFINITY;
  #reading: Promise<void> | undefined;
  #lastError: Error | undefined;

  constructor(path: string, options: TokenFileOptions = {}) {
    this.path = path;
    this.#fallback = options.fallbackToken || undefined;
    this.#now = options.now ?? Date.now;
    this.#refreshMs = options.refreshMs ?? TOKEN_FILE_REFRESH_MS;
  }

  /**
   * Creates the authenticator and reads the file once, as client-go does when it builds the
   * client: without a fallback token an unreadable file is a {@link ConfigError} right away.
   */
  static async create(path: string, options: TokenFileOptions = {}): Promise<TokenFileAuthenticator> {
    const authenticator = new TokenFileAuthenticator(path, options);
    await authenticator.#refresh();
    authenticator.#current();
    return authenticator;
  }

  async credentials(): Promise<Credentials> {
    if (this.#now() >= this.#readAt + this.#refreshMs) {
      this.#reading ??= this.#refresh().finally(() => {
        this.#reading = undefined;
      });
      await this.#reading;
    }
    return { authorization: `Bearer ${this.#current()}` };
  }

  invalidate(): boolean {
    this.#readAt = Number.NEGATIVE_INFINITY;
    return true;
  }

  #current(): string {
    const token = this.#token ?? this.#fallback;
    if (token === undefined) throw new ConfigError(this.#lastError?.message ?? `read empty token from file "${this.path}"`, { cause: this.#lastError });
    return token;
  }

  async #refresh(): Promise<void> {
    try {
      this.#token = await readToken(this.path);
      this.#readAt = this.#now();
      this.#lastError = undefined;
    } catch (err) {
      this.#lastError = err as Error;
      // Keep the last good token (or the fallback) and try the file again on the next request,
      // so a rotation that briefly leaves the file empty does not fail requests.
    }
  }
}
