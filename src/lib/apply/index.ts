// Applying manifests: server-side and client-side apply, patches as kubectl computes them, ApplySets, readiness, diff helpers.
export { Applier, type ApplyFailure, type ApplyOperation, type ApplyOptions, type ApplyReport, type ApplyResult, type ApplyTarget } from './apply.js';
export {
  APPLYSET_GROUP_KINDS_ANNOTATION,
  APPLYSET_ID_LABEL,
  APPLYSET_NAMESPACES_ANNOTATION,
  APPLYSET_PART_OF_LABEL,
  APPLYSET_TOOLING_ANNOTATION,
  ApplySet,
  applySetId,
  groupKindString,
  withApplySetLabel,
  type ApplySetOptions,
  type ApplySetParentRef,
  type PrunedObject,
} from './applyset.js';
export { diffFileName, isSecret, maskSecretData, withoutManagedFields } from './diff.js';
export { editPatch, EditIdentityChangedError } from './edit.js';
export { ApplyConflictError, describeObject, FIELD_MANAGER_CONFLICT_HELP, ResourceMappingError, withSource } from './errors.js';
export { goJson } from './go-json.js';
export { createMergePatch, createThreeWayJsonMergePatch, deepEqual, mergePatchInto, MergePatchError } from './json-merge-patch.js';
export { LAST_APPLIED_ANNOTATION, lastAppliedConfiguration, originalConfiguration, withLastApplied, withoutLastApplied } from './last-applied.js';
export { migrateClientSideManagersPatch, type ManagedFieldsEntry } from './managed-fields.js';
export { NoKindMatchError, ResourceMapper, splitApiVersion } from './mapper.js';
export { OpenApiPatchSchema, OpenApiV3, type OpenApiDocument, type OpenApiSchema, type PatchStrategy } from './openapi.js';
export { readiness, waitsFor, waitUntilReady, type Readiness, type ReadinessTarget, type WaitReadyOptions } from './rollout.js';
export {
  applyStrategicMergePatch,
  createThreeWayMergePatch,
  createTwoWayMergePatch,
  schemaless,
  StrategicMergePatchError,
  type PatchMeta,
  type PatchSchema,
} from './strategic-merge-patch.js';
