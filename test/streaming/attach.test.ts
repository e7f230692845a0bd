// ktx attach against the reference kubectl: kwok attaches to every container's CRI log, which the
// harness appends a line to every second (stdin is ignored there).
import { beforeAll, describe, expect, it } from 'vitest';
import { useNamespace } from '../helpers/cluster.js';
import { expectSameAsKubectl } from '../helpers/differential.js';
import { apply, deployment, readyPods, startKtx, startKubectl, type Running } from './helpers.js';

const ns = useNamespace('attach');
let pod = '';

beforeAll(async () => {
  await apply(deployment(ns.name, 'web', { sidecar: true }));
  [pod = ''] = await readyPods(ns.name, 'web');
});

/** Attaches until the first output line, then terminates the process. */
async function attachOnce(start: (args: string[]) => Running, args: string[]) {
  const r = start(args);
  await r.waitFor(/ktx test log line \d+\n/);
  const end = await r.stop('SIGTERM');
  return { exitCode: end.exitCode, stderr: end.stderr };
}

describe('ktx attach', () => {
  it('follows the container output with kubectl`s notices, until terminated', async () => {
    const args = ['attach', pod, '-n', ns.name];
    const [mine, theirs] = await Promise.all([attachOnce(startKtx, args), attachOnce(startKubectl, args)]);
    expect(mine).toEqual(theirs);
    expect(mine.stderr).toBe(
      'Defaulted container "main" out of: main, sidecar\n' +
        'All commands and output from this session will be recorded in container logs, including credentials and sensitive information passed through the command prompt.\n' +
        "If you don't see a command prompt, try pressing enter.\n",
    );
  });

  it('refuses bad invocations in kubectl words', async () => {
    await expectSameAsKubectl(['attach', '-n', ns.name]);
    await expectSameAsKubectl(['attach', 'a', 'b', 'c', '-n', ns.name]);
    await expectSameAsKubectl(['attach', pod, '-c', 'nope', '-n', ns.name]);
    await expectSameAsKubectl(['attach', pod, '--pod-running-timeout=0', '-n', ns.name]);
    await expectSameAsKubectl(['attach', 'deploy', 'missing', '-n', ns.name]);
  });
});
