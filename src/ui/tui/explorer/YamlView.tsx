// `y`: the selected object as YAML (managedFields dropped), scrollable, with `/` search and n/N.
import { useCallback } from 'react';
import { stripManagedFields, toYaml } from '../../print/index.js';
import { ObjectPage } from './ObjectPage.js';
import type { ExplorerSource, ObjectRef } from './source.js';

export interface YamlViewProps {
  source: ExplorerSource;
  target: ObjectRef;
  height: number;
  onClose(): void;
}

export function YamlView({ source, target, height, onClose }: YamlViewProps) {
  const load = useCallback(async (ref: ObjectRef) => toYaml(stripManagedFields(await source.get(ref))).replace(/\n$/, '').split('\n'), [source]);
  return <ObjectPage title="YAML" target={target} load={load} height={height} onClose={onClose} />;
}
