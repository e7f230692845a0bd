import { ConfigError } from '../../errors.js';
import type { ResolvedEnvironment } from '../environment.js';
import type { User } from '../model.js';
import type { Authenticator } from '../types.js';
import { BasicAuthenticator } from './basic.js';
import { ClientCertificateAuthenticator } from './client-certificate.js';
import { sharedExecAuthenticator } from './exec.js';
import type { ExecClusterInfo } from './exec-credential.js';
import { NoAuthenticator } from './none.js';
import { sharedOidcAuthenticator } from './oidc.js';
import { BearerTokenAuthenticator } from './token.js';
import { TokenFileAuthenticator } from './token-file.js';

const GCP_REMOVED = `The gcp auth plugin has been removed.
Please use the "gke-gcloud-auth-plugin" kubectl/client-go credential plugin instead.
See https://cloud.google.com/blog/products/containers-kubernetes/kubectl-auth-changes-in-gke for further details`;

const AZURE_REMOVED = `The azure auth plugin has been removed.
Please use the https://github.com/Azure/kubelogin kubectl/client-go credential plugin instead.
See https://kubernetes.io/docs/reference/access-authn-authz/authentication/#client-go-credential-plugins for further details`;

/** What {@link authenticatorForUser} needs besides the user entry. */
export interface AuthenticatorContext {
  userName: string;
  /** The cluster's server URL (part of the OIDC provider's identity). */
  server: string;
  /** The cluster as an exec plugin sees it with `provideClusterInfo`. */
  execCluster: ExecClusterInfo;
  environment: ResolvedEnvironment;
}

/**
 * Picks the one source of request credentials for a validated user entry, in client-go's order:
 * a token file (its last good value beats `token`), a static `token`, basic auth, the `oidc`
 * auth-provider, the exec plugin (skipped when a token, basic auth or a client certificate is
 * set, as kubectl skips it for `--token`), a bare client certificate, or none. The removed `gcp`
 * and `azure` providers fail with kubectl's hint. Call it for `https://` servers only.
 */
export async function authenticatorForUser(user: User, context: AuthenticatorContext): Promise<Authenticator> {
  const hasBasic = Boolean(user.username || user.password);
  const hasCert = Boolean(user['client-certificate'] || user['client-certificate-data']);
  if ((user.token || user.tokenFile) && hasBasic) throw new ConfigError('username/password or bearer token may be set, but not both');
  const { now } = context.environment;
  if (user.tokenFile) return TokenFileAuthenticator.create(user.tokenFile, { fallbackToken: user.token, now });
  if (user.token) return new BearerTokenAuthenticator(user.token);
  if (hasBasic) return new BasicAuthenticator(user.username ?? '', user.password ?? '');
  const provider = user['auth-provider'];
  if (provider) {
    switch (provider.name) {
      case 'oidc':
        return sharedOidcAuthenticator(context.server, { ...provider.config }, { now });
      case 'gcp':
        throw new ConfigError(GCP_REMOVED);
      case 'azure':
        throw new ConfigError(AZURE_REMOVED);
      default:
        throw new ConfigError(`no Auth Provider found for name "${provider.name}"`);
    }
  }
  if (user.exec && !hasCert) {
    return sharedExecAuthenticator(user.exec, {
      userName: context.userName,
      cluster: context.execCluster,
      env: context.environment.env,
      isTerminal: context.environment.isTerminal,
      now,
    });
  }
  if (hasCert) return new ClientCertificateAuthenticator();
  return new NoAuthenticator();
}
