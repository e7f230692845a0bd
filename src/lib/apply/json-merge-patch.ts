import { KtxError } from '../errors.js';

type JsonMap = Record<string, unknown>;

const isMap = (v: unknown): v is JsonMap => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Go-style type tag of a decoded JSON value: maps and lists are told apart, all numbers are alike. */
export function jsonKind(v: unknown): 'map' | 'slice' | 'string' | 'number' | 'bool' | 'null' {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'slice';
  switch (typeof v) {
    case 'object':
      return 'map';
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    default:
      return 'bool';
  }
}

/** Structural equality of decoded JSON values (reflect.DeepEqual on them). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isMap(a)) {
    if (!isMap(b)) return false;
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/**
 * The RFC 7386 merge patch that turns `original` into `modified`: changed and added keys carry
 * their new values, removed keys are `null`, lists are replaced whole.
 */
export function createMergePatch(original: JsonMap, modified: JsonMap): JsonMap {
  const into: JsonMap = {};
  for (const [key, bv] of Object.entries(modified)) {
    if (!Object.hasOwn(original, key)) {
      into[key] = bv;
      continue;
    }
    const av = original[key];
    if (jsonKind(av) !== jsonKind(bv)) {
      into[key] = bv;
      continue;
    }
    if (isMap(av)) {
      const sub = createMergePatch(av, bv as JsonMap);
      if (Object.keys(sub).length > 0) into[key] = sub;
    } else if (!deepEqual(av, bv)) {
      into[key] = bv;
    }
  }
  for (const key of Object.keys(original)) if (!Object.hasOwn(modified, key)) into[key] = null;
  return into;
}

/** Keeps only the deletions (`null`s) of a merge patch, or only its additions and changes. */
function keepOrDeleteNull(m: JsonMap, keepNull: boolean): JsonMap {
  const out: JsonMap = {};
  for (const [key, val] of Object.entries(m)) {
    if (val === null) {
      if (keepNull) out[key] = null;
      continue;
    }
    if (isMap(val)) {
      // An explicitly empty map is a value, not an empty patch.
      if (Object.keys(val).length === 0) {
        if (!keepNull) out[key] = val;
        continue;
      }
      const sub = keepOrDeleteNull(val, keepNull);
      if (Object.keys(sub).length > 0) out[key] = sub;
    } else if (!keepNull) {
      out[key] = val;
    }
  }
  return out;
}

function hasConflicts(left: unknown, right: unknown): boolean {
  if (isMap(left)) {
    if (!isMap(right)) return true;
    return Object.keys(left).some((k) => Object.hasOwn(right, k) && hasConflicts(left[k], right[k]));
  }
  if (Array.isArray(left)) {
    if (!Array.isArray(right) || left.length !== right.length) return true;
    return left.some((v, i) => hasConflicts(v, right[i]));
  }
  return !deepEqual(left, right);
}

function pruneNulls(v: unknown): unknown {
  if (isMap(v)) {
    for (const k of Object.keys(v)) {
      if (v[k] === null) delete v[k];
      else pruneNulls(v[k]);
    }
  } else if (Array.isArray(v)) {
    for (const item of v) if (item !== null) pruneNulls(item);
  }
  return v;
}

/** Applies merge patch `patch` onto document `doc` in place (RFC 7386, as evanphx/json-patch's MergePatch). */
export function mergePatchInto(doc: JsonMap, patch: JsonMap): JsonMap {
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) {
      delete doc[k];
      continue;
    }
    const cur = doc[k];
    if (cur === undefined || cur === null) doc[k] = pruneNulls(structuredClone(v));
    else if (isMap(cur) && isMap(v)) mergePatchInto(cur, v);
    else doc[k] = isMap(cur) ? structuredClone(v) : pruneNulls(structuredClone(v));
  }
  return doc;
}

/** The three JSON documents disagree in a way a merge patch cannot express. */
export class MergePatchError extends KtxError {
  override name = 'MergePatchError';
}

/**
 * kubectl's three-way JSON merge patch (jsonmergepatch.CreateThreeWayJSONMergePatch), used by
 * client-side apply for kinds without strategic-merge support (custom resources): the additions
 * and changes from `current` (live) to `modified` (the manifest), plus the deletions from
 * `original` (last applied) to `modified`. Lists are replaced whole.
 */
export function createThreeWayJsonMergePatch(original: JsonMap | undefined, modified: JsonMap, current: JsonMap): JsonMap {
  const addAndChange = keepOrDeleteNull(createMergePatch(current, modified), false);
  const deletions = keepOrDeleteNull(createMergePatch(original ?? {}, modified), true);
  if (hasConflicts(addAndChange, deletions)) throw new MergePatchError('invalid JSON document');
  return mergePatchInto(deletions, addAndChange);
}
