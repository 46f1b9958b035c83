import type { FastifyInstance } from 'fastify';
import type { Pool } from 'pg';

/**
 * Process: Health Checks
 * Implements: liveness and readiness endpoints used by the ALB target groups and Kubernetes probes
 * Environment: production, staging
 * Reference: docs/processes/health-checks.md#readiness-probe
 * Task: TASK-003
 */
export function registerHealthRoutes(app: FastifyInstance, db: Pool, color: string): void {
  let draining = false;

  process.on('SIGTERM', () => {
    // Fail readiness first so the load balancer stops sending traffic before shutdown.
    draining = true;
  });

  app.get('/healthz/live', async () => ({ status: 'ok', color }));

  app.get('/healthz/ready', async (_request, reply) => {
    if (draining) {
      return reply.code(503).send({ status: 'draining', color });
    }
    try {
      await db.query('SELECT 1');
    } catch (error) {
      app.log.warn({ error }, 'readiness: database unreachable');
      return reply.code(503).send({ status: 'database-unreachable', color });
    }
    return { status: 'ready', color };
  });
}
