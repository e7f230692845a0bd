// `?`: every key the explorer understands.
import { Box, Text, useInput } from 'ink';
import { TABLE_KEYS } from './help.js';

export function HelpOverlay({ onClose }: { onClose(): void }) {
  useInput((input, key) => {
    if (key.escape || input === 'q' || input === '?') onClose();
  });
  const width = Math.max(...TABLE_KEYS.map((k) => k.keys.length)) + 2;
  return (
    <Box flexDirection="column">
      <Text bold>Keys</Text>
      {TABLE_KEYS.map((k) => (
        <Text key={k.keys} wrap="truncate-end">
          <Text color="cyan">{k.keys.padEnd(width)}</Text>
          {k.what}
        </Text>
      ))}
      <Text dimColor>Esc, q or ? closes this help</Text>
    </Box>
  );
}
