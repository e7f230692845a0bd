// Temporary directories, files and certificates for the config unit tests.
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach } from 'vitest';
import type { ConfigEnvironment } from '../../../src/lib/config/index.js';

/** The directory holding the YAML fixtures. */
export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

const created: string[] = [];
afterEach(async () => {
  await Promise.all(created.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A fresh temporary directory, removed after the current test. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ktx-config-'));
  created.push(dir);
  return dir;
}

/** Writes `files` (relative path → content) under `dir`, creating directories; returns `dir`. */
export async function writeFiles(dir: string, files: Record<string, string>): Promise<string> {
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
  }
  return dir;
}

/** Writes an executable shell script. */
export async function writeScript(path: string, body: string): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `#!/bin/sh\n${body}\n`);
  await chmod(path, 0o755);
  return path;
}

/** How many lines a counter file has (0 when it does not exist). */
export async function countLines(path: string): Promise<number> {
  try {
    return (await readFile(path, 'utf8')).split('\n').filter((l) => l !== '').length;
  } catch {
    return 0;
  }
}

/**
 * An isolated environment: nothing from the real process except PATH, a home directory inside
 * `dir` and a service-account directory that does not exist unless the test creates it.
 */
export function isolatedEnvironment(dir: string, env: Record<string, string | undefined> = {}, extra: ConfigEnvironment = {}): ConfigEnvironment {
  return {
    env: { PATH: process.env.PATH, ...env },
    homedir: join(dir, 'home'),
    serviceAccountDir: join(dir, 'serviceaccount'),
    isTerminal: () => false,
    ...extra,
  };
}

/** A self-signed certificate and its key (PEM), issued by the system's openssl. */
export interface TestCertificate {
  cert: string;
  key: string;
  certFile: string;
  keyFile: string;
}

/** Issues a self-signed certificate for localhost/127.0.0.1 with an EC or RSA key. */
export async function issueCertificate(dir: string, name: string, keyType: 'ec' | 'rsa' = 'ec'): Promise<TestCertificate> {
  const keyFile = join(dir, `${name}.key`);
  const certFile = join(dir, `${name}.crt`);
  const keyArgs = keyType === 'ec' ? ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'] : ['-newkey', 'rsa:2048'];
  await promisify(execFile)('openssl', [
    'req', '-x509', ...keyArgs, '-nodes', '-days', '1', '-subj', `/CN=${name}`,
    '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
    '-keyout', keyFile, '-out', certFile,
  ]);
  return { cert: await readFile(certFile, 'utf8'), key: await readFile(keyFile, 'utf8'), certFile, keyFile };
}

/** Base64 of a UTF-8 string, as the kubeconfig `*-data` fields hold it. */
export function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}
