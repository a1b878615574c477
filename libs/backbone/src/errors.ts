/** Base of every backbone error; carries the cause so the NATS or SQL error is never lost. */
export class BackboneError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/** Another writer appended to the aggregate since we read it; reload and decide again. */
export class ConcurrencyConflictError extends BackboneError {
  constructor(
    readonly subject: string,
    readonly expectedSequence: number,
    options?: ErrorOptions,
  ) {
    super(`concurrent write on ${subject}: expected last sequence ${expectedSequence}`, options);
  }
}

export class PublishError extends BackboneError {}

/** The projection lost its single-writer lock to another instance and must stop applying. */
export class ProjectionFencedError extends BackboneError {}
