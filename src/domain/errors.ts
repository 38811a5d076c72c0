/**
 * Domain errors: stable codes, fixed messages, no knowledge of HTTP, SIP or chat.
 * Edges map codes to statuses (`http/error-handler.ts`) and to user text (`chat/*`).
 */
export type DomainErrorCode =
  | 'DOMAIN_ERR_UNIQUE_NOT_FOUND'
  | 'DOMAIN_ERR_CIRCLE_NOT_FOUND'
  | 'DOMAIN_ERR_ACCOUNT_NOT_FOUND'
  | 'DOMAIN_ERR_DUPLICATE'
  | 'DOMAIN_ERR_INVALID_INPUT'
  | 'DOMAIN_ERR_WEAK_PASSWORD';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DomainError';
  }
}

export const uniqueNotFound = (unique: string) =>
  new DomainError('DOMAIN_ERR_UNIQUE_NOT_FOUND', `Unique ${unique} does not exist`, { unique });
export const circleNotFound = (circle: string) =>
  new DomainError('DOMAIN_ERR_CIRCLE_NOT_FOUND', `Circle ${circle} does not exist`, { circle });
export const accountNotFound = (loginId: string) =>
  new DomainError('DOMAIN_ERR_ACCOUNT_NOT_FOUND', `Account ${loginId} does not exist`, { loginId });
export const duplicate = (what: string, key: string) =>
  new DomainError('DOMAIN_ERR_DUPLICATE', `${what} ${key} already exists`, { what, key });
export const invalidInput = (message: string, details: Record<string, unknown> = {}) =>
  new DomainError('DOMAIN_ERR_INVALID_INPUT', message, details);
