// Reading manifests: -f sources (files, directories, globs, stdin, URLs), YAML/JSON streams with positions, namespaces.
export { expandGlob, hasGlobMeta } from './glob.js';
export { assignNamespace, NamespaceMismatchError } from './namespace.js';
export { ManifestError, parseManifests, type Manifest, type ParsedManifests } from './parse.js';
export { LabelSelectorError, matchesLabels, parseLabelSelector, type LabelRequirement } from './selector.js';
export { MANIFEST_EXTENSIONS, ManifestSourceError, readManifestSources, type ManifestSource, type ReadSourcesOptions } from './source.js';

import { parseManifests, type ParsedManifests } from './parse.js';
import { readManifestSources, type ReadSourcesOptions } from './source.js';

/**
 * Reads and parses every `-f` argument: all objects in source order, and the documents that
 * could not be parsed. Unreadable arguments throw ManifestSourceError before anything is parsed.
 */
export async function loadManifests(args: string[], options: ReadSourcesOptions = {}): Promise<ParsedManifests> {
  const out: ParsedManifests = { manifests: [], errors: [] };
  for (const src of await readManifestSources(args, options)) {
    const parsed = parseManifests(src);
    const base = out.manifests.length + out.errors.length;
    out.manifests.push(...parsed.manifests.map((m) => ({ ...m, index: base + m.index })));
    for (const e of parsed.errors) {
      e.index += base;
      out.errors.push(e);
    }
  }
  return out;
}
