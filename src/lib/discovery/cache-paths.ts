import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The cache root kubectl uses: `--cache-dir` (here `cacheDir`), else `$KUBECACHEDIR`, else
 * `~/.kube/cache`. Discovery lives under `<root>/discovery/`, the HTTP cache under `<root>/http/`.
 */
export function cacheRoot(cacheDir?: string, env: Record<string, string | undefined> = process.env, home: string = homedir()): string {
  if (cacheDir) return cacheDir;
  if (env.KUBECACHEDIR) return env.KUBECACHEDIR;
  return join(home, '.kube', 'cache');
}

/**
 * The per-server discovery directory, named exactly as kubectl names it so both share one cache:
 * `<root>/discovery/<host>`, where `<host>` is the server URL with its first `https://` (then
 * `http://`) removed and every character outside `[A-Za-z0-9_/.()]` replaced by `_`; slashes of a
 * server path stay directory separators (`https://h:6443/k8s/clusters/c-1` →
 * `h_6443/k8s/clusters/c_1`).
 */
export function discoveryCacheDir(root: string, server: string): string {
  const schemeless = server.replace('https://', '').replace('http://', '');
  const dir = join(root, 'discovery', schemeless.replace(/[^\w/.()]/gu, '_'));
  // Go's filepath.Join also drops a trailing separator (a server URL ending in `/`).
  return dir.length > 1 ? dir.replace(/\/+$/, '') : dir;
}

/** `servergroups.json` in a discovery directory: the `APIGroupList`, core group included. */
export function serverGroupsFile(dir: string): string {
  return join(dir, 'servergroups.json');
}

/** `<group>/<version>/serverresources.json` (`v1/serverresources.json` for core) in a discovery directory. */
export function serverResourcesFile(dir: string, groupVersion: string): string {
  return join(dir, groupVersion, 'serverresources.json');
}
