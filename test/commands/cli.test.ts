// The command line's own behaviour: help, version, usage errors.
import { describe, expect, it } from 'vitest';
import { ktx } from '../helpers/differential.js';

describe('ktx command line', () => {
  it('prints help for the program and for a command without running it', async () => {
    const root = await ktx(['--help'], { env: { KUBECONFIG: '/nonexistent' } });
    expect(root.exitCode).toBe(0);
    expect(root.stdout).toContain('ktx get [args..]');
    const get = await ktx(['get', 'pods', '--help'], { env: { KUBECONFIG: '/nonexistent' } });
    expect(get.exitCode).toBe(0);
    expect(get.stdout).toContain('Display one or many resources');
    expect(get.stderr).toBe('');
  });

  it('prints its version', async () => {
    const v = await ktx(['--version']);
    expect(v.exitCode).toBe(0);
    expect(v.stdout).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('rejects unknown commands and flags before doing anything', async () => {
    expect(await ktx(['zzzqqq'])).toEqual({ exitCode: 1, stdout: '', stderr: 'error: unknown command "zzzqqq" for "ktx"' });
    expect(await ktx(['get', 'pods', '--bogus'], { env: { KUBECONFIG: '/nonexistent' } })).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: "error: unknown flag: --bogus\nSee 'ktx get --help' for usage.",
    });
  });
});
