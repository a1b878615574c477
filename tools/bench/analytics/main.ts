import {
  arima,
  cadOseDetector,
  liveCadOseDetector,
  combinedDetector,
  cusumDetector,
  ewmaBandsDetector,
  holtWinters,
  linearTrend,
  mstl,
  naive,
  pageHinkleyDetector,
  robustZDetector,
  sarima,
  seasonalNaive,
  seasonalResidualDetector,
  createSelector,
  type Forecaster,
  type StreamingDetector,
} from '@kailash/analytics';
import { seededNormal } from '@kailash/random';
import { machineLine, writeBenchSection } from '../report';

const COMMAND = 'npm run bench:analytics';
const POINTS = 200_000;
const CAD_POINTS = 20_000;

/** A daily-seasonal 5-minute series with noise, generated from a fixed seed so every run measures the same input. */
function syntheticSeries(length: number, seed: number): Float64Array {
  const noise = seededNormal(seed);
  return Float64Array.from({ length }, (_, t) => 50 + 10 * Math.sin((2 * Math.PI * t) / 288) + 3 * noise());
}

function detectorThroughput(
  name: string,
  create: () => StreamingDetector,
  values: Float64Array,
): [string, string] {
  const detector = create();
  let sink = 0;
  const started = performance.now();
  for (const v of values) sink += detector.update(v);
  const seconds = (performance.now() - started) / 1000;
  if (!Number.isFinite(sink)) throw new Error(`${name} produced a non-finite score`);
  return [name, Math.round(values.length / seconds).toLocaleString('en-US')];
}

function forecasterThroughput(
  forecaster: Forecaster,
  histories: Float64Array[],
  periods: number[],
): [string, string, string] {
  const started = performance.now();
  for (const history of histories) forecaster.fit(history, { periods }).forecast(48);
  const seconds = (performance.now() - started) / 1000;
  return [
    forecaster.name,
    (histories.length / seconds).toFixed(1),
    ((seconds * 1000) / histories.length).toFixed(1),
  ];
}

function main(): void {
  const stream = syntheticSeries(POINTS, 42);
  const detectors: [string, () => StreamingDetector][] = [
    ['robust-z (window 288)', () => robustZDetector()],
    ['ewma-bands', () => ewmaBandsDetector()],
    ['seasonal-residual', () => seasonalResidualDetector()],
    ['cusum', () => cusumDetector()],
    ['page-hinkley', () => pageHinkleyDetector()],
    ['combined', () => combinedDetector()],
  ];
  const detectorRows = detectors.map(([name, create]) => detectorThroughput(name, create, stream));
  // CAD OSE costs time in proportion to the contexts it has learned, which grow with the stream
  // (up to maxContexts), so it is measured on the first CAD_POINTS values of the same series.
  const cadStream = stream.subarray(0, CAD_POINTS);
  const cadRange = { min: Math.min(...cadStream), max: Math.max(...cadStream) };
  detectorRows.push(
    detectorThroughput(
      `cad-ose, range told (${CAD_POINTS.toLocaleString('en-US')} points)`,
      () => cadOseDetector({ range: cadRange }),
      cadStream,
    ),
    detectorThroughput(
      `cad-ose, range learned (${CAD_POINTS.toLocaleString('en-US')} points)`,
      () => cadOseDetector(),
      cadStream,
    ),
    // The live detector's memory is bounded, so its rate should not fall on a five times longer stream.
    ...[CAD_POINTS, 5 * CAD_POINTS].map((points) =>
      detectorThroughput(
        `cad-ose live, told nothing (${points.toLocaleString('en-US')} points)`,
        () => liveCadOseDetector(),
        stream.subarray(0, points),
      ),
    ),
  );
  const hourly = Array.from({ length: 20 }, (_, k) => {
    const noise = seededNormal(100 + k);
    return Float64Array.from(
      { length: 700 },
      (_, t) =>
        100 + 30 * Math.sin((2 * Math.PI * t) / 24) + 10 * Math.sin((2 * Math.PI * t) / 168) + 5 * noise(),
    );
  });
  const forecasters: Forecaster[] = [
    naive,
    seasonalNaive(24),
    linearTrend,
    holtWinters,
    arima,
    sarima,
    mstl,
    createSelector({
      candidates: [naive, seasonalNaive(24), seasonalNaive(168), holtWinters, sarima, mstl],
      validationHorizon: 48,
      mode: 'combine',
    }),
  ];
  const forecastRows = forecasters.map((f) => forecasterThroughput(f, hourly, [24, 168]));
  const markdown = [
    '## Analytics (libs/analytics)',
    '',
    machineLine(COMMAND),
    '',
    `Streaming detectors, one value at a time over ${POINTS.toLocaleString('en-US')} points of a seeded synthetic 5-minute series (one core):`,
    '',
    '| detector | points/s |',
    '| --- | --- |',
    ...detectorRows.map((r) => `| ${r.join(' | ')} |`),
    '',
    'Forecasters, fit + 48-step forecast on 20 seeded hourly series of 700 points (periods 24 and 168 given):',
    '',
    '| forecaster | fits/s | ms/fit |',
    '| --- | --- | --- |',
    ...forecastRows.map((r) => `| ${r.join(' | ')} |`),
    '',
    'Baseline in the same run: naive and seasonal naive above are the floor every other model is compared with.',
  ].join('\n');
  writeBenchSection('analytics', markdown);
  console.log(markdown);
}

main();
