import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where Kubernetes mounts a pod's service-account credentials. */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * The parts of the process environment that configuration depends on, injectable so tests (and
 * embedders) can load configuration without touching the real home directory, environment or pod
 * mounts. Every field defaults to the real process.
 */
export interface ConfigEnvironment {
  /** Environment variables (`KUBECONFIG`, `HOME`, `KUBERNETES_SERVICE_HOST`, …); defaults to `process.env`. */
  env?: Record<string, string | undefined>;
  /** Home directory for `~/.kube/config`; defaults to `$HOME`, then the OS home directory. */
  homedir?: string;
  /** Directory holding the service-account `token`, `ca.crt` and `namespace` files. */
  serviceAccountDir?: string;
  /** Whether stdin is a terminal (exec plugin `interactiveMode`); defaults to `process.stdin.isTTY`. */
  isTerminal?: () => boolean;
  /** Clock in milliseconds since the epoch (token expiry, file re-reads); defaults to `Date.now`. */
  now?: () => number;
}

/** {@link ConfigEnvironment} with every default filled in. */
export interface ResolvedEnvironment {
  env: Record<string, string | undefined>;
  homedir: string;
  serviceAccountDir: string;
  isTerminal: () => boolean;
  now: () => number;
}

/** Fills in the real process for every field the caller did not inject. */
export function resolveEnvironment(environment: ConfigEnvironment = {}): ResolvedEnvironment {
  const env = environment.env ?? process.env;
  return {
    env,
    homedir: environment.homedir ?? (env.HOME || homedir()),
    serviceAccountDir: environment.serviceAccountDir ?? SERVICE_ACCOUNT_DIR,
    isTerminal: environment.isTerminal ?? (() => process.stdin.isTTY === true),
    now: environment.now ?? Date.now,
  };
}

/** `~/.kube/config`, kubectl's kubeconfig when neither `--kubeconfig` nor `KUBECONFIG` is set. */
export function defaultKubeconfigPath(environment: ResolvedEnvironment): string {
  return join(environment.homedir, '.kube', 'config');
}
