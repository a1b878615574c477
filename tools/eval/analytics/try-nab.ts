import {
  cusumDetector,
  ewmaBandsDetector,
  pageHinkleyDetector,
  robustZDetector,
  seasonalResidualDetector,
  withSuppression,
  type StreamingDetector,
} from '@kailash/analytics';
import { loadNabCorpus, runNabDetector } from './nab';
import { resolveDataDir } from './data';

const files = loadNabCorpus(resolveDataDir(undefined));
const only = process.argv[2];
const window = Number(process.argv[3] ?? 200);
const damping = Number(process.argv[4] ?? 0.5);
const base: Record<string, () => StreamingDetector> = {
  'robust-z': () => robustZDetector(),
  'ewma-bands': () => ewmaBandsDetector(),
  'seasonal-residual': () => seasonalResidualDetector(),
  cusum: () => cusumDetector(),
  'page-hinkley': () => pageHinkleyDetector(),
  'max(cusum,seas)': () => {
    const a = cusumDetector();
    const b = seasonalResidualDetector();
    return { name: 'm', update: (x) => Math.max(a.update(x), b.update(x)) };
  },
};
for (const [name, factory] of Object.entries(base)) {
  for (const [label, f] of [[`${name}+S`, () => withSuppression(factory(), window, damping)]] as const) {
    if (only && !label.startsWith(only)) continue;
    const outcome = runNabDetector(label, files, f);
    console.log(
      label.padEnd(22),
      outcome.profiles
        .map((p) => `${p.profile.slice(0, 12)} ${p.score.toFixed(1)} @${p.threshold.toFixed(4)}`)
        .join(' | '),
      `${Math.round(outcome.pointsPerSecond)} pts/s`,
    );
  }
}
