#!/usr/bin/env node
// Tiny shim: everything lives in dist/. Startup matters (see BENCHMARKS.md), so:
// - V8's on-disk compile cache where Node has it (module.enableCompileCache, Node >= 22.1);
// - WebAssembly stays on V8's baseline compiler: undici's HTTP parser is WebAssembly, and the
//   optimizing tier compiles in the background, which Node waits for before it exits (~100 ms
//   after the output is written, measured on Node 20);
// - the esbuild bundle (dist/bundle/, lazily loaded chunks) when it is at least as new as the
//   tsc output; otherwise (a tsc-only rebuild, or KTX_NO_BUNDLE=1) the unbundled dist/cli.js.
import module from 'node:module';
import { statSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';

module.enableCompileCache?.();
setFlagsFromString('--liftoff-only');

const mtime = (rel) => statSync(new URL(rel, import.meta.url), { throwIfNoEntry: false })?.mtimeMs ?? -1;
const bundled = !process.env.KTX_NO_BUNDLE && mtime('../dist/bundle/cli.js') >= mtime('../dist/cli.js');
const { main } = bundled ? await import('../dist/bundle/cli.js') : await import('../dist/cli.js');

process.exitCode = await main(process.argv.slice(2));
