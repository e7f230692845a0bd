// Wires the key bindings to the view reducer; quitting goes through Ink's exit so the terminal is restored.
import { useApp, useInput, type Key } from 'ink';
import { useCallback, useRef, type Dispatch } from 'react';
import { actionFor, type InputMode, type TableAction } from './keys.js';
import type { ViewBounds } from './view-state.js';

export function useTableKeys(dispatch: Dispatch<{ action: TableAction; bounds: ViewBounds }>, mode: InputMode, bounds: ViewBounds): void {
  const { exit } = useApp();
  // The handler stays the same function across renders (Ink re-subscribes when it changes);
  // it reads the latest mode and bounds from a ref.
  const latest = useRef({ mode, bounds });
  latest.current = { mode, bounds };
  const onInput = useCallback(
    (input: string, key: Key) => {
      const action = actionFor(input, key, latest.current.mode);
      if (!action) return;
      if (action.type === 'quit') exit();
      else dispatch({ action, bounds: latest.current.bounds });
    },
    [dispatch, exit],
  );
  useInput(onInput);
}
