import Fastify from 'fastify';
import pg from 'pg';
import { loadConfig } from './config.js';
import { isEnabled, loadFlags } from './feature-flags.js';
import { registerHealthRoutes } from './healthcheck.js';

const config = loadConfig();
const flags = loadFlags();
const db = new pg.Pool({ connectionString: config.databaseUrl, max: 10 });
const app = Fastify({ logger: true });

registerHealthRoutes(app, db, config.color);

app.get('/api/products', async (request) => {
  const { limit = '20' } = request.query as { limit?: string };
  const { rows } = await db.query('SELECT id, name, price_cents FROM products ORDER BY id LIMIT $1', [Number(limit)]);
  return rows;
});

app.get('/api/checkout/variant', async (request) => {
  const customerId = request.headers['x-customer-id']?.toString() ?? 'anonymous';
  return { variant: isEnabled(flags, 'NEW_CHECKOUT', customerId) ? 'new' : 'classic' };
});

// Process: Health Checks
// Implements: graceful shutdown; readiness fails first, then connections drain
// Reference: docs/processes/health-checks.md#graceful-shutdown
const shutdown = async () => {
  await new Promise((resolve) => setTimeout(resolve, 10_000));
  await app.close();
  await db.end();
};
process.on('SIGTERM', () => void shutdown());

await app.listen({ port: config.port, host: '0.0.0.0' });
