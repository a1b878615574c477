import { seededNormal } from '@kailash/random';

/** A seasonal series with trend and seeded noise, shared by the forecasting specs. */
export function seasonalSeries(length: number, period = 24, seed = 1, trend = 0): Float64Array {
  const noise = seededNormal(seed);
  return Float64Array.from(
    { length },
    (_, t) => 100 + trend * t + 20 * Math.sin((2 * Math.PI * t) / period) + noise(),
  );
}
