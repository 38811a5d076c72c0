/**
 * Thresholds of the alert engine. Every detector reads its limits from here; the defaults are
 * documented next to each field and chosen for phones that refresh every few minutes.
 */
export interface EngineThresholds {
  /** DEREGISTER_GRACE_S: seconds after the last binding lapses before `deregistered` opens. Default 30. */
  readonly deregisterGraceSeconds: number;
  /** After the engine starts, no `deregistered` opens before this many seconds (RESTART_GRACE_S). Default 0. */
  readonly restartGraceSeconds: number;
  /** `unknown_unique`: attempts at one number… Default 3. */
  readonly unknownUniqueThreshold: number;
  /** …within this window. Default 600 (10 min). */
  readonly unknownUniqueWindowSeconds: number;
  /** `at_risk`: consecutive refreshes needed before an interval counts as learned. Default 3. */
  readonly atRiskMinSamples: number;
  /** `at_risk`: warn once a refresh is late by more than max(this, 3 × observed jitter) seconds. Default 10. */
  readonly atRiskMinLatenessSeconds: number;
  /**
   * `at_risk`: lines whose learned refresh interval is shorter than this are not watched. Default 30.
   * SIP_MIN_EXPIRES (60 s by default) keeps real phones above it; below it a refresh is keepalive
   * traffic (or a load generator), the lateness allowance spans several intervals, and a line that
   * really stops is caught by its expiry (`deregistered`). Without it, a fleet refreshing every
   * few seconds that paused at once raised one `at_risk` per line.
   */
  readonly atRiskMinIntervalSeconds: number;
  /** `flapping`: drops of one line… Default 3. */
  readonly flapDrops: number;
  /** …within this window open (or count into) a `flapping` incident. Default 1800 (30 min). */
  readonly flapWindowSeconds: number;
  /** Hysteresis: the flapping incident resolves only after the line stayed up this long. Default 1800. */
  readonly flapQuietSeconds: number;
  /** `site_down`: lines of one circle that dropped within the window… Default 5 lines… */
  readonly siteMinLines: number;
  /** …and at least this fraction of the circle's registration-capable lines. Default 0.5. */
  readonly siteMinFraction: number;
  /** All lines behind one public IP dropping: at least this many lines. Default 2. */
  readonly siteMinLinesPerIp: number;
  /** The rollup window in seconds; per-line alerts of correlated drops wait at most this long. Default 60. */
  readonly siteWindowSeconds: number;
  /** `security`: distinct uniques one source IP tried (failed)… Default 5… */
  readonly securityDistinctUniques: number;
  /** …within this window. Default 600. */
  readonly securityWindowSeconds: number;
  /** NAT UDP mapping timeout assumed by the "UDP binding expired" tip. Default 30 s (many home routers). */
  readonly natUdpTimeoutSeconds: number;
  /** "Never registered since N hours" tip threshold. Default 24. */
  readonly neverRegisteredHours: number;
  /** Bound on remembered sources and unknown user names, which the network chooses (memory). Default 100,000. */
  readonly maxTrackedKeys: number;
  /**
   * Bound on the lines whose state is kept in memory. Lines exist only for provisioned uniques
   * (events of unknown users go to counters), so this is set above any deployment: a bound below
   * the fleet made every event of a fleet cycling through more lines re-read its line from the
   * store (a 100,000 bound with 110,000 lines). A line forgotten is re-read on its next event.
   * Default 1,000,000.
   */
  readonly maxTrackedLines: number;
}

export const DEFAULT_ENGINE_THRESHOLDS: EngineThresholds = {
  deregisterGraceSeconds: 30,
  restartGraceSeconds: 0,
  unknownUniqueThreshold: 3,
  unknownUniqueWindowSeconds: 600,
  atRiskMinSamples: 3,
  atRiskMinLatenessSeconds: 10,
  atRiskMinIntervalSeconds: 30,
  flapDrops: 3,
  flapWindowSeconds: 1800,
  flapQuietSeconds: 1800,
  siteMinLines: 5,
  siteMinFraction: 0.5,
  siteMinLinesPerIp: 2,
  siteWindowSeconds: 60,
  securityDistinctUniques: 5,
  securityWindowSeconds: 600,
  natUdpTimeoutSeconds: 30,
  neverRegisteredHours: 24,
  maxTrackedKeys: 100_000,
  maxTrackedLines: 1_000_000,
};

export function engineThresholds(overrides: Partial<EngineThresholds> = {}): EngineThresholds {
  return { ...DEFAULT_ENGINE_THRESHOLDS, ...overrides };
}
