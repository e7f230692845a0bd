// One page of text about the selected object (`y` YAML, `d` describe): loaded when opened (so
// reopening refreshes it), scrollable, with `/` search and n/N.
import { Box, Text, useInput } from 'ink';
import { useEffect, useState } from 'react';
import type { ObjectRef } from './source.js';
import { clampPagerOffset, findLine, TextPager } from './TextPager.js';
import { describeError, refLabel } from './labels.js';

export interface ObjectPageProps {
  /** What the page shows, in its header (`YAML`, `Describe`). */
  title: string;
  target: ObjectRef;
  /** The page's lines; called once per target. */
  load(target: ObjectRef): Promise<string[]>;
  height: number;
  onClose(): void;
}

export function ObjectPage({ title, target, load, height, onClose }: ObjectPageProps) {
  const [lines, setLines] = useState<string[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [offset, setOffset] = useState(0);
  const [searching, setSearching] = useState(false);
  const [search, setSearch] = useState('');
  const page = Math.max(1, height - 2);

  useEffect(() => {
    let live = true;
    load(target).then(
      (l) => live && setLines(l),
      (err: unknown) => live && setError(describeError(err)),
    );
    return () => {
      live = false;
    };
  }, [load, target]);

  const total = lines?.length ?? 0;
  const top = clampPagerOffset(offset, total, page);
  const move = (to: number) => setOffset(clampPagerOffset(to, total, page));
  const jump = (dir: 1 | -1, needle = search) => {
    const at = findLine(lines ?? [], needle, top + dir, dir);
    if (at >= 0) move(at);
  };

  useInput((input, key) => {
    if (searching) {
      if (key.escape) {
        setSearching(false);
        setSearch('');
      } else if (key.return) {
        setSearching(false);
        jump(1);
      } else if (key.backspace || key.delete) setSearch((s) => s.slice(0, -1));
      else if (input && !key.ctrl && !key.meta) {
        const next = search + input;
        setSearch(next);
        const at = findLine(lines ?? [], next, top, 1);
        if (at >= 0) move(at);
      }
      return;
    }
    if (key.escape || input === 'q') onClose();
    else if (input === '/') {
      setSearching(true);
      setSearch('');
    } else if (input === 'n') jump(1);
    else if (input === 'N') jump(-1);
    else if (input === 'j' || key.downArrow) move(top + 1);
    else if (input === 'k' || key.upArrow) move(top - 1);
    else if (key.pageDown || input === ' ' || (key.ctrl && input === 'f')) move(top + page);
    else if (key.pageUp || (key.ctrl && input === 'b')) move(top - page);
    else if (input === 'g' || key.home) move(0);
    else if (input === 'G' || key.end) move(total);
  });

  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold>{title}</Text> {refLabel(target)}
        {lines ? <Text dimColor>{`  lines ${Math.min(total, top + 1)}-${Math.min(total, top + page)} of ${total}`}</Text> : ''}
      </Text>
      {error ? <Text color="red">{error}</Text> : lines ? <TextPager lines={lines} offset={top} height={page} search={search} /> : <Text dimColor>Loading…</Text>}
      {searching ? (
        <Text>
          <Text color="cyan">/</Text>
          {search}
          <Text inverse> </Text>
        </Text>
      ) : (
        <Text dimColor wrap="truncate-end">{`${search ? `search: ${search}  n/N next/prev  ` : ''}/ search  j/k scroll  g/G top/bottom  Esc back`}</Text>
      )}
    </Box>
  );
}
