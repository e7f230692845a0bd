// `f`: which ports to forward to the selected pod, workload or Service. Prefilled with the first
// container (or Service) port; checked as typed text before anything starts, and a failure to
// start (pod not running, port taken) is shown in place so the ports can be changed.
import { Box, Text, useInput } from 'ink';
import { useEffect, useRef, useState } from 'react';
import { describeError, refLabel } from './labels.js';
import { parsePortSpec } from './port-forwards.js';
import type { ExplorerSource, ObjectRef } from './source.js';

export interface PortForwardDialogProps {
  source: ExplorerSource;
  target: ObjectRef;
  /** The forward is listening: `text` says where. */
  onDone(text: string): void;
  onClose(): void;
}

export function PortForwardDialog({ source, target, onDone, onClose }: PortForwardDialogProps) {
  // Keys can arrive faster than renders: the text lives in a ref, the state only redraws it.
  const valueRef = useRef('');
  const [value, setValueState] = useState('');
  const setValue = (v: string) => {
    valueRef.current = v;
    setValueState(v);
  };
  const touched = useRef(false);
  const live = useRef(true);
  const [error, setError] = useState<string | undefined>();
  const [starting, setStarting] = useState(false);

  useEffect(() => {
    live.current = true;
    source.suggestPorts(target).then(
      (s) => {
        if (live.current && s && !touched.current) setValue(s);
      },
      () => undefined,
    );
    return () => {
      live.current = false;
    };
  }, [source, target]);

  const submit = () => {
    const spec = parsePortSpec(valueRef.current);
    if ('error' in spec) return setError(spec.error);
    setError(undefined);
    setStarting(true);
    source.portForward(target, spec.text).then(
      (f) => {
        if (live.current) onDone(`forwarding ${f.address} -> ${f.remote} (${refLabel(target)}); F lists port-forwards`);
      },
      (err: unknown) => {
        if (!live.current) return;
        setStarting(false);
        setError(describeError(err));
      },
    );
  };

  useInput((input, key) => {
    if (key.escape) return onClose();
    if (starting) return;
    if (key.return) return submit();
    touched.current = true;
    if (key.backspace || key.delete) {
      setValue([...valueRef.current].slice(0, -1).join(''));
      return setError(undefined);
    }
    if (key.ctrl && input === 'u') return setValue('');
    if (key.ctrl || key.meta || !input) return;
    // Text and Enter typed quickly can arrive as one chunk: `:8080\r`.
    const cr = input.search(/[\r\n]/);
    setValue(valueRef.current + (cr >= 0 ? input.slice(0, cr) : input));
    setError(undefined);
    if (cr >= 0) submit();
  });

  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold>Port-forward</Text> {refLabel(target)}
      </Text>
      <Text wrap="truncate-end">
        <Text color="cyan">Ports: </Text>
        {value}
        <Text inverse> </Text>
      </Text>
      <Text dimColor wrap="truncate-end">
        PORT, LOCAL:REMOTE or :REMOTE (a free local port), on localhost. Enter starts, Esc cancels
      </Text>
      {starting ? <Text dimColor>Starting…</Text> : error ? <Text color="red">{error}</Text> : null}
    </Box>
  );
}
