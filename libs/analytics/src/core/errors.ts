/** Base class for every error raised by the analytics library; `cause` carries the underlying failure. */
export class AnalyticsError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The input has too few usable points for the requested computation. */
export class InsufficientDataError extends AnalyticsError {}

/** The input is malformed (non-finite where finite values are required, mismatched lengths, bad format). */
export class InvalidInputError extends AnalyticsError {}

/** A model was fitted but produced unusable output (non-finite or exploding forecasts). */
export class ModelFitError extends AnalyticsError {}
