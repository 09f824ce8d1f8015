/** Errors the domain raises; the edges map them to HTTP problems or named workflow errors. */

/** The action is not allowed in the PO's current status (HTTP 409). */
export class TransitionError extends Error {
  override readonly name = 'TransitionError';
  constructor(
    readonly action: string,
    readonly status: string,
    message?: string,
  ) {
    super(message ?? `cannot ${action.replace(/_/g, ' ')} a purchase order that is ${status.replace(/_/g, ' ')}`);
  }
}

/** The request is well-formed but breaks a business rule or the seller's policy (HTTP 422). */
export class RuleViolation extends Error {
  override readonly name = 'RuleViolation';
  constructor(
    message: string,
    readonly rule: string,
  ) {
    super(message);
  }
}

/** The same payment reference was recorded before with another amount (HTTP 409). */
export class ReferenceConflict extends Error {
  override readonly name = 'ReferenceConflict';
  constructor(
    readonly reference: string,
    readonly recordedAmount: number,
  ) {
    super(`payment ${reference} is already recorded with another amount (${recordedAmount} in minor units)`);
  }
}

/** An amount too large to add up exactly as an integer (HTTP 422). */
export class MoneyOverflowError extends RangeError {
  constructor() {
    super('amount is too large to be represented exactly');
    this.name = 'MoneyOverflowError';
  }
}
