// How kubectl's cmdutil.CheckErr prints the errors a write command collected.
import { errorText } from '../../cli/errors.js';
import { ApiError } from '../../lib/errors.js';

/**
 * Several errors folded into one, as apimachinery's aggregate prints them: the one message when
 * there is one, else `[a, b]` (identical messages once).
 */
export class AggregateError extends Error {
  override name = 'AggregateError';
  constructor(readonly errors: Error[]) {
    super(aggregateMessage(errors));
  }
}

function flatten(errors: Error[]): Error[] {
  return errors.flatMap((e) => (e instanceof AggregateError ? flatten(e.errors) : [e]));
}

function aggregateMessage(errors: Error[]): string {
  const seen: string[] = [];
  for (const e of flatten(errors)) if (!seen.includes(e.message)) seen.push(e.message);
  return seen.length === 1 ? seen[0]! : `[${seen.join(', ')}]`;
}

/**
 * The error kubectl's resource builder reports for manifests it could not use, shaped as
 * cli-runtime shapes it (the shape decides how it prints): errors found on mapped objects
 * (namespace mismatches) first, then the decoding errors (syntax, validation, unknown kinds) in
 * document order, grouped when there are several.
 */
export function builderError(decode: Array<{ index: number; error: Error }>, objectErrors: Error[]): Error | undefined {
  const ordered = [...decode].sort((a, b) => a.index - b.index).map((d) => d.error);
  const children = [...objectErrors, ...(ordered.length === 1 ? ordered : ordered.length > 1 ? [new AggregateError(ordered)] : [])];
  return children.length ? new AggregateError(children) : undefined;
}

/** An Invalid (422) error as kubectl prints it alone: `The Kind "name" is invalid: field: message`. */
function invalidText(err: ApiError): string {
  const d = err.details;
  if (!d) return 'The request is invalid';
  let s = 'The request is invalid';
  if (d.kind || d.name) s = `The ${d.kind ?? ''} "${d.name ?? ''}" is invalid`;
  else if (d.group) s = `The ${d.group} "${d.name ?? ''}" is invalid`;
  const causes: string[] = [];
  for (const c of d.causes ?? []) {
    const msg = `${c.field ?? ''}: ${c.message ?? ''}`;
    if (!causes.includes(msg)) causes.push(msg);
  }
  if (causes.length === 0) return s;
  if (causes.length === 1) return `${s}: ${causes[0]}`;
  return `${s}: \n${causes.map((c) => `* ${c}`).join('\n')}`;
}

/** One error among several: API errors keep their `Error from server` form, others print bare. */
function messageForError(err: Error): string {
  if (err instanceof ApiError) return errorText(err);
  return err.message;
}

/**
 * The stderr text for the errors of a run (each line ends in a newline), as kubectl's CheckErr
 * prints `errs[0]` or their aggregate: one error is `error: …`, `Error from server (…): …`, or
 * kubectl's `The X "y" is invalid: …` form; several are one per line without the `error: ` prefix.
 */
export function reportErrors(errors: Error[]): string {
  if (errors.length === 0) return '';
  let list = errors;
  if (list.length === 1 && list[0] instanceof AggregateError && list[0].errors.length === 1) list = list[0].errors;
  if (list.length === 1) {
    const only = list[0]!;
    if (only instanceof AggregateError) return only.errors.map((e) => `${messageForError(e)}\n`).join('');
    if (only instanceof ApiError && only.isInvalid()) return `${invalidText(only)}\n`;
    const text = errorText(only);
    return text.endsWith('\n') ? text : `${text}\n`;
  }
  return list.map((e) => `${messageForError(e)}\n`).join('');
}
