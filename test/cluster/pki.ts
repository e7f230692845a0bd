// Certificates for the local control plane, issued with the system's openssl (Node's crypto
// cannot issue X.509 certificates).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Pki {
  dir: string;
  caCert: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
  adminCert: string;
  adminKey: string;
  limitedCert: string;
  limitedKey: string;
  /** Serving certificate of the fake nodes' kubelet endpoint (the node shim). */
  kubeletCert: string;
  kubeletKey: string;
  saKey: string;
  saPub: string;
  tokensCsv: string;
  /** Bearer token of the `token-user` (a member of system:masters). */
  userToken: string;
}

/** The non-admin user whose RBAC only allows work in the `demo` namespace. */
export const LIMITED_USER = 'limited';
export const TOKEN_USER = 'token-user';

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

function issue(dir: string, name: string, subject: string, ext: string): void {
  const extFile = join(dir, `${name}.ext`);
  writeFileSync(extFile, ext);
  openssl(dir, ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', subject, '-keyout', `${name}.key`, '-out', `${name}.csr`]);
  openssl(dir, [
    'x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial',
    '-days', '3650', '-out', `${name}.crt`, '-extfile', extFile,
  ]);
}

/** Creates a CA, the apiserver's serving certificate, client certificates, the SA key pair and the token file. */
export function createPki(dir: string): Pki {
  openssl(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '3650', '-subj', '/CN=ktx-test-ca', '-keyout', 'ca.key', '-out', 'ca.crt']);
  issue(
    dir,
    'apiserver',
    '/CN=kube-apiserver',
    'subjectAltName=IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local\nextendedKeyUsage=serverAuth\n',
  );
  issue(dir, 'kubelet', '/CN=kwok-kubelet', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  issue(dir, 'admin', '/O=system:masters/CN=admin', 'extendedKeyUsage=clientAuth\n');
  issue(dir, 'limited', `/O=ktx:limited/CN=${LIMITED_USER}`, 'extendedKeyUsage=clientAuth\n');
  openssl(dir, ['genrsa', '-out', 'sa.key', '2048']);
  openssl(dir, ['rsa', '-in', 'sa.key', '-pubout', '-out', 'sa.pub']);
  const userToken = randomBytes(24).toString('hex');
  // token,user,uid,"group1,group2"
  writeFileSync(join(dir, 'tokens.csv'), `${userToken},${TOKEN_USER},token-user-uid,"system:masters"\n`, { mode: 0o600 });
  const p = (f: string) => join(dir, f);
  return {
    dir,
    caCert: p('ca.crt'),
    caKey: p('ca.key'),
    serverCert: p('apiserver.crt'),
    serverKey: p('apiserver.key'),
    adminCert: p('admin.crt'),
    adminKey: p('admin.key'),
    limitedCert: p('limited.crt'),
    limitedKey: p('limited.key'),
    kubeletCert: p('kubelet.crt'),
    kubeletKey: p('kubelet.key'),
    saKey: p('sa.key'),
    saPub: p('sa.pub'),
    tokensCsv: p('tokens.csv'),
    userToken,
  };
}
