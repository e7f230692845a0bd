import { createPrivateKey, X509Certificate } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import type { ExecConfig } from '../model.js';

/** The `client.authentication.k8s.io` versions an exec plugin may be configured with. */
export const EXEC_API_VERSIONS = ['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1'] as const;

/**
 * `spec.cluster` of the `ExecCredential` handed to a plugin in `KUBERNETES_EXEC_INFO` when the
 * user sets `provideClusterInfo`. `config` is the cluster's `client.authentication.k8s.io/exec`
 * extension.
 */
export interface ExecClusterInfo {
  server: string;
  'tls-server-name'?: string;
  'insecure-skip-tls-verify'?: boolean;
  /** Base64 of the PEM CA bundle (read from the file when the kubeconfig names a file). */
  'certificate-authority-data'?: string;
  'proxy-url'?: string;
  'disable-compression'?: boolean;
  config?: unknown;
}

/** What a plugin run produced: a bearer token and/or a client certificate, and when it expires. */
export interface ExecResult {
  token?: string;
  cert?: string;
  key?: string;
  /** `status.expirationTimestamp` in epoch milliseconds; undefined means valid until a 401. */
  expiresAt?: number;
}

/**
 * The problems client-go's `validateAuthInfo` reports for an exec config, with kubectl's wording:
 * missing command or apiVersion, an env entry without a name, and a missing (`v1`) or unknown
 * `interactiveMode`. `v1beta1` defaults `interactiveMode` to `IfAvailable`.
 */
export function execConfigProblems(exec: ExecConfig, userName: string): string[] {
  const problems: string[] = [];
  if (!exec.command) problems.push(`command must be specified for ${userName} to use exec authentication plugin`);
  if (!exec.apiVersion) problems.push(`apiVersion must be specified for ${userName} to use exec authentication plugin`);
  for (const variable of exec.env ?? []) {
    if (!variable?.name) problems.push(`env variable name must be specified for ${userName} to use exec authentication plugin`);
  }
  const mode = effectiveInteractiveMode(exec);
  if (mode === '') {
    problems.push(`interactiveMode must be specified for ${userName} to use exec authentication plugin`);
  } else if (!['Never', 'IfAvailable', 'Always'].includes(mode)) {
    problems.push(`invalid interactiveMode for ${userName}: "${mode}"`);
  }
  return problems;
}

/** `interactiveMode` after client-go's defaulting (`IfAvailable` for v1beta1); `''` when missing. */
export function effectiveInteractiveMode(exec: ExecConfig): string {
  if (exec.interactiveMode) return exec.interactiveMode;
  return exec.apiVersion === 'client.authentication.k8s.io/v1beta1' ? 'IfAvailable' : '';
}

/** The JSON put in `KUBERNETES_EXEC_INFO` for one run. */
export function execInfo(apiVersion: string, interactive: boolean, cluster: ExecClusterInfo | undefined): string {
  const spec: Record<string, unknown> = {};
  if (cluster) spec.cluster = cluster;
  spec.interactive = interactive;
  return JSON.stringify({ kind: 'ExecCredential', apiVersion, spec });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(status: Record<string, unknown>, field: string): string {
  const value = status[field];
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new Error(`decoding stdout: json: cannot unmarshal ${typeof value} into Go struct field ExecCredentialStatus.status.${field} of type string`);
  return value;
}

/**
 * Reads a plugin's stdout the way client-go does: an `ExecCredential` of exactly the configured
 * apiVersion with `status.token` or both `status.clientCertificateData` and
 * `status.clientKeyData`. Throws Errors with kubectl's messages.
 */
export function parseExecOutput(stdout: string, apiVersion: string): ExecResult {
  let decoded: unknown;
  try {
    decoded = parseYaml(stdout);
  } catch (err) {
    throw new Error(`decoding stdout: ${(err as Error).message.split('\n')[0] ?? ''}`, { cause: err });
  }
  if (!isRecord(decoded) || typeof decoded.kind !== 'string' || decoded.kind === '') {
    throw new Error(`decoding stdout: Object 'Kind' is missing in '${stdout.trim()}'`);
  }
  const returned = typeof decoded.apiVersion === 'string' ? decoded.apiVersion : '';
  if (decoded.kind !== 'ExecCredential' || !(EXEC_API_VERSIONS as readonly string[]).includes(returned)) {
    throw new Error(`decoding stdout: no kind "${decoded.kind}" is registered for version "${returned}" in scheme "pkg/runtime/scheme.go:100"`);
  }
  if (returned !== apiVersion) {
    throw new Error(`exec plugin is configured to use API version ${apiVersion}, plugin returned version ${returned}`);
  }
  const status = decoded.status;
  if (!isRecord(status)) throw new Error(`exec plugin didn't return a status field`);
  const token = optionalString(status, 'token');
  const cert = optionalString(status, 'clientCertificateData');
  const key = optionalString(status, 'clientKeyData');
  if (token === '' && cert === '' && key === '') throw new Error(`exec plugin didn't return a token or cert/key pair`);
  if ((cert === '') !== (key === '')) throw new Error('exec plugin returned only certificate or key, not both');
  const result: ExecResult = {};
  if (token !== '') result.token = token;
  if (cert !== '') {
    checkKeyPair(cert, key);
    result.cert = cert;
    result.key = key;
  }
  const expiry = status.expirationTimestamp;
  if (expiry !== undefined && expiry !== null) {
    const at = typeof expiry === 'string' ? Date.parse(expiry) : Number.NaN;
    if (Number.isNaN(at)) throw new Error(`decoding stdout: parsing time ${JSON.stringify(expiry)} as "2006-01-02T15:04:05Z07:00": cannot parse`);
    result.expiresAt = at;
  }
  return result;
}

// client-go parses the pair with tls.X509KeyPair; a broken pair fails here instead of in a handshake.
function checkKeyPair(cert: string, key: string): void {
  let matches: boolean;
  try {
    matches = new X509Certificate(cert).checkPrivateKey(createPrivateKey(key));
  } catch (err) {
    throw new Error(`failed parsing client key/certificate: ${(err as Error).message}`, { cause: err });
  }
  if (!matches) throw new Error('failed parsing client key/certificate: tls: private key does not match public key');
}
