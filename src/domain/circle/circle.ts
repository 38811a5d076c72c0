/** Contract state of a circle as the portal shows it (利用中 / 解約済 / other). */
export type CircleState = 'active' | 'cancelled' | 'other';

/** A customer contract grouping lines. */
export interface Circle {
  readonly number: string;
  readonly accountLoginId: string;
  readonly userInfo: string | null;
  readonly department: string | null;
  readonly contact: string | null;
  readonly appliedOn: string | null; // ISO date (YYYY-MM-DD)
  readonly state: CircleState;
  readonly createdAt: Date;
}
