// When ktx may draw a live, full-screen view. Ink follows the `is-in-ci` rule: with CI or
// CONTINUOUS_INTEGRATION set (to anything but "0" or "false") it renders only the last frame, at
// exit. A live table or the explorer would then show nothing while it runs, so under CI ktx takes
// the line-oriented path instead, even on a terminal.

/** CI or CONTINUOUS_INTEGRATION is set, by the same rule Ink applies. */
export function inCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const set = (key: string) => key in env && env[key] !== '0' && env[key] !== 'false';
  return set('CI') || set('CONTINUOUS_INTEGRATION');
}

/** stdin and stdout are terminals and Ink will draw live frames on them. */
export function interactiveTerminal(): boolean {
  return !!process.stdin.isTTY && !!process.stdout.isTTY && !inCi();
}

/** Why interactiveTerminal() is false, for an error message. */
export function notInteractiveReason(): string {
  if (!process.stdin.isTTY || !process.stdout.isTTY) return 'stdin and stdout must be terminals';
  return 'CI is set in the environment, and live views draw nothing under CI';
}
