/**
 * Strategic merge patch, computed the way kubectl computes it (apimachinery's strategicpatch
 * package), so that ktx's client-side apply and edit send patches with the same effect as
 * kubectl's and reach the same verdict (`unchanged` when the patch is `{}`).
 *
 * Behaviour worth knowing, kept on purpose because kubectl has it too:
 * - lists with the `merge` strategy are diffed by merge key; a list whose order differs from
 *   the manifest gets a `$setElementOrder/<field>` directive;
 * - lists of scalars with the `merge` strategy are sorted in place before they are compared, so
 *   an unsorted list (e.g. `finalizers: [b, a]`) yields a `$setElementOrder` on every apply;
 * - fields with the `retainKeys` strategy get a `$retainKeys` directive naming the keys to keep.
 *
 * The patch metadata (strategy and merge key of each field) comes from a {@link PatchSchema}:
 * the server's OpenAPI v3 document for built-in kinds (see `openapi.ts`), or {@link schemaless}.
 */
import { KtxError } from '../errors.js';
import { deepEqual, jsonKind } from './json-merge-patch.js';

type JsonMap = Record<string, unknown>;

/** What the schema says about one field: its patch strategies (`merge`, `replace`, `retainKeys`) and list merge key. */
export interface PatchMeta {
  strategies: string[];
  mergeKey: string;
}

/**
 * A position in an object schema that can be asked about its fields. Lookups throw
 * {@link StrategicMergePatchError} when the schema does not know the field.
 */
export interface PatchSchema {
  /** The field `key` of this (object) schema: its metadata and the schema of its value. */
  lookupForStruct(key: string): { schema: PatchSchema; meta: PatchMeta };
  /** The list field `key`: its metadata and the schema of its items. */
  lookupForSlice(key: string): { schema: PatchSchema; meta: PatchMeta };
}

/** A schema that knows nothing: every field is replaced or recursed into like a JSON merge patch. */
export const schemaless: PatchSchema = {
  lookupForStruct: () => ({ schema: schemaless, meta: { strategies: [], mergeKey: '' } }),
  lookupForSlice: () => ({ schema: schemaless, meta: { strategies: [], mergeKey: '' } }),
};

/** The patch cannot be computed or applied (bad directives, list items without their merge key, …). */
export class StrategicMergePatchError extends KtxError {
  override name = 'StrategicMergePatchError';
}

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList';
const SET_ELEMENT_ORDER = '$setElementOrder';

interface DiffOptions {
  setElementOrder?: boolean;
  ignoreChangesAndAdditions?: boolean;
  ignoreDeletions?: boolean;
  buildRetainKeys?: boolean;
}

interface MergeOptions {
  mergeParallelList: boolean;
  ignoreUnmatchedNulls: boolean;
}

const isMap = (v: unknown): v is JsonMap => jsonKind(v) === 'map';

