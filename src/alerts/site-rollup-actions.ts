/**
 * Opening a `site_down` incident and folding the per-line incidents it explains.
 */
import type { DownLine, SiteScope } from './detectors/drop-rollup.js';
import type { EngineThresholds } from './engine-options.js';
import type { Incident } from './incident.js';
import type { IncidentService } from './incident-service.js';
import type { IncidentStore } from './ports.js';
import type { TipWriter } from './tips.js';

export class SiteRollupActions {
  constructor(
    private readonly incidents: IncidentService,
    private readonly store: IncidentStore,
    private readonly tips: TipWriter,
    private readonly th: EngineThresholds,
  ) {}

  /** The site incident for this scope (opened on first use, counted per folded line). */
  async ensure(scope: SiteScope, line: DownLine, accountLoginId: string | null, downInScope: readonly DownLine[]): Promise<Incident> {
    const scopeKey = scope.kind === 'circle' ? `circle:${scope.circle}` : `ip:${scope.ip}`;
    const existing = await this.store.findActive('site_down', scopeKey);
    const site = await this.incidents.raise({
      cause: 'site_down',
      severity: 'critical',
      unique: null,
      circle: scope.kind === 'circle' ? scope.circle : line.circle,
      accountLoginId,
      scopeKey,
      at: line.at,
      source: line.ip,
      userAgent: null,
      tips: this.tips.siteDown(),
      parentId: null,
      detail: { down: scope.down, total: scope.total, windowSeconds: this.th.siteWindowSeconds, scope: scope.kind },
      eventId: 0,
    });
    if (!existing) {
      // Lines of the site already alerted on their own before the rollup was clear: fold them.
      for (const other of downInScope) {
        const active = await this.store.findActive('deregistered', `unique:${other.unique}`);
        if (active && active.parentId === null) await this.incidents.fold(active, site.id);
      }
    }
    return site;
  }
}
