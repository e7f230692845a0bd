// Shell completion: the scripts `ktx completion` prints, and what `ktx __complete` offers from
// yargs (commands, flags) and from the kubeconfig and the cluster (contexts, namespaces, types, names).
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeDynamic, type CompletionSources } from '../../src/cli/completion.js';
import { repoRoot } from '../cluster/harness.js';
import { cluster, kubectlOk, useNamespace } from '../helpers/cluster.js';
import { expectSameAsKubectl, ktx, refKubectl } from '../helpers/differential.js';

const ns = useNamespace('completion');
const dir = mkdtempSync(join(tmpdir(), 'ktx-completion-'));
let kubeconfig: string;

beforeAll(async () => {
  kubeconfig = join(dir, 'kubeconfig');
  copyFileSync(cluster().kubeconfig, kubeconfig);
  const pod = (name: string) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns.name },
    spec: { containers: [{ name: 'main', image: 'registry.invalid/fake:1' }] },
  });
  writeFileSync(join(dir, 'pods.json'), JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [pod('alpha-pod'), pod('beta-pod')] }));
  await kubectlOk(['apply', '-f', join(dir, 'pods.json')]);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `ktx __complete -- WORDS…`: the candidate lines and the directive. */
async function complete(...words: string[]): Promise<{ candidates: string[]; directive: string; stderr: string; exitCode: number }> {
  const r = await ktx(['__complete', '--', ...words], { env: { KUBECONFIG: kubeconfig } });
  const lines = r.stdout.split('\n').filter((l, i, all) => l !== '' || i < all.length - 1);
  return { candidates: lines.slice(0, -1), directive: lines.at(-1) ?? '', stderr: r.stderr, exitCode: r.exitCode };
}

describe('ktx completion', () => {
  it('prints a bash script that bash accepts', async () => {
    const r = await ktx(['completion', 'bash']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('complete -o default -F _ktx_completions ktx');
    const check = await execa('bash', ['-n'], { input: r.stdout, reject: false });
    expect(check.exitCode, check.stderr).toBe(0);
  });

  it('prints a zsh script', async () => {
    const r = await ktx(['completion', 'zsh']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.startsWith('#compdef ktx\n')).toBe(true);
    expect(r.stdout).toContain('compdef _ktx ktx');
  });

  it.each([[[]], [['tcsh']], [['bash', 'zsh']]])('rejects a wrong shell argument as kubectl does: %j', async (args) => {
    await expectSameAsKubectl(['completion', ...args]);
  });
});

describe('ktx __complete', () => {
  it('offers resource types from discovery, as kubectl does', async () => {
    const mine = await complete('get', 'po');
    expect(mine.candidates).toEqual(expect.arrayContaining(['pods', 'podtemplates', 'poddisruptionbudgets.policy']));
    expect(mine.candidates.every((c) => c.startsWith('po'))).toBe(true);
    expect(mine.directive).toBe(':4');
    const theirs = await refKubectl(['__complete', 'get', 'po'], { env: { KUBECONFIG: kubeconfig } });
    // The helpers drop the final newline of both outputs.
    expect(`${mine.candidates.join('\n')}\n:4`).toBe(theirs.stdout);
  });

  it('completes the last item of a comma-separated type list', async () => {
    const { candidates } = await complete('get', 'deploy,se');
    expect(candidates).toEqual(expect.arrayContaining(['deploy,secrets', 'deploy,services']));
  });

  it('offers the names of objects in the namespace given with -n', async () => {
    expect((await complete('get', 'pods', '-n', ns.name, '')).candidates).toEqual(['alpha-pod', 'beta-pod']);
    expect((await complete('-n', ns.name, 'get', 'pod', 'b')).candidates).toEqual(['beta-pod']);
    expect((await complete('get', `--namespace=${ns.name}`, 'pods/')).candidates).toEqual(['pods/alpha-pod', 'pods/beta-pod']);
    expect((await complete('logs', '-n', ns.name, '')).candidates).toEqual(['alpha-pod', 'beta-pod']);
  });

  it('offers namespaces after -n and --namespace=', async () => {
    const plain = await complete('get', 'pods', '-n', '');
    expect(plain.candidates).toEqual(expect.arrayContaining([ns.name, 'default', 'kube-system']));
    const inline = await complete('get', `--namespace=${ns.name.slice(0, -2)}`);
    expect(inline.candidates).toEqual([`--namespace=${ns.name}`]);
  });

  it('offers the kubeconfig contexts after --context and for config use-context', async () => {
    expect((await complete('get', '--context', '')).candidates).toEqual(['admin', 'limited', 'token-user']);
    expect((await complete('--context=t')).candidates).toEqual(['--context=token-user']);
    expect((await complete('config', 'use-context', '')).candidates).toEqual(['admin', 'limited', 'token-user']);
  });

  it('offers commands, subcommands and flags from yargs', async () => {
    expect((await complete('')).candidates).toEqual(expect.arrayContaining(['config', 'get', 'completion']));
    expect((await complete('')).candidates).not.toContain('__complete');
    expect((await complete('config', '')).candidates).toEqual(expect.arrayContaining(['view', 'use-context', 'get-contexts', 'set-context']));
    expect((await complete('config', 'get-contexts', '--')).candidates).toEqual(expect.arrayContaining(['--no-headers', '--output', '--kubeconfig']));
  });

  it('lets the shell complete file names for --kubeconfig', async () => {
    expect(await complete('get', '--kubeconfig', '')).toMatchObject({ candidates: [], directive: ':0' });
  });

  it('completes with nothing, silently, when the cluster or kubeconfig cannot answer', async () => {
    for (const words of [
      ['get', '--kubeconfig', join(dir, 'missing'), 'pods', ''],
      ['get', '--context', 'no-such-context', 'pods', ''],
      ['get', 'no-such-type', ''],
      ['get', '--server', 'https://127.0.0.1:1', '--insecure-skip-tls-verify', 'pods', ''],
    ]) {
      expect(await complete(...words), words.join(' ')).toEqual({ candidates: [], directive: ':4', stderr: '', exitCode: 0 });
    }
  });

  it('drives bash: the script turns the candidates into COMPREPLY', async () => {
    const bin = join(dir, 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'ktx'), `#!/bin/sh\nexec "${process.execPath}" "${join(repoRoot, 'bin/ktx.js')}" "$@"\n`);
    chmodSync(join(bin, 'ktx'), 0o755);
    const script = (await ktx(['completion', 'bash'])).stdout;
    // COMP_WORDS as bash builds it: `=` is a word of its own.
    const drive = (line: string, words: string[]) =>
      `${script}\nCOMP_LINE=${JSON.stringify(line)}; COMP_POINT=${line.length}; COMP_WORDS=(${words.map((w) => JSON.stringify(w)).join(' ')}); COMP_CWORD=${words.length - 1}\n_ktx_completions\nprintf '%s\\n' "\${COMPREPLY[@]}"\n`;
    const run = async (line: string, words: string[]) =>
      (await execa('bash', ['-c', drive(line, words)], { env: { PATH: `${bin}:${process.env.PATH}`, KUBECONFIG: kubeconfig } })).stdout.split('\n');
    expect(await run(`ktx get pods -n ${ns.name} a`, ['ktx', 'get', 'pods', '-n', ns.name, 'a'])).toEqual(['alpha-pod']);
    expect(await run('ktx get --context=li', ['ktx', 'get', '--context', '=', 'li'])).toEqual(['limited']);
  });
});

