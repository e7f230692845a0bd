// Benchmark children measure the built package (dist/, what `npm run build` made and what ships),
// typed by the sources, so that typechecking bench/ does not need a build.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../util.js';

/** KTX_BENCH_DIST points at another build to compare (e.g. a copy with an experimental change). */
const distDir = process.env.KTX_BENCH_DIST ?? join(repoRoot, 'dist');

export function fromDist<T>(path: string): Promise<T> {
  return import(pathToFileURL(join(distDir, path)).href) as Promise<T>;
}
