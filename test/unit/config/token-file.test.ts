import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/lib/errors.js';
import { Config, Kubeconfig, TokenFileAuthenticator } from '../../../src/lib/config/index.js';
import { isolatedEnvironment, tempDir } from './helpers.js';

describe('tokenFile', () => {
  it('is re-read after a minute, not before', async () => {
    const dir = await tempDir();
    const path = join(dir, 'token');
    await writeFile(path, 'first\n');
    let now = 0;
    const auth = await TokenFileAuthenticator.create(path, { now: () => now });
    await writeFile(path, 'second\n');
    now = 59_999;
    expect(await auth.credentials()).toEqual({ authorization: 'Bearer first' });
    now = 60_000;
    expect(await auth.credentials()).toEqual({ authorization: 'Bearer second' });
  });

  it('keeps the last good value when the file breaks, and that value beats token', async () => {
    const dir = await tempDir();
    const path = join(dir, 'token');
    await writeFile(path, 'from-file');
    let now = 0;
    const auth = await TokenFileAuthenticator.create(path, { fallbackToken: 'static', now: () => now });
    expect(await auth.credentials()).toEqual({ authorization: 'Bearer from-file' });
    await writeFile(path, '   \n');
    now = 120_000;
    expect(await auth.credentials()).toEqual({ authorization: 'Bearer from-file' });
    await rm(path);
    now = 240_000;
    expect(await auth.credentials()).toEqual({ authorization: 'Bearer from-file' });
  });

  it('falls back to token only while the file was never readable', async () => {
    const dir = await tempDir();
    const path = join(dir, 'token');
    const auth = await TokenFileAuthenticator.create(path, { fallbackToken: 'static' });
    expect(await auth.credentials()).toEqual({ authorization: 'Bearer static' });
    await writeFile(path, 'appeared');
    expect(auth.invalidate()).toBe(true);
    expect(await auth.credentials()).toEqual({ authorization: 'Bearer appeared' });
  });

  it('invalidate() after a 401 makes the next request read the file again', async () => {
    const dir = await tempDir();
    const path = join(dir, 'token');
    await writeFile(path, 'old');
    const auth = await TokenFileAuthenticator.create(path, { now: () => 0 });
    await writeFile(path, 'new');
    expect(await auth.credentials()).toEqual({ authorization: 'Bearer old' });
    expect(auth.invalidate()).toBe(true);
    expect(await auth.credentials()).toEqual({ authorization: 'Bearer new' });
  });

  it('an unreadable or empty file without a token is a config error', async () => {
    const dir = await tempDir();
    const path = join(dir, 'token');
    await expect(TokenFileAuthenticator.create(path)).rejects.toThrow(new ConfigError(`open ${path}: no such file or directory`));
    await writeFile(path, '\n');
    await expect(TokenFileAuthenticator.create(path)).rejects.toThrow(`read empty token from file "${path}"`);
  });

  it('is what a kubeconfig tokenFile (relative to the kubeconfig) resolves to', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'tok'), 'kc-token\n');
    const kc = Kubeconfig.fromYaml(
      'current-context: c\nclusters:\n- name: c\n  cluster: {server: "https://c"}\nusers:\n- name: u\n  user: {tokenFile: tok, token: ignored}\ncontexts:\n- name: c\n  context: {cluster: c, user: u}\n',
      join(dir, 'kubeconfig'),
    );
    const config = await Config.fromKubeconfig(kc, {}, isolatedEnvironment(dir));
    expect(config.auth.type).toBe('token-file');
    expect(await config.auth.credentials()).toEqual({ authorization: 'Bearer kc-token' });
  });
});
