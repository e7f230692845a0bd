import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { Cluster, User } from './model.js';

/**
 * Rewrites the file paths of a cluster entry in place (client-go's `GetClusterFileReferences`:
 * `certificate-authority`). Empty paths are left alone.
 */
export function mapClusterPaths(cluster: Cluster, map: (path: string) => string): void {
  if (cluster['certificate-authority']) cluster['certificate-authority'] = map(cluster['certificate-authority']);
}

/**
 * Rewrites the file paths of a user entry in place (client-go's `GetAuthInfoFileReferences`:
 * `client-certificate`, `client-key`, `tokenFile`, and `exec.command` only when it contains a path
 * separator, since a bare command name is looked up on PATH). `exec` is replaced by a copy rather
 * than changed, so a document it was shared with keeps its own.
 */
export function mapUserPaths(user: User, map: (path: string) => string): void {
  for (const key of ['client-certificate', 'client-key', 'tokenFile'] as const) {
    const path = user[key];
    if (path) user[key] = map(path);
  }
  const exec = user.exec;
  if (exec && typeof exec.command === 'string' && exec.command.includes(sep)) user.exec = { ...exec, command: map(exec.command) };
}

/** A kubeconfig path made absolute against `base`, the directory of the file that holds it (client-go `ResolvePaths`). */
export function resolveKubeconfigPath(base: string, path: string): string {
  return isAbsolute(path) ? path : resolve(base, path);
}

/**
 * A path as client-go writes it into the kubeconfig file in `base` (`RelativizePathWithNoBacksteps`
 * after `ResolvePaths`): relative when it lies inside `base`, absolute when reaching it would need
 * a `../` (including a relative path that pointed outside).
 */
export function relativizeKubeconfigPath(base: string, path: string): string {
  const absolute = resolveKubeconfigPath(base, path);
  const rel = relative(base, absolute) || '.';
  return rel.startsWith('../') ? absolute : rel;
}
