import type { KubeObject } from './resource.js';

/**
 * The Accept header kubectl sends for human output: the server renders a `meta.k8s.io` Table
 * (its own printers for built-in kinds, additionalPrinterColumns for custom resources).
 */
export const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

/** A column of a server-side Table; `priority > 0` columns are shown only by `-o wide`. */
export interface TableColumnDefinition {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
}

/** A row of a server-side Table; `object` is PartialObjectMetadata, or the full object with `includeObject=Object`. */
export interface TableRow {
  cells: unknown[];
  conditions?: unknown[];
  object?: KubeObject;
}

/** `meta.k8s.io/v1` Table, as the apiserver returns it for lists, gets and watch events. */
export interface Table {
  kind: 'Table';
  apiVersion: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  columnDefinitions: TableColumnDefinition[];
  rows: TableRow[];
}