/** How Go's `fmt.Sprintf("%v")` prints a decoded JSON scalar; merge keys and scalar lists are ordered by it. */
function goFormat(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function compareFormatted(a: unknown, b: unknown): number {
  const x = goFormat(a);
  const y = goFormat(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function extractRetainKeysStrategy(strategies: string[]): { retainKeys: boolean; strategy: string } {
  switch (strategies.length) {
    case 0:
      return { retainKeys: false, strategy: '' };
    case 1:
      return strategies[0] === 'retainKeys' ? { retainKeys: true, strategy: '' } : { retainKeys: false, strategy: strategies[0]! };
    case 2:
      if (strategies[0] === 'retainKeys') return { retainKeys: true, strategy: strategies[1]! };
      if (strategies[1] === 'retainKeys') return { retainKeys: true, strategy: strategies[0]! };
      break;
  }
  throw new StrategicMergePatchError(`unexpected patch strategy: [${strategies.join(' ')}]`);
}

// ---------------------------------------------------------------------------------------------
// Computing patches
// ---------------------------------------------------------------------------------------------

function diffMaps(original: JsonMap, modified: JsonMap, schema: PatchSchema, o: DiffOptions): JsonMap {
  const patch: JsonMap = {};
  const retainKeys: string[] = [];
  for (const [key, mv] of Object.entries(modified)) {
    if (o.buildRetainKeys && mv !== null) retainKeys.push(key);
    if (!Object.hasOwn(original, key)) {
      if (!o.ignoreChangesAndAdditions) patch[key] = mv;
      continue;
    }
    const ov = original[key];
    if (key === DIRECTIVE) {
      if (typeof ov !== 'string' || typeof mv !== 'string') throw new StrategicMergePatchError(`invalid value for special key: ${DIRECTIVE}`);
      if (ov !== mv) patch[key] = mv;
      continue;
    }
    if (jsonKind(ov) !== jsonKind(mv)) {
      if (!o.ignoreChangesAndAdditions) patch[key] = mv;
      continue;
    }
    if (isMap(ov)) diffMapField(key, ov, mv as JsonMap, patch, schema, o);
    else if (Array.isArray(ov)) diffSliceField(key, ov, mv as unknown[], patch, schema, o);
    else replaceIfNotEqual(key, ov, mv, patch, o);
  }
  if (!o.ignoreDeletions) {
    for (const key of Object.keys(original)) if (!Object.hasOwn(modified, key)) patch[key] = null;
  }
  if (retainKeys.length > 0 && (Object.keys(patch).length > 0 || hasAdditionalNewField(original, modified))) {
    patch[RETAIN_KEYS] = sortScalars(retainKeys);
  }
  return patch;
}

function hasAdditionalNewField(original: JsonMap, modified: JsonMap): boolean {
  return Object.entries(original).some(([k, v]) => v !== null && !Object.hasOwn(modified, k));
}

function replaceIfNotEqual(key: string, original: unknown, modified: unknown, patch: JsonMap, o: DiffOptions): void {
  if (o.ignoreChangesAndAdditions || deepEqual(original, modified)) return;
  patch[key] = modified;
}

function diffMapField(key: string, ov: JsonMap, mv: JsonMap, patch: JsonMap, schema: PatchSchema, o: DiffOptions): void {
  let found: { schema: PatchSchema; meta: PatchMeta };
  try {
    found = schema.lookupForStruct(key);
  } catch (err) {
    if (deepEqual(ov, mv)) return;
    throw err;
  }
  const { retainKeys, strategy } = extractRetainKeysStrategy(found.meta.strategies);
  if (strategy === 'replace') {
    if (!o.ignoreChangesAndAdditions) patch[key] = mv;
    return;
  }
  const sub = diffMaps(ov, mv, found.schema, { ...o, buildRetainKeys: retainKeys });
  if (Object.keys(sub).length > 0) patch[key] = sub;
}

function diffSliceField(key: string, ov: unknown[], mv: unknown[], patch: JsonMap, schema: PatchSchema, o: DiffOptions): void {
  let found: { schema: PatchSchema; meta: PatchMeta };
  try {
    found = schema.lookupForSlice(key);
  } catch (err) {
    if (deepEqual(ov, mv)) return;
    throw err;
  }
  const { retainKeys, strategy } = extractRetainKeysStrategy(found.meta.strategies);
  if (strategy !== 'merge') {
    replaceIfNotEqual(key, ov, mv, patch, o);
    return;
  }
  const { add, del, order } = diffLists(ov, mv, found.schema, found.meta.mergeKey, { ...o, buildRetainKeys: retainKeys });
  if (add.length > 0) patch[key] = add;
  if (del.length > 0) patch[`${DELETE_FROM_PRIMITIVE_LIST}/${key}`] = del;
  if (order.length > 0) patch[`${SET_ELEMENT_ORDER}/${key}`] = order;
}

function sliceElementKind(...slices: unknown[][]): 'map' | 'scalar' {
  let prev: string | undefined;
  for (const s of slices) {
    for (const v of s) {
      const kind = jsonKind(v);
      if (prev === undefined) {
        if (kind === 'slice') throw new StrategicMergePatchError('lists of lists are not supported');
        prev = kind;
      } else if (prev !== kind) {
        throw new StrategicMergePatchError('list element types are not identical');
      }
    }
  }
  if (prev === undefined) throw new StrategicMergePatchError('no elements in any of the given slices');
  return prev === 'map' ? 'map' : 'scalar';
}

function diffLists(original: unknown[], modified: unknown[], schema: PatchSchema, mergeKey: string, o: DiffOptions): { add: unknown[]; del: unknown[]; order: unknown[] } {
  if (original.length === 0) {
    if (modified.length === 0 || o.ignoreChangesAndAdditions) return { add: [], del: [], order: [] };
    return { add: modified, del: [], order: [] };
  }
  const kind = sliceElementKind(original, modified);
  if (kind === 'map') {
    const diff = diffListsOfMaps(original, modified, schema, mergeKey, o);
    let add = normalizeSliceOrder(diff.patch, modified, mergeKey, kind);
    const orderSame = isOrderSame(original, modified, mergeKey);
    add = [...add, ...diff.deletions];
    let order: unknown[] = [];
    if (o.setElementOrder && ((!o.ignoreChangesAndAdditions && (add.length > 0 || !orderSame)) || (!o.ignoreDeletions && add.length > 0))) {
      order = modified.map((v) => ({ [mergeKey]: (v as JsonMap)[mergeKey] }));
    }
    return { add, del: [], order };
  }
  const diff = diffListsOfScalars(original, modified, o);
  const add = normalizeSliceOrder(diff.add, modified, mergeKey, kind);
  // `original` has been sorted in place by diffListsOfScalars, as in kubectl: an unsorted list
  // never compares equal here and always carries its order.
  const order =
    o.setElementOrder && ((!o.ignoreDeletions && diff.del.length > 0) || (!o.ignoreChangesAndAdditions && !deepEqual(original, modified))) ? modified : [];
  return { add, del: diff.del, order };
}

function isOrderSame(original: unknown[], modified: unknown[], mergeKey: string): boolean {
  if (original.length !== modified.length) return false;
  return modified.every((m, i) => mergeKeyValueEqual(original[i], m, mergeKey));
}

function mergeKeyValueEqual(left: unknown, right: unknown, mergeKey: string): boolean {
  if (!mergeKey) return left === right;
  if (!isMap(left) || !isMap(right)) throw new StrategicMergePatchError('expected a map in a merge list');
  if (!Object.hasOwn(left, mergeKey)) throw noMergeKey(left, mergeKey);
  if (!Object.hasOwn(right, mergeKey)) throw noMergeKey(right, mergeKey);
  return left[mergeKey] === right[mergeKey];
}

function noMergeKey(m: unknown, mergeKey: string): StrategicMergePatchError {
  return new StrategicMergePatchError(`map: ${JSON.stringify(m)} does not contain declared merge key: ${mergeKey}`);
}

/** Sorts in place by Go's `%v` text, as kubectl's sortScalars does. */
function sortScalars<T>(s: T[]): T[] {
  return s.sort(compareFormatted);
}

/** apimachinery's in-place de-duplication: a later duplicate is replaced by the last element. */
function deduplicateScalars(input: unknown[]): unknown[] {
  const s = [...input];
  let length = s.length - 1;
  for (let i = 0; i < length; i++) {
    for (let j = i + 1; j <= length; j++) {
      if (s[i] === s[j]) {
        s[j] = s[length];
        s.length = length;
        length--;
        j--;
      }
    }
  }
  return s;
}

function diffListsOfScalars(original: unknown[], modified: unknown[], o: DiffOptions): { add: unknown[]; del: unknown[] } {
  const originalSorted = sortScalars(original);
  const modifiedSorted = sortScalars([...modified]);
  const add: unknown[] = [];
  const del: unknown[] = [];
  let i = 0;
  let j = 0;
  for (;;) {
    const oIn = i < originalSorted.length;
    const mIn = j < modifiedSorted.length;
    if (!oIn && !mIn) break;
    const os = oIn ? goFormat(originalSorted[i]) : '';
    const ms = mIn ? goFormat(modifiedSorted[j]) : '';
    if (oIn && mIn && os === ms) {
      i++;
      j++;
    } else if (!oIn || (mIn && os > ms)) {
      if (!o.ignoreChangesAndAdditions) add.push(modifiedSorted[j]);
      j++;
    } else {
      if (!o.ignoreDeletions) del.push(originalSorted[i]);
      i++;
    }
  }
  return { add, del: deduplicateScalars(del) };
}

function sortByMergeKey(list: unknown[], mergeKey: string): JsonMap[] {
  const maps = list.map((v) => {
    if (!isMap(v)) throw new StrategicMergePatchError('expected a map in a merge list');
    return v;
  });
  return [...maps].sort((a, b) => compareFormatted(a[mergeKey], b[mergeKey]));
}

function diffListsOfMaps(original: unknown[], modified: unknown[], schema: PatchSchema, mergeKey: string, o: DiffOptions): { patch: unknown[]; deletions: unknown[] } {
  const patch: unknown[] = [];
  const deletions: unknown[] = [];
  const os = sortByMergeKey(original, mergeKey);
  const ms = sortByMergeKey(modified, mergeKey);
  let i = 0;
  let j = 0;
  for (;;) {
    const oIn = i < os.length;
    const mIn = j < ms.length;
    if (!oIn && !mIn) break;
    let oElem: JsonMap | undefined;
    let mElem: JsonMap | undefined;
    let oStr = '';
    let mStr = '';
    if (oIn) {
      oElem = os[i]!;
      if (!Object.hasOwn(oElem, mergeKey)) throw noMergeKey(oElem, mergeKey);
      oStr = goFormat(oElem[mergeKey]);
    }
    if (mIn) {
      mElem = ms[j]!;
      if (!Object.hasOwn(mElem, mergeKey)) throw noMergeKey(mElem, mergeKey);
      mStr = goFormat(mElem[mergeKey]);
    }
    if (oIn && mIn && oStr === mStr) {
      const sub = diffMaps(oElem!, mElem!, schema, o);
      if (Object.keys(sub).length > 0) {
        sub[mergeKey] = mElem![mergeKey];
        patch.push(sub);
      }
      i++;
      j++;
    } else if (!oIn || (mIn && oStr > mStr)) {
      if (!o.ignoreChangesAndAdditions) patch.push(mElem);
      j++;
    } else {
      if (!o.ignoreDeletions) deletions.push({ [mergeKey]: oElem![mergeKey], [DIRECTIVE]: 'delete' });
      i++;
    }
  }
  return { patch, deletions };
}

function indexIn(list: unknown[] | undefined, value: unknown, mergeKey: string, kind: 'map' | 'scalar'): number {
  if (!list) return -1;
  const key = (v: unknown) => (kind === 'map' ? (isMap(v) ? v[mergeKey] : undefined) : v);
  const want = key(value);
  return list.findIndex((v) => key(v) === want);
}

/** Stable insertion sort with a "less" predicate, which is what Go's sort.SliceStable does for short lists. */
function insertionSort<T>(items: T[], less: (a: T, b: T) => boolean): T[] {
  const s = [...items];
  for (let i = 1; i < s.length; i++) {
    for (let j = i; j > 0 && less(s[j]!, s[j - 1]!); j--) [s[j], s[j - 1]] = [s[j - 1]!, s[j]!];
  }
  return s;
}

function normalizeSliceOrder(toSort: unknown[], order: unknown[] | undefined, mergeKey: string, kind: 'map' | 'scalar'): unknown[] {
  let items = toSort;
  let toDelete: unknown[] = [];
  if (kind === 'map') {
    for (const list of [toSort, order ?? []]) {
      for (const item of list) {
        if (!isMap(item)) throw new StrategicMergePatchError('expected a map in a merge list');
        if (!Object.hasOwn(item, mergeKey)) throw noMergeKey(item, mergeKey);
      }
    }
    items = toSort.filter((v) => (v as JsonMap)[DIRECTIVE] !== 'delete');
    toDelete = toSort.filter((v) => (v as JsonMap)[DIRECTIVE] === 'delete');
  }
  const sorted = insertionSort(items, (a, b) => {
    const ia = indexIn(order, a, mergeKey, kind);
    if (ia >= 0) {
      const ib = indexIn(order, b, mergeKey, kind);
      if (ib >= 0) return ia < ib;
    }
    return true;
  });
  return [...sorted, ...toDelete];
}

// ---------------------------------------------------------------------------------------------
// Merging patches
// ---------------------------------------------------------------------------------------------

function mergeMap(original: JsonMap | null | undefined, patch: JsonMap, schema: PatchSchema, o: MergeOptions): JsonMap {
  if (Object.hasOwn(patch, DIRECTIVE)) {
    const directive = patch[DIRECTIVE];
    if (directive === 'replace') {
      delete patch[DIRECTIVE];
      return patch;
    }
    if (directive === 'delete') return {};
    throw new StrategicMergePatchError(`Unknown patch type: ${String(directive)} in map: ${JSON.stringify(patch)}`);
  }
  const out: JsonMap = original ?? {};
  applyRetainKeysDirective(out, patch, o);
  mergeSetElementOrder(out, patch, schema, o);
  for (const k0 of Object.keys(patch)) {
    let k = k0;
    const pv = patch[k0];
    let isDeleteList = false;
    if (k0.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
      if (!o.mergeParallelList) {
        out[k0] = pv;
        continue;
      }
      k = extractKey(k0, DELETE_FROM_PRIMITIVE_LIST);
      isDeleteList = true;
    }
    if (pv === null) {
      delete out[k];
      if (o.ignoreUnmatchedNulls) continue;
    }
    if (!Object.hasOwn(out, k)) {
      out[k] = pv;
      continue;
    }
    const ov = out[k];
    if (jsonKind(ov) !== jsonKind(pv)) {
      out[k] = pv;
      continue;
    }
    if (isMap(ov)) {
      const { schema: sub, meta } = schema.lookupForStruct(k);
      const { strategy } = extractRetainKeysStrategy(meta.strategies);
      out[k] = strategy === 'replace' ? pv : mergeMap(ov, pv as JsonMap, sub, o);
    } else if (Array.isArray(ov)) {
      const { schema: sub, meta } = schema.lookupForSlice(k);
      const { strategy } = extractRetainKeysStrategy(meta.strategies);
      out[k] = strategy === 'merge' ? mergeSlice(ov, pv as unknown[], sub, meta.mergeKey, o, isDeleteList) : pv;
    } else {
      out[k] = pv;
    }
  }
  return out;
}

function extractKey(s: string, prefix: string): string {
  const slash = s.indexOf('/');
  if (slash < 0 || s.slice(0, slash) !== prefix) {
    throw new StrategicMergePatchError(
      prefix === DELETE_FROM_PRIMITIVE_LIST
        ? 'invalid patch format of primitive list'
        : prefix === SET_ELEMENT_ORDER
          ? 'invalid patch format of setElementOrder list'
          : `fail to find unknown prefix ${JSON.stringify(prefix)} in ${s}`,
    );
  }
  return s.slice(slash + 1);
}

function applyRetainKeysDirective(original: JsonMap, patch: JsonMap, o: MergeOptions): void {
  if (!Object.hasOwn(patch, RETAIN_KEYS)) return;
  const retain = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!o.mergeParallelList) {
    // Merging two patches: keep one copy of the directive.
    if (Object.hasOwn(original, RETAIN_KEYS)) {
      if (!deepEqual(original[RETAIN_KEYS], retain)) throw new StrategicMergePatchError('$retainKeys directives differ between the patches');
    } else {
      original[RETAIN_KEYS] = retain;
    }
    return;
  }
  if (!Array.isArray(retain)) throw new StrategicMergePatchError('invalid patch format of retainKeys');
  const keep = new Set(retain);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER)) continue;
    if (!keep.has(k)) throw new StrategicMergePatchError('invalid patch format of retainKeys');
  }
  for (const k of Object.keys(original)) if (!keep.has(k)) delete original[k];
}

