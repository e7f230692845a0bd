import { readFile } from 'node:fs/promises';

// kubectl reports file problems with Go's *PathError text; keep the same words.
const GO_ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
  ELOOP: 'too many levels of symbolic links',
  EEXIST: 'file exists',
};

/** Node's errno code of a filesystem error, if it is one. */
export function errnoCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}

/**
 * A filesystem error as Go prints it (`open /x: no such file or directory`). The operation is `op`
 * when given, else the system call the error names, else `open`.
 */
export function goPathError(err: unknown, path: string, op?: string): string {
  const code = errnoCode(err);
  const syscall = typeof err === 'object' && err !== null && 'syscall' in err && typeof err.syscall === 'string' ? err.syscall : 'open';
  const text = (code && GO_ERRNO_TEXT[code]) ?? (err instanceof Error ? err.message : String(err));
  return `${op ?? syscall} ${path}: ${text}`;
}

/** Reads a UTF-8 file; failures are rethrown as Errors carrying Go's wording and the errno code. */
export async function readTextFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw Object.assign(new Error(goPathError(err, path)), { code: errnoCode(err) });
  }
}

/**
 * A kubeconfig's bytes as text. client-go's YAML decoder honours a byte order mark: UTF-16 LE or
 * BE with their BOM (as PowerShell's `>` writes them), UTF-8 with or without one.
 */
export function decodeConfigText(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return Buffer.from(bytes.subarray(2)).swap16().toString('utf16le');
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Reads a kubeconfig file with {@link decodeConfigText}; errors as {@link readTextFile}'s. */
export async function readConfigFile(path: string): Promise<string> {
  try {
    return decodeConfigText(await readFile(path));
  } catch (err) {
    throw Object.assign(new Error(goPathError(err, path)), { code: errnoCode(err) });
  }
}

const BASE64_ALPHABET = /[A-Za-z0-9+/]/;

/**
 * Decodes standard base64 strictly, as Go's `encoding/base64.StdEncoding` does for the `*-data`
 * kubeconfig fields (CR and LF are ignored). Throws `illegal base64 data at input byte N`.
 */
export function decodeBase64Strict(text: string): Buffer {
  const compact = text.replace(/[\r\n]/g, '');
  let padding = 0;
  for (let i = 0; i < compact.length; i++) {
    const ch = compact.charAt(i);
    if (ch === '=') {
      padding++;
      if (padding > 2 || compact.length % 4 !== 0 || i < compact.length - 2) throw new Error(`illegal base64 data at input byte ${i}`);
    } else if (padding > 0 || !BASE64_ALPHABET.test(ch)) {
      throw new Error(`illegal base64 data at input byte ${i}`);
    }
  }
  if (compact.length % 4 !== 0) throw new Error(`illegal base64 data at input byte ${compact.length - (compact.length % 4)}`);
  return Buffer.from(compact, 'base64');
}
