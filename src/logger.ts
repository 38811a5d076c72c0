/**
 * The process logger. Secrets never reach it: known secret-bearing keys are redacted wherever they
 * appear, and SIP passwords are never in memory long enough to be logged (only HA1 is kept).
 */
import { pino, type Logger } from 'pino';

export const REDACTED_PATHS = [
  'password',
  '*.password',
  'token',
  '*.token',
  'apiToken',
  '*.apiToken',
  'botToken',
  '*.botToken',
  'signingSecret',
  '*.signingSecret',
  'appToken',
  '*.appToken',
  'req.headers.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'req.headers["x-slack-signature"]',
  'req.headers["x-signature-ed25519"]',
  'ha1Md5',
  'ha1Sha256',
  '*.ha1Md5',
  '*.ha1Sha256',
  'nonceSecret',
];

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, base: { app: 'linewatch' } },
    destination as never,
  );
}
