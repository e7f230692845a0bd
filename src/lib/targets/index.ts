// Target resolution shared by exec, attach, port-forward and logs.
export { bestPod, byActivity, byLogging, isPodReady } from './active-pods.js';
export { allContainerNames, DEFAULT_CONTAINER_ANNOTATION, defaultContainer, findContainer, type DefaultedContainer, type PodContainer } from './container.js';
export { resolvePodTarget, splitTarget, type PodTarget, type ResolvePodTargetOptions } from './resolve.js';
export { labelSelectorString, mapSelectorString, podSelectorFor, SelectorError } from './selector.js';
