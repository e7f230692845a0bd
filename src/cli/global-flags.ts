import type { Argv } from 'yargs';
import type { ConfigOverrides } from '../lib/config/overrides.js';
import { repeatable } from './repeatable.js';

/** The flags every ktx command takes, named as kubectl names them. */
export interface GlobalFlags {
  kubeconfig?: string;
  context?: string;
  cluster?: string;
  user?: string;
  namespace?: string;
  server?: string;
  token?: string;
  as?: string;
  'as-group'?: string[];
  'as-uid'?: string;
  'request-timeout'?: string;
  'insecure-skip-tls-verify'?: boolean;
  'certificate-authority'?: string;
  'client-certificate'?: string;
  'client-key'?: string;
  'tls-server-name'?: string;
  'cache-dir'?: string;
  'disable-compression'?: boolean;
  v?: number;
}

export function withGlobalFlags<T>(y: Argv<T>): Argv<T & GlobalFlags> {
  return y
    .option('kubeconfig', { type: 'string', describe: 'Path to the kubeconfig file to use for CLI requests.', global: true })
    .option('context', { type: 'string', describe: 'The name of the kubeconfig context to use', global: true })
    .option('cluster', { type: 'string', describe: 'The name of the kubeconfig cluster to use', global: true })
    .option('user', { type: 'string', describe: 'The name of the kubeconfig user to use', global: true })
    .option('namespace', { alias: 'n', type: 'string', describe: 'If present, the namespace scope for this CLI request', global: true })
    .option('server', { alias: 's', type: 'string', describe: 'The address and port of the Kubernetes API server', global: true })
    .option('token', { type: 'string', describe: 'Bearer token for authentication to the API server', global: true })
    .option('as', { type: 'string', describe: 'Username to impersonate for the operation.', global: true })
    .option('as-group', { type: 'string', coerce: repeatable, describe: 'Group to impersonate for the operation, repeat for several groups.', global: true })
    .option('as-uid', { type: 'string', describe: 'UID to impersonate for the operation.', global: true })
    .option('request-timeout', { type: 'string', describe: 'How long to wait for a single server request (e.g. 1s, 2m, 3h); 0 means no timeout.', global: true })
    .option('insecure-skip-tls-verify', { type: 'boolean', describe: "If true, the server's certificate will not be checked for validity.", global: true })
    .option('certificate-authority', { type: 'string', describe: 'Path to a cert file for the certificate authority', global: true })
    .option('client-certificate', { type: 'string', describe: 'Path to a client certificate file for TLS', global: true })
    .option('client-key', { type: 'string', describe: 'Path to a client key file for TLS', global: true })
    .option('tls-server-name', { type: 'string', describe: 'Server name to use for server certificate validation.', global: true })
    .option('cache-dir', { type: 'string', describe: 'Default cache directory (default ~/.kube/cache)', global: true })
    .option('disable-compression', { type: 'boolean', describe: 'If true, opt-out of response compression for all requests to the server', global: true })
    .option('v', { alias: 'verbose', type: 'number', describe: 'Log level for request logging (6: requests, 7: headers, 8: response headers)', global: true })
    .group(
      ['kubeconfig', 'context', 'cluster', 'user', 'namespace', 'server', 'token', 'as', 'as-group', 'as-uid', 'request-timeout',
        'insecure-skip-tls-verify', 'certificate-authority', 'client-certificate', 'client-key', 'tls-server-name', 'cache-dir',
        'disable-compression', 'v'],
      'Global flags:',
    ) as Argv<T & GlobalFlags>;
}

/** The library's config overrides for these flags. */
export function overridesFrom(flags: GlobalFlags): ConfigOverrides {
  const o: ConfigOverrides = {};
  if (flags.kubeconfig !== undefined) o.kubeconfig = flags.kubeconfig;
  if (flags.context) o.context = flags.context;
  if (flags.cluster) o.cluster = flags.cluster;
  if (flags.user) o.user = flags.user;
  if (flags.namespace) o.namespace = flags.namespace;
  if (flags.server) o.server = flags.server;
  if (flags.token) o.token = flags.token;
  if (flags.as) o.as = flags.as;
  if (flags['as-group']?.length) o.asGroups = flags['as-group'];
  if (flags['as-uid']) o.asUid = flags['as-uid'];
  if (flags['request-timeout'] !== undefined) o.requestTimeout = flags['request-timeout'];
  if (flags['insecure-skip-tls-verify']) o.insecureSkipTlsVerify = true;
  if (flags['certificate-authority']) o.certificateAuthority = flags['certificate-authority'];
  if (flags['client-certificate']) o.clientCertificate = flags['client-certificate'];
  if (flags['client-key']) o.clientKey = flags['client-key'];
  if (flags['tls-server-name']) o.tlsServerName = flags['tls-server-name'];
  if (flags['disable-compression']) o.disableCompression = true;
  return o;
}
