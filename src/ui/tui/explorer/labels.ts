// Short texts the explorer shows about objects and errors.
import { errorText } from '../../../cli/errors.js';
import { qualifiedResource } from '../../../lib/api/resource.js';
import type { ObjectRef } from './source.js';

/** `pod/web-1 -n ns`-like label: `pods/web-1 (ns)`. */
export function refLabel(ref: ObjectRef): string {
  return `${qualifiedResource(ref.resource)}/${ref.name}${ref.namespace && ref.resource.namespaced ? ` (${ref.namespace})` : ''}`;
}

/** An error as kubectl words it (`Error from server (Forbidden): …`), on one line. */
export function describeError(err: unknown): string {
  return errorText(err).replace(/\s*\n\s*/g, ' ');
}
