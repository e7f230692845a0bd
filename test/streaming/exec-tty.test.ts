// ktx exec -it in a real terminal: a tmux pane (private tmux server), driven with send-keys and
// read with capture-pane. Checks the initial size, live resizes, Ctrl-C reaching the remote side,
// and that the local terminal leaves raw mode however the session ends.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../cluster/harness.js';
import { cluster, useNamespace } from '../helpers/cluster.js';
import { waitUntil } from '../helpers/wait.js';
import { apply, deployment, readyPods } from './helpers.js';

const ns = useNamespace('tty');
const socket = `ktx-test-${randomBytes(4).toString('hex')}`;
const tmux = (...args: string[]) => execa('tmux', ['-L', socket, ...args]);
let pod = '';

/** The pane's visible text (joined wrapped lines). */
const screen = async () => String((await tmux('capture-pane', '-p', '-J', '-t', 's')).stdout);
/** Types a line into the pane. */
const type = (line: string) => tmux('send-keys', '-t', 's', '-l', line).then(() => tmux('send-keys', '-t', 's', 'Enter'));
/** Waits for a line matching `re` that was not on screen before (each probe prints a fresh token). */
const waitForLine = (re: RegExp) =>
  waitUntil(`${re} in the pane`, async () => (await screen()).match(re) ?? undefined, { timeoutMs: 20_000 }).catch(async (e: Error) => {
    throw new Error(`${e.message}; the pane shows:\n${await screen()}`);
  });
/** Waits until the local shell's prompt is the last line again (ktx has exited). */
const waitForLocalPrompt = () =>
  waitUntil('the local prompt', async () => (await screen()).trimEnd().split('\n').at(-1)?.endsWith('local$'), { timeoutMs: 20_000 });
let token = 0;
/** Runs `cmd` in whatever shell has the pane and returns its output line, tagged so old output never matches. */
async function probe(cmd: string): Promise<string> {
  const tag = `P${++token}`;
  await type(`echo "${tag}=$(${cmd})"`);
  // Not anchored: typed ahead of the remote prompt, the output can follow it on the same line; the
  // typed command itself has a quote before the tag.
  const m = await waitForLine(new RegExp(`(?<!")${tag}=(.*)$`, 'm'));
  return m[1]!;
}
/** Counts `icanon` and `echo` as set (not `-icanon`/`-echo`) in stty -a: 2 means cooked mode with echo. */
const COOKED = "stty -a | tr ' ;' '\\n\\n' | grep -c -x -e icanon -e echo";

beforeAll(async () => {
  await apply(deployment(ns.name, 'shell'));
  [pod = ''] = await readyPods(ns.name, 'shell');
  await tmux('new-session', '-d', '-s', 's', '-x', '100', '-y', '30', '-c', repoRoot, '-e', `KUBECONFIG=${cluster().kubeconfig}`, 'bash --norc --noprofile');
  await type("export PS1='local$ '");
});

afterAll(async () => {
  const path = String((await tmux('display-message', '-p', '#{socket_path}').catch(() => ({ stdout: '' }))).stdout).trim();
  await tmux('kill-server').catch(() => undefined);
  if (path) rmSync(path, { force: true });
});

describe('ktx exec -it', () => {
  const start = async () => {
    await type(`node ${join(repoRoot, 'bin/ktx.js')} exec -it ${pod} -n ${ns.name} -- sh`);
    // The remote shell runs in the harness sandbox; the local one in the repository.
    const where = await probe('pwd');
    if (!where.endsWith('.cluster/sandbox')) throw new Error(`not in the remote shell (pwd ${where}); the pane shows:\n${await screen()}`);
  };

  it('starts with the pane size, follows resizes, passes Ctrl-C on, and restores the terminal on exit', async () => {
    expect(await probe(COOKED)).toBe('2');
    await start();
    const pane = String((await tmux('display-message', '-p', '-t', 's', '#{pane_height} #{pane_width}')).stdout);
    expect(await probe('stty size')).toBe(pane);

    await tmux('resize-window', '-t', 's', '-x', '120', '-y', '40');
    const resized = String((await tmux('display-message', '-p', '-t', 's', '#{pane_height} #{pane_width}')).stdout);
    expect(resized).not.toBe(pane);
    await waitUntil('the new size remotely', async () => (await probe('stty size')) === resized);

    // Raw mode: Ctrl-C interrupts the remote sleep, not ktx.
    await type('sleep 30');
    await tmux('send-keys', '-t', 's', 'C-c');
    expect(await probe('pwd')).toMatch(/\.cluster\/sandbox$/);

    await type('exit 4');
    await waitForLocalPrompt();
    const rc = await probe('echo $?');
    expect(rc).toBe('4');
    expect(await probe(COOKED)).toBe('2');
    expect(await probe('pwd')).toBe(repoRoot);
  });

  it('restores the terminal when ktx is terminated by a signal, and exits 1 as kubectl', async () => {
    await start();
    const shell = String((await tmux('display-message', '-p', '-t', 's', '#{pane_pid}')).stdout).trim();
    const child = String((await execa('ps', ['-o', 'pid=', '--ppid', shell])).stdout).trim();
    expect(child).toMatch(/^\d+$/);
    process.kill(Number(child), 'SIGTERM');
    await waitForLocalPrompt();
    expect(await probe('echo $?')).toBe('1');
    expect(await probe(COOKED)).toBe('2');
  });
});
