// `ktx apply --wait` (beyond kubectl): returns once Deployments are rolled out, Jobs complete and
// Pods ready; prints a line per finished object when stdout is not a terminal; times out with an error.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useNamespace } from '../helpers/cluster.js';
import { api, configMap, deployment, deployments, ktx, tempDir, writeManifest } from './helpers.js';

const ns = useNamespace('apply-wait');
const dir = tempDir();

describe('apply --wait', () => {
  it('waits for a Deployment, a Job and a Pod', async () => {
    const file = writeManifest(join(dir, 'ok.yaml'), [
      deployment('web', { replicas: 2 }),
      { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'once' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'registry.invalid/job:1' }] } } } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'solo' }, spec: { containers: [{ name: 'c', image: 'registry.invalid/pod:1' }] } },
      configMap('plain', { a: '1' }),
    ]);
    const r = await ktx(['apply', '--wait', '--timeout=90s', '-f', file, '-n', ns.name]);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.split('\n').filter(Boolean);
    expect(lines.slice(0, 4)).toEqual(['deployment.apps/web serverside-applied', 'job.batch/once serverside-applied', 'pod/solo serverside-applied', 'configmap/plain serverside-applied']);
    expect(lines.slice(4).sort()).toEqual(['deployment.apps/web ready', 'job.batch/once ready', 'pod/solo ready']);
    const d = await api(deployments, ns.name).get('web');
    expect((d.status as { availableReplicas?: number }).availableReplicas).toBe(2);
  });

  it('fails when the rollout does not finish in time', async () => {
    const stuck = deployment('stuck', { replicas: 1 }) as { spec: { template: { spec: Record<string, unknown> } } };
    stuck.spec.template.spec.nodeSelector = { 'ktx.test/no-such-node': 'true' };
    const file = writeManifest(join(dir, 'stuck.yaml'), [stuck as object]);
    const r = await ktx(['apply', '--wait', '--timeout=2s', '-f', file, '-n', ns.name]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('deployment.apps/stuck serverside-applied');
    expect(r.stderr).toBe('error: deployment.apps/stuck: timed out waiting for the rollout: Waiting for deployment "stuck" rollout to finish: 0 of 1 updated replicas are available...');
  });
});
