import { canTransition, EDGE_LIFECYCLE_STATES } from '@kailash/contracts';
import { nextStepToActive } from './lifecycle-plan';

describe('the way to active', () => {
  it.each(EDGE_LIFECYCLE_STATES)('from %s takes only transitions state-svc allows', (from) => {
    let at = from;
    for (let steps = 0; steps < 5; steps++) {
      const next = nextStepToActive(at);
      if (next === undefined || next === 'impossible') break;
      expect(canTransition(at, next)).toBe(true);
      at = next;
    }
    expect(at).toBe(from === 'terminated' ? 'terminated' : 'active');
  });
});
