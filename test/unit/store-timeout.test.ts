// A DynamoDB that stops answering (a connection accepted and never answered): with DYNAMODB_REQUEST_TIMEOUT_MS, as on
// AWS, each attempt is abandoned and the SDK retries it, then the call fails as a timeout — a write's outcome marked
// unknown — instead of holding the caller until the Lambda's own timeout.
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

let server: Server;
const sockets: Socket[] = [];
let connections = 0;
let endpoint = '';

beforeAll(async () => {
  server = createServer((socket) => {
    connections += 1;
    sockets.push(socket); // read, never answered
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  vi.unstubAllEnvs();
  vi.resetModules();
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => server.close(resolve));
});

/** The store's client as a cold start with `env` would build it. */
async function clientWith(env: Record<string, string | undefined>) {
  vi.resetModules();
  for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
  const { ddb } = await import('../../functions/kernel/store/client.ts');
  const { GetCommand, PutCommand } = await import('@aws-sdk/lib-dynamodb');
  return { ddb, GetCommand, PutCommand };
}

describe('a DynamoDB request that gets no answer', () => {
  const base = { DYNAMODB_ENDPOINT: '', AWS_REGION: 'cn-north-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_MAX_ATTEMPTS: '2' };

  it('fails as a timeout after the SDK retried it, with DYNAMODB_REQUEST_TIMEOUT_MS; a write says its outcome is unknown', async () => {
    const { ddb, GetCommand, PutCommand } = await clientWith({ ...base, DYNAMODB_ENDPOINT: endpoint, DYNAMODB_REQUEST_TIMEOUT_MS: '200' });
    const before = connections;

    const read = await ddb.send(new GetCommand({ TableName: 't', Key: { pk: 'a' } })).catch((e: unknown) => e as Error & { outcomeUnknown?: boolean });
    const write = await ddb.send(new PutCommand({ TableName: 't', Item: { pk: 'a' } })).catch((e: unknown) => e as Error & { outcomeUnknown?: boolean });

    expect(read).toBeInstanceOf(Error);
    expect((read as Error).name).toMatch(/Timeout/);
    expect(write).toBeInstanceOf(Error);
    expect((write as Error).name).toMatch(/Timeout/);
    expect((write as { outcomeUnknown?: boolean }).outcomeUnknown).toBe(true);
    // Two attempts each (AWS_MAX_ATTEMPTS), each on a connection of its own: the abandoned one is not reused.
    expect(connections - before).toBeGreaterThanOrEqual(4);
  });

  it('is still waiting without it (the SDK sets no limit of its own)', async () => {
    const { ddb, GetCommand } = await clientWith({ ...base, DYNAMODB_ENDPOINT: endpoint, DYNAMODB_REQUEST_TIMEOUT_MS: undefined });
    const controller = new AbortController();
    let settled = false;
    const pending = ddb.send(new GetCommand({ TableName: 't', Key: { pk: 'a' } }), { abortSignal: controller.signal }).finally(() => (settled = true));

    await new Promise((r) => setTimeout(r, 1_000));

    expect(settled).toBe(false);
    controller.abort();
    await pending.catch(() => undefined);
  });
});
