/**
 * A CPU-profile driver: the benchmark's request mix against one 100,000-edge fleet, engine only, so
 * `node --cpu-prof` shows where a placement spends its time. Run through tools/bench/run.sh.
 */
import type { PlacementRequestInput } from '@kailash/contracts';
import { buildFleet } from '../../../apps/state-svc/src/placement/engine/fleet';
import { place } from '../../../apps/state-svc/src/placement/engine/place';
import {
  parseRequest,
  syntheticFleet,
  syntheticRequests,
} from '../../../apps/state-svc/test/placement/synthetic-fleet';

const size = Number(process.env['PROFILE_EDGES'] ?? 100_000);
const fleet = buildFleet(syntheticFleet(size, 1));
// PROFILE_STRATEGY forces every request to one strategy, to see where that strategy's time goes.
// parseRequest validates it, naming the field when it is not a strategy.
const strategy = process.env['PROFILE_STRATEGY'] as PlacementRequestInput['strategy'];
const requests = syntheticRequests(2_000, 2)
  .map((request) => (strategy ? { ...request, strategy } : request))
  .map(parseRequest);
const start = process.hrtime.bigint();
for (const request of requests) place(fleet, request);
console.log(`${requests.length} placements in ${Number(process.hrtime.bigint() - start) / 1e6} ms`);
