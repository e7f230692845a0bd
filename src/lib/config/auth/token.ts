import type { Authenticator, Credentials } from '../types.js';

/** A static bearer token (`users[].user.token` or `--token`): `Authorization: Bearer <token>`. */
export class BearerTokenAuthenticator implements Authenticator {
  readonly type = 'token';
  readonly #authorization: string;

  constructor(token: string) {
    this.#authorization = `Bearer ${token}`;
  }

  async credentials(): Promise<Credentials> {
    return { authorization: this.#authorization };
  }

  invalidate(): boolean {
    return false;
  }
}
