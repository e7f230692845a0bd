// Row colours by the object's state, read from the STATUS column the server rendered: running,
// pending, failing and terminating objects look different. NO_COLOR turns every colour off.

export type StateTone = 'ok' | 'pending' | 'failing' | 'terminating' | 'done' | 'plain';

const FAILING = /(Err|Error|BackOff|Failed|OOMKilled|Invalid|Unknown|NotReady|Evicted|Lost|Unhealthy)/;
const PENDING = /^(Pending|ContainerCreating|PodInitializing|Init:|Waiting|NotReady|Progressing|Creating)/;

/** The tone of one row, from the cells of its STATUS (or PHASE/STATE) column, if there is one. */
export function stateTone(headers: readonly string[], cells: readonly string[]): StateTone {
  const i = headers.findIndex((h) => h === 'STATUS' || h === 'PHASE' || h === 'STATE');
  if (i < 0) return readyTone(headers, cells);
  const status = cells[i] ?? '';
  if (status === 'Terminating') return 'terminating';
  if (status === 'Completed' || status === 'Succeeded') return 'done';
  if (FAILING.test(status)) return 'failing';
  if (PENDING.test(status)) return 'pending';
  if (status === 'Running' || status === 'Active' || status === 'Ready' || status === 'Bound' || status === 'Available') return 'ok';
  return 'plain';
}

/** Workloads have no STATUS but a READY `n/m`: fewer ready than wanted is pending. */
function readyTone(headers: readonly string[], cells: readonly string[]): StateTone {
  const i = headers.indexOf('READY');
  const m = /^(\d+)\/(\d+)$/.exec(cells[i] ?? '');
  if (i < 0 || !m) return 'plain';
  return m[1] === m[2] ? 'ok' : 'pending';
}

const TONE_COLOR: Record<StateTone, string | undefined> = {
  ok: 'green',
  pending: 'yellow',
  failing: 'red',
  terminating: 'magenta',
  done: 'gray',
  plain: undefined,
};

/** True unless NO_COLOR is set (to anything but the empty string), as https://no-color.org asks. */
export function colorsEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return !env.NO_COLOR;
}

/** The colour for a tone, or undefined (no colour) with NO_COLOR. */
export function toneColor(tone: StateTone, enabled = colorsEnabled()): string | undefined {
  return enabled ? TONE_COLOR[tone] : undefined;
}
