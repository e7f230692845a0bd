// npm run cluster -- up | down | status
import { down, isComponent, restart, status, up } from './harness.js';

const usage = 'usage: npm run cluster -- up | down | status | restart COMPONENT [--graceful]';

async function run(cmd: string | undefined): Promise<number> {
  switch (cmd) {
    case 'up': {
      const { state } = await up();
      process.stdout.write(
        [
          `The local cluster is ready at ${state.server}.`,
          `  export KUBECONFIG=${state.kubeconfig}`,
          `  ${state.kubectl} get nodes          # the reference kubectl`,
          `  node bin/ktx.js get pods -A`,
          `Stop it with: npm run cluster -- down`,
          '',
        ].join('\n'),
      );
      return 0;
    }
    case 'down':
      await down();
      process.stdout.write('The local cluster is stopped and its state removed.\n');
      return 0;
    case 'status': {
      const s = await status();
      process.stdout.write(s.text + '\n');
      return s.healthy ? 0 : 1;
    }
    case 'restart': {
      const component = process.argv[3] ?? '';
      if (!isComponent(component)) {
        process.stderr.write(`${usage}\n`);
        return 2;
      }
      await restart(component, !process.argv.includes('--graceful'));
      process.stdout.write(`${component} restarted.\n`);
      return 0;
    }
    default:
      process.stderr.write(`${usage}\n`);
      return 2;
  }
}

try {
  process.exitCode = await run(process.argv[2]);
} catch (err) {
  process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
