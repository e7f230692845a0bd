// The exit code of the running command when it finishes without throwing (kubectl-style partial failures).
let exitCode = 0;

/** Lets a command finish with a non-zero exit code after printing what it could (e.g. some names not found). */
export function setExitCode(code: number): void {
  exitCode = Math.max(exitCode, code);
}

/** Reads and resets the code (once per `main` run). */
export function takeExitCode(): number {
  const c = exitCode;
  exitCode = 0;
  return c;
}
