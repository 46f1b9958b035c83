import { createHash } from 'node:crypto';

// Workflow: Feature Flag Rollout
// Implements: percentage-based rollout of flags read from the
//   feature-flags ConfigMap, evaluated per customer
// Environment: production
// Refs: docs/processes/feature-flag-rollout.md#percentage-rollout, k8s/configmap-feature-flags.yaml

export type FlagName = 'NEW_CHECKOUT' | 'RECOMMENDATIONS' | 'GIFT_CARDS';

const FLAGS: FlagName[] = ['NEW_CHECKOUT', 'RECOMMENDATIONS', 'GIFT_CARDS'];

/** Rollout percentage per flag, 0-100, from FLAG_* environment variables. */
export function loadFlags(env: NodeJS.ProcessEnv = process.env): Record<FlagName, number> {
  const flags = {} as Record<FlagName, number>;
  for (const name of FLAGS) {
    const raw = Number(env[`FLAG_${name}`] ?? 0);
    flags[name] = Number.isFinite(raw) ? Math.min(100, Math.max(0, raw)) : 0;
  }
  return flags;
}

/**
 * A customer sees a flag when their stable bucket (0-99) is below the rollout percentage,
 * so raising the percentage only ever adds customers.
 */
export function isEnabled(flags: Record<FlagName, number>, name: FlagName, customerId: string): boolean {
  const digest = createHash('sha256').update(`${name}:${customerId}`).digest();
  const bucket = digest.readUInt16BE(0) % 100;
  return bucket < flags[name];
}
