// A real terminal for end-to-end tests: a private tmux server (its own socket) running an
// interactive bash with a known prompt, so tests can type, read the screen and check the tty mode.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { waitUntil } from '../helpers/wait.js';

export const PROMPT = 'ktx-e2e$ ';

export interface Pane {
  /** The visible screen, one string per line. */
  screen(): Promise<string>;
  /** The scrollback and the visible screen, wrapped lines joined. */
  history(): Promise<string>;
  /** Types `text` and presses Enter. */
  run(text: string): Promise<void>;
  /** Sends tmux key names (`q`, `C-c`, `Escape`, `Down`) or literal text with `literal`. */
  keys(keys: string[], literal?: boolean): Promise<void>;
  /** Polls the screen until `check` holds; returns the screen. */
  waitFor(what: string, check: (screen: string) => boolean, timeoutMs?: number): Promise<string>;
  close(): Promise<void>;
}

/** Starts a `columns`×`rows` pane running bash with `env`; close() kills that tmux server only. */
export async function openPane(env: Record<string, string>, { columns = 120, rows = 30 } = {}): Promise<Pane> {
  const socket = `ktx-e2e-${randomBytes(4).toString('hex')}`;
  const tmux = (...args: string[]) => execa('tmux', ['-L', socket, ...args], { timeout: 10_000 });
  const envArgs = Object.entries({ TERM: 'xterm-256color', ...env }).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  // bash sets its own PS1 over the environment's; an rc file of one line sets ours.
  const rc = join(mkdtempSync(join(tmpdir(), 'ktx-e2e-')), 'bashrc');
  writeFileSync(rc, `PS1='${PROMPT}'\n`);
  // A CI runner sets CI, and under CI ktx draws no live views (as Ink would not): the pane is a
  // person's terminal, so its shell starts without it. A test sets CI itself where it means to.
  const shell = `env -u CI -u CONTINUOUS_INTEGRATION bash --rcfile ${rc} --noprofile -i`;
  await tmux('-f', '/dev/null', 'new-session', '-d', '-s', 'e2e', '-x', String(columns), '-y', String(rows), ...envArgs, shell);
  const pane: Pane = {
    screen: async () => (await tmux('capture-pane', '-p', '-t', 'e2e')).stdout,
    history: async () => (await tmux('capture-pane', '-p', '-J', '-S', '-', '-t', 'e2e')).stdout,
    run: async (text) => {
      await tmux('send-keys', '-t', 'e2e', '-l', text);
      await tmux('send-keys', '-t', 'e2e', 'Enter');
    },
    keys: async (keys, literal = false) => {
      await tmux('send-keys', '-t', 'e2e', ...(literal ? ['-l'] : []), ...keys);
    },
    waitFor: async (what, check, timeoutMs = 30_000) => {
      let last = '';
      try {
        return await waitUntil(
          what,
          async () => {
            last = await pane.screen();
            return check(last) ? last : undefined;
          },
          { timeoutMs, intervalMs: 50 },
        );
      } catch (err) {
        throw new Error(`${(err as Error).message}\n--- screen ---\n${last}`);
      }
    },
    close: async () => {
      await tmux('kill-server').catch(() => undefined);
    },
  };
  await pane.waitFor('the shell prompt', (s) => s.includes(PROMPT.trim()));
  return pane;
}

/** The last non-empty line of a screen. */
export function lastLine(screen: string): string {
  return screen.trimEnd().split('\n').at(-1) ?? '';
}
