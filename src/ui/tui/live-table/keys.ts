// Every key binding of the live table, in one place: a pure mapping from Ink's (input, key) to an action.
import type { Key } from 'ink';

export type TableAction =
  | { type: 'quit' }
  | { type: 'scroll'; by: number }
  | { type: 'page'; by: number }
  | { type: 'top' }
  | { type: 'bottom' }
  | { type: 'sort'; by: 1 | -1 }
  | { type: 'filterStart' }
  | { type: 'filterType'; text: string }
  | { type: 'filterBackspace' }
  | { type: 'filterAccept' }
  | { type: 'filterClear' };

/** `browse`: keys are commands; `filter`: typing edits the filter until Enter or Esc. */
export type InputMode = 'browse' | 'filter';

/** The help line for browse mode. */
export const KEY_HELP = 'q quit  / filter  s/S sort  ↑↓ j/k scroll  PgUp/PgDn page  g/G top/bottom';

/** The action for a key press, or undefined when the key means nothing in this mode. */
export function actionFor(input: string, key: Key, mode: InputMode): TableAction | undefined {
  if (key.ctrl && input === 'c') return { type: 'quit' };
  // Navigation works in both modes, so one can scroll the filtered rows while typing.
  if (key.upArrow) return { type: 'scroll', by: -1 };
  if (key.downArrow) return { type: 'scroll', by: 1 };
  if (key.pageUp) return { type: 'page', by: -1 };
  if (key.pageDown) return { type: 'page', by: 1 };
  if (key.home) return { type: 'top' };
  if (key.end) return { type: 'bottom' };
  if (mode === 'filter') {
    if (key.escape) return { type: 'filterClear' };
    if (key.return) return { type: 'filterAccept' };
    if (key.backspace || key.delete) return { type: 'filterBackspace' };
    if (key.ctrl || key.meta || key.tab) return undefined;
    return input ? { type: 'filterType', text: input } : undefined;
  }
  if (key.escape) return { type: 'filterClear' };
  if (key.ctrl && input === 'f') return { type: 'page', by: 1 };
  if (key.ctrl && input === 'b') return { type: 'page', by: -1 };
  if (key.ctrl || key.meta) return undefined;
  switch (input) {
    case 'q':
      return { type: 'quit' };
    case 'j':
      return { type: 'scroll', by: 1 };
    case 'k':
      return { type: 'scroll', by: -1 };
    case ' ':
      return { type: 'page', by: 1 };
    case 'g':
      return { type: 'top' };
    case 'G':
      return { type: 'bottom' };
    case 's':
      return { type: 'sort', by: 1 };
    case 'S':
      return { type: 'sort', by: -1 };
    case '/':
      return { type: 'filterStart' };
    default:
      return undefined;
  }
}
