import { access, constants } from 'node:fs/promises';
import { execConfigProblems } from './auth/exec-credential.js';
import { goPathError } from './files.js';
import type { Cluster, User } from './model.js';

async function unreadable(path: string): Promise<string | undefined> {
  try {
    await access(path, constants.R_OK);
    return undefined;
  } catch (err) {
    return goPathError(err, path, 'open');
  }
}

/**
 * Checks a `proxy-url` the way client-go does: only `http`, `https` and `socks5` are allowed.
 * Returns the problem, or undefined.
 */
export function proxyUrlProblem(proxyUrl: string): string | undefined {
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(proxyUrl)?.[1]?.toLowerCase() ?? '';
  if (scheme === 'http' || scheme === 'https' || scheme === 'socks5') {
    try {
      new URL(proxyUrl);
    } catch {
      return `could not parse: ${proxyUrl}`;
    }
    return undefined;
  }
  return `unsupported scheme "${scheme}", must be http, https, or socks5`;
}

/**
 * The problems kubectl reports for the user entry in use (client-go `validateAuthInfo`), in its
 * order and wording: conflicting or incomplete client certificates, unreadable certificate files,
 * an exec plugin combined with an auth-provider or missing required fields, `token` together with
 * `username`/`password`, and impersonation extras without a user.
 */
export async function userProblems(name: string, user: User): Promise<string[]> {
  const problems: string[] = [];
  const methods: string[] = [];
  if (user.token) methods.push('token');
  if (user.username || user.password) methods.push('basicAuth');
  const certFile = user['client-certificate'];
  const keyFile = user['client-key'];
  if (certFile || user['client-certificate-data']) {
    if (certFile && user['client-certificate-data']) problems.push(`client-cert-data and client-cert are both specified for ${name}. client-cert-data will override.`);
    if (keyFile && user['client-key-data']) problems.push(`client-key-data and client-key are both specified for ${name}; client-key-data will override`);
    if (!keyFile && !user['client-key-data']) problems.push(`client-key-data or client-key must be specified for ${name} to use the clientCert authentication method.`);
    const certError = certFile ? await unreadable(certFile) : undefined;
    if (certError) problems.push(`unable to read client-cert ${certFile} for ${name} due to ${certError}`);
    const keyError = keyFile ? await unreadable(keyFile) : undefined;
    if (keyError) problems.push(`unable to read client-key ${keyFile} for ${name} due to ${keyError}`);
  }
  if (user.exec) {
    if (user['auth-provider']) problems.push(`authProvider cannot be provided in combination with an exec plugin for ${name}`);
    problems.push(...execConfigProblems(user.exec, name));
  }
  if (methods.length > 1) problems.push(`more than one authentication method found for ${name}; found [${methods.join(' ')}], only one is allowed`);
  const wantsExtras = Boolean(user['as-uid']) || (user['as-groups']?.length ?? 0) > 0 || Object.keys(user['as-user-extra'] ?? {}).length > 0;
  if (wantsExtras && !user.as) problems.push(`requesting uid, groups or user-extra for ${name} without impersonating a user`);
  return problems;
}

/**
 * The problems kubectl reports for the cluster entry in use (client-go `validateClusterInfo`): no
 * server, an unsupported `proxy-url`, both `certificate-authority` and `-data`, and an unreadable
 * CA file.
 */
export async function clusterProblems(name: string, cluster: Cluster): Promise<string[]> {
  const problems: string[] = [];
  if (!cluster.server) problems.push(name === '' ? 'default cluster has no server defined' : `no server found for cluster "${name}"`);
  const proxyUrl = cluster['proxy-url'];
  if (proxyUrl) {
    const problem = proxyUrlProblem(proxyUrl);
    if (problem) problems.push(`invalid 'proxy-url' "${proxyUrl}" for cluster "${name}": ${problem}`);
  }
  const caFile = cluster['certificate-authority'];
  if (caFile && cluster['certificate-authority-data']) {
    problems.push(`certificate-authority-data and certificate-authority are both specified for ${name}. certificate-authority-data will override.`);
  }
  const caError = caFile ? await unreadable(caFile) : undefined;
  if (caError) problems.push(`unable to read certificate-authority ${caFile} for ${name} due to ${caError}`);
  return problems;
}
