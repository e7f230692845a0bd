// Streaming subresources over WebSockets: exec, attach and port-forward.
export { attach, exec, type AttachOptions, type ExecOptions, type RemoteCommandResult } from './exec.js';
export { LostConnectionError, PortForwardError, StreamStatusError } from './errors.js';
export { PodFollower, type PodFollowerEvents } from './pod-follower.js';
export { forwardPort } from './port-forward.js';
export { openPortForwardTunnel, PORT_FORWARD_TUNNEL_PROTOCOL, PortForwardTunnel, TunnelRefusedError } from './port-forward-tunnel.js';
export { PortForwarder, type Listener, type PortForwarderOptions, type PortForwardStats } from './port-forwarder.js';
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
export {
  decodeControlFrame,
  encodeData,
  encodeGoAway,
  encodeHeaders,
  encodePing,
  encodeRstStream,
  encodeSettings,
  encodeSynReply,
  encodeSynStream,
  encodeWindowUpdate,
  FLAG_FIN,
  FLAG_UNIDIRECTIONAL,
  FrameDecoder,
  FrameType,
  GoAwayStatus,
  MAX_FRAME_LENGTH,
  RstStatus,
  SPDY_VERSION,
  SpdyProtocolError,
  type ControlFrame,
  type FrameDecoderOptions,
  type FrameHandlers,
} from './spdy/frames.js';
export { SPDY3_DICTIONARY } from './spdy/dictionary.js';
export { decodeHeaderBlock, encodeHeaderBlock, HeaderCompressor, HeaderDecompressor, type SpdyHeaders } from './spdy/headers.js';
export { SpdySession, SpdySessionClosedError, SpdyStream, type SpdySessionEvents, type SpdySessionOptions, type SpdyStreamEvents, type SpdyTransport } from './spdy/session.js';
export { followTerminalSize, type TerminalSize, type TerminalSizeSource } from './terminal-size.js';
