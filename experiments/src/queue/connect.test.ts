import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis, QueueUnreachableError } from './connect.js';
import { parseQueueUrl } from './redis-url.js';
import { freePort, startRedisServer, type TestRedis } from './test-redis.js';

describe('parseQueueUrl', () => {
  it('host, port and database', () => {
    expect(parseQueueUrl('redis://10.0.0.5:6380/2')).toEqual({
      url: 'redis://10.0.0.5:6380/2',
      host: '10.0.0.5',
      port: 6380,
      db: 2,
    });
    expect(parseQueueUrl('redis://queue.lab')).toEqual({
      url: 'redis://queue.lab/0',
      host: 'queue.lab',
      port: 6379,
      db: 0,
    });
    expect(parseQueueUrl('redis://:s3cret@h:1/1')).toMatchObject({ url: 'redis://h:1/1', password: 's3cret' });
  });

  it('wrong URLs are usage errors that say what is expected', () => {
    expect(() => parseQueueUrl('localhost:6379')).toThrow(
      "--queue: 'localhost:6379' has scheme 'localhost:', expected redis://HOST:PORT[/db]",
    );
    expect(() => parseQueueUrl('nope')).toThrow("--queue: 'nope' is not a URL, expected redis://HOST:PORT[/db]");
    expect(() => parseQueueUrl('redis://h:1/x')).toThrow("has database 'x', expected a number 0-15 after the port");
  });
});

describe('connectRedis', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('connects to a real redis-server and selects the database', async () => {
    const client = await connectRedis(parseQueueUrl(`${redis.url}/3`));
    try {
      expect(await client.ping()).toBe('PONG');
      await client.set('k', 'v');
      expect((await client.info('keyspace')).trim().split('\n').slice(1)).toEqual(['db3:keys=1,expires=0,avg_ttl=0']);
    } finally {
      client.disconnect();
    }
  });

  it('nobody listening: a clear error naming the URL, within the timeout (ioredis alone retries forever)', async () => {
    const port = await freePort();
    const t0 = Date.now();
    const err = await connectRedis(parseQueueUrl(`redis://127.0.0.1:${port}/0`), { timeoutMs: 1000 }).catch((e) => e);
    const took = Date.now() - t0;
    expect(err).toBeInstanceOf(QueueUnreachableError);
    expect(err.message).toBe(
      `cannot reach Redis at redis://127.0.0.1:${port}/0 (connect ECONNREFUSED 127.0.0.1:${port}) within 1 s; start redis-server there or correct --queue`,
    );
    expect(took).toBeGreaterThanOrEqual(700);
    expect(took).toBeLessThan(2500);
  });
});
