// vitest globalSetup: use a running local cluster if there is one, otherwise start one and stop it afterwards.
import type { TestProject } from 'vitest/node';
import { down, up, type ClusterState } from './harness.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { state, started } = await up();
  project.provide('cluster', state);
  process.env.KTX_TEST_KUBECONFIG = state.kubeconfig;
  return async () => {
    if (started && !process.env.KTX_KEEP_CLUSTER) await down();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    cluster: ClusterState;
  }
}
