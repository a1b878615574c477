import { InvalidInputError } from '../core/errors';
import { parseNabCsv, windowsToIndices } from './nab-format';

describe('NAB formats', () => {
  const csv =
    'timestamp,value,anomaly_score\n2014-01-01 00:00:00,1.5,0.1\n2014-01-01 00:05:00,2,0.9\n2014-01-01 00:10:00,3,0\n';

  it('parses timestamps, values and extra columns', () => {
    const series = parseNabCsv(csv);
    expect(series.timestamps).toEqual(['2014-01-01 00:00:00', '2014-01-01 00:05:00', '2014-01-01 00:10:00']);
    expect(Array.from(series.values)).toEqual([1.5, 2, 3]);
    expect(Array.from(series.columns['anomaly_score'] ?? [])).toEqual([0.1, 0.9, 0]);
  });

  it('maps window timestamps with microseconds to rows and rejects unknown ones', () => {
    const { timestamps } = parseNabCsv(csv);
    expect(
      windowsToIndices('f', timestamps, [['2014-01-01 00:05:00.000000', '2014-01-01 00:10:00.000000']]),
    ).toEqual([{ start: 1, end: 2 }]);
    expect(() => windowsToIndices('f', timestamps, [['2015-01-01 00:00:00', '2015-01-02 00:00:00']])).toThrow(
      InvalidInputError,
    );
    expect(() => parseNabCsv('a,b\n1,2')).toThrow(/not a NAB CSV header/);
  });
});
