import { logger } from './observability.js';

/**
 * Structured JSON logs, one line per event (Powertools Logger: level, message, timestamp, service,
 * the Lambda request id, cold start, the X-Ray trace id and the PO at hand). Fields that can carry
 * credentials are redacted before anything is written, wherever they sit in the record.
 */
const SECRET_FIELDS = /^(token|tasktoken|authorization|secret|password|key|apikey|signingkey)$/i;

function redact(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, SECRET_FIELDS.test(key) ? '[redacted]' : redact(inner, depth + 1)]));
}

type Fields = Record<string, unknown>;

export const log = {
  info: (message: string, fields: Fields = {}) => logger.info(message, redact(fields) as Fields),
  warn: (message: string, fields: Fields = {}) => logger.warn(message, redact(fields) as Fields),
  error: (message: string, fields: Fields = {}) => logger.error(message, redact(fields) as Fields),
};
