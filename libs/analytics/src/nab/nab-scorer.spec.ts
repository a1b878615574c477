import { normaliseNabScore, scoreFile } from './nab-scorer';
import { optimiseThreshold } from './nab-sweep';
import { NAB_PROFILES, type NabScoredFile } from './nab-types';
import { probationaryLength, scaledSigmoid } from './nab-weights';

const standard = NAB_PROFILES.standard;

function file(rowCount: number, fire: (i: number) => boolean): NabScoredFile {
  const windows = [
    { start: 400, end: 449 },
    { start: 700, end: 749 },
  ];
  return {
    name: 'synthetic',
    rowCount,
    windows,
    scores: Float64Array.from({ length: rowCount }, (_, i) => (fire(i) ? 1 : 0)),
  };
}

describe('NAB scorer', () => {
  it('gives the null detector 0 and a detector firing at each window start 100', () => {
    const none = scoreFile(
      file(1000, () => false),
      0.5,
      standard,
    );
    const perfect = scoreFile(
      file(1000, (i) => i === 400 || i === 700),
      0.5,
      standard,
    );
    expect(none.score).toBe(-2);
    expect(normaliseNabScore([none])).toBe(0);
    expect(normaliseNabScore([perfect])).toBeCloseTo(100, 10);
    expect(perfect.detectionDelays).toEqual([0, 0]);
  });

  it('penalises a detector that fires on every row far below zero', () => {
    const always = scoreFile(
      file(1000, () => true),
      0.5,
      standard,
    );
    expect(normaliseNabScore([always])).toBeLessThan(-100);
  });

  it('rewards early detections more than late ones and ignores the probationary period', () => {
    const early = scoreFile(
      file(1000, (i) => i === 405),
      0.5,
      standard,
    );
    const late = scoreFile(
      file(1000, (i) => i === 445),
      0.5,
      standard,
    );
    const probation = scoreFile(
      file(1000, (i) => i < probationaryLength(1000)),
      0.5,
      standard,
    );
    expect(early.score).toBeGreaterThan(late.score);
    expect(probation.falsePositives).toBe(0);
    expect(probation.score).toBe(-2);
  });

  it('charges less for a detection just after a window than far after it', () => {
    const justAfter = scoreFile(
      file(1000, (i) => i === 451),
      0.5,
      standard,
    );
    const farAfter = scoreFile(
      file(1000, (i) => i === 650),
      0.5,
      standard,
    );
    expect(justAfter.score).toBeGreaterThan(farAfter.score);
    expect(farAfter.score).toBeCloseTo(-2 - standard.fpWeight, 10);
    expect(scaledSigmoid(4)).toBe(-1);
  });

  it('finds the threshold that separates window starts from noise', () => {
    const scores = Float64Array.from({ length: 1000 }, (_, i) =>
      i === 400 || i === 700 ? 0.9 : i % 97 === 0 ? 0.6 : 0.1,
    );
    const choice = optimiseThreshold([{ ...file(1000, () => false), scores }], standard);
    expect(choice.threshold).toBe(0.9);
    expect(choice.rawScore).toBeCloseTo(2, 10);
  });

  it('rejects scores whose length does not match the file', () => {
    expect(() => scoreFile({ ...file(10, () => false), windows: [], scores: [1] }, 0.5, standard)).toThrow(
      /1 scores for 10 rows/,
    );
  });
});
