// The terminal's size, following resizes. Ink 6.8 has no useWindowSize, so listen to stdout ourselves.
import { useStdout } from 'ink';
import { useEffect, useState } from 'react';

export interface TerminalSize {
  rows: number;
  columns: number;
}

function sizeOf(stdout: NodeJS.WriteStream): TerminalSize {
  return { rows: stdout.rows || 24, columns: stdout.columns || 80 };
}

export function useTerminalSize(): TerminalSize {
  const { stdout } = useStdout();
  const [size, setSize] = useState(() => sizeOf(stdout));
  useEffect(() => {
    const onResize = () =>
      setSize((prev) => {
        const next = sizeOf(stdout);
        return next.rows === prev.rows && next.columns === prev.columns ? prev : next;
      });
    stdout.on('resize', onResize);
    // A resize between the first render and this effect would otherwise go unnoticed.
    onResize();
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}
