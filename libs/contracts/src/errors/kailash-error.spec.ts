import { ERROR_CODES, httpStatusFor } from './error-codes';
import { isKailashError, KailashError } from './kailash-error';

describe('KailashError', () => {
  it('maps every code to an HTTP status in the 4xx/5xx range', () => {
    for (const code of ERROR_CODES) {
      expect(httpStatusFor(code)).toBeGreaterThanOrEqual(400);
      expect(httpStatusFor(code)).toBeLessThan(600);
    }
    expect(new KailashError('INVALID_TRANSITION', 'x').httpStatus).toBe(409);
  });

  it('round-trips through its wire body', () => {
    const original = new KailashError('CONFLICT', 'stale version', { expected: 3 });
    const copy = KailashError.fromBody(JSON.parse(JSON.stringify(original.toBody())));
    expect(copy).toBeInstanceOf(KailashError);
    expect(copy.toBody()).toEqual(original.toBody());
  });

  it('is recognised by shape as well as by class', () => {
    const foreign = Object.assign(new Error('x'), { name: 'KailashError', code: 'NOT_FOUND' });
    expect(isKailashError(foreign)).toBe(true);
    expect(isKailashError(new Error('x'))).toBe(false);
    expect(isKailashError({ code: 'NOT_FOUND' })).toBe(false);
  });
});
