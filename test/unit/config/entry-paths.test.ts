// client-go's kubeconfig path rules: which fields are paths, resolving on load, and what a write keeps relative.
import { describe, expect, it } from 'vitest';
import { mapClusterPaths, mapUserPaths, relativizeKubeconfigPath, resolveKubeconfigPath } from '../../../src/lib/config/entry-paths.js';
import type { User } from '../../../src/lib/config/model.js';

describe('kubeconfig entry paths', () => {
  it('resolves relative paths against the file’s directory and leaves absolute ones', () => {
    expect(resolveKubeconfigPath('/home/me/.kube', 'certs/ca.crt')).toBe('/home/me/.kube/certs/ca.crt');
    expect(resolveKubeconfigPath('/home/me/.kube', '../ca.crt')).toBe('/home/me/ca.crt');
    expect(resolveKubeconfigPath('/home/me/.kube', '/etc/ca.crt')).toBe('/etc/ca.crt');
  });

  it('writes paths inside the directory relative, and keeps the others absolute (no backsteps)', () => {
    expect(relativizeKubeconfigPath('/home/me/.kube', '/home/me/.kube/certs/ca.crt')).toBe('certs/ca.crt');
    expect(relativizeKubeconfigPath('/home/me/.kube', './ca.crt')).toBe('ca.crt');
    expect(relativizeKubeconfigPath('/home/me/.kube', '/etc/ca.crt')).toBe('/etc/ca.crt');
    expect(relativizeKubeconfigPath('/home/me/.kube', '../ca.crt')).toBe('/home/me/ca.crt');
  });

  it('maps the cluster’s CA and the user’s files, and an exec command only when it is a path', () => {
    const cluster = { server: 'https://x', 'certificate-authority': 'ca.crt' };
    mapClusterPaths(cluster, (p) => `/k/${p}`);
    expect(cluster['certificate-authority']).toBe('/k/ca.crt');
    const exec = { command: './plugin', args: ['a'] };
    const user: User = { 'client-certificate': 'c.crt', 'client-key': '', tokenFile: 't', exec };
    mapUserPaths(user, (p) => `/k/${p}`);
    expect(user).toEqual({ 'client-certificate': '/k/c.crt', 'client-key': '', tokenFile: '/k/t', exec: { command: '/k/./plugin', args: ['a'] } });
    expect(exec.command).toBe('./plugin');
    const onPath: User = { exec: { command: 'gke-gcloud-auth-plugin' } };
    mapUserPaths(onPath, (p) => `/k/${p}`);
    expect(onPath.exec?.command).toBe('gke-gcloud-auth-plugin');
  });
});
