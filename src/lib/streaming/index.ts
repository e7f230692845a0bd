// Streaming subresources over WebSockets: exec, attach and port-forward.
export { attach, exec, type AttachOptions, type ExecOptions, type RemoteCommandResult } from './exec.js';
export { LostConnectionError, PortForwardError, StreamStatusError } from './errors.js';
export { PodFollower, type PodFollowerEvents } from './pod-follower.js';
export { forwardPort } from './port-forward.js';
export { PortForwarder, type Listener, type PortForwarderOptions } from './port-forwarder.js';
export {
  checkUdpPorts,
  containerPortByName,
  joinHostPort,
  parseListenAddresses,
  parsePortSpecs,
  splitPortSpec,
  translatePortSpecs,
  type ForwardedPort,
  type ListenAddress,
} from './port-specs.js';
export { Channel, CLOSE_SIGNAL, frame, V4_CHANNEL_PROTOCOL, V5_CHANNEL_PROTOCOL } from './protocol.js';
export { runRemoteCommand, type SessionStreams } from './remote-command.js';
export { keepAlive, openChannelSocket, type ChannelSocketOptions } from './socket.js';
export { followTerminalSize, type TerminalSize, type TerminalSizeSource } from './terminal-size.js';
