// What a command needs to talk to the cluster, built lazily from the global flags.
import { Client } from '../lib/client.js';
import { Config } from '../lib/config/config.js';
import { Discovery } from '../lib/discovery/discovery.js';
import { verboseRequestLogger } from '../lib/http/request-log.js';
import { writeDiagnostic } from './diagnostics.js';
import { overridesFrom, type GlobalFlags } from './global-flags.js';

export interface Session {
  config: Config;
  client: Client;
  discovery: Discovery;
  /** The namespace from `-n`, the context, or `default`. */
  namespace: string;
  /** True when `-n` was given explicitly. */
  namespaceExplicit: boolean;
}

/** klog's header: `I1124 21:50:00.123456   12345 ktx] `. */
function klogLine(line: string): string {
  const d = new Date();
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `I${p(d.getMonth() + 1)}${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds() * 1000, 6)} ${String(process.pid).padStart(7)} ktx] ${line}\n`;
}

export async function openSession(flags: GlobalFlags): Promise<Session> {
  const config = await Config.load(overridesFrom(flags));
  const logger = verboseRequestLogger(flags.v ?? 0, (l) => writeDiagnostic(klogLine(l)));
  const client = new Client(config, {
    onWarning: (w) => writeDiagnostic(`Warning: ${w}\n`),
    ...(logger ? { logger } : {}),
  });
  const discovery = Discovery.forClient(client, flags['cache-dir'] ? { cacheDir: flags['cache-dir'] } : {});
  return { config, client, discovery, namespace: config.namespace, namespaceExplicit: !!flags.namespace };
}
