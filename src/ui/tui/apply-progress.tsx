// The live view of `ktx apply --wait` on a terminal: one row per workload, updated as it rolls out.
import { Box, render, Text, useStderr } from 'ink';
import { useEffect, useState } from 'react';
import { divertDiagnostics } from '../../cli/diagnostics.js';

/** One row's state. */
export interface ProgressRow {
  name: string;
  state: 'pending' | 'ready' | 'failed';
  message: string;
}

/** Pushes row changes into the view. */
export interface ProgressFeed {
  subscribe(listener: (rows: ProgressRow[]) => void): () => void;
  current(): ProgressRow[];
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

function ApplyProgress({ feed }: { feed: ProgressFeed }) {
  const [rows, setRows] = useState(feed.current());
  const [frame, setFrame] = useState(0);
  useEffect(() => feed.subscribe(setRows), [feed]);
  // `-v` request logs and warnings print above the rows (Ink redraws them below), not through them.
  const { write } = useStderr();
  useEffect(() => divertDiagnostics(write), [write]);
  const pending = rows.some((r) => r.state === 'pending');
  useEffect(() => {
    if (!pending) return undefined;
    const t = setInterval(() => setFrame((f) => (f + 1) % FRAMES.length), 80);
    return () => clearInterval(t);
  }, [pending]);
  const width = Math.max(...rows.map((r) => r.name.length), 0);
  return (
    <Box flexDirection="column">
      {rows.map((r) => (
        <Text key={r.name} wrap="truncate-end">
          <Text color={r.state === 'ready' ? 'green' : r.state === 'failed' ? 'red' : 'yellow'}>{r.state === 'ready' ? '✓' : r.state === 'failed' ? '✗' : FRAMES[frame]}</Text>
          <Text> {r.name.padEnd(width)}  </Text>
          <Text dimColor={r.state !== 'failed'}>{r.message}</Text>
        </Text>
      ))}
    </Box>
  );
}

/** Shows the view until `done` settles, then leaves its last frame on screen. */
export async function showApplyProgress(feed: ProgressFeed, done: Promise<unknown>): Promise<void> {
  const app = render(<ApplyProgress feed={feed} />, { stdout: process.stdout, exitOnCtrlC: false, patchConsole: false });
  try {
    await done;
  } finally {
    // Let the last state render before unmounting.
    await new Promise((r) => setImmediate(r));
    app.unmount();
    await app.waitUntilExit();
  }
}
