// Objects the harness creates in a fresh cluster, and the kwok configuration it writes.
import { LIMITED_USER } from './pki.js';

export const NODE_NAMES = ['kwok-node-0', 'kwok-node-1'];
export const DEMO_NAMESPACE = 'demo';
/** Container port whose port-forward reaches the harness's TCP echo server. */
export const ECHO_CONTAINER_PORT = 8080;

/** Fake nodes for kwok; no status.addresses, so kwok fills in its own address and port. */
export function nodeManifests(): object[] {
  return NODE_NAMES.map((name) => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: {
        type: 'kwok',
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
      },
    },
  }));
}

/** The `demo` namespace and the RBAC that lets the limited user do anything there and nothing elsewhere. */
export function rbacManifests(): object[] {
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: DEMO_NAMESPACE } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'ktx-limited', namespace: DEMO_NAMESPACE },
      rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'ktx-limited', namespace: DEMO_NAMESPACE },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'ktx-limited' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: LIMITED_USER }],
    },
  ];
}

export interface KwokStreamingConfig {
  logFile: string;
  previousLogFile: string;
  echoPort: number;
}

/**
 * kwok's own configuration documents (not Kubernetes objects): every pod's containers serve the
 * harness's log files and port 8080 forwards to the echo server. (Exec is served by the node shim.)
 * Concatenated as one multi-document YAML file; JSON is valid YAML.
 */
export function kwokStreamingConfig(c: KwokStreamingConfig): string {
  const docs = [
    {
      apiVersion: 'kwok.x-k8s.io/v1alpha1',
      kind: 'ClusterLogs',
      metadata: { name: 'ktx-logs' },
      spec: { logs: [{ logsFile: c.logFile, previousLogsFile: c.previousLogFile, follow: true }] },
    },
    {
      apiVersion: 'kwok.x-k8s.io/v1alpha1',
      kind: 'ClusterAttach',
      metadata: { name: 'ktx-attach' },
      spec: { attaches: [{ logsFile: c.logFile }] },
    },
    {
      apiVersion: 'kwok.x-k8s.io/v1alpha1',
      kind: 'ClusterPortForward',
      metadata: { name: 'ktx-port-forward' },
      spec: {
        forwards: [{ ports: [ECHO_CONTAINER_PORT], target: { address: '127.0.0.1', port: c.echoPort } }],
      },
    },
  ];
  return docs.map((d) => JSON.stringify(d)).join('\n---\n') + '\n';
}

/** kwok's stage files (node initialise and heartbeat, pod ready/complete/delete), from its Go module. */
export function kwokStageFiles(kwokModuleDir: string): string[] {
  const stage = `${kwokModuleDir}/kustomize/stage`;
  return [
    `${stage}/node/fast/node-initialize.yaml`,
    `${stage}/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml`,
    `${stage}/pod/fast/pod-ready.yaml`,
    `${stage}/pod/fast/pod-complete.yaml`,
    `${stage}/pod/fast/pod-delete.yaml`,
  ];
}
