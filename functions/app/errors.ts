/** Errors the use cases and their ports raise; the edges map them to HTTP problems. */

/** No such purchase order (HTTP 404). */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}

/** Another writer changed the item since it was read; the caller re-reads and decides again. */
export class ConcurrentUpdateError extends Error {
  override readonly name = 'ConcurrentUpdateError';
}

/** An item with that key exists already. */
export class AlreadyExistsError extends Error {
  override readonly name = 'AlreadyExistsError';
}

/** Same Idempotency-Key, different body (HTTP 422). */
export class IdempotencyKeyReusedError extends Error {
  override readonly name = 'IdempotencyKeyReusedError';
}

/** Same Idempotency-Key while the first request is still being processed (HTTP 409). */
export class RequestInFlightError extends Error {
  override readonly name = 'RequestInFlightError';
}

/** A paging token that is not one we handed out (HTTP 400). */
export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
}

/** A file of a type we do not take (HTTP 415). */
export class UnsupportedFileError extends Error {
  override readonly name = 'UnsupportedFileError';
}

/** A file over the size we take (HTTP 413). */
/** A Peppol access point refused a document for good (an unknown receiver, a document it will not take): sending it again would not help. */
export class PeppolRefusedError extends Error {
  override readonly name = 'PeppolRefusedError';
}

export class FileTooLargeError extends Error {
  override readonly name = 'FileTooLargeError';
}
