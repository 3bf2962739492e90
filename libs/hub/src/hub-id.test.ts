import { describe, expect, it } from 'vitest';
import { formatHubId, parseHubId } from './hub-id.js';
import { getHFHubCachePath, getRepoFolderName } from '@huggingface/hub';
import { hubSettings } from './env.js';
import { repoFolder } from './cache.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('hub ids', () => {
  it('parses repos, revisions and files', () => {
    expect(parseHubId('hf:prajjwal1/bert-tiny')).toEqual({
      repo: 'prajjwal1/bert-tiny',
      revision: undefined,
      file: undefined,
    });
    expect(parseHubId('hf:EleutherAI/gpt-neo-125m@v1.0/vocab.json')).toEqual({
      repo: 'EleutherAI/gpt-neo-125m',
      revision: 'v1.0',
      file: 'vocab.json',
    });
    expect(parseHubId('hf:a/b/sub/dir/f.txt').file).toBe('sub/dir/f.txt');
    expect(formatHubId(parseHubId('hf:a/b@main/x/y'))).toBe('hf:a/b@main/x/y');
  });
  it('names what is wrong', () => {
    expect(() => parseHubId('hf:gpt2', 'model.init.gptNeo')).toThrow(/model.init.gptNeo: 'hf:gpt2' must name a repo/);
    expect(() => parseHubId('hf:a/b@x@y')).toThrow(/more than one '@'/);
    expect(() => parseHubId('hf:a/b/../etc/passwd')).toThrow(/'\.\.'/);
    expect(() => parseHubId('hf:a b/c')).toThrow(/organisation 'a b'/);
    expect(() => parseHubId('hf:a/b@re v')).toThrow(/revision/);
  });
});

describe('hubSettings', () => {
  it('reads the variables as huggingface_hub does', () => {
    const home = mkdtempSync(join(tmpdir(), 'hfhome-'));
    writeFileSync(join(home, 'token'), 'hf_fromfile\n');
    expect(hubSettings({ HF_HOME: home })).toEqual({
      endpoint: 'https://huggingface.co',
      cacheDir: join(home, 'hub'),
      token: 'hf_fromfile',
      offline: false,
    });
    const s = hubSettings({
      HF_HOME: home,
      HF_HUB_CACHE: '/c',
      HF_TOKEN: 'hf_env',
      HF_ENDPOINT: 'http://127.0.0.1:9/',
      HF_HUB_OFFLINE: '1',
    });
    expect(s).toEqual({ endpoint: 'http://127.0.0.1:9', cacheDir: '/c', token: 'hf_env', offline: true });
    expect(hubSettings({ XDG_CACHE_HOME: '/x', HF_TOKEN_PATH: '/nonexistent' }).cacheDir).toBe('/x/huggingface/hub');
  });
});

describe('compatibility with @huggingface/hub 2.17.5 (the pinned reference)', () => {
  it('finds the same cache folder and names repo folders the same way', () => {
    const saved = { ...process.env };
    try {
      for (const env of [
        { HF_HUB_CACHE: '/a/hub' },
        { HUGGINGFACE_HUB_CACHE: '/b/hub' },
        { HF_HOME: '/c' },
        { XDG_CACHE_HOME: '/d' },
        {},
      ]) {
        for (const k of ['HF_HUB_CACHE', 'HUGGINGFACE_HUB_CACHE', 'HF_HOME', 'XDG_CACHE_HOME']) delete process.env[k];
        Object.assign(process.env, env);
        expect(hubSettings(process.env).cacheDir).toBe(getHFHubCachePath());
      }
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
    expect(repoFolder('/c', 'EleutherAI/gpt-neo-125m')).toBe(
      join('/c', getRepoFolderName({ name: 'EleutherAI/gpt-neo-125m', type: 'model' })),
    );
  });
});
