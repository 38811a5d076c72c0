/**
 * unique → circle → account lookups for the engine, cached (uniques do not move between circles;
 * circle sizes are cached for `ttlMs`). Bounded: the cache is dropped when it grows past `maxEntries`.
 */
import { isStatusSupported, type CircleRepo, type Unique, type UniqueRepo } from '../domain/index.js';

export interface LineInfo {
  readonly unique: Unique;
  readonly circle: string;
  readonly accountLoginId: string | null;
}

export class LineDirectory {
  private readonly lines = new Map<string, LineInfo | null>();
  private readonly accounts = new Map<string, string | null>();
  private readonly sizes = new Map<string, { n: number; at: number }>();

  constructor(
    private readonly uniques: UniqueRepo,
    private readonly circles: CircleRepo,
    private readonly ttlMs = 300_000,
    private readonly maxEntries = 100_000,
  ) {}

  async line(number: string): Promise<LineInfo | null> {
    if (this.lines.has(number)) return this.lines.get(number) ?? null;
    const unique = await this.uniques.get(number);
    const info = unique ? { unique, circle: unique.circleNumber, accountLoginId: await this.account(unique.circleNumber) } : null;
    if (this.lines.size >= this.maxEntries) this.lines.clear();
    // Unknown numbers are not cached: they may be provisioned any moment.
    if (info) this.lines.set(number, info);
    return info;
  }

  async account(circle: string): Promise<string | null> {
    if (this.accounts.has(circle)) return this.accounts.get(circle) ?? null;
    const c = await this.circles.get(circle);
    if (this.accounts.size >= this.maxEntries) this.accounts.clear();
    this.accounts.set(circle, c?.accountLoginId ?? null);
    return c?.accountLoginId ?? null;
  }

  /** Registration-capable lines of a circle (the denominator of the site rollup). */
  async circleSize(circle: string, nowMs: number): Promise<number> {
    const cached = this.sizes.get(circle);
    if (cached && nowMs - cached.at < this.ttlMs) return cached.n;
    const n = (await this.uniques.listByCircle(circle)).filter((u) => isStatusSupported(u.type)).length;
    if (this.sizes.size >= this.maxEntries) this.sizes.clear();
    this.sizes.set(circle, { n, at: nowMs });
    return n;
  }

  /** Forget a unique (after its password or circle changed). */
  invalidate(number: string): void {
    this.lines.delete(number);
  }
}
