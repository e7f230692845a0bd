import { readFileSync } from 'node:fs';

/** The version of the ktx package this library was loaded from (sent in `User-Agent`). */
export const KTX_LIB_VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
