/**
 * A rapport server: one CRM in memory behind node:http on 127.0.0.1, with token-based
 * authentication (three demo users with different roles) and the workers running here, on
 * the authority. Run with `npx tsx examples/server/server.ts`, then the client beside it.
 */
import { createCrm } from '../../src/index';
import type { Actor } from '../../src/index';
import { memoryAdapter } from '../../adapters/memory/index';
import { createHttpHandler } from '../../adapters/http/server';
import { serveNode } from '../../adapters/http/node';

/** Demo tokens. A real server verifies a signed token or a session cookie instead. */
export const DEMO_TOKENS: Record<string, Actor> = {
  'demo-admin': { id: 'u-ada', roles: ['admin'] },
  'demo-editor': { id: 'u-eli', roles: ['editor'] },
  'demo-viewer': { id: 'u-vic', roles: ['viewer'] },
};

const crm = await createCrm({ storage: memoryAdapter(), sensitiveFields: { customers: ['notes'] } });
// The server is the authority: reminders, SLA checks and automations run here, once.
const workers = crm.startWorkers({ intervalMs: 5000 });

const handler = createHttpHandler({
  crm,
  // The actor comes from the credentials only; a header naming an actor would be a forgery.
  authenticate: (request) => DEMO_TOKENS[request.headers.get('authorization')?.replace(/^Bearer /, '') ?? ''] ?? null,
  maxBodyBytes: 256 * 1024,
});

const { url, close } = await serveNode(handler, { host: '127.0.0.1', port: Number(process.env['PORT'] ?? 8787) });
console.log(`rapport server listening on ${url}/v1`);
console.log(`demo tokens: ${Object.entries(DEMO_TOKENS).map(([t, a]) => `${t} (${a.roles.join(', ')})`).join('; ')}`);

async function shutdown(): Promise<void> {
  await workers.stop();
  await close();
  await crm.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
