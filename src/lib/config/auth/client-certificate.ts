import type { Authenticator, Credentials } from '../types.js';

/**
 * Authentication by the static client certificate alone. The certificate and key travel in
 * `ClientConfig.tls` (they belong to the TLS handshake), so requests carry no header; a 401 cannot
 * be fixed by asking again.
 */
export class ClientCertificateAuthenticator implements Authenticator {
  readonly type = 'client-certificate';

  async credentials(): Promise<Credentials> {
    return {};
  }

  invalidate(): boolean {
    return false;
  }
}
