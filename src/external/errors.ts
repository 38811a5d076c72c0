/**
 * Errors of the external login server module. Each has a stable code; adapters never throw to their
 * callers (they answer `{ok:false}`), so these only describe configuration and ingest input.
 */
export type ExternalErrorCode =
  /** The login servers YAML file is missing, unreadable, not YAML, or fails validation. */
  | 'EXTERNAL_ERR_CONFIG_INVALID'
  /** An ingest body fails the documented schema (the message names the field and event index). */
  | 'EXTERNAL_ERR_INGEST_INVALID'
  /** An ingest body names a login server that is not configured as external. */
  | 'EXTERNAL_ERR_INGEST_UNKNOWN_LOGIN_SERVER'
  /** An ingest body carries more events than one request may. */
  | 'EXTERNAL_ERR_INGEST_TOO_MANY_EVENTS';

export class ExternalError extends Error {
  constructor(
    readonly code: ExternalErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ExternalError';
  }
}

export const configInvalid = (message: string, cause?: unknown) =>
  new ExternalError('EXTERNAL_ERR_CONFIG_INVALID', message, cause === undefined ? undefined : { cause });
