import { STATE_DOMAIN } from '@kailash/contracts';
import type { ServiceCluster, ServiceClusterOptions, ServiceInstance } from '@kailash/service-kit/testing';
import { DEFAULT_TEST_API_KEY, nestServiceBoot, startServiceCluster } from '@kailash/service-kit/testing';
import { TestClock } from '@kailash/testing';
import { AppModule } from '../src/app.module';
import { loadStateConfig } from '../src/config';
import { LeaseSweeper } from '../src/leases/lease-sweeper';

export const TEST_API_KEY = DEFAULT_TEST_API_KEY.key;
/** The name of TEST_API_KEY: the actor history records for the tests' changes. */
export const TEST_PRINCIPAL = DEFAULT_TEST_API_KEY.principal;

/** Headers of an authenticated JSON request to state-svc. */
export const authorized = { 'content-type': 'application/json', authorization: `Bearer ${TEST_API_KEY}` };

/** A state-svc cluster always runs on a test clock: lease and lock deadlines move only when a test says. */
export type StateCluster = ServiceCluster & { readonly clock: TestClock };
export type StateInstance = ServiceInstance;

/**
 * state-svc instances on one namespace and database, on one test clock. Bodies are capped at
 * 16 KiB (so an oversized one is cheap to send) and the rate limit is out of the way of bursts
 * a test sends from one address.
 */
export async function startStateCluster(
  options: Partial<Omit<ServiceClusterOptions, 'clock'>> & { readonly clock?: TestClock } = {},
): Promise<StateCluster> {
  const clock = options.clock ?? new TestClock();
  const cluster = await startServiceCluster({
    service: 'state',
    domain: STATE_DOMAIN,
    app: 'state-svc',
    boot: nestServiceBoot({ loadConfig: loadStateConfig, appModule: (config) => AppModule.forRoot(config) }),
    ...options,
    clock,
    env: { HTTP_BODY_LIMIT_BYTES: '16384', RATE_LIMIT_PER_MINUTE: '100000', ...options.env },
  });
  return Object.assign(cluster, { clock });
}

/** One lease sweep on an in-process instance; resolves to the expiries it published. */
export const sweepLeases = (instance: StateInstance): Promise<number> =>
  instance.app.get(LeaseSweeper).sweepOnce();
