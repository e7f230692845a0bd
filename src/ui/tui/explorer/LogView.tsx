// `l`: the selected pod's log, followed live. New lines are batched (one render per ~100 ms);
// the view sticks to the bottom until the user scrolls up. `t` toggles timestamps (the stream is
// reopened with them), `w` toggles wrapping.
import { Box, Text, useInput } from 'ink';
import { useEffect, useRef, useState } from 'react';
import type { ExplorerSource, ObjectRef } from './source.js';
import { clampPagerOffset, TextPager } from './TextPager.js';
import { describeError, refLabel } from './labels.js';

export interface LogViewProps {
  source: ExplorerSource;
  target: ObjectRef;
  height: number;
  onClose(): void;
  /** How many lines are kept (default 5000). */
  maxLines?: number;
}

type StreamState = 'opening' | 'following' | 'ended' | 'failed';

export function LogView({ source, target, height, onClose, maxLines = 5000 }: LogViewProps) {
  const [timestamps, setTimestamps] = useState(false);
  const [wrap, setWrap] = useState(false);
  const [lines, setLines] = useState<string[]>([]);
  const [state, setState] = useState<StreamState>('opening');
  const [error, setError] = useState<string | undefined>();
  const [follow, setFollow] = useState(true);
  const [offset, setOffset] = useState(0);
  const pending = useRef<string[]>([]);
  const page = Math.max(1, height - 2);

  useEffect(() => {
    const stop = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const flush = () => {
      timer = undefined;
      const batch = pending.current;
      pending.current = [];
      setLines((prev) => {
        const next = prev.concat(batch);
        return next.length > maxLines ? next.slice(next.length - maxLines) : next;
      });
    };
    setLines([]);
    setState('opening');
    setError(undefined);
    source
      .logs(
        target,
        { timestamps },
        (line) => {
          if (stop.signal.aborted) return;
          setState('following');
          pending.current.push(line);
          timer ??= setTimeout(flush, 100);
        },
        stop.signal,
      )
      .then(
        () => {
          if (stop.signal.aborted) return;
          flush();
          setState('ended');
        },
        (err: unknown) => {
          if (stop.signal.aborted) return;
          setState('failed');
          setError(describeError(err));
        },
      );
    return () => {
      stop.abort();
      clearTimeout(timer);
      pending.current = [];
    };
  }, [source, target, timestamps, maxLines]);

  const bottom = Math.max(0, lines.length - page);
  const shownOffset = follow ? bottom : clampPagerOffset(offset, lines.length, page);
  const move = (to: number) => {
    const next = clampPagerOffset(to, lines.length, page);
    setOffset(next);
    setFollow(next >= bottom);
  };

  useInput((input, key) => {
    if (key.escape || input === 'q') onClose();
    else if (input === 't') setTimestamps((t) => !t);
    else if (input === 'w') setWrap((w) => !w);
    else if (input === 'f' || input === 'G' || key.end) setFollow(true);
    else if (input === 'j' || key.downArrow) move(shownOffset + 1);
    else if (input === 'k' || key.upArrow) move(shownOffset - 1);
    else if (key.pageDown || input === ' ') move(shownOffset + page);
    else if (key.pageUp) move(shownOffset - page);
    else if (input === 'g' || key.home) move(0);
  });

  const status = state === 'following' ? (follow ? 'following' : 'paused (f follows)') : state;
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold>Logs</Text> {refLabel(target)}
        <Text dimColor>{`  ${status}  timestamps: ${timestamps ? 'on' : 'off'}  wrap: ${wrap ? 'on' : 'off'}  ${lines.length} lines`}</Text>
      </Text>
      {error ? <Text color="red">{error}</Text> : <TextPager lines={lines} offset={shownOffset} height={page} wrap={wrap} />}
      <Text dimColor wrap="truncate-end">
        t timestamps  w wrap  f follow  j/k scroll  g/G top/bottom  Esc back
      </Text>
    </Box>
  );
}
