// Bundles the CLI (src/cli.ts and everything it imports, dependencies included) with esbuild into
// dist/bundle/: one small entry chunk for startup, and lazily loaded chunks for each command's
// implementation (dynamic imports in src/commands/index.ts become chunk boundaries), so
// `ktx get pods` loads neither Ink/React nor exec/apply. bin/ktx.js prefers this bundle to the
// unbundled tsc output in dist/ when it is at least as new; the library ('ktx') stays unbundled.
//
// Run after tsc (npm run build does both). Measurements: BENCHMARKS.md.
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist/bundle');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** src/lib/version.ts reads package.json at run time; in the bundle the version is a constant. */
const inlineVersion = {
  name: 'ktx-inline-version',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]lib[\\/]version\.ts$/ }, () => ({
      contents: `export const KTX_LIB_VERSION = ${JSON.stringify(version)};\n`,
      loader: 'ts',
    }));
  },
};

/**
 * string-width (yargs' help layout, which yargs renders for every command it runs, and Ink's text
 * measuring) segments graphemes with Intl.Segmenter and tests emoji regexes per character. Strings
 * of simple one-column characters are answered by their length; only others go to the real function.
 */
const asciiStringWidth = {
  name: 'ktx-ascii-string-width',
  setup(b) {
    b.onResolve({ filter: /^string-width$/ }, async (args) => {
      if (args.pluginData === 'real' || args.kind !== 'import-statement') return undefined;
      // Only the ESM versions (7, 8) export a default function; string-width 4 (CommonJS) stays as is.
      return { path: args.resolveDir, namespace: 'ascii-string-width' };
    });
    b.onLoad({ filter: /.*/, namespace: 'ascii-string-width' }, (args) => ({
      resolveDir: args.path,
      pluginData: 'real',
      contents: [
        // require(), not import: esbuild then runs the real module's top level (which builds
        // Unicode property regexes, ~15 ms) on the first non-ASCII string, not at startup.
        // Printable ASCII, Latin-1 letters and signs (not the soft hyphen, nor © ® ‼ ⁉, which string-width 7 counts as emoji), Latin Extended, spacing
        // modifiers, and general punctuation such as … and – : one column each (string-width's
        // default, ambiguous characters narrow).
        'const printable = /^[\\x20-\\x7e\\xa0-\\xa8\\xaa-\\xac\\xaf-\\u02ff\\u2010-\\u2027\\u2030-\\u203b\\u203d-\\u2048\\u204a-\\u205e]*$/;',
        'let real;',
        'export default function stringWidth(s, options) {',
        "  if (typeof s === 'string' && printable.test(s) && options?.ambiguousIsNarrow !== false) return s.length;",
        "  real ??= require('string-width').default;",
        '  return real(s, options);',
        '}',
      ].join('\n'),
    }));
  },
};

/**
 * undici's index loads every part of undici (fetch, cookies, websockets, caches, mocks, which pulls
 * in Node's own copy of undici too). ktx's transport needs the dispatchers; `request` (OIDC) loads
 * the full module on first use.
 */
const slimUndici = {
  name: 'ktx-slim-undici',
  setup(b) {
    b.onResolve({ filter: /^undici$/ }, (args) => {
      if (args.pluginData === 'real' || !/[\\/]src[\\/]/.test(args.importer)) return undefined;
      return { path: 'undici', namespace: 'slim-undici' };
    });
    b.onLoad({ filter: /.*/, namespace: 'slim-undici' }, () => ({
      resolveDir: root,
      pluginData: 'real',
      loader: 'js',
      contents: [
        "import Dispatcher from 'undici/lib/dispatcher/dispatcher.js';",
        "import api from 'undici/lib/api/index.js';",
        "export { default as Agent } from 'undici/lib/dispatcher/agent.js';",
        "export { default as ProxyAgent } from 'undici/lib/dispatcher/proxy-agent.js';",
        "export { default as Socks5ProxyAgent } from 'undici/lib/dispatcher/socks5-proxy-agent.js';",
        '// What undici/index.js does for every dispatcher: dispatcher.request(), .stream(), ….',
        'Object.assign(Dispatcher.prototype, api);',
        'export { Dispatcher };',
        "export async function request(...args) { return (await import('undici')).request(...args); }",
      ].join('\n'),
    }));
  },
};

/**
 * undici's Client loads its HTTP/2 implementation, and with it Node's http2 module (~8–11 ms), at
 * startup; it is only used when a server negotiates h2, which ktx never offers (allowH2 is off).
 * The require moves into the call, so it runs on first use.
 */
const lazyUndiciH2 = {
  name: 'ktx-lazy-undici-h2',
  setup(b) {
    b.onLoad({ filter: /[\\/]undici[\\/]lib[\\/]dispatcher[\\/]client\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const eager = "const connectH2 = require('./client-h2.js')";
      if (!source.includes(eager)) throw new Error(`${args.path}: expected \`${eager}\` (undici changed; update scripts/bundle.mjs)`);
      return { contents: source.replace(eager, "const connectH2 = (...a) => require('./client-h2.js')(...a)"), loader: 'js' };
    });
  },
};

/**
 * After starting a command's handler, yargs lays out that command's whole help text (8–9 ms for
 * `get`) and keeps it, so that a later showHelp() (on a failure after an async handler) prints the
 * command's help rather than the program's. ktx turns failures into messages itself
 * (showHelpOnFail off) and only shows help synchronously inside a handler, before that cache is
 * written; so the cache is never read, and the bundle skips writing it.
 */
const noYargsHelpCache = {
  name: 'ktx-no-yargs-help-cache',
  setup(b) {
    b.onLoad({ filter: /[\\/]yargs[\\/]build[\\/]lib[\\/]usage\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const eager = 'cachedHelpMessage = this.help();';
      if (!source.includes(eager)) throw new Error(`${args.path}: expected \`${eager}\` (yargs changed; update scripts/bundle.mjs)`);
      return { contents: source.replace(eager, ''), loader: 'js' };
    });
  },
};

rmSync(outdir, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: { cli: 'src/cli.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Flat: files that find others relative to import.meta.url must stay at one depth.
  chunkNames: '[name]-[hash]',
  sourcemap: 'linked',
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'linked',
  metafile: true,
  logLevel: 'warning',
  // React's production build; Ink's devtools only load with DEV=true and are not a dependency.
  define: { 'process.env.NODE_ENV': '"production"' },
  external: ['react-devtools-core'],
  // CommonJS dependencies (undici, ws, …) call require() for Node's modules.
  banner: { js: "import { createRequire as __ktxCreateRequire } from 'node:module'; const require = __ktxCreateRequire(import.meta.url);" },
  plugins: [inlineVersion, asciiStringWidth, slimUndici, lazyUndiciH2, noYargsHelpCache],
});

if (process.argv.includes('--analyze')) {
  const { analyzeMetafile } = await import('esbuild');
  process.stdout.write(await analyzeMetafile(result.metafile));
}
