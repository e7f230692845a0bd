import { createHash } from 'node:crypto';
import type { Writable } from 'node:stream';
import { ConfigError } from '../../errors.js';
import type { ExecConfig } from '../model.js';
import type { Authenticator, Credentials } from '../types.js';
import { abortable } from './abortable.js';
import { effectiveInteractiveMode, EXEC_API_VERSIONS, execConfigProblems, execInfo, parseExecOutput, type ExecClusterInfo, type ExecResult } from './exec-credential.js';

const INSTALL_HINT_HELP = `

It looks like you are trying to use a client-go credential plugin that is not installed.

To learn more about this feature, consult the documentation available at:
      https://kubernetes.io/docs/reference/access-authn-authz/authentication/#client-go-credential-plugins`;

/** Options of {@link ExecAuthenticator}. */
export interface ExecAuthenticatorOptions {
  /** The kubeconfig user name, for messages. */
  userName?: string;
  /** The cluster, passed to the plugin as `spec.cluster` when the exec config sets `provideClusterInfo`. */
  cluster?: ExecClusterInfo;
  /** The parent environment the exec config's `env` is added to; default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Whether stdin is a terminal; default `process.stdin.isTTY`. */
  isTerminal?: () => boolean;
  /** Clock in epoch milliseconds, compared with `expirationTimestamp`. */
  now?: () => number;
  /** Where the plugin's stderr goes; default the parent's stderr. */
  stderr?: 'inherit' | Writable;
}

// Terminal escapes in installHint could repaint the user's terminal; client-go strips them too.
function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-_]/g, '');
}

interface PluginRun {
  stdout: string;
  exitCode: number | null;
  spawnError?: NodeJS.ErrnoException;
}

async function runPlugin(command: string, args: string[], env: Record<string, string | undefined>, interactive: boolean, stderr: 'inherit' | Writable): Promise<PluginRun> {
  // Loaded on first use: every command imports this module, few run a plugin (child_process is ~3 ms).
  const { spawn } = await import('node:child_process');
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      env,
      stdio: [interactive ? 'inherit' : 'ignore', 'pipe', stderr === 'inherit' ? 'inherit' : 'pipe'],
    });
    const chunks: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk));
    if (stderr !== 'inherit') child.stderr?.pipe(stderr, { end: false });
    let spawnError: NodeJS.ErrnoException | undefined;
    child.on('error', (err: NodeJS.ErrnoException) => {
      spawnError = err;
    });
    child.on('close', (code) => {
      resolve({ stdout: Buffer.concat(chunks).toString('utf8'), exitCode: code, ...(spawnError ? { spawnError } : {}) });
    });
  });
}

/**
 * A client-go credential plugin (`users[].user.exec`, `client.authentication.k8s.io/v1` or
 * `v1beta1`). The plugin runs with the exec config's `env` added to the parent environment and
 * `KUBERNETES_EXEC_INFO` describing the request (`spec.interactive`, and `spec.cluster` with
 * `provideClusterInfo`); its stderr always reaches the user and it gets stdin only when
 * interactive (`interactiveMode` Never, IfAvailable = when stdin is a terminal, Always = fail
 * without a terminal). Its stdout must be an `ExecCredential` of the same apiVersion with a token
 * or a client certificate and key. The result is kept in memory until `expirationTimestamp` (or
 * forever without one); concurrent callers share one run, and {@link invalidate} after a 401 makes
 * the next call run the plugin again. Failures are {@link ConfigError}s worded as kubectl's
 * (`getting credentials: …`).
 */
export class ExecAuthenticator implements Authenticator {
  readonly type = 'exec';
  readonly #exec: ExecConfig & { apiVersion: string; command: string };
  readonly #cluster: ExecClusterInfo | undefined;
  readonly #env: Record<string, string | undefined>;
  readonly #isTerminal: () => boolean;
  readonly #now: () => number;
  readonly #stderr: 'inherit' | Writable;
  #cached: ExecResult | undefined;
  #running: Promise<ExecResult> | undefined;

