import type { EdgeLifecycle } from '@kailash/contracts';
import { canTransition, EDGE_LIFECYCLE_STATES } from '@kailash/contracts';
import { ConfigError } from '@kailash/service-kit';
import { z } from 'zod';

/** What an expired edge lease does to its edge: the edge's current lifecycle → the one to move it to. */
export type EdgeExpiryPolicy = ReadonlyMap<EdgeLifecycle, EdgeLifecycle>;

const lifecycle = (value: string): value is EdgeLifecycle =>
  (EDGE_LIFECYCLE_STATES as readonly string[]).includes(value);

/** `active>draining,warming>initialized`, or `none` to leave edges alone. */
const policySchema = z.string().transform((text, ctx): EdgeExpiryPolicy => {
  const policy = new Map<EdgeLifecycle, EdgeLifecycle>();
  if (text.trim() === 'none') return policy;
  for (const pair of text.split(',').map((item) => item.trim())) {
    const [from = '', to = '', ...rest] = pair.split('>');
    if (rest.length > 0 || !lifecycle(from) || !lifecycle(to) || policy.has(from)) {
      ctx.addIssue({
        code: 'custom',
        message: `'${pair}' is not <from>><to> with states of ${EDGE_LIFECYCLE_STATES.join(', ')}, one pair per <from>`,
      });
      return z.NEVER;
    }
    // Caught at boot rather than as a refused transition at the first expiry.
    if (!canTransition(from, to)) {
      ctx.addIssue({ code: 'custom', message: `'${pair}': an edge cannot go from ${from} to ${to}` });
      return z.NEVER;
    }
    policy.set(from, to);
  }
  return policy;
});

/** The leases slice's own environment, validated at boot like the service kit's. */
export const leaseEnvSchema = z.object({
  /** How often each instance looks for leases past their deadline. */
  LEASE_SWEEP_INTERVAL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  /** Most leases one sweep expires; the rest wait for the next sweep. */
  LEASE_SWEEP_BATCH: z.coerce.number().int().min(1).max(10_000).default(200),
  LEASE_EDGE_EXPIRY_POLICY: policySchema.default(new Map([['active', 'draining']])),
});

export type LeaseConfig = z.output<typeof leaseEnvSchema>;

export const LEASE_CONFIG = Symbol('LEASE_CONFIG');

/** Reads the lease variables; a bad value stops the service with a message naming the variable. */
export function loadLeaseConfig(env: Readonly<Record<string, string | undefined>>): LeaseConfig {
  const present = Object.fromEntries(
    Object.entries(env).filter(([key, value]) => key.startsWith('LEASE_') && value),
  );
  const result = leaseEnvSchema.safeParse(present);
  if (!result.success)
    throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  return result.data;
}
