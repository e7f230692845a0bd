import { KtxError } from '../errors.js';

/**
 * A TYPE argument names no resource, kind or category the server serves (after one discovery
 * refresh when the data came from an older cache). The message is kubectl's, naming the part
 * before the first dot as typed: `the server doesn't have a resource type "foos"`.
 */
export class ResourceNotFoundError extends KtxError {
  override name = 'ResourceNotFoundError';
  constructor(
    /** The resource part of the argument, as typed (`FOOS` for `FOOS.example.com`). */
    readonly resource: string,
  ) {
    super(`the server doesn't have a resource type "${resource}"`);
  }
}