function mergeSetElementOrder(original: JsonMap, patch: JsonMap, schema: PatchSchema, o: MergeOptions): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER)) continue;
    const order = patch[key];
    if (!o.mergeParallelList) {
      if (Object.hasOwn(original, key)) {
        if (!deepEqual(original[key], order)) throw new StrategicMergePatchError('invalid patch format of setElementOrder list');
      } else {
        original[key] = order;
      }
    }
    delete patch[key];
    if (!Array.isArray(order)) throw new StrategicMergePatchError('invalid patch format of setElementOrder list');
    const field = extractKey(key, SET_ELEMENT_ORDER);
    const foundOriginal = Object.hasOwn(original, field);
    const foundPatch = Object.hasOwn(patch, field);
    const originalList = original[field];
    const patchList = patch[field];
    if (foundOriginal && !Array.isArray(originalList)) throw new StrategicMergePatchError(`expected a list in ${field}`);
    if (foundPatch && !Array.isArray(patchList)) throw new StrategicMergePatchError(`expected a list in ${field}`);
    const { schema: sub, meta } = schema.lookupForSlice(field);
    const { strategy } = extractRetainKeysStrategy(meta.strategies);
    const mergeKey = meta.mergeKey;
    validatePatchWithSetOrderList((patchList as unknown[] | undefined) ?? [], order, mergeKey);
    let merged: unknown[];
    if (foundOriginal && !foundPatch) merged = originalList as unknown[];
    else if (!foundOriginal && foundPatch) merged = patchList as unknown[];
    else if (foundOriginal && foundPatch) {
      merged = strategy === 'merge' ? mergeSlice(originalList as unknown[], patchList as unknown[], sub, mergeKey, o, false) : (patchList as unknown[]);
    } else continue;
    const { inList, notInList } = partition(merged, order, mergeKey);
    const kind = sliceElementKind((originalList as unknown[] | undefined) ?? [], (patchList as unknown[] | undefined) ?? []);
    original[field] = normalizeElementOrder(inList, notInList, order, originalList as unknown[] | undefined, mergeKey, kind);
    delete patch[field];
  }
}

