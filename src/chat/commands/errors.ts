/**
 * Errors of the chat command layer. They never reach an adapter: `CommandService` maps each code
 * to localized text in an `ErrorReply` (see `error-reply.ts`).
 */
export type ChatErrorCode =
  | 'CHAT_ERR_USAGE'
  | 'CHAT_ERR_UNKNOWN_COMMAND'
  | 'CHAT_ERR_UNKNOWN_TYPE'
  | 'CHAT_ERR_UNIQUE_NOT_FOUND'
  | 'CHAT_ERR_CIRCLE_NOT_FOUND'
  | 'CHAT_ERR_INCIDENT_NOT_FOUND'
  | 'CHAT_ERR_INCIDENT_RESOLVED'
  | 'CHAT_ERR_INVALID_SNOOZE'
  | 'CHAT_ERR_ONCALL_NOT_CONFIGURED'
  | 'CHAT_ERR_PERSON_NOT_FOUND'
  | 'CHAT_ERR_INVALID_INPUT'
  | 'CHAT_ERR_FORBIDDEN'
  | 'CHAT_ERR_UNAVAILABLE'
  | 'CHAT_ERR_INTERNAL';

export const CHAT_ERROR_CODES: readonly ChatErrorCode[] = [
  'CHAT_ERR_USAGE',
  'CHAT_ERR_UNKNOWN_COMMAND',
  'CHAT_ERR_UNKNOWN_TYPE',
  'CHAT_ERR_UNIQUE_NOT_FOUND',
  'CHAT_ERR_CIRCLE_NOT_FOUND',
  'CHAT_ERR_INCIDENT_NOT_FOUND',
  'CHAT_ERR_INCIDENT_RESOLVED',
  'CHAT_ERR_INVALID_SNOOZE',
  'CHAT_ERR_ONCALL_NOT_CONFIGURED',
  'CHAT_ERR_PERSON_NOT_FOUND',
  'CHAT_ERR_INVALID_INPUT',
  'CHAT_ERR_FORBIDDEN',
  'CHAT_ERR_UNAVAILABLE',
  'CHAT_ERR_INTERNAL',
];

/** Raised inside the command layer; `params` fill the localized message of `code`. */
export class ChatError extends Error {
  constructor(
    readonly code: ChatErrorCode,
    readonly params: Readonly<Record<string, string | number>> = {},
    options?: { cause?: unknown },
  ) {
    super(`${code} ${JSON.stringify(params)}`, options);
    this.name = 'ChatError';
  }
}
