/**
 * View models of command answers. Every string is already localized and every time formatted in
 * DISPLAY_TZ, so renderers (plain text, Block Kit, Discord embeds) only lay them out.
 */
import type { LineStatus, StatusDocument } from '../../domain/index.js';
import type { AlertView } from '../../alerts/index.js';

export interface ReplyLabels {
  /** Title of the reply, e.g. "Line 0000000773". */
  readonly title: string;
  /** Label for every field key used in the reply, localized. */
  readonly fields: Readonly<Record<string, string>>;
  /** Localized state names. */
  readonly status: Readonly<Record<LineStatus, string>>;
  /** "Post to channel" button. */
  readonly postToChannel: string;
}

export interface DisplayField {
  readonly label: string;
  readonly value: string;
}

export interface LineStatusReply {
  readonly kind: 'line_status';
  readonly document: StatusDocument;
  readonly labels: ReplyLabels;
  /** Headline sentence, e.g. "This unique is NOT registered". */
  readonly headline: string;
  /** Formatted facts in display order (last REGISTER, type, login server...). */
  readonly fields: readonly DisplayField[];
  /** One entry per binding, formatted. */
  readonly bindings: readonly (readonly DisplayField[])[];
  /** Latest error, formatted; null when none. */
  readonly lastError: readonly DisplayField[] | null;
  /** True when the status came from an external login server asked just now. */
  readonly queriedExternally: boolean;
  readonly openIncidents: readonly { readonly id: number; readonly title: string }[];
}

export interface HistoryEntry {
  readonly at: string;
  readonly type: string;
  /** Localized one-line description. */
  readonly text: string;
  readonly mark: string;
  readonly details: string;
}

export interface LineHistoryReply {
  readonly kind: 'line_history';
  readonly unique: string;
  readonly labels: ReplyLabels;
  readonly entries: readonly HistoryEntry[];
  /** Incident audit entries (acknowledged by..., escalated to...), newest first. */
  readonly audit: readonly HistoryEntry[];
  /** How long events are kept (`EVENT_RETENTION_DAYS`, `REFRESH_RETENTION_DAYS`); null when kept for good. */
  readonly retentionNote: string | null;
}

export interface LineWhyReply {
  readonly kind: 'line_why';
  readonly unique: string;
  readonly labels: ReplyLabels;
  readonly headline: string;
  readonly fields: readonly DisplayField[];
  readonly tips: readonly string[];
}

export interface CircleRow {
  readonly unique: string;
  readonly type: string;
  readonly typeLabel: string;
  readonly status: LineStatus;
  /** Status mark as text, e.g. "●" registered, "×" not registered, "－" unsupported, "?" unknown. */
  readonly mark: string;
  readonly lastRegisterAt: string | null;
}

export interface CircleStatusReply {
  readonly kind: 'circle_status';
  readonly circle: string;
  readonly labels: ReplyLabels;
  readonly fields: readonly DisplayField[];
  readonly counts: Readonly<Record<LineStatus, number>>;
  readonly typeFilter: string | null;
  readonly rows: readonly CircleRow[];
  readonly page: number;
  readonly pageCount: number;
  readonly pageSize: number;
}

export interface OncallReply {
  readonly kind: 'oncall';
  readonly labels: ReplyLabels;
  readonly headline: string;
  readonly sections: readonly { readonly title: string; readonly lines: readonly string[] }[];
}

export interface HelpReply {
  readonly kind: 'help';
  readonly labels: ReplyLabels;
  readonly lines: readonly { readonly usage: string; readonly description: string }[];
}

export interface ErrorReply {
  readonly kind: 'error';
  readonly code: string;
  /** What went wrong and what to type instead, localized. */
  readonly message: string;
}

/** Acknowledgement of an alert button: the updated alert and a short confirmation. */
export interface ActionReply {
  readonly kind: 'action';
  readonly alert: AlertView;
  readonly confirmation: string;
}

export type ChatReply =
  | LineStatusReply
  | LineHistoryReply
  | LineWhyReply
  | CircleStatusReply
  | OncallReply
  | HelpReply
  | ErrorReply
  | ActionReply;