describe('completeDynamic (pure)', () => {
  const seen: string[] = [];
  const sources: CompletionSources = {
    contexts: async () => ['dev', 'prod'],
    clusters: async () => ['c1'],
    users: async () => ['u1'],
    namespaces: async () => ['default', 'team'],
    resourceTypes: async () => ['pods', 'services', 'deployments.apps'],
    resourceNames: async (type) => {
      seen.push(type);
      return ['web-1', 'web-2'];
    },
  };
  const run = (...words: string[]) => completeDynamic(words, () => sources);

  it('completes flag values before anything else, also after `=`', async () => {
    expect(await run('get', 'pods', '-n', 't')).toEqual({ candidates: ['team'], files: false });
    expect(await run('get', '--context=p')).toEqual({ candidates: ['--context=prod'], files: false });
    expect(await run('--cluster', '')).toEqual({ candidates: ['c1'], files: false });
    expect(await run('apply', '-f', '')).toEqual({ candidates: [], files: true });
  });

  it('skips flag values when finding the command and its arguments', async () => {
    expect(await run('-n', 'team', 'get', 'svc', '--context', 'dev', 'w')).toEqual({ candidates: ['web-1', 'web-2'], files: false });
    expect(seen.at(-1)).toBe('svc');
    expect(await run('get', '-o', 'wide', 'se')).toEqual({ candidates: ['services'], files: false });
  });

  it('completes TYPE lists, TYPE/NAME and config subcommand arguments', async () => {
    expect((await run('get', 'pods,se'))?.candidates).toEqual(['pods,services']);
    expect((await run('describe', 'deployments.apps/w'))?.candidates).toEqual(['deployments.apps/web-1', 'deployments.apps/web-2']);
    expect((await run('get', 'pods,svc', ''))?.candidates).toEqual([]);
    expect((await run('config', 'use', 'd'))?.candidates).toEqual(['dev']);
    expect((await run('config', 'use-context', 'dev', ''))?.candidates).toEqual([]);
  });

  it('leaves command and flag names to yargs', async () => {
    expect(await run('')).toBeUndefined();
    expect(await run('config', '')).toBeUndefined();
    expect(await run('get', '--no')).toBeUndefined();
  });
});
