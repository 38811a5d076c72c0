/**
 * Write side for accounts, circles and uniques (the API, the CLI import and `demo` use it).
 * Validation lives here so every entry point refuses the same input the same way.
 */
import {
  UNIQUE_NUMBER_PATTERN,
  circleNotFound,
  deriveCredentials,

  invalidInput,
  isUniqueType,
  uniqueNotFound,
  validatePassword,
  DomainError,
  type Account,
  type AccountRepo,
  type Circle,
  type CircleRepo,
  type Clock,
  type NewUnique,
  type Unique,
  type UniqueRepo,
} from '../domain/index.js';
import type { CredentialCache } from './credential-cache.js';

export interface UniqueInput {
  readonly number: string;
  readonly circleNumber: string;
  readonly type: string;
  readonly password: string;
  readonly loginServer?: string | undefined;
}

export interface CircleInput {
  readonly number: string;
  readonly accountLoginId: string;
  readonly userInfo?: string | null | undefined;
  readonly department?: string | null | undefined;
  readonly contact?: string | null | undefined;
  readonly appliedOn?: string | null | undefined;
  readonly state?: Circle['state'] | undefined;
}

export interface ProvisioningDeps {
  readonly accounts: AccountRepo;
  readonly circles: CircleRepo;
  readonly uniques: UniqueRepo;
  readonly credentialCache: CredentialCache;
  readonly clock: Clock;
  readonly realm: string;
  /** Login server given to uniques provisioned without one: this registrar's SIP domain. */
  readonly defaultLoginServer: string;
}

const LOGIN_SERVER_PATTERN = /^[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?$/;
const CIRCLE_NUMBER_PATTERN = /^[0-9]{1,32}$/;

export class Provisioning {
  constructor(private readonly deps: ProvisioningDeps) {}

  async createAccount(loginId: string, name: string | null): Promise<Account> {
    if (!/^[\w.@-]{1,64}$/.test(loginId)) throw invalidInput('loginId must be 1-64 letters, digits, or . _ @ -', { field: 'loginId' });
    return this.deps.accounts.create({ loginId, name });
  }

  async createCircle(input: CircleInput): Promise<Circle> {
    if (!CIRCLE_NUMBER_PATTERN.test(input.number)) throw invalidInput('circle number must be 1-32 digits', { field: 'number' });
    if (input.appliedOn && !/^\d{4}-\d{2}-\d{2}$/.test(input.appliedOn))
      throw invalidInput('appliedOn must be a date as YYYY-MM-DD', { field: 'appliedOn' });
    return this.deps.circles.create({
      number: input.number,
      accountLoginId: input.accountLoginId,
      userInfo: input.userInfo ?? null,
      department: input.department ?? null,
      contact: input.contact ?? null,
      appliedOn: input.appliedOn ?? null,
      state: input.state ?? 'active',
    });
  }

  /** Validates one unique; `row` names the line of an import in the error. */
  prepareUnique(input: UniqueInput, row?: number): NewUnique {
    const where = row === undefined ? {} : { row };
    const prefix = row === undefined ? '' : `row ${row}: `;
    if (!UNIQUE_NUMBER_PATTERN.test(input.number ?? '')) throw invalidInput(`${prefix}number must be 3-32 digits`, { field: 'number', ...where });
    if (!CIRCLE_NUMBER_PATTERN.test(input.circleNumber ?? '')) throw invalidInput(`${prefix}circleNumber must be 1-32 digits`, { field: 'circleNumber', ...where });
    if (!isUniqueType(input.type ?? '')) throw invalidInput(`${prefix}type "${input.type}" is not a unique type code`, { field: 'type', ...where });
    const loginServer = input.loginServer?.trim() || this.deps.defaultLoginServer;
    if (!LOGIN_SERVER_PATTERN.test(loginServer)) throw invalidInput(`${prefix}loginServer must be a host name`, { field: 'loginServer', ...where });
    const verdict = validatePassword(input.password ?? '');
    if (verdict !== 'ok') throw new DomainError('DOMAIN_ERR_WEAK_PASSWORD', `${prefix}password is ${verdict.replace('_', ' ')} (8-64 printable ASCII characters)`, { field: 'password', ...where });
    return {
      number: input.number,
      circleNumber: input.circleNumber,
      type: input.type as NewUnique['type'],
      loginServer,
      credentials: deriveCredentials(input.number, this.deps.realm, input.password),
    };
  }

  async createUnique(input: UniqueInput): Promise<Unique> {
    const prepared = this.prepareUnique(input);
    const unique = await this.deps.uniques.create(prepared, this.deps.clock.now());
    this.deps.credentialCache.set(prepared.credentials);
    return unique;
  }

  /**
   * All-or-nothing bulk import: every row is validated first (the error names the row), duplicates
   * inside the file and against the database are refused, then one transaction inserts them.
   */
  async importUniques(inputs: readonly UniqueInput[]): Promise<number> {
    if (inputs.length === 0) throw invalidInput('the import contains no rows');
    if (inputs.length > 200_000) throw invalidInput('an import holds at most 200,000 rows');
    const prepared = inputs.map((input, i) => this.prepareUnique(input, i + 1));
    const seen = new Map<string, number>();
    prepared.forEach((u, i) => {
      const first = seen.get(u.number);
      if (first !== undefined) throw invalidInput(`row ${i + 1}: number ${u.number} repeats row ${first}`, { field: 'number', row: i + 1 });
      seen.set(u.number, i + 1);
    });
    const circles = [...new Set(prepared.map((u) => u.circleNumber))];
    for (const c of circles) if (!(await this.deps.circles.get(c))) {
      const row = prepared.findIndex((u) => u.circleNumber === c) + 1;
      throw new DomainError('DOMAIN_ERR_CIRCLE_NOT_FOUND', `row ${row}: circle ${c} does not exist`, { row, circle: c });
    }
    const existing = await this.deps.uniques.existingNumbers(prepared.map((u) => u.number));
    if (existing.length > 0) {
      const row = seen.get(existing[0]!)!;
      throw new DomainError('DOMAIN_ERR_DUPLICATE', `row ${row}: unique ${existing[0]} already exists`, { row, key: existing[0], count: existing.length });
    }
    const n = await this.deps.uniques.importMany(prepared, this.deps.clock.now());
    for (const u of prepared) this.deps.credentialCache.set(u.credentials);
    return n;
  }

  /** The portal's remedy for a lost password: overwrite it. The registrar accepts the new one at once. */
  async setPassword(number: string, password: string): Promise<Unique> {
    const verdict = validatePassword(password ?? '');
    if (verdict !== 'ok') throw new DomainError('DOMAIN_ERR_WEAK_PASSWORD', `password is ${verdict.replace('_', ' ')} (8-64 printable ASCII characters)`, { field: 'password' });
    const credentials = deriveCredentials(number, this.deps.realm, password);
    const updated = await this.deps.uniques.setCredentials(credentials, this.deps.clock.now());
    if (!updated) throw uniqueNotFound(number);
    this.deps.credentialCache.set(credentials);
    return (await this.deps.uniques.get(number))!;
  }

  async requireCircle(number: string): Promise<Circle> {
    const circle = await this.deps.circles.get(number);
    if (!circle) throw circleNotFound(number);
    return circle;
  }
}
