// The harness's own helper process, started detached by `cluster up`:
// - appends one CRI-format line per second to the log file kwok serves as every container's log,
//   so `logs -f` always has something new to show;
// - runs a TCP echo server on loopback, the target of kwok's port-forward for container port 8080.
import { appendFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { criLine } from './cri-log.js';

const [logFile, echoPortArg] = process.argv.slice(2);
const echoPort = Number(echoPortArg);
if (!logFile || !Number.isInteger(echoPort)) {
  process.stderr.write('usage: sidecar.ts LOG_FILE ECHO_PORT\n');
  process.exit(2);
}

let n = 0;
const tick = () => {
  n += 1;
  appendFileSync(logFile, criLine(new Date(), 'stdout', `ktx test log line ${n}`));
};
tick();
setInterval(tick, 1000);

const server = createServer({ allowHalfOpen: true }, (socket) => {
  socket.on('error', () => socket.destroy());
  socket.pipe(socket);
});
server.listen(echoPort, '127.0.0.1');

const stop = () => {
  server.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
