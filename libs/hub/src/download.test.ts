import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdtempSync, readFileSync, readlinkSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hubFile, HubError } from './download.js';
import { hubModel } from './model-files.js';
import { hubSettings } from './env.js';
import { startStubHub, type StubHub } from './stub-hub.js';

const C1 = 'a'.repeat(40);
const C2 = 'b'.repeat(40);
const big = new Uint8Array(200_000).map((_, i) => (i * 7919) % 251);
const files = {
  'model.safetensors': big,
  'config.json': new TextEncoder().encode('{"model_type":"gpt_neo"}'),
  'vocab.json': new TextEncoder().encode('{"a":0}'),
};

let hub: StubHub | undefined;
afterEach(async () => {
  await hub?.close();
  hub = undefined;
});

async function setup() {
  hub = await startStubHub(
    {
      'org/model': { refs: { main: C1, v1: C2 }, files },
      'org/gated': { refs: { main: C1 }, files, gated: true },
      'org/binonly': { refs: { main: C2 }, files: { 'pytorch_model.bin': big.subarray(0, 1000) } },
    },
    { 'old/model': 'org/model' },
  );
  const cache = mkdtempSync(join(tmpdir(), 'hfcache-'));
  const settings = { ...hubSettings({ HF_HUB_CACHE: cache, HF_ENDPOINT: hub.url, HF_TOKEN_PATH: '/nonexistent' }) };
  return { cache, settings, hub };
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('hubFile against the stub Hub', () => {
  it('downloads into the huggingface_hub layout and reuses it', async () => {
    const { cache, settings, hub } = await setup();
    const lines: string[] = [];
    const progress = { write: (s: string) => lines.push(s) };
    const f = await hubFile(
      { repo: 'org/model', file: 'model.safetensors' },
      { settings, progress, progressMinBytes: 1 },
    );
    const folder = join(cache, 'models--org--model');
    expect(f).toMatchObject({ commit: C1, revision: 'main', size: big.length, downloaded: big.length });
    expect(f.path).toBe(join(folder, 'snapshots', C1, 'model.safetensors'));
    expect(lstatSync(f.path).isSymbolicLink()).toBe(true);
    expect(readlinkSync(f.path)).toBe(`../../blobs/${sha(big)}`);
    expect(readFileSync(join(folder, 'refs', 'main'), 'utf8')).toBe(C1);
    expect(new Uint8Array(readFileSync(f.path))).toEqual(big);
    expect(lines.at(-1)).toMatch(
      /^downloading org\/model\/model.safetensors: 195\.\d KiB \/ 195\.\d KiB \(100\.0%\), .*\/s, ETA 0s\n$/,
    );
    // A small (non-LFS) file: blob named by its git sha1.
    const cfg = await hubFile({ repo: 'org/model', file: 'config.json' }, { settings });
    expect(readdirSync(join(folder, 'blobs'))).toContain(
      createHash('sha1').update(`blob ${files['config.json'].length}\0`).update(files['config.json']).digest('hex'),
    );
    expect(readFileSync(cfg.path, 'utf8')).toBe('{"model_type":"gpt_neo"}');
    // Second run on a branch: one HEAD, no GET.
    hub.requests.length = 0;
    expect((await hubFile({ repo: 'org/model', file: 'model.safetensors' }, { settings })).downloaded).toBe(0);
    expect(hub.requests).toEqual(['HEAD /org/model/resolve/main/model.safetensors']);
    // A pinned commit that is cached: no request at all.
    hub.requests.length = 0;
    expect((await hubFile({ repo: 'org/model', revision: C1, file: 'model.safetensors' }, { settings })).path).toBe(
      f.path,
    );
    expect(hub.requests).toEqual([]);
    // Another revision with the same content: new snapshot link, same blob, nothing downloaded.
    const v1 = await hubFile({ repo: 'org/model', revision: 'v1', file: 'model.safetensors' }, { settings });
    expect(v1).toMatchObject({ commit: C2, downloaded: 0 });
    expect(readFileSync(join(folder, 'refs', 'v1'), 'utf8')).toBe(C2);
  });

  it('answers offline from the cache and names a missing file', async () => {
    const { settings, hub } = await setup();
    await hubFile({ repo: 'org/model', file: 'vocab.json' }, { settings });
    await hub.close();
    const offline = { ...settings, offline: true };
    const f = await hubFile({ repo: 'org/model', file: 'vocab.json' }, { settings: offline });
    expect(f.commit).toBe(C1);
    await expect(hubFile({ repo: 'org/model', file: 'merges.txt' }, { settings: offline })).rejects.toThrow(
      /hf:org\/model\/merges.txt: HF_HUB_OFFLINE is set and merges.txt of org\/model@main is not in the cache/,
    );
    // Online but unreachable: the cache answers too; an uncached file gets a clear error.
    expect((await hubFile({ repo: 'org/model', file: 'vocab.json' }, { settings })).commit).toBe(C1);
    await expect(hubFile({ repo: 'org/model', file: 'merges.txt' }, { settings })).rejects.toThrow(
      /cannot reach http:\/\/127\.0\.0\.1/,
    );
  });

  it('gated, missing repo, missing revision, missing file, renamed repo', async () => {
    const { settings, cache } = await setup();
    const err = (p: Promise<unknown>) =>
      p.then(
        () => undefined,
        (e: HubError) => [e.code, e.message],
      );
    expect(await err(hubFile({ repo: 'org/gated', file: 'config.json' }, { settings }))).toEqual([
      'gated',
      expect.stringMatching(/answered 401 \(Access to this model is restricted\); set HF_TOKEN/),
    ]);
    expect(await err(hubFile({ repo: 'org/nope', file: 'config.json' }, { settings }))).toEqual([
      'not-found',
      expect.stringMatching(/repository org\/nope not found/),
    ]);
    expect(await err(hubFile({ repo: 'org/model', revision: 'v9', file: 'config.json' }, { settings }))).toEqual([
      'not-found',
      expect.stringMatching(/revision 'v9' does not exist/),
    ]);
    expect(await hubFile({ repo: 'org/model', file: 'merges.txt' }, { settings, optional: true })).toBeUndefined();
    expect(existsSync(join(cache, 'models--org--model', '.no_exist', C1, 'merges.txt'))).toBe(true);
    expect(await err(hubFile({ repo: 'org/model', file: 'merges.txt' }, { settings }))).toEqual([
      'not-found',
      expect.stringMatching(/has no file 'merges.txt'/),
    ]);
    const moved = await hubFile({ repo: 'old/model', file: 'config.json' }, { settings });
    expect(moved.commit).toBe(C1);
  });

  it('sends the token from the token file', async () => {
    const { settings, hub } = await setup();
    const seen: (string | null)[] = [];
    const spy: typeof fetch = (u, init) => {
      seen.push(new Headers(init?.headers).get('authorization'));
      return fetch(u, init);
    };
    await hubFile(
      { repo: 'org/model', file: 'model.safetensors' },
      { settings: { ...settings, token: 'hf_abc' }, fetch: spy },
    );
    expect(seen).toEqual(['Bearer hf_abc', 'Bearer hf_abc']); // HEAD and the same-origin CDN GET
    expect(hub.requests.length).toBe(2);
  });

  it('a connection cut mid-file leaves no good-looking file; the next run resumes', async () => {
    const { settings, hub, cache } = await setup();
    hub.cutNext('model.safetensors', 65_536);
    const e = await hubFile({ repo: 'org/model', file: 'model.safetensors' }, { settings }).catch((x: HubError) => x);
    expect(e).toBeInstanceOf(HubError);
    expect((e as HubError).code).toBe('interrupted');
    const blobs = join(cache, 'models--org--model', 'blobs');
    expect(readdirSync(blobs)).toEqual([`${sha(big)}.incomplete`]);
    expect(existsSync(join(cache, 'models--org--model', 'snapshots', C1, 'model.safetensors'))).toBe(false);
    hub.requests.length = 0;
    const f = await hubFile({ repo: 'org/model', file: 'model.safetensors' }, { settings });
    expect(f.downloaded).toBeGreaterThanOrEqual(big.length - 65_536);
    expect(f.downloaded).toBeLessThan(big.length); // resumed with a Range request, not restarted
    expect(new Uint8Array(readFileSync(f.path))).toEqual(big);
    expect(readdirSync(blobs)).toEqual([sha(big)]);
  });

  it('a corrupt download is deleted, never linked', async () => {
    const { settings, hub, cache } = await setup();
    hub.corruptNext('model.safetensors');
    await expect(hubFile({ repo: 'org/model', file: 'model.safetensors' }, { settings })).rejects.toThrow(
      /sha256 [0-9a-f]{64} differs from the Hub's/,
    );
    expect(readdirSync(join(cache, 'models--org--model', 'blobs'))).toEqual([]);
    expect(
      new Uint8Array(
        readFileSync((await hubFile({ repo: 'org/model', file: 'model.safetensors' }, { settings })).path),
      ),
    ).toEqual(big);
  });

  it('two downloads of one file at once: one GET, both get the file', async () => {
    const { settings, hub } = await setup();
    const [a, b] = await Promise.all([
      hubFile({ repo: 'org/model', file: 'model.safetensors' }, { settings }),
      hubFile({ repo: 'org/model', file: 'model.safetensors' }, { settings }),
    ]);
    expect(a.downloaded + b.downloaded).toBe(big.length);
    expect(new Uint8Array(readFileSync(b.path))).toEqual(big);
    expect(hub.requests.filter((r) => r.startsWith('GET'))).toHaveLength(1);
  });

  it('hubModel prefers safetensors and falls back to pytorch_model.bin', async () => {
    const { settings, hub } = await setup();
    hub.requests.length = 0;
    const m = await hubModel({ repo: 'org/model' }, { settings });
    expect(m.weights.file).toBe('model.safetensors');
    expect(hub.requests.some((r) => r.includes('pytorch_model.bin'))).toBe(false); // both exist: safetensors, and only it
    expect(m.config?.file).toBe('config.json');
    expect(Object.keys(m.tokenizer)).toEqual(['vocab.json']);
    const b = await hubModel({ repo: 'org/binonly' }, { settings });
    expect(b).toMatchObject({ commit: C2, weights: { file: 'pytorch_model.bin' } });
    expect(b.config).toBeUndefined();
  });
});
