/**
 * ktx's one error taxonomy. Everything the library throws on purpose is a {@link KtxError}:
 * - {@link ApiError}: the apiserver answered with a failure `Status` (or a non-2xx response);
 * - {@link TransportError}: no usable HTTP answer (refused, DNS, TLS, timeout, reset, aborted);
 * - {@link ConfigError}: the kubeconfig, flags or environment cannot produce a working client.
 * The CLI turns these into kubectl's messages and exit codes in exactly one place.
 */
export class KtxError extends Error {
  override name = 'KtxError';
}

/** The `Status` object the apiserver returns with failures (meta.k8s.io/v1). */
export interface Status {
  kind?: 'Status';
  apiVersion?: string;
  metadata?: { resourceVersion?: string; continue?: string };
  status?: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code?: number;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: Array<{ reason?: string; message?: string; field?: string }>;
  retryAfterSeconds?: number;
}

/**
 * A failure reported by the apiserver. `code` is the HTTP status, `reason` the Status reason
 * (`NotFound`, `AlreadyExists`, `Conflict`, `Forbidden`, `Unauthorized`, `Invalid`, `Expired`,
 * `TooManyRequests`, …), `message` the server's human text, exactly as kubectl prints it after
 * `Error from server (<reason>): `.
 */
export class ApiError extends KtxError {
  override name = 'ApiError';
  readonly code: number;
  readonly reason: string;
  readonly details: StatusDetails | undefined;
  readonly status: Status;
  /** Server `Warning` headers that came with the failed response. */
  readonly warnings: string[];

  constructor(status: Status, httpStatus: number, warnings: string[] = []) {
    super(status.message || `the server responded with HTTP ${httpStatus}`);
    this.status = status;
    this.code = status.code ?? httpStatus;
    this.reason = status.reason || reasonForCode(this.code);
    this.details = status.details;
    this.warnings = warnings;
  }

  /** 404 / NotFound: the object (or the resource type) does not exist. */
  isNotFound(): boolean {
    return this.code === 404 || this.reason === 'NotFound';
  }
  /** 409 / AlreadyExists: create of an object whose name is taken. */
  isAlreadyExists(): boolean {
    return this.reason === 'AlreadyExists';
  }
  /** 409 / Conflict: stale resourceVersion on update, or a server-side apply field conflict. */
  isConflict(): boolean {
    return this.code === 409 && this.reason !== 'AlreadyExists';
  }
  /** 403 / Forbidden: authenticated but RBAC (or admission) said no. */
  isForbidden(): boolean {
    return this.code === 403;
  }
  /** 401 / Unauthorized: the credentials were rejected. */
  isUnauthorized(): boolean {
    return this.code === 401;
  }
  /** 410 / Expired or Gone: a watch or list continue token whose resourceVersion was compacted away. */
  isGone(): boolean {
    return this.code === 410 || this.reason === 'Expired' || this.reason === 'Gone';
  }
  /** 422 / Invalid: validation failed; `details.causes` names the fields. */
  isInvalid(): boolean {
    return this.code === 422 || this.reason === 'Invalid';
  }
  /** 429 / TooManyRequests (API priority and fairness, or eviction blocked by a PodDisruptionBudget). */
  isTooManyRequests(): boolean {
    return this.code === 429;
  }
}

/** The reason Kubernetes uses for an HTTP status when a response carried no Status (`StatusReasonForCode`). */
export function reasonForCode(code: number): string {
  switch (code) {
    case 400:
      return 'BadRequest';
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden';
    case 404:
      return 'NotFound';
    case 405:
      return 'MethodNotAllowed';
    case 406:
      return 'NotAcceptable';
    case 409:
      return 'Conflict';
    case 410:
      return 'Gone';
    case 415:
      return 'UnsupportedMediaType';
    case 422:
      return 'Invalid';
    case 429:
      return 'TooManyRequests';
    case 500:
      return 'InternalError';
    case 503:
      return 'ServiceUnavailable';
    case 504:
      return 'Timeout';
    default:
      return 'Unknown';
  }
}

/** What went wrong below HTTP. */
export type TransportFailure = 'refused' | 'dns' | 'tls' | 'timeout' | 'reset' | 'aborted' | 'proxy' | 'other';

/**
 * No usable HTTP response: the connection was refused, the name did not resolve, the TLS
 * handshake failed (wrong CA, wrong server name), the request timed out or was aborted, or the
 * connection dropped. `server` is the base URL that was being reached.
 */
export class TransportError extends KtxError {
  override name = 'TransportError';
  constructor(
    readonly kind: TransportFailure,
    readonly server: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The configuration cannot produce a working client: an unreadable or malformed kubeconfig, an
 * unknown context, conflicting auth methods, a failing exec credential plugin, and so on.
 * The message is the one kubectl prints after `error: ` where kubectl has one.
 */
export class ConfigError extends KtxError {
  override name = 'ConfigError';
  /**
   * True for client-go's "configuration invalid" errors (kubectl prints them as
   * `Error in configuration: …` rather than `error: …`), e.g. an unknown context.
   */
  readonly invalidConfiguration: boolean;

  constructor(message: string, options?: { cause?: unknown; invalidConfiguration?: boolean }) {
    super(message, options);
    this.invalidConfiguration = options?.invalidConfiguration ?? false;
  }
}
