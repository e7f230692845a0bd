// The Kubernetes channel protocol over WebSocket (k8s.io/apimachinery wsstream, remotecommand constants).

/** Exec/attach protocol with the close signal (KEP-4006); served by the apiserver's stream translator since 1.30. */
export const V5_CHANNEL_PROTOCOL = 'v5.channel.k8s.io';
/** Exec/attach and port-forward protocol passed through to the kubelet: no close signal, status JSON on channel 3. */
export const V4_CHANNEL_PROTOCOL = 'v4.channel.k8s.io';

/**
 * Channel numbers of exec/attach: every binary message is `[channel][payload]`. Channel 3 carries
 * one `metav1.Status` JSON; channel 4 carries `{"Width":c,"Height":r}` resizes (tty only).
 */
export const Channel = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4 } as const;

/** v5's close signal: the message `[255, channel]` half-closes that channel (`[255, 0]` is stdin EOF). */
export const CLOSE_SIGNAL = 255;

/** One binary message for `channel`. */
export function frame(channel: number, payload?: Buffer | Uint8Array | string): Buffer {
  if (payload === undefined) return Buffer.from([channel]);
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const out = Buffer.allocUnsafe(body.length + 1);
  out[0] = channel;
  out.set(body, 1);
  return out;
}

/** A message's bytes whatever `ws` delivered (Buffer, ArrayBuffer or fragments). */
export function messageBytes(data: Buffer | ArrayBuffer | Buffer[]): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
