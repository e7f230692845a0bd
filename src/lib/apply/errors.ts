import type { ApiResource } from '../api/resource.js';
import { ApiError, KtxError } from '../errors.js';

/**
 * kubectl's `Resource: "apps/v1, Resource=deployments", GroupVersionKind: "apps/v1, Kind=Deployment"`
 * / `Name: "web", Namespace: "ns"` block that its client-side apply errors quote.
 */
export function describeObject(resource: ApiResource, name: string, namespace: string): string {
  return (
    `Resource: "${resource.group}/${resource.version}, Resource=${resource.plural}", GroupVersionKind: "${resource.group}/${resource.version}, Kind=${resource.kind}"\n` +
    `Name: "${name}", Namespace: "${namespace}"`
  );
}

/**
 * Prefixes an error with `error when <verb> "<source>": ` as kubectl's AddSourceToErr does: an
 * ApiError stays an ApiError (same reason, code and details) with the prefix in its message.
 */
export function withSource(verb: string, source: string, err: unknown): Error {
  if (!source) return err instanceof Error ? err : new KtxError(String(err));
  if (err instanceof ApiError) {
    return new ApiError({ ...err.status, message: `error when ${verb} "${source}": ${err.message}`, reason: err.reason, code: err.code }, err.code, err.warnings);
  }
  return new KtxError(`error when ${verb} "${source}": ${err instanceof Error ? err.message : String(err)}`);
}

/** The paragraph kubectl adds to a server-side apply conflict (409), verbatim. */
export const FIELD_MANAGER_CONFLICT_HELP = `Please review the fields above--they currently have other managers. Here
are the ways you can resolve this warning:
* If you intend to manage all of these fields, please re-run the apply
  command with the \`--force-conflicts\` flag.
* If you do not intend to manage all of the fields, please edit your
  manifest to remove references to the fields that should keep their
  current managers.
* You may co-own fields by updating your manifest to match the existing
  value; in this case, you'll become the manager if the other manager(s)
  stop managing the field (remove it from their configuration).
See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts`;

/** A server-side apply was refused because other managers own some of the fields (409 Conflict). */
export class ApplyConflictError extends KtxError {
  override name = 'ApplyConflictError';
  constructor(override readonly cause: ApiError) {
    super(`${cause.message}\n${FIELD_MANAGER_CONFLICT_HELP}`);
  }
}

/** A manifest names a kind the server does not serve (kubectl's "resource mapping not found"). */
export class ResourceMappingError extends KtxError {
  override name = 'ResourceMappingError';
}
