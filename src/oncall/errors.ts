/**
 * Errors of the on-call module, each with a stable code. A retired code is never reused.
 */

/** The on-call configuration is invalid; `issues` name the file line and field of each problem. */
export class OncallConfigError extends Error {
  readonly code = 'ONCALL_ERR_CONFIG_INVALID';
  constructor(
    readonly issues: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(`invalid on-call configuration: ${issues.join('; ')}`, options);
    this.name = 'OncallConfigError';
  }
}

/** A person, schedule or policy id that the configuration does not know. */
export class OncallNotFoundError extends Error {
  readonly code = 'ONCALL_ERR_NOT_FOUND';
  constructor(what: string, options?: { cause?: unknown }) {
    super(`not found: ${what}`, options);
    this.name = 'OncallNotFoundError';
  }
}

/** A page webhook answered with an error or did not answer in time; the job retries with backoff. */
export class PageDeliveryError extends Error {
  readonly code = 'ONCALL_ERR_PAGE_FAILED';
  constructor(
    message: string,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PageDeliveryError';
  }
}