  constructor(exec: ExecConfig, options: ExecAuthenticatorOptions = {}) {
    const problems = execConfigProblems(exec, options.userName ?? '');
    if (problems.length > 0) throw new ConfigError(problems.join('\n'));
    if (!(EXEC_API_VERSIONS as readonly string[]).includes(exec.apiVersion ?? '')) {
      throw new ConfigError(`exec plugin: invalid apiVersion "${exec.apiVersion ?? ''}"`);
    }
    this.#exec = { ...exec, apiVersion: exec.apiVersion ?? '', command: exec.command ?? '' };
    this.#cluster = exec.provideClusterInfo ? options.cluster : undefined;
    this.#env = options.env ?? process.env;
    this.#isTerminal = options.isTerminal ?? (() => process.stdin.isTTY === true);
    this.#now = options.now ?? Date.now;
    this.#stderr = options.stderr ?? 'inherit';
  }

  async credentials(signal?: AbortSignal): Promise<Credentials> {
    let result = this.#cached;
    if (!result || (result.expiresAt !== undefined && this.#now() > result.expiresAt)) {
      this.#running ??= this.#refresh().finally(() => {
        this.#running = undefined;
      });
      result = await abortable(this.#running, signal);
    }
    const credentials: Credentials = {};
    if (result.token) credentials.authorization = `Bearer ${result.token}`;
    if (result.cert && result.key) {
      credentials.cert = result.cert;
      credentials.key = result.key;
    }
    return credentials;
  }

  invalidate(): boolean {
    this.#cached = undefined;
    return true;
  }

  async #refresh(): Promise<ExecResult> {
    try {
      const result = await this.#run();
      this.#cached = result;
      return result;
    } catch (err) {
      throw new ConfigError(`getting credentials: ${(err as Error).message}`, { cause: err });
    }
  }

  async #run(): Promise<ExecResult> {
    const interactive = this.#interactive();
    const env: Record<string, string | undefined> = { ...this.#env };
    for (const { name, value } of this.#exec.env ?? []) env[name] = value;
    env.KUBERNETES_EXEC_INFO = execInfo(this.#exec.apiVersion, interactive, this.#cluster);
    const run = await runPlugin(this.#exec.command, this.#exec.args ?? [], env, interactive, this.#stderr);
    if (run.spawnError) {
      if (run.spawnError.code === 'ENOENT' || run.spawnError.code === 'EACCES') {
        const hint = this.#exec.installHint ? `\n\n${stripAnsi(this.#exec.installHint)}` : '';
        throw new Error(`exec: executable ${this.#exec.command} not found${INSTALL_HINT_HELP}${hint}`);
      }
      throw new Error(`exec: ${run.spawnError.message}`);
    }
    if (run.exitCode !== 0) {
      throw new Error(`exec: executable ${this.#exec.command} failed with exit code ${run.exitCode ?? -1}`);
    }
    return parseExecOutput(run.stdout, this.#exec.apiVersion);
  }

  #interactive(): boolean {
    switch (effectiveInteractiveMode(this.#exec)) {
      case 'Never':
        return false;
      case 'Always':
        if (!this.#isTerminal()) throw new Error('exec plugin cannot support interactive mode: standard input is not a terminal');
        return true;
      default:
        return this.#isTerminal();
    }
  }
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const sharedExecAuthenticators = new Map<string, ExecAuthenticator>();

/**
 * The process-wide {@link ExecAuthenticator} for an exec config and cluster, as client-go keeps
 * one per hash of both: every client built from the same kubeconfig entry shares one credential
 * cache, one plugin run at a time, and one invalidation. The options of the first caller win.
 */
export function sharedExecAuthenticator(exec: ExecConfig, options: ExecAuthenticatorOptions = {}): ExecAuthenticator {
  const key = createHash('sha256')
    .update(canonicalJson({ exec, cluster: exec.provideClusterInfo ? options.cluster : undefined }))
    .digest('hex');
  let authenticator = sharedExecAuthenticators.get(key);
  if (!authenticator) {
    authenticator = new ExecAuthenticator(exec, options);
    sharedExecAuthenticators.set(key, authenticator);
  }
  return authenticator;
}
