import { afterEach, describe, expect, it } from 'vitest';
import { MlflowHttp, TrackingUnreachableError } from './rest-http.js';
import { StubMlflowServer } from './testing/stub-mlflow-server.js';

let server: StubMlflowServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

async function delaysFor(seed: number): Promise<number[]> {
  server = await new StubMlflowServer().start();
  server.inject({ status: 500 }, { status: 502 }, { status: 503 });
  const delays: number[] = [];
  const http = new MlflowHttp(server.uri, { seed, backoffMs: 100, sleep: async (ms) => void delays.push(ms) });
  await http.call('GET', 'experiments/get-by-name', { experiment_name: 'Default' });
  await server.stop();
  server = undefined;
  return delays;
}

describe('MlflowHttp', () => {
  it('backs off exponentially with seeded jitter: same seed, same delays', async () => {
    const a = await delaysFor(42);
    const b = await delaysFor(42);
    const c = await delaysFor(43);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a).toHaveLength(3);
    a.forEach((d, i) => {
      expect(d).toBeGreaterThanOrEqual(100 * 2 ** i * 0.5);
      expect(d).toBeLessThan(100 * 2 ** i * 1.5);
    });
  });

  it('gives up with TrackingUnreachableError naming the last problem', async () => {
    server = await new StubMlflowServer().start();
    const uri = server.uri;
    await server.stop();
    const http = new MlflowHttp(uri, { maxRetries: 2, sleep: async () => {} });
    const err = (await http.call('GET', 'runs/get', { run_id: 'x' }).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(TrackingUnreachableError);
    expect(err.message).toMatch(/unreachable after 3 tries.*ECONNREFUSED/);
    expect(http.requests).toBe(3);
  });

  it('refuses a non-http URI', () => {
    expect(() => new MlflowHttp('file:./mlruns')).toThrow(/http\(s\)/);
  });
});
