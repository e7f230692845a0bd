// `l`: the selected pod's log, followed live. New lines are batched (one render per ~100 ms) and
// at most `maxLines` are kept; the view sticks to the bottom until the user scrolls up. `t`
// toggles timestamps and `c` cycles the pod's containers (both reopen the stream), `w` toggles
// wrapping, `f` toggles following, `s` saves the buffered lines to a file.
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
  const [containers, setContainers] = useState<string[]>([]);
  const [container, setContainer] = useState<string | undefined>();
  const [note, setNote] = useState<{ text: string; error: boolean } | undefined>();
  const pending = useRef<string[]>([]);
  const page = Math.max(1, height - 2);

  useEffect(() => {
    let live = true;
    source.containers(target).then(
      (c) => live && setContainers(c),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [source, target]);

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
        { timestamps, ...(container ? { container } : {}) },
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
  }, [source, target, timestamps, container, maxLines]);

  // Until `c` picks one, the stream reads the default container: the first, as kubectl picks it.
  const shownContainer = container ?? containers[0];
  const latest = useRef({ lines, containers, shownContainer });
  latest.current = { lines, containers, shownContainer };
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
    else if (input === 'f') setFollow((f) => !f);
    else if (input === 'G' || key.end) setFollow(true);
    else if (input === 'c') {
      // Read through a ref: keys can arrive before Ink re-subscribes this handler after a render.
      const { containers, shownContainer } = latest.current;
      if (containers.length < 2) return setNote({ text: `only one container: ${shownContainer ?? '?'}`, error: false });
      setContainer(containers[(Math.max(0, containers.indexOf(shownContainer ?? '')) + 1) % containers.length]);
    } else if (input === 's') {
      const { lines, shownContainer } = latest.current;
      const path = logFilePath(target.name, shownContainer);
      writeFile(path, lines.map((l) => `${l}\n`).join('')).then(
        () => setNote({ text: `saved ${lines.length} lines to ${path}`, error: false }),
        (err: unknown) => setNote({ text: describeError(err), error: true }),
      );
    }
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
        {shownContainer ? <Text color="cyan">{` [${shownContainer}${containers.length > 1 ? ` ${containers.indexOf(shownContainer) + 1}/${containers.length}` : ''}]`}</Text> : ''}
        <Text dimColor>{`  ${status}  timestamps: ${timestamps ? 'on' : 'off'}  wrap: ${wrap ? 'on' : 'off'}  ${lines.length} lines${lines.length >= maxLines ? ` (last ${maxLines})` : ''}`}</Text>
      </Text>
      {error ? <Text color="red">{error}</Text> : <TextPager lines={lines} offset={shownOffset} height={page} wrap={wrap} />}
      {note ? (
        <Text color={note.error ? 'red' : undefined} wrap="truncate-end">
          {note.text}
        </Text>
      ) : (
        <Text dimColor wrap="truncate-end">
          c container  t timestamps  w wrap  f follow on/off  s save  j/k scroll  g/G top/end  Esc back
        </Text>
      )}
    </Box>
  );
}

/** Where `s` saves a log: `<tmpdir>/<pod>-<container>-<YYYYMMDD-HHMMSS>.log`. */
export function logFilePath(pod: string, container: string | undefined, now = new Date(), dir = tmpdir()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
  return join(dir, `${[pod, container].filter(Boolean).join('-')}-${stamp}.log`);
}
