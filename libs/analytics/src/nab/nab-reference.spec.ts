import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseNabCsv, windowsToIndices } from './nab-format';
import { normaliseNabScore, scoreFile, type NabRowScores } from './nab-scorer';
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

/**
 * The whole 24-file subset, when a copy of the NAB data is named explicitly (KAILASH_DATA_DIR = the folder
 * holding nab/); the repository's own run needs only the fixture above.
 */
const corpusDir = process.env['KAILASH_DATA_DIR'];
const CATEGORIES = ['realKnownCause', 'realAWSCloudwatch'];

(corpusDir ? describe : describe.skip)(
  'NAB scorer over the 24-file subset (needs KAILASH_DATA_DIR with nab/results and nab/labels)',
  () => {
    const nabDir = join(corpusDir ?? '', 'nab');
    const scoreTable = (detector: string, profile: NabProfileName) => {
      const rows = readFileSync(
        join(nabDir, 'results', detector, `${detector}_${profile}_scores.csv`),
        'utf8',
      )
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => line.split(','));
      return {
        threshold: Number(rows[0]?.[3]),
        byFile: new Map(rows.map((cells) => [cells[2] as string, Number(cells[4])])),
      };
    };
    const files = () => {
      const windows = JSON.parse(
        readFileSync(join(nabDir, 'labels', 'combined_windows.json'), 'utf8'),
      ) as Record<string, string[][]>;
      return CATEGORIES.flatMap((category) =>
        readdirSync(join(nabDir, 'results', 'numenta', category)).map((fileName) => {
          const key = `${category}/${fileName.replace(/^numenta_/, '')}`;
          const csv = readFileSync(join(nabDir, 'results', 'numenta', category, fileName), 'utf8');
          return { key, csv, windows: windows[key] ?? [] };
        }),
      );
    };

    it.each(PROFILE_NAMES)('reproduces every file, row and null baseline (%s)', (profile) => {
      const expected = scoreTable('numenta', profile);
      const expectedNull = scoreTable('null', profile);
      const scored = files().map(({ key, csv, windows }) => {
        const { result, reference } = scoreHtmOutput(key, csv, windows, expected.threshold, profile);
        return { key, result, worst: worstRowDifference(result.rowScores, reference) };
      });
      expect(scored).toHaveLength(24);
      for (const { key, result, worst } of scored) {
        expect({ key, score: result.score, nullScore: result.nullScore, rowsMatch: worst < 1e-9 }).toEqual({
          key,
          score: expect.closeTo(expected.byFile.get(key) as number, 9),
          nullScore: expectedNull.byFile.get(key),
          rowsMatch: true,
        });
      }
      if (profile === 'standard')
        expect(normaliseNabScore(scored.map((s) => s.result)).toFixed(2)).toBe('66.46');
    });
  },
);
