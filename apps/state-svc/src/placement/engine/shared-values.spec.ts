import { MOST_KEPT, sharedNames, sharedRecord, sharedZones } from './shared-values';

describe('shared edge values', () => {
  it('gives equal records one frozen copy, apart from the caller’s object', () => {
    const input = { cpu: 4, memory: 16 };
    const first = sharedRecord(input);
    input.cpu = 8;
    expect(sharedRecord({ cpu: 4, memory: 16 })).toBe(first);
    expect(first).toEqual({ cpu: 4, memory: 16 });
    expect(Object.isFrozen(first)).toBe(true);
  });

  it('keeps records with other names, values or order apart, and −0 apart from 0', () => {
    const base = sharedRecord({ cpu: 4, memory: 16 });
    expect(sharedRecord({ memory: 16, cpu: 4 })).not.toBe(base);
    expect(sharedRecord({ cpu: 4, memory: 16.5 })).not.toBe(base);
    expect(sharedRecord({ cpu: 4, gpu: 16 })).not.toBe(base);
    expect(Object.is(sharedRecord({ cpu: -0 })['cpu'], -0)).toBe(true);
    expect(Object.is(sharedRecord({ cpu: 0 })['cpu'], 0)).toBe(true);
  });

  it('shares zone lists, in their order', () => {
    const zones = sharedZones(['gdpr', 'hipaa']);
    expect(sharedZones(['gdpr', 'hipaa'])).toBe(zones);
    expect(sharedZones(['hipaa', 'gdpr'])).toEqual(['hipaa', 'gdpr']);
    expect(Object.isFrozen(zones)).toBe(true);
  });

  it('keeps data-set names distinct in first-seen order', () => {
    expect(sharedNames(['b', 'a', 'b'])).toEqual(['b', 'a']);
    expect(sharedNames([])).toBe(sharedNames(new Set<string>()));
  });

  it('starts a table over past its limit and still answers equal values', () => {
    const first = sharedRecord({ probe: 1 });
    for (let i = 0; i < MOST_KEPT; i += 1) sharedRecord({ filler: i });
    const again = sharedRecord({ probe: 1 });
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
  });
});
