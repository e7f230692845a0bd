// `F` or `:pf`: the port-forwards started from the explorer (k9s's port-forwards view). Enter or
// Ctrl-d stops the selected one; one that ended by itself (its pod went away) stays listed with
// why, until stopped.
import { Box, Text, useInput } from 'ink';
import { useState, useSyncExternalStore } from 'react';
import { describeError, refLabel } from './labels.js';
import type { PortForwards } from './port-forwards.js';

export interface ForwardsViewProps {
  forwards: PortForwards;
  height: number;
  onClose(): void;
}

const HEADERS = ['TARGET', 'POD', 'LISTENING', 'STATUS'];

export function ForwardsView({ forwards, height, onClose }: ForwardsViewProps) {
  const list = useSyncExternalStore(forwards.subscribe, forwards.getSnapshot);
  const [selected, setSelected] = useState(0);
  const [note, setNote] = useState<{ text: string; error: boolean } | undefined>();
  const at = Math.min(selected, Math.max(0, list.length - 1));

  useInput((input, key) => {
    if (key.escape || input === 'q' || input === 'F') return onClose();
    if (key.upArrow || input === 'k') return setSelected(Math.max(0, at - 1));
    if (key.downArrow || input === 'j') return setSelected(Math.min(Math.max(0, list.length - 1), at + 1));
    if (key.return || (key.ctrl && input === 'd')) {
      const f = list[at];
      if (!f) return;
      forwards.stop(f.id).then(
        () => setNote({ text: `stopped ${f.address} -> ${f.remote} (${refLabel(f.target)})`, error: false }),
        (err: unknown) => setNote({ text: describeError(err), error: true }),
      );
    }
  });

  const rows = list.map((f) => [refLabel(f.target), f.pod, f.listeners.join(', '), f.error ? `ended: ${f.error}` : 'forwarding']);
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('   ');
  const page = Math.max(1, height - 4);
  const offset = at >= page ? at - page + 1 : 0;

  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold>Port-forwards</Text>
        <Text dimColor>{`  ${list.filter((f) => !f.error).length} forwarding`}</Text>
        {note ? <Text color={note.error ? 'red' : undefined}>{`  ${note.text}`}</Text> : ''}
      </Text>
      <Text bold wrap="truncate-end">
        {line(HEADERS)}
      </Text>
      {rows.length === 0 ? (
        <Text dimColor>No port-forwards. f on a pod, workload or service starts one.</Text>
      ) : (
        rows.slice(offset, offset + page).map((r, i) => (
          <Text key={list[offset + i]!.id} wrap="truncate-end" inverse={offset + i === at} color={list[offset + i]!.error ? 'red' : undefined}>
            {line(r)}
          </Text>
        ))
      )}
      <Text dimColor wrap="truncate-end">
        Enter or Ctrl-d stops the selected forward; j/k move; Esc back. Forwards end when the explorer quits.
      </Text>
    </Box>
  );
}
