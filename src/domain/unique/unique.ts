import type { UniqueType } from './unique-type.js';

/** A line: its number is the SIP user name the phone is configured with. */
export interface Unique {
  readonly number: string;
  readonly circleNumber: string;
  readonly type: UniqueType;
  readonly loginServer: string;
  readonly passwordChangedAt: Date | null;
  readonly createdAt: Date;
}

/** Digest HA1 values for a unique: the only form in which a SIP password is ever stored. */
export interface UniqueCredentials {
  readonly number: string;
  readonly realm: string;
  readonly ha1Md5: string;
  readonly ha1Sha256: string;
}

/** A unique number is ten digits in the portal; we accept 3–32 digits so trunks and tests fit. */
export const UNIQUE_NUMBER_PATTERN = /^[0-9]{3,32}$/;
