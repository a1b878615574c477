import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveDataDir } from './data';
import { buildReport } from './main';
import { publishedComparison, PUBLISHED_FILES, restPeriodsByLength } from './nab-report';
import { FIXTURE, writeFixtureFolder } from './test/fixture-folder';

describe('the quality report speaks of the folder it ran on', () => {
  let root = '';
  let report = '';

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'analytics-eval-fixture-'));
    writeFixtureFolder(root);
    // One VM origin a week instead of one a day keeps the test quick; the text must follow it.
    report = buildReport(root, () => undefined, { vmOriginStep: 7 * 288 }) ?? '';
  }, 600_000);

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('names the folder', () => {
    expect(report).toContain(`from \`${root}\``);
  });

  it('counts the M4 series, the VMs and the NAB files of the folder', () => {
    expect(report).toContain(`${FIXTURE.m4Ids.length} series of the training file`);
    expect(report).toContain(
      `${FIXTURE.vmNames.length} VMs; 14 days of history before each origin; origins every 7.0 days over the last 7 days (1 per VM)`,
    );
    expect(report).toContain(`On the ${FIXTURE.vmNames.length} Azure VMs of this folder`);
    expect(report).toContain(`over ${FIXTURE.vmDays} days`);
    const rows = FIXTURE.nabRows.reduce((a, b) => a + b, 0);
    expect(report).toContain(
      `${FIXTURE.nabFiles.length} files (fixtureCpu, fixtureLatency), ${rows} rows, 2 windows`,
    );
  });

  it("derives CAD OSE's rest periods from the folder's file lengths", () => {
    // Probation min(15 % of rows, 750): 195 rows for 1,300, 135 for 900; a fifth of each.
    expect(report).toContain('here 39 rows for 1 file, 27 rows for 1 file, rather than a fixed 150');
  });

  it('keeps no fixed text about the usual data folder', () => {
    for (const fixed of [
      '24 files',
      'subset',
      'shared',
      resolveDataDir(undefined),
      '4,032',
      '414 series',
      '50 VMs',
      '28 days',
    ])
      expect(report).not.toContain(fixed);
  });

  it('does not compare with published NAB figures measured on other files', () => {
    expect(report).toContain('Published NAB figures do not compare with these rows');
    expect(report).toContain('this folder holds 0 of them and 2 other files');
    expect(report).not.toContain('HTM 66.5');
  });
});

describe('published NAB comparison', () => {
  it('compares only on exactly the files the figures were normalised over', () => {
    expect(publishedComparison(PUBLISHED_FILES)).toContain('so they compare with the rows above: HTM 66.5');
    expect(publishedComparison(PUBLISHED_FILES.slice(1))).toContain(
      `holds ${PUBLISHED_FILES.length - 1} of them.`,
    );
    expect(publishedComparison([...PUBLISHED_FILES, 'other/x.csv'])).toContain('and 1 other files');
  });

  it("groups NAB's rest period by file length, the most common first", () => {
    expect(restPeriodsByLength([4032, 4032, 22695, 1243])).toEqual([
      { rest: 120, files: 2 },
      { rest: 150, files: 1 },
      { rest: 37, files: 1 },
    ]);
  });
});
