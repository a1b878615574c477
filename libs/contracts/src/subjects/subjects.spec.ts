import { KailashError } from '../errors';
import { SubjectSpace } from './subjects';

describe('SubjectSpace', () => {
  const subjects = new SubjectSpace('t_ns_1');

  it('builds every kind of subject under the namespace', () => {
    expect(subjects.event('state', 'edge', 'edge-1')).toBe('t_ns_1.state.evt.edge.edge-1');
    expect(subjects.events('state')).toBe('t_ns_1.state.evt.>');
    expect(subjects.events('state', 'edge')).toBe('t_ns_1.state.evt.edge.*');
    expect(subjects.command('state', 'edge.register')).toBe('t_ns_1.state.cmd.edge.register');
    expect(subjects.query('state', 'edge.get')).toBe('t_ns_1.state.qry.edge.get');
    expect(subjects.telemetry('heartbeat', 'edge-1')).toBe('t_ns_1.telemetry.heartbeat.edge-1');
    expect(subjects.deadLetter('state', 'edges')).toBe('t_ns_1.dlq.state.edges');
  });

  it('names streams without dots, upper case, per namespace', () => {
    expect(subjects.stream('state')).toBe('T_NS_1_STATE');
    expect(subjects.deadLetterStream()).toBe('T_NS_1_DLQ');
    expect(subjects.telemetryStream()).toBe('T_NS_1_TELEMETRY');
    expect(new SubjectSpace().stream('migration')).toBe('KAILASH_MIGRATION');
  });

  it.each(['a.b', 'a*', '>', 'has space', '', 'x'.repeat(129), 'tab\t'])(
    'refuses the token %j that NATS cannot carry safely',
    (bad) => {
      expect(() => subjects.event('state', 'edge', bad)).toThrow(KailashError);
      expect(() => subjects.event('state', 'edge', bad)).toThrow(/aggregate\.id/);
    },
  );

  it('refuses a bad namespace, domain or request name', () => {
    expect(() => new SubjectSpace('Bad.NS')).toThrow(/namespace/);
    // 'a-b' would share the streams of 'a_b' (stream names turn '-' into '_'), so '-' is refused.
    expect(() => new SubjectSpace('a-b')).toThrow(/namespace/);
    expect(() => subjects.stream('st.ate')).toThrow(/domain/);
    expect(() => subjects.command('state', 'edge..register')).toThrow(/name/);
    expect(() => subjects.query('state', 'edge.>')).toThrow(/name/);
  });
});
