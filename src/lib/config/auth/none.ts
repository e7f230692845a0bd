import type { Authenticator, Credentials } from '../types.js';

/**
 * No credentials: the user has none configured, or the server is plain `http://`, to which kubectl
 * never sends any (not even a static token, and no exec plugin is run).
 */
export class NoAuthenticator implements Authenticator {
  readonly type = 'none';

  async credentials(): Promise<Credentials> {
    return {};
  }

  invalidate(): boolean {
    return false;
  }
}
