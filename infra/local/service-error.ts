/** An AWS service's error answer: its type (e.g. ResourceNotFoundException) and message, answered as a 400. */
export class ServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}