function validatePatchWithSetOrderList(patchList: unknown[], order: unknown[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  const nonDelete = mergeKey ? patchList.filter((v) => !(isMap(v) && v[DIRECTIVE] === 'delete')) : patchList;
  let p = 0;
  let s = 0;
  while (p < nonDelete.length && s < order.length) {
    if (isMap(nonDelete[p]) && Object.hasOwn(nonDelete[p] as JsonMap, DIRECTIVE)) {
      p++;
      continue;
    }
    if (mergeKeyValueEqual(nonDelete[p], order[s], mergeKey)) p++;
    s++;
  }
  if (p < nonDelete.length && s >= order.length) {
    throw new StrategicMergePatchError(`The order in patch list:\n${JSON.stringify(patchList)}\n doesn't match ${SET_ELEMENT_ORDER} list:\n${JSON.stringify(order)}\n`);
  }
}

/** Splits `list` into the items present in `by` (by merge key for maps) and the rest, keeping order. */
function partition(list: unknown[], by: unknown[] | undefined, mergeKey: string): { inList: unknown[]; notInList: unknown[] } {
  const inList: unknown[] = [];
  const notInList: unknown[] = [];
  for (const v of list) {
    let present: boolean;
    if (!mergeKey) present = (by ?? []).includes(v);
    else {
      if (!isMap(v)) throw new StrategicMergePatchError('expected a map in a merge list');
      if (!Object.hasOwn(v, mergeKey)) throw noMergeKey(v, mergeKey);
      present = (by ?? []).some((b) => {
        if (!isMap(b)) throw new StrategicMergePatchError('expected a map in a merge list');
        return Object.hasOwn(b, mergeKey) && b[mergeKey] === v[mergeKey];
      });
    }
    (present ? inList : notInList).push(v);
  }
  return { inList, notInList };
}

function normalizeElementOrder(patch: unknown[], serverOnly: unknown[], patchOrder: unknown[] | undefined, serverOrder: unknown[] | undefined, mergeKey: string, kind: 'map' | 'scalar'): unknown[] {
  const p = normalizeSliceOrder(patch, patchOrder, mergeKey, kind);
  const so = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind);
  return mergeSortedSlice(so, p, serverOrder, mergeKey, kind);
}

