import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  NAB_PROFILES,
  normaliseNabScore,
  parseNabCsv,
  scoreFile,
  windowsToIndices,
  type NabProfileName,
} from '@kailash/analytics';
import { hasFile, resolveDataDir } from '../data';

/**
 * Our NAB scorer against NAB's own: every file of NAB's published HTM results, scored by us at NAB's
 * threshold, must give NAB's per-file score, its null baseline and its per-row S(t) column, for each
 * profile. The unit tests check this on one file carried in the repository; this checks the whole
 * folder when it is there. Exit 0 when all match (or no data: skipped), 1 otherwise.
 */
const PREFIX = 'nab scorer check';

interface PublishedTable {
  readonly threshold: number;
  readonly byFile: ReadonlyMap<string, number>;
}

function publishedScores(nabDir: string, detector: string, profile: NabProfileName): PublishedTable {
  const rows = readFileSync(join(nabDir, 'results', detector, `${detector}_${profile}_scores.csv`), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(','));
  return {
    threshold: Number(rows[0]?.[3]),
    byFile: new Map(rows.map((cells) => [cells[2] as string, Number(cells[4])])),
  };
}

function mismatches(
  nabDir: string,
  profile: NabProfileName,
): { files: number; problems: string[]; total: number } {
  const expected = publishedScores(nabDir, 'numenta', profile);
  const expectedNull = publishedScores(nabDir, 'null', profile);
  const windows = JSON.parse(readFileSync(join(nabDir, 'labels', 'combined_windows.json'), 'utf8')) as Record<
    string,
    string[][]
  >;
  const resultsDir = join(nabDir, 'results', 'numenta');
  const problems: string[] = [];
  const scored = [];
  for (const category of readdirSync(resultsDir, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    for (const fileName of readdirSync(join(resultsDir, category.name))) {
      const key = `${category.name}/${fileName.replace(/^numenta_/, '')}`;
      const series = parseNabCsv(readFileSync(join(resultsDir, category.name, fileName), 'utf8'));
      const result = scoreFile(
        {
          name: key,
          rowCount: series.values.length,
          windows: windowsToIndices(key, series.timestamps, windows[key] ?? []),
          scores: series.columns['anomaly_score'] as Float64Array,
        },
        expected.threshold,
        NAB_PROFILES[profile],
      );
      scored.push(result);
      const reference = series.columns[`S(t)_${profile}`] as Float64Array;
      const worstRow = result.rowScores.reduce(
        (max, v, i) => Math.max(max, Math.abs(v - (reference[i] as number))),
        0,
      );
      const published = expected.byFile.get(key);
      if (published === undefined || Math.abs(result.score - published) > 1e-9)
        problems.push(`${key}: score ${result.score} vs NAB ${published}`);
      if (result.nullScore !== expectedNull.byFile.get(key))
        problems.push(`${key}: null score ${result.nullScore} vs NAB ${expectedNull.byFile.get(key)}`);
      if (!(worstRow < 1e-9)) problems.push(`${key}: per-row S(t) differs by up to ${worstRow}`);
    }
  }
  return { files: scored.length, problems, total: normaliseNabScore(scored) };
}

function main(): number {
  const dataDir = resolveDataDir(process.argv[2]);
  const nabDir = join(dataDir, 'nab');
  if (!hasFile(nabDir, 'results', 'numenta') || !hasFile(nabDir, 'results', 'null')) {
    console.log(
      `${PREFIX}: skipped — no NAB results under ${nabDir} (set KAILASH_DATA_DIR or pass the folder).`,
    );
    return 0;
  }
  let failed = 0;
  for (const profile of Object.keys(NAB_PROFILES) as NabProfileName[]) {
    const { files, problems, total } = mismatches(nabDir, profile);
    const verdict = files > 0 && problems.length === 0 ? 'matches' : 'DIFFERS';
    console.log(`${PREFIX}: ${profile}: ${files} files, normalised score ${total.toFixed(2)}: ${verdict}`);
    for (const problem of problems.slice(0, 10)) console.log(`  ${problem}`);
    if (files === 0 || problems.length > 0) failed++;
  }
  return failed === 0 ? 0 : 1;
}

process.exitCode = main();
