/**
 * The `exp` claim of a JWT in epoch milliseconds, without verifying the signature (the apiserver
 * does that). Throws `ID Token is not a valid JWT` or `parsing claims: …` like client-go's OIDC
 * provider. A token without `exp` yields 0, i.e. already expired.
 */
export function jwtExpiry(token: string): number {
  const parts = token.split('.');
  if (parts.length !== 3) throw new Error('ID Token is not a valid JWT');
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString('utf8'));
  } catch (err) {
    throw new Error(`parsing claims: ${(err as Error).message}`, { cause: err });
  }
  const exp = typeof claims === 'object' && claims !== null && 'exp' in claims ? Number(claims.exp) : 0;
  if (!Number.isFinite(exp)) throw new Error('parsing claims: exp is not a number');
  return Math.trunc(exp) * 1000;
}
