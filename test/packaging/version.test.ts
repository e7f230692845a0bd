// `ktx version`: kubectl's layout and field names, ktx's own client version, no Kustomize line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../cluster/harness.js';
import { ktx, refKubectl } from '../helpers/differential.js';

const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;

describe('ktx version', () => {
  it('prints the client and the server version', async () => {
    const server = JSON.parse((await refKubectl(['version', '-o', 'json'])).stdout) as { serverVersion: { gitVersion: string } };
    expect(await ktx(['version'], { stripFinalNewline: false })).toEqual({ exitCode: 0, stderr: '', stdout: `Client Version: v${version}\nServer Version: ${server.serverVersion.gitVersion}\n` });
    expect(await ktx(['version', '--client'], { env: { KUBECONFIG: '/nonexistent' }, stripFinalNewline: false })).toEqual({ exitCode: 0, stderr: '', stdout: `Client Version: v${version}\n` });
  });

  it('prints the server part of -o json and -o yaml exactly as kubectl does', async () => {
    const [mine, theirs] = await Promise.all([ktx(['version', '-o', 'json']), refKubectl(['version', '-o', 'json'])]);
    expect(mine.exitCode).toBe(0);
    const m = JSON.parse(mine.stdout) as Record<string, unknown>;
    const t = JSON.parse(theirs.stdout) as Record<string, unknown>;
    expect(Object.keys(m)).toEqual(['clientVersion', 'serverVersion']);
    expect(m.serverVersion).toEqual(t.serverVersion);
    // The same indentation and field order as kubectl's for the server part.
    expect(mine.stdout).toContain(JSON.stringify({ serverVersion: t.serverVersion }, null, 2).slice(1, -2));
    expect(m.clientVersion).toMatchObject({ gitVersion: `v${version}`, major: version.split('.')[0], minor: version.split('.')[1] });

    const exact = { stripFinalNewline: false };
    const [myYaml, theirYaml] = await Promise.all([ktx(['version', '-o', 'yaml'], exact), refKubectl(['version', '-o', 'yaml'], exact)]);
    const serverBlock = (s: string) => s.slice(s.indexOf('serverVersion:'));
    expect(serverBlock(myYaml.stdout)).toBe(serverBlock(theirYaml.stdout));
    expect((parse(myYaml.stdout) as { clientVersion: { gitVersion: string } }).clientVersion.gitVersion).toBe(`v${version}`);
  });

  it('refuses what kubectl refuses, with its words', async () => {
    for (const args of [
      ['version', '-o', 'bogus'],
      ['version', 'extra'],
    ]) {
      const [mine, theirs] = await Promise.all([ktx(args), refKubectl(args)]);
      expect(mine.stderr, args.join(' ')).toBe(theirs.stderr.replace(/kubectl/g, 'ktx'));
      expect(mine.exitCode).toBe(theirs.exitCode);
    }
  });
});