/** Interleaves server-only items into the patch items, keeping both relative orders and the live order where known. */
function mergeSortedSlice(left: unknown[], right: unknown[], serverOrder: unknown[] | undefined, mergeKey: string, kind: 'map' | 'scalar'): unknown[] {
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexIn(serverOrder, left[i], mergeKey, kind);
      const ri = indexIn(serverOrder, right[j], mergeKey, kind);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

function mergeSlice(original: unknown[], patch: unknown[], schema: PatchSchema, mergeKey: string, o: MergeOptions, isDeleteList: boolean): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = sliceElementKind(original, patch);
  let merged: unknown[];
  let orig = original;
  let pat: unknown[] | undefined = patch;
  if (kind !== 'map') {
    if (o.mergeParallelList && isDeleteList) return original.filter((v) => !patch.includes(v));
    merged = deduplicateScalars([...original, ...patch]);
  } else {
    if (!mergeKey) throw new StrategicMergePatchError('cannot merge lists without merge key for type map');
    ({ original: orig, patch: pat } = mergeSliceWithSpecialElements(original, patch, mergeKey));
    merged = mergeSliceWithoutSpecialElements(orig, pat ?? [], mergeKey, schema, o);
  }
  const { inList, notInList } = partition(merged, pat, mergeKey);
  return normalizeElementOrder(inList, notInList, pat, orig, mergeKey, kind);
}

