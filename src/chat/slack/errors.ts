/**
 * Errors of the Slack adapter. Codes are stable (`CHAT_ERR_SLACK_*`) and never reused.
 */

/** Why a request to `/slack/events` was refused before reaching Bolt. */
export type SlackSignatureFailure = 'missing_headers' | 'malformed_timestamp' | 'stale_timestamp' | 'unsupported_version' | 'mismatch';

/** The request signature (v0) is missing, stale or wrong; answered with HTTP 401. */
export class SlackSignatureError extends Error {
  readonly code = 'CHAT_ERR_SLACK_SIGNATURE';
  constructor(readonly reason: SlackSignatureFailure) {
    super(`Slack request signature rejected: ${reason}`);
    this.name = 'SlackSignatureError';
  }
}

/** A signed request whose body could not be read as a Slack payload; answered with HTTP 400. */
export class SlackBodyError extends Error {
  readonly code = 'CHAT_ERR_SLACK_BODY';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SlackBodyError';
  }
}

/** An action button value that does not name an incident (tampered or from an old version). */
export class SlackActionValueError extends Error {
  readonly code = 'CHAT_ERR_SLACK_ACTION_VALUE';
  constructor(readonly value: string) {
    super('Slack action value is not an incident reference');
    this.name = 'SlackActionValueError';
  }
}
