import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  NAB_PROFILES,
  normaliseNabScore,
  optimiseThreshold,
  parseNabCsv,
  scoreFile,
  windowsToIndices,
  type NabFileScore,
  type NabProfileName,
  type NabScoredFile,
  type DetectorFactory,
} from '@kailash/analytics';

export interface NabFile {
  readonly key: string;
  readonly values: Float64Array;
  readonly windows: NabScoredFile['windows'];
}

/**
 * Every CSV under nab/data whose key appears in combined_windows.json (keys without a CSV are
 * skipped), or only the files named in `keys` (`category/file.csv`, each must exist).
 */
export function loadNabCorpus(dataDir: string, keys?: readonly string[]): NabFile[] {
  const nabDir = join(dataDir, 'nab');
  const windows = JSON.parse(readFileSync(join(nabDir, 'labels', 'combined_windows.json'), 'utf8')) as Record<
    string,
    string[][]
  >;
  const files: NabFile[] = [];
  for (const category of readdirSync(join(nabDir, 'data'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()) {
    for (const name of readdirSync(join(nabDir, 'data', category))
      .filter((f) => f.endsWith('.csv'))
      .sort()) {
      const key = `${category}/${name}`;
      const fileWindows = windows[key];
      if (!fileWindows || (keys && !keys.includes(key))) continue;
      const series = parseNabCsv(readFileSync(join(nabDir, 'data', category, name), 'utf8'));
      files.push({
        key,
        values: series.values,
        windows: windowsToIndices(key, series.timestamps, fileWindows),
      });
    }
  }
  const missing = (keys ?? []).filter((k) => !files.some((f) => f.key === k));
  if (missing.length > 0) throw new Error(`NAB files not found or not labelled: ${missing.join(', ')}`);
  return files;
}

export interface ProfileOutcome {
  readonly profile: NabProfileName;
  readonly threshold: number;
  readonly score: number;
  readonly files: NabFileScore[];
}

export interface DetectorOutcome {
  readonly detector: string;
  readonly profiles: ProfileOutcome[];
  readonly pointsPerSecond: number;
}

/** Runs a detector over every file from a fresh state, then scores it per profile at NAB's optimised threshold. */
export function runNabDetector(
  name: string,
  files: readonly NabFile[],
  factory: DetectorFactory | ((file: NabFile) => Float64Array),
): DetectorOutcome {
  const started = performance.now();
  const scored: NabScoredFile[] = files.map((file) => {
    let scores: Float64Array;
    if (factory.length === 1) scores = (factory as (file: NabFile) => Float64Array)(file);
    else {
      const detector = (factory as DetectorFactory)();
      scores = file.values.map((v) => detector.update(v));
    }
    return { name: file.key, rowCount: file.values.length, windows: file.windows, scores };
  });
  const seconds = (performance.now() - started) / 1000;
  const points = files.reduce((sum, f) => sum + f.values.length, 0);
  const profiles = (Object.keys(NAB_PROFILES) as NabProfileName[]).map((profileName) => {
    const profile = NAB_PROFILES[profileName];
    const { threshold } = optimiseThreshold(scored, profile);
    const results = scored.map((file) => scoreFile(file, threshold, profile));
    return { profile: profileName, threshold, score: normaliseNabScore(results), files: results };
  });
  return { detector: name, profiles, pointsPerSecond: points / seconds };
}
