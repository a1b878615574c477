import { SubjectSpace } from '@kailash/contracts';
import type { FuzzRoute } from './fuzz-route';
import { fuzzRouteName } from './fuzz-route';
import type { FuzzReport, FuzzTarget } from './fuzz-runner';
import { fuzzRoute } from './fuzz-runner';

export interface FuzzSuiteOptions {
  /** A service's route list, built for a subject space (titles use a placeholder one). */
  readonly routes: (subjects: SubjectSpace) => readonly FuzzRoute[];
  /** Fixed, so a failure is a reproducible counterexample; change it to explore further. */
  readonly seed: number;
  readonly casesPerRoute: number;
  /** The whole walk stays within this, however loaded the machine (fast-check stops generating). */
  readonly totalBudgetMs: number;
}

/** The running service a case is walked against, known only once the suite's setup has run. */
export interface LiveFuzzTarget {
  readonly subjects: SubjectSpace;
  readonly target: FuzzTarget;
}

export interface FuzzSuite {
  /** `[title, index]` per route, for `it.each`. */
  readonly cases: ReadonlyArray<readonly [string, number]>;
  /** Per-case test timeout: the route's share of the budget and room to answer. */
  readonly timeoutMs: number;
  /** Walks route `index` against the live service; throws if the route was never exercised. */
  run(index: number, live: LiveFuzzTarget): Promise<FuzzReport>;
}

/**
 * One test per route of a service (every service's fuzz spec is this walk): titles from the route
 * list, the budget split evenly, and `FUZZ_REPORT=1` printing each route's outcome counts.
 */
export function fuzzSuite(options: FuzzSuiteOptions): FuzzSuite {
  const titles = options.routes(new SubjectSpace()).map(fuzzRouteName);
  const perRouteMs = Math.floor(options.totalBudgetMs / Math.max(titles.length, 1));
  return {
    cases: titles.map((title, index) => [title, index] as const),
    timeoutMs: perRouteMs + 30_000,
    async run(index, live) {
      const route = options.routes(live.subjects)[index];
      if (!route) throw new Error(`no fuzz route ${index}`);
      const report = await fuzzRoute(live.target, route, {
        seed: options.seed,
        numRuns: options.casesPerRoute,
        timeLimitMs: perRouteMs,
      });
      if (report.runs === 0) throw new Error(`${report.route}: no generated case ran within its budget`);
      if (process.env['FUZZ_REPORT']) process.stdout.write(`${JSON.stringify(report)}\n`);
      return report;
    },
  };
}

/** HTTP and NATS headers carrying an API key, as every guarded route expects it. */
export const bearerHeaders = (apiKey: string): Pick<FuzzTarget, 'headers' | 'natsHeaders'> => ({
  headers: { authorization: `Bearer ${apiKey}` },
  natsHeaders: { Authorization: `Bearer ${apiKey}` },
});
