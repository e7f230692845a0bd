// kubectl's TYPE resolution (cli-runtime's builder over client-go's shortcut expander, category
// expander and discovery REST mapper), as pure functions over a priority-ordered resource list.
import type { ApiResource } from '../api/resource.js';
import { ResourceNotFoundError } from './errors.js';

/** Receives warnings meant for the user, e.g. ambiguous short names. */
export type WarningHandler = (message: string) => void;

/**
 * Resolves a TYPE argument the way kubectl does, against `resources` in priority order (core
 * `v1` first, then groups in discovery order, preferred version first; see `Discovery.resources`).
 *
 * The argument is split at commas; each item is a category (expanded to its members), or a
 * plural, singular or short name, optionally qualified as `resource.group` or
 * `resource.version.group`, or a kind (`Pod`, `Deployment.apps`, `Deployment.v1.apps`). See
 * {@link resolveTypeItem}. Results that name the same group, version and kind are collapsed, so
 * `po,pods` gives one entry.
 *
 * @throws ResourceNotFoundError for the first item that matches nothing.
 */
export function resolveResourceType(typeArg: string, resources: readonly ApiResource[], onWarning?: WarningHandler): ApiResource[] {
  const warn = distinctWarnings(onWarning);
  const out: ApiResource[] = [];
  for (const item of typeArg.split(',')) {
    const found = resolveTypeItem(item, resources, warn);
    if (!found) throw new ResourceNotFoundError(resourcePart(item));
    out.push(...found);
  }
  return dedupeResources(out);
}

/**
 * Resolves one comma-free item: a category first (kubectl expands categories before anything
 * else), then a resource or kind ({@link resolveResourceOrKind}). Returns undefined when nothing
 * matches.
 */
export function resolveTypeItem(item: string, resources: readonly ApiResource[], onWarning?: WarningHandler): ApiResource[] | undefined {
  const members = expandCategory(item, resources);
  if (!members) {
    const one = resolveResourceOrKind(item, resources, onWarning);
    return one && [one];
  }
  const out: ApiResource[] = [];
  for (const member of members) {
    const one = resolveResourceOrKind(member, resources, onWarning);
    if (!one) return undefined;
    out.push(one);
  }
  return out;
}

/**
 * The members of a category (`all`, or any category a CRD declares) as `resource[.group]` names in
 * priority order, one per served version (duplicates collapse once resolved); undefined when no
 * resource declares the category. Category names match exactly.
 */
export function expandCategory(category: string, resources: readonly ApiResource[]): string[] | undefined {
  const members = resources.filter((r) => !isSubresource(r) && r.categories?.includes(category));
  return members.length ? members.map((r) => (r.group ? `${r.plural}.${r.group}` : r.plural)) : undefined;
}

/**
 * Resolves one resource or kind name, kubectl's order of attempts:
 * 1. with two or more dots, as `resource.version.group`;
 * 2. as `resource.group`, split at the first dot (or a bare resource);
 * 3. the same two readings as a kind: `Kind.version.group`, then `Kind.group` (`Pod` is core only).
 *
 * A resource name is first expanded if it is a short name ({@link expandShortName}, case-sensitive),
 * then lower-cased and matched against plural and singular names; kinds match exactly or in
 * lower case. The first match in priority order wins. Subresources never match.
 */
export function resolveResourceOrKind(name: string, resources: readonly ApiResource[], onWarning?: WarningHandler): ApiResource | undefined {
  const parts = name.split('.');
  const full = parts.length >= 3 ? { name: parts[0]!, version: parts[1]!, group: parts.slice(2).join('.') } : undefined;
  const dot = name.indexOf('.');
  const partial = { name: dot < 0 ? name : name.slice(0, dot), version: '', group: dot < 0 ? '' : name.slice(dot + 1) };
  return (
    (full && byResource(full, resources, onWarning)) ??
    byResource(partial, resources, onWarning) ??
    (full && byKind(full, resources)) ??
    byKind(partial, resources)
  );
}