function mergeSliceWithSpecialElements(original: unknown[], patch: unknown[], mergeKey: string): { original: unknown[]; patch: unknown[] | undefined } {
  const without: unknown[] = [];
  let replace = false;
  let orig = original;
  for (const v of patch) {
    const m = v as JsonMap;
    if (!Object.hasOwn(m, DIRECTIVE)) {
      without.push(v);
      continue;
    }
    switch (m[DIRECTIVE]) {
      case 'delete':
        if (!Object.hasOwn(m, mergeKey)) throw noMergeKey(m, mergeKey);
        orig = orig.filter((x) => !(isMap(x) && Object.hasOwn(x, mergeKey) && x[mergeKey] === m[mergeKey]));
        break;
      case 'replace':
        replace = true;
        break;
      case 'merge':
        throw new StrategicMergePatchError('merging lists cannot yet be specified in the patch');
      default:
        throw new StrategicMergePatchError(`Unknown patch type: ${String(m[DIRECTIVE])} in map: ${JSON.stringify(m)}`);
    }
  }
  return replace ? { original: without, patch: undefined } : { original: orig, patch: without };
}

function mergeSliceWithoutSpecialElements(original: unknown[], patch: unknown[], mergeKey: string, schema: PatchSchema, o: MergeOptions): unknown[] {
  const out = [...original];
  for (const v of patch) {
    const m = v as JsonMap;
    if (!Object.hasOwn(m, mergeKey)) throw noMergeKey(m, mergeKey);
    const idx = out.findIndex((x) => {
      if (!isMap(x)) throw new StrategicMergePatchError('expected a map in a merge list');
      return Object.hasOwn(x, mergeKey) && x[mergeKey] === m[mergeKey];
    });
    if (idx >= 0) out[idx] = mergeMap(out[idx] as JsonMap, m, schema, o);
    else out.push(v);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------------------------

/**
 * The patch client-side apply sends (kubectl's CreateThreeWayMergePatch with overwrite): the
 * changes and additions from `current` (live) to `modified` (the manifest with its annotation),
 * plus the deletions from `original` (the last-applied configuration) to `modified`. `{}` means
 * nothing to do. The inputs are not modified.
 */
export function createThreeWayMergePatch(original: JsonMap | undefined, modified: JsonMap, current: JsonMap, schema: PatchSchema): JsonMap {
  const m = structuredClone(modified);
  const delta = diffMaps(structuredClone(current), m, schema, { ignoreDeletions: true, setElementOrder: true });
  const deletions = diffMaps(structuredClone(original ?? {}), structuredClone(modified), schema, { setElementOrder: true, ignoreChangesAndAdditions: true });
  return mergeMap(deletions, delta, schema, { mergeParallelList: false, ignoreUnmatchedNulls: false });
}

/** The patch that turns `original` into `modified` (kubectl edit's CreateTwoWayMergePatch). */
export function createTwoWayMergePatch(original: JsonMap, modified: JsonMap, schema: PatchSchema): JsonMap {
  return diffMaps(structuredClone(original), structuredClone(modified), schema, { setElementOrder: true });
}

/** Applies a strategic merge patch to a document as the apiserver does; returns the new document. */
export function applyStrategicMergePatch(original: JsonMap, patch: JsonMap, schema: PatchSchema): JsonMap {
  return mergeMap(structuredClone(original), structuredClone(patch), schema, { mergeParallelList: true, ignoreUnmatchedNulls: true });
}
