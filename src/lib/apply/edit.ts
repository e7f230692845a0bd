import type { ApiResource } from '../api/resource.js';
import { KtxError } from '../errors.js';
import { createMergePatch } from './json-merge-patch.js';
import type { OpenApiV3 } from './openapi.js';
import { createTwoWayMergePatch } from './strategic-merge-patch.js';

/** An edit changed what identifies the object. The message is kubectl edit's. */
export class EditIdentityChangedError extends KtxError {
  override name = 'EditIdentityChangedError';
  constructor() {
    super('At least one of apiVersion, kind and name was changed');
  }
}

type JsonMap = Record<string, unknown>;

/**
 * The patch `kubectl edit` sends for an edited object: a two-way strategic merge patch (only the
 * changed fields) for kinds whose PATCH accepts one, a JSON merge patch otherwise. A patch that
 * would change apiVersion, kind, metadata.name or managedFields is refused with
 * {@link EditIdentityChangedError}. `{}` means the edit changed nothing.
 */
export async function editPatch(openapi: OpenApiV3, resource: ApiResource, original: JsonMap, edited: JsonMap): Promise<{ type: 'strategic' | 'merge'; patch: JsonMap }> {
  const strategy = await openapi.patchStrategy({ group: resource.group, version: resource.version, kind: resource.kind });
  const patch = strategy.type === 'strategic' ? createTwoWayMergePatch(original, edited, strategy.schema) : createMergePatch(original, edited);
  const meta = patch.metadata as JsonMap | undefined;
  if ('apiVersion' in patch || 'kind' in patch || 'managedFields' in patch || (meta && 'name' in meta)) throw new EditIdentityChangedError();
  return { type: strategy.type, patch };
}
