import { parseTrace } from './trace-readers';
import { totalPerMinute } from './trace';

const hash = (c: string) => c.repeat(64);

describe('trace readers', () => {
  it('reads the NASA requests per minute as one series', () => {
    const trace = parseTrace(
      'minute_start_local,segment,requests,peak_requests_per_second\n1995-07-01 00:00,jul,42,5\n1995-07-01 00:01,jul,62,4\n',
      'nasa.csv',
    );
    expect(trace.kind).toBe('nasa-http');
    expect(trace.minutes).toBe(2);
    expect(trace.series).toEqual([{ id: 'requests', counts: [42, 62], total: 104 }]);
  });

  it('reads the Azure day trace, one series per function, busiest first', () => {
    const text = [
      'HashFunction,HashApp,HashOwner,minute_1,minute_2,minute_3',
      `${hash('a')},${hash('b')},${hash('c')},0,1,0`,
      `${hash('d')},${hash('e')},${hash('f')},5,0,7`,
    ].join('\n');
    const trace = parseTrace(text, 'day.csv');
    expect(trace.kind).toBe('azure-functions-day');
    expect(trace.series.map((s) => [s.id, s.total])).toEqual([
      ['dddddddddddd', 12],
      ['aaaaaaaaaaaa', 1],
    ]);
    expect(totalPerMinute(trace)).toEqual([5, 1, 7]);
  });

  it('reads the Azure 8-hour trace, whose hash column and trigger come in another order', () => {
    const text = [
      'HashOwner,HashApp,HashFunction,Trigger,480,481',
      `${hash('1')},${hash('2')},${hash('3')},http,4,2`,
    ].join('\n');
    const trace = parseTrace(text, '8h.csv');
    expect(trace.kind).toBe('azure-functions-8h');
    expect(trace.series).toEqual([{ id: '333333333333', counts: [4, 2], total: 6 }]);
  });

  it('names the file, line and column of a cell that is not a count', () => {
    expect(() =>
      parseTrace('minute_start_local,segment,requests,peak\n1995-07-01 00:00,jul,-3,5\n', 'nasa.csv'),
    ).toThrow('nasa.csv:2: requests is not a count ("-3")');
    expect(() =>
      parseTrace(`HashFunction,HashApp,HashOwner,minute_1\n${hash('a')},x,y,1.5\n`, 'day.csv'),
    ).toThrow('day.csv:2: minute 1 is not a count ("1.5")');
  });

  it('refuses an unknown file and series of different lengths', () => {
    expect(() => parseTrace('a,b,c\n1,2,3\n', 'other.csv')).toThrow('other.csv: not a known trace');
    const ragged = `HashFunction,HashApp,HashOwner,minute_1,minute_2\n${hash('a')},x,y,1,2\n${hash('b')},x,y,1\n`;
    expect(() => parseTrace(ragged, 'day.csv')).toThrow('has 1 minutes, not 2');
  });
});
