/**
 * Errors of the alert module, each with a stable code. The HTTP layer maps
 * `ALERT_ERR_INCIDENT_NOT_FOUND` → 404, `ALERT_ERR_ILLEGAL_TRANSITION` → 409,
 * `ALERT_ERR_INVALID_SNOOZE` → 400; `ALERT_ERR_INVALID_ROUTES` stops startup.
 */
import type { IncidentState } from './incident.js';

export type AlertErrorCode =
  | 'ALERT_ERR_INCIDENT_NOT_FOUND'
  | 'ALERT_ERR_ILLEGAL_TRANSITION'
  | 'ALERT_ERR_INVALID_SNOOZE'
  | 'ALERT_ERR_INVALID_ROUTES';

export class AlertError extends Error {
  constructor(
    readonly code: AlertErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AlertError';
  }
}

export const incidentNotFound = (id: number) => new AlertError('ALERT_ERR_INCIDENT_NOT_FOUND', `incident ${id} not found`);

export const illegalTransition = (id: number, from: IncidentState, action: string) =>
  new AlertError('ALERT_ERR_ILLEGAL_TRANSITION', `incident ${id} is ${from}; cannot ${action}`);

export const invalidSnooze = (reason: string) => new AlertError('ALERT_ERR_INVALID_SNOOZE', `invalid snooze: ${reason}`);

export const invalidRoutes = (message: string, options?: { cause?: unknown }) => new AlertError('ALERT_ERR_INVALID_ROUTES', message, options);
