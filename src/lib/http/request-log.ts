/** Receives one call per request and response, for the CLI's `-v` levels. */
export interface RequestLogger {
  request(method: string, url: URL, headers: Record<string, string | string[]>): void;
  response(method: string, url: URL, status: number, ms: number, headers: Record<string, string | string[] | undefined>): void;
}

const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie']);

/** A copy of `headers` whose credentials are masked, keeping the auth scheme (`Bearer <masked>`). */
export function redactHeaders(headers: Record<string, string | string[]>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (SECRET_HEADERS.has(k.toLowerCase())) {
      const scheme = String(v).split(' ')[0];
      out[k] = scheme && scheme !== String(v) ? `${scheme} <masked>` : '<masked>';
    } else {
      out[k] = v;
    }
  }
  return out;
}

/**
 * A logger that writes kubectl-like lines at its verbosity: 6 → one line per response
 * (`GET https://… 200 OK in 5 milliseconds`), 7 → request headers too, 8 → response headers.
 */
export function verboseRequestLogger(level: number, write: (line: string) => void): RequestLogger | undefined {
  if (level < 6) return undefined;
  return {
    request(method, url, headers) {
      if (level < 7) return;
      write(`${method} ${url.href}`);
      write('Request Headers:');
      for (const [k, v] of Object.entries(headers)) for (const one of [v].flat()) write(`    ${k}: ${one}`);
    },
    response(method, url, status, ms, headers) {
      write(`${method} ${url.href} ${status} ${statusText(status)} in ${ms} milliseconds`);
      if (level < 8) return;
      write('Response Headers:');
      for (const [k, v] of Object.entries(headers)) for (const one of [v ?? ''].flat()) write(`    ${k}: ${one}`);
    },
  };
}

function statusText(code: number): string {
  const texts: Record<number, string> = {
    101: 'Switching Protocols', 200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content', 400: 'Bad Request', 401: 'Unauthorized',
    403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict', 410: 'Gone', 415: 'Unsupported Media Type',
    422: 'Unprocessable Entity', 429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable', 504: 'Gateway Timeout',
  };
  return texts[code] ?? '';
}
