/**
 * The sessions as the joins at the end of a report read them (experiments × conversion, days,
 * speed × conversion): by number, 0 … count − 1, in the order of their first stored event. The
 * streaming report answers from packed columns and lists (sessions.ts, experiments.ts,
 * funnels.ts), the ClickHouse report from its rows of session states (clickhouse/sessions.ts).
 * A conversion may be stored before the exposure, so these joins wait for the last event.
 */
export interface SessionTable {
  readonly count: number
  /** Earliest `ts` seen (the landing): Infinity when none was a number. */
  firstTs(session: number): number
  /** The landing's `context.deviceType`, else '(unknown)'. */
  device(session: number): string
  /** utm_source of the landing, else the referrer's host, else 'direct' (see `sourceOf`). */
  source(session: number): string
  /** Whether the session's visitor (anonymousId) has an earlier stored session. */
  isReturning(session: number): boolean
  /** Whether the session tracked the `--goal` event. */
  hasGoal(session: number): boolean
  /** Whether any error event was stored for the session. */
  hadError(session: number): boolean
  /** Worst LCP rating reported: 0 none, then LCP_RANK. */
  worstLcp(session: number): number
  /** Bit mask of the step indexes of `funnel` the session reached, 0 for none. */
  funnelMask(session: number, funnel: string): number
  /**
   * Calls `visit` for each experiment the session was exposed to, in no promised order (each
   * experiment is tallied on its own): the first variant it saw, whether it saw another one
   * too, and its guardrail bits (GUARD_*) from events that carried the exposure in their context.
   */
  forEachExposure(
    session: number,
    visit: (experiment: string, variant: string, isMixed: boolean, guards: number) => void,
  ): void
}
