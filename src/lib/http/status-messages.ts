import type { Status } from '../errors.js';

/** What a request was about, for the `(get pods name)` suffix client-go adds to bare errors. */
export interface RequestSubject {
  verb: string;
  /** `pods`, `deployments.apps`. */
  resource?: string;
  name?: string;
}

/**
 * The Status client-go synthesises when a failed response carries no Status object
 * (apimachinery `NewGenericServerResponse`): the same reasons and messages kubectl prints,
 * e.g. `the server could not find the requested resource (get pods)`.
 */
export function statusForBareResponse(code: number, body: string, subject: RequestSubject): Status {
  const serverMessage = body.trim().length > 0 ? truncate(body.trim()) : '';
  let reason = 'Unknown';
  let message = `the server responded with the status code ${code} but did not return more information`;
  switch (code) {
    case 409:
      reason = subject.verb.toUpperCase() === 'POST' ? 'AlreadyExists' : 'Conflict';
      message = 'the server reported a conflict';
      break;
    case 404:
      reason = 'NotFound';
      message = 'the server could not find the requested resource';
      break;
    case 400:
      reason = 'BadRequest';
      message = 'the server rejected our request for an unknown reason';
      break;
    case 401:
      reason = 'Unauthorized';
      message = 'the server has asked for the client to provide credentials';
      break;
    case 403:
      reason = 'Forbidden';
      message = serverMessage;
      break;
    case 406:
      reason = 'NotAcceptable';
      message = 'the server was unable to respond with a content type that the client supports';
      break;
    case 415:
      reason = 'UnsupportedMediaType';
      message = 'the server was unable to respond with a content type that the client supports';
      break;
    case 405:
      reason = 'MethodNotAllowed';
      message = 'the server does not allow this method on the requested resource';
      break;
    case 422:
      reason = 'Invalid';
      message = 'the server rejected our request due to an error in our request';
      break;
    case 503:
      reason = 'ServiceUnavailable';
      message = 'the server is currently unable to handle the request';
      break;
    case 504:
      reason = 'Timeout';
      message = 'the server was unable to return a response in the time allotted, but may still be processing the request';
      break;
    case 429:
      reason = 'TooManyRequests';
      message = 'the server has received too many requests and has asked us to try again later';
      break;
    default:
      if (code >= 500) {
        reason = 'InternalError';
        message = `an error on the server (${JSON.stringify(serverMessage)}) has prevented the request from succeeding`;
      }
  }
  const verb = subject.verb.toLowerCase();
  if (subject.resource && subject.name) message = `${message} (${verb} ${subject.resource} ${subject.name})`;
  else if (subject.resource) message = `${message} (${verb} ${subject.resource})`;
  return {
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Failure',
    code,
    reason,
    message,
    ...(serverMessage ? { details: { causes: [{ reason: 'UnexpectedServerResponse', message: serverMessage }] } } : {}),
  };
}

function truncate(s: string, max = 1024): string {
  return s.length > max ? `${s.slice(0, max)} ...` : s;
}
