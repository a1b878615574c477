import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseNabCsv, windowsToIndices } from './nab-format';
import { scoreFile, type NabRowScores } from './nab-scorer';
import { NAB_PROFILES, type NabProfileName } from './nab-types';

const PROFILE_NAMES = Object.keys(NAB_PROFILES) as NabProfileName[];

/** Scores a NAB results file of the HTM detector at a threshold, with its labelled windows. */
function scoreHtmOutput(
  key: string,
  csv: string,
  windows: string[][],
  threshold: number,
  profile: NabProfileName,
): { result: NabRowScores; reference: Float64Array } {
  const series = parseNabCsv(csv);
  const result = scoreFile(
    {
      name: key,
      rowCount: series.values.length,
      windows: windowsToIndices(key, series.timestamps, windows),
      scores: series.columns['anomaly_score'] as Float64Array,
    },
    threshold,
    NAB_PROFILES[profile],
  );
  return { result, reference: series.columns[`S(t)_${profile}`] as Float64Array };
}

function worstRowDifference(rows: Float64Array, reference: Float64Array): number {
  return rows.reduce((max, value, i) => Math.max(max, Math.abs(value - (reference[i] as number))), 0);
}

interface FixtureReference {
  readonly file: string;
  readonly windows: string[][];
  readonly profiles: Record<
    NabProfileName,
    {
      threshold: number;
      nullScore: number;
      numenta: { score: number; TP: number; TN: number; FP: number; FN: number };
    }
  >;
}

/** One whole file of NAB's HTM output and NAB's own figures for it, carried in the repository. */
const fixtureDir = join(__dirname, '..', '..', 'test', 'fixtures', 'nab');
const fixture = JSON.parse(readFileSync(join(fixtureDir, 'reference.json'), 'utf8')) as FixtureReference;
const fixtureCsv = readFileSync(join(fixtureDir, `numenta_${fixture.file.split('/')[1]}`), 'utf8');

describe('NAB scorer against the reference HTM output of one file', () => {
  describe.each(PROFILE_NAMES)('profile %s', (profile) => {
    const expected = fixture.profiles[profile];
    const { result, reference } = scoreHtmOutput(
      fixture.file,
      fixtureCsv,
      fixture.windows,
      expected.threshold,
      profile,
    );

    it("reproduces NAB's file score, the null baseline and the confusion counts", () => {
      expect(result.score).toBeCloseTo(expected.numenta.score, 9);
      expect(result.nullScore).toBe(expected.nullScore);
      expect({
        TP: result.truePositives,
        TN: result.trueNegatives,
        FP: result.falsePositives,
        FN: result.falseNegatives,
      }).toEqual({
        TP: expected.numenta.TP,
        TN: expected.numenta.TN,
        FP: expected.numenta.FP,
        FN: expected.numenta.FN,
      });
    });

    it('reproduces the per-row S(t) column', () => {
      expect(worstRowDifference(result.rowScores, reference)).toBeLessThan(1e-9);
    });
  });
});
