// `d`: the selected object as `kubectl describe` shows it (ui/print/describe.ts), with its
// recent Events, scrollable and searchable. Fetched when opened; reopening refreshes it.
import { useCallback } from 'react';
import { describeObject } from '../../print/describe.js';
import { ObjectPage } from './ObjectPage.js';
import type { ExplorerSource, ObjectRef } from './source.js';

export interface DescribeViewProps {
  source: ExplorerSource;
  target: ObjectRef;
  height: number;
  onClose(): void;
}

export function DescribeView({ source, target, height, onClose }: DescribeViewProps) {
  const load = useCallback(
    async (ref: ObjectRef) => {
      const object = await source.get(ref);
      const uid = object.metadata?.uid;
      // Events are secondary: without them (no uid, or not allowed to list events) describe still shows the object.
      const events = uid ? await source.events(ref, uid).catch(() => []) : [];
      return describeObject(object, events, Date.now());
    },
    [source],
  );
  return <ObjectPage title="Describe" target={target} load={load} height={height} onClose={onClose} />;
}
