// What test files use to reach the local control plane: its state, the reference kubectl and a namespace per file.
import { randomBytes } from 'node:crypto';
import { execa, type Options, type Result } from 'execa';
import { afterAll, beforeAll, inject } from 'vitest';
import type { ClusterState } from '../cluster/harness.js';
import { waitUntil } from './wait.js';

export function cluster(): ClusterState {
  return inject('cluster');
}

/** Runs the reference kubectl (built at the cluster's version) against the local cluster; never rejects on exit codes. */
export async function kubectl(args: string[], opts: Options = {}): Promise<Result> {
  const c = cluster();
  return execa(c.kubectl, args, {
    reject: false,
    env: { KUBECONFIG: c.kubeconfig, ...opts.env },
    extendEnv: true,
    timeout: 60_000,
    ...opts,
  } as Options) as Promise<Result>;
}

/** Like kubectl(), but throws with stderr when the exit code is not 0; returns stdout. */
export async function kubectlOk(args: string[], opts: Options = {}): Promise<string> {
  const r = await kubectl(args, opts);
  if (r.exitCode !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.exitCode}: ${String(r.stderr)}`);
  return String(r.stdout);
}

/**
 * Gives the calling test file its own namespace, created before its tests (with its default
 * service account in place) and deleted after them. Read `.name` inside tests.
 */
export function useNamespace(prefix: string): { name: string } {
  const ns = { name: `${prefix}-${randomBytes(3).toString('hex')}` };
  beforeAll(async () => {
    await kubectlOk(['create', 'namespace', ns.name]);
    await waitUntil(`the default service account in ${ns.name}`, async () => (await kubectl(['get', 'serviceaccount', 'default', '-n', ns.name])).exitCode === 0);
  });
  afterAll(async () => {
    await kubectl(['delete', 'namespace', ns.name, '--wait=false', '--ignore-not-found']);
  });
  return ns;
}
