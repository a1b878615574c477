import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseNabCsv, windowsToIndices } from './nab-format';
import { normaliseNabScore, scoreFile } from './nab-scorer';
import { NAB_PROFILES, type NabFileScore, type NabProfileName } from './nab-types';

/** The reference data lives beside the clone (../shared/data); CI has it there too. */
const dataDir = process.env['KAILASH_DATA_DIR'] ?? resolve(__dirname, '../../../../..', 'shared', 'data');
const nabDir = join(dataDir, 'nab');
const CATEGORIES = ['realKnownCause', 'realAWSCloudwatch'];

/** Per-file `Score` of a detector's NAB score file, and the corpus threshold NAB tuned for that profile. */
function referenceScores(
  detector: string,
  profile: NabProfileName,
): { threshold: number; byFile: Map<string, number> } {
  const text = readFileSync(join(nabDir, 'results', detector, `${detector}_${profile}_scores.csv`), 'utf8');
  const rows = text
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(','));
  return {
    threshold: Number(rows[0]?.[3]),
    byFile: new Map(rows.map((cells) => [cells[2] as string, Number(cells[4])])),
  };
}

const windowsByFile = JSON.parse(
  readFileSync(join(nabDir, 'labels', 'combined_windows.json'), 'utf8'),
) as Record<string, string[][]>;
const htmFiles = CATEGORIES.flatMap((category) =>
  readdirSync(join(nabDir, 'results', 'numenta', category)).map((fileName) => {
    const key = `${category}/${fileName.replace(/^numenta_/, '')}`;
    const series = parseNabCsv(readFileSync(join(nabDir, 'results', 'numenta', category, fileName), 'utf8'));
    return { key, series, windows: windowsToIndices(key, series.timestamps, windowsByFile[key] ?? []) };
  }),
);

describe('NAB scorer against the reference HTM results', () => {
  it('covers the 24 shared files and the tuned HTM thresholds of NAB', () => {
    expect(htmFiles).toHaveLength(24);
    expect(referenceScores('numenta', 'standard').threshold).toBe(0.542187690735);
    expect(referenceScores('numenta', 'reward_low_FP_rate').threshold).toBe(0.575195503235);
  });

  describe.each(Object.keys(NAB_PROFILES) as NabProfileName[])('profile %s', (profileName) => {
    const profile = NAB_PROFILES[profileName];
    const expected = referenceScores('numenta', profileName);
    const expectedNull = referenceScores('null', profileName);
    const results: NabFileScore[] = htmFiles.map(({ key, series, windows }) => {
      const scores = series.columns['anomaly_score'] as Float64Array;
      return scoreFile(
        { name: key, rowCount: series.values.length, windows, scores },
        expected.threshold,
        profile,
      );
    });

    it('reproduces every per-file score and the null baseline', () => {
      for (const result of results) {
        expect({ file: result.name, score: result.score }).toEqual({
          file: result.name,
          score: expect.closeTo(expected.byFile.get(result.name) as number, 9),
        });
        expect({ file: result.name, nullScore: result.nullScore }).toEqual({
          file: result.name,
          nullScore: expectedNull.byFile.get(result.name),
        });
      }
    });

    it('reproduces the per-row S(t) column', () => {
      htmFiles.forEach(({ key, series, windows }) => {
        const scores = series.columns['anomaly_score'] as Float64Array;
        const rows = scoreFile(
          { name: key, rowCount: series.values.length, windows, scores },
          expected.threshold,
          profile,
        ).rowScores;
        const reference = series.columns[`S(t)_${profileName}`] as Float64Array;
        const worst = rows.reduce(
          (max, value, i) => Math.max(max, Math.abs(value - (reference[i] as number))),
          0,
        );
        expect({ file: key, worst: worst < 1e-9 }).toEqual({ file: key, worst: true });
      });
    });

    if (profileName === 'standard') {
      it('normalises the subset total to 66.46', () => {
        expect(normaliseNabScore(results).toFixed(2)).toBe('66.46');
      });
    }
  });
});
