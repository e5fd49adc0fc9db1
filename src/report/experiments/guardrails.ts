import { proportion, twoProportionZTest } from '../stats'
import type { GuardrailComparison, VariantGuardrails } from '../types'

/** p below which a guardrail counts as worsened: uncorrected, a guardrail should be sensitive. */
export const GUARDRAIL_ALPHA = 0.05

/** Per variant, sessions exposed and how many of them met each kind of harm after exposure. */
export interface GuardrailCounts {
  variant: string
  sessions: number
  errorSessions: number
  rageSessions: number
  deadSessions: number
  /** Sessions that started a form, and those of them that abandoned one. */
  formSessions: number
  abandonSessions: number
  /** Sessions with an LCP (INP) report, and those with one rated needs-improvement or poor. */
  lcpSessions: number
  slowLcpSessions: number
  inpSessions: number
  slowInpSessions: number
  lcpP75: number | null
  inpP75: number | null
}

const METRICS: Array<{
  metric: GuardrailComparison['metric']
  label: string
  k: (c: GuardrailCounts) => number
  n: (c: GuardrailCounts) => number
}> = [
  { metric: 'errors', label: 'sessions with an error', k: (c) => c.errorSessions, n: (c) => c.sessions },
  { metric: 'rageClicks', label: 'sessions with a rage click', k: (c) => c.rageSessions, n: (c) => c.sessions },
  { metric: 'deadClicks', label: 'sessions with a dead click', k: (c) => c.deadSessions, n: (c) => c.sessions },
  {
    metric: 'formAbandon',
    label: 'form starters who abandoned',
    k: (c) => c.abandonSessions,
    n: (c) => c.formSessions,
  },
  { metric: 'slowLcp', label: 'sessions with a slow LCP', k: (c) => c.slowLcpSessions, n: (c) => c.lcpSessions },
  { metric: 'slowInp', label: 'sessions with a slow INP', k: (c) => c.slowInpSessions, n: (c) => c.inpSessions },
]

/**
 * Each challenger's guardrails against the control (the first entry): the share of exposed
 * sessions that met errors, rage clicks, dead clicks, form abandonment, slow LCP and slow
 * INP, each compared with the two-proportion z-test. Shares of sessions rather than counts per
 * session, so the test's Bernoulli model holds; p75s are shown beside them.
 */
export function compareGuardrails(counts: GuardrailCounts[]): VariantGuardrails[] {
  const [control] = counts
  return counts.map((c, index) => ({
    variant: c.variant,
    lcpP75: c.lcpP75,
    inpP75: c.inpP75,
    comparisons:
      index === 0
        ? []
        : METRICS.filter((m) => m.n(control) > 0 && m.n(c) > 0).map((m) => {
            const before = proportion(m.k(control), m.n(control))
            const after = proportion(m.k(c), m.n(c))
            const { pValue } = twoProportionZTest(before.k, before.n, after.k, after.n)
            return {
              metric: m.metric,
              label: m.label,
              control: before,
              variant: after,
              pValue,
              isWorse: after.rate > before.rate && pValue < GUARDRAIL_ALPHA,
            }
          }),
  }))
}
