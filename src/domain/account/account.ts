/** A customer's management login; owns one or more circles. */
export interface Account {
  readonly loginId: string;
  readonly name: string | null;
  readonly createdAt: Date;
}
