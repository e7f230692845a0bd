import type { Authenticator, Credentials } from '../types.js';

/** HTTP basic auth (`username`/`password`): `Authorization: Basic base64(user:password)`. */
export class BasicAuthenticator implements Authenticator {
  readonly type = 'basic';
  readonly #authorization: string;

  constructor(username: string, password: string) {
    this.#authorization = `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
  }

  async credentials(): Promise<Credentials> {
    return { authorization: this.#authorization };
  }

  invalidate(): boolean {
    return false;
  }
}
