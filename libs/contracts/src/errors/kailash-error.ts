import type { ErrorCode } from './error-codes';
import { httpStatusFor, isErrorCode } from './error-codes';

export interface ErrorBody {
  readonly code: ErrorCode;
  readonly message: string;
  readonly details?: unknown;
}

/** The one error type that crosses service boundaries: a stable code, a message and details. */
export class KailashError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown, options?: ErrorOptions) {
    super(message, options);
    this.name = 'KailashError';
    this.code = code;
    this.details = details;
    Object.setPrototypeOf(this, new.target.prototype);
  }

  get httpStatus(): number {
    return httpStatusFor(this.code);
  }

  toBody(): ErrorBody {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }

  static fromBody(body: ErrorBody): KailashError {
    return new KailashError(body.code, body.message, body.details);
  }
}

/** Works across realms and bundles: checks the shape, not only `instanceof`. */
export function isKailashError(error: unknown): error is KailashError {
  return (
    error instanceof KailashError ||
    (error instanceof Error &&
      isErrorCode((error as { code?: unknown }).code) &&
      error.name === 'KailashError')
  );
}

export const notFound = (what: string, id: string): KailashError =>
  new KailashError('NOT_FOUND', `${what} '${id}' does not exist`, { [what]: id });
