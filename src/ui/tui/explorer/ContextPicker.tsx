// `:ctx`: the kubeconfig's contexts, the current one marked; Enter switches, Esc goes back.
import { Box, Text, useInput, type Key } from 'ink';
import { useEffect, useRef, useState } from 'react';
import type { ExplorerSource } from './source.js';
import { describeError } from './labels.js';

export interface ContextPickerProps {
  source: ExplorerSource;
  height: number;
  onPick(name: string): void;
  onClose(): void;
}

export function ContextPicker({ source, height, onPick, onClose }: ContextPickerProps) {
  const [names, setNames] = useState<string[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [selected, setSelectedState] = useState(0);
  // Keys can arrive before React re-subscribes the handler: it reads the latest names and selection from refs.
  const namesRef = useRef<string[]>([]);
  const selectedRef = useRef(0);
  const setSelected = (f: (s: number) => number) => {
    selectedRef.current = Math.min(Math.max(0, f(selectedRef.current)), Math.max(0, namesRef.current.length - 1));
    setSelectedState(selectedRef.current);
  };

  useEffect(() => {
    let live = true;
    source.contexts().then(
      (n) => {
        if (!live) return;
        namesRef.current = n;
        setNames(n);
        setSelected(() => n.indexOf(source.context ?? ''));
      },
      (err: unknown) => live && setError(describeError(err)),
    );
    return () => {
      live = false;
    };
  }, [source]);

  const count = names?.length ?? 0;
  const onKey = (input: string, key: Key) => {
    // Keys typed quickly can arrive as one chunk (`g\r`): take them one at a time.
    if (input.length > 1 && !key.ctrl && !key.meta) {
      for (const ch of input) onKey(ch === '\r' || ch === '\n' ? '' : ch, { ...key, return: ch === '\r' || ch === '\n' });
      return;
    }
    if (key.escape || input === 'q') onClose();
    else if (input === 'j' || key.downArrow) setSelected((s) => s + 1);
    else if (input === 'k' || key.upArrow) setSelected((s) => s - 1);
    else if (input === 'g' || key.home) setSelected(() => 0);
    else if (input === 'G' || key.end) setSelected(() => Infinity);
    else if (key.return) {
      const name = namesRef.current[selectedRef.current];
      if (name !== undefined) onPick(name);
    }
  };
  useInput(onKey);

  const page = Math.max(1, height - 2);
  const start = Math.min(Math.max(0, selected - page + 1), Math.max(0, count - page));
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold>contexts</Text>
        {`  current: ${source.context ?? '(none)'}  ${count} contexts`}
      </Text>
      {error ? (
        <Text color="red">{error}</Text>
      ) : !names ? (
        <Text dimColor>Loading…</Text>
      ) : names.length === 0 ? (
        <Text dimColor>No contexts in the kubeconfig.</Text>
      ) : (
        names.slice(start, start + page).map((n, i) => (
          <Text key={n} inverse={start + i === selected} wrap="truncate-end">
            {`${n === source.context ? '*' : ' '} ${n}`}
          </Text>
        ))
      )}
      <Text dimColor wrap="truncate-end">
        Enter switches  j/k move  Esc back
      </Text>
    </Box>
  );
}