/**
 * client-go's shortcut expansion of `resource` within `group` (`''`: any group):
 * - a plural or singular name of some resource (in `group`) stays as it is;
 * - else an exact, case-sensitive short-name match gives that resource; when resources of several
 *   groups (or names) claim it, the first in priority order wins and each other one is reported:
 *   `short name "X" could also match lower priority resource Y`;
 * - else, with a group, a short name whose group starts with `group` (`hpa.autoscal`).
 * Returns the (possibly unchanged) resource name and group.
 */
export function expandShortName(
  resource: string,
  group: string,
  resources: readonly ApiResource[],
  onWarning?: WarningHandler,
): { resource: string; group: string } {
  const candidates = resources.filter((r) => !isSubresource(r));
  const inGroup = (r: ApiResource) => !group || r.group === group;
  if (candidates.some((r) => inGroup(r) && (r.plural === resource || r.singular === resource))) return { resource, group };
  let found: ApiResource | undefined;
  const reported = new Set<string>();
  for (const r of candidates) {
    if (!inGroup(r) || !r.shortNames?.includes(resource)) continue;
    if (!found) {
      found = r;
      continue;
    }
    // Several versions of one resource sharing a short name are not ambiguous.
    if (r.group === found.group && r.plural === found.plural) continue;
    const other = r.group ? `${r.plural}.${r.group}` : r.plural;
    if (!reported.has(other)) {
      reported.add(other);
      onWarning?.(`short name "${resource}" could also match lower priority resource ${other}`);
    }
  }
  if (found) return { resource: found.plural, group: found.group };
  if (group) {
    const prefixed = candidates.find((r) => r.group.startsWith(group) && r.shortNames?.includes(resource));
    if (prefixed) return { resource: prefixed.plural, group: prefixed.group };
  }
  return { resource, group };
}

/** Collapses entries with the same group, version and kind, keeping the first. */
export function dedupeResources(resources: readonly ApiResource[]): ApiResource[] {
  const seen = new Set<string>();
  return resources.filter((r) => {
    const key = `${r.group}/${r.version}/${r.kind}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The name kubectl's "doesn't have a resource type" message shows: the item up to its first dot, as typed. */
export function resourcePart(item: string): string {
  const dot = item.indexOf('.');
  return dot < 0 ? item : item.slice(0, dot);
}

interface NameParts {
  name: string;
  version: string;
  group: string;
}

function byResource(parts: NameParts, resources: readonly ApiResource[], onWarning?: WarningHandler): ApiResource | undefined {
  if (!parts.name) return undefined;
  const expanded = expandShortName(parts.name, parts.group, resources, onWarning);
  const name = expanded.resource.toLowerCase();
  return resources.find(
    (r) =>
      !isSubresource(r) &&
      (!expanded.group || r.group === expanded.group) &&
      (!parts.version || r.version === parts.version) &&
      (r.plural === name || singularOf(r) === name),
  );
}

function byKind(parts: NameParts, resources: readonly ApiResource[]): ApiResource | undefined {
  if (!parts.name) return undefined;
  return resources.find(
    (r) =>
      !isSubresource(r) &&
      r.group === parts.group &&
      (!parts.version || r.version === parts.version) &&
      (r.kind === parts.name || r.kind.toLowerCase() === parts.name),
  );
}

function singularOf(r: ApiResource): string {
  return r.singular || r.kind.toLowerCase();
}

function isSubresource(r: ApiResource): boolean {
  return r.plural.includes('/');
}

/** A handler that passes each distinct message on to `handler` once (undefined stays undefined). */
export function distinctWarnings(handler: WarningHandler | undefined): WarningHandler | undefined {
  if (!handler) return undefined;
  const seen = new Set<string>();
  return (message) => {
    if (seen.has(message)) return;
    seen.add(message);
    handler(message);
  };
}
