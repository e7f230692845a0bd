// The one place where errors become what the user reads and the exit code, as kubectl prints them.
import { ResourceNotFoundError } from '../lib/discovery/errors.js';
import { ApiError, ConfigError, KtxError, TransportError } from '../lib/errors.js';

/** A usage problem: printed as `error: <message>` plus an optional hint, exit 1 (kubectl's cmdutil.UsageErrorf). */
export class UsageError extends KtxError {
  override name = 'UsageError';
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** A command that decided its exit code itself (e.g. exec passes the remote exit code through). */
export class ExitCode extends KtxError {
  override name = 'ExitCode';
  constructor(
    readonly code: number,
    message = '',
  ) {
    super(message);
  }
}

/** The text kubectl prints for an error, without the trailing newline. */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.code === 401) return `error: You must be logged in to the server (${err.message})`;
    return `Error from server (${err.reason}): ${err.message}`;
  }
  if (err instanceof TransportError) return err.kind === 'refused' ? err.message : `error: ${err.message}`;
  if (err instanceof ConfigError && err.invalidConfiguration) return `Error in configuration: ${err.message}`;
  if (err instanceof UsageError) return `error: ${err.message}${err.hint ? `\n${err.hint}` : ''}`;
  if (err instanceof ResourceNotFoundError || err instanceof ConfigError || err instanceof KtxError) return `error: ${err.message}`;
  if (err instanceof Error) return `error: ${err.message}`;
  return `error: ${String(err)}`;
}

/** Writes the error to stderr and returns the exit code. */
export function reportError(err: unknown, stderr: NodeJS.WritableStream = process.stderr): number {
  if (err instanceof ExitCode) {
    if (err.message) stderr.write(`${err.message}\n`);
    return err.code;
  }
  stderr.write(`${errorText(err)}\n`);
  if (!(err instanceof KtxError) && err instanceof Error && process.env.KTX_DEBUG) stderr.write(`${err.stack}\n`);
  return 1;
}
