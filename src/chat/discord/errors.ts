/**
 * Errors of the Discord adapter, each with a stable code (see docs/errors.md).
 */

/** An HTTP interaction whose Ed25519 signature is missing, wrong or stale. */
export class DiscordSignatureError extends Error {
  readonly code = 'CHAT_ERR_DISCORD_SIGNATURE';
  constructor(readonly reason: 'missing' | 'invalid' | 'stale', options?: { cause?: unknown }) {
    super(`Discord interaction signature ${reason}`, options);
    this.name = 'DiscordSignatureError';
  }
}

/** An HTTP interaction body that is not a Discord interaction. */
export class DiscordInteractionError extends Error {
  readonly code = 'CHAT_ERR_DISCORD_INTERACTION';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DiscordInteractionError';
  }
}

/** Command registration failed (wrong application id, token, or payload rejected). */
export class DiscordRegistrationError extends Error {
  readonly code = 'CHAT_ERR_DISCORD_REGISTRATION';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DiscordRegistrationError';
  }
}
