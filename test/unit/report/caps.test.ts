import { describe, expect, it } from 'vitest'
import { createReport } from '../../../src/report/index'
import { makeEvent } from '../support/events'

const step = (sessionId: string, funnel: string, stepIndex = 0) =>
  makeEvent({
    type: 'funnel_step',
    sessionId,
    funnel,
    step: `s${stepIndex}`,
    stepIndex,
    msSincePrevious: null,
    props: {},
  })
const expose = (sessionId: string, experiment: string, variant: string) =>
  makeEvent({ type: 'experiment', sessionId, experiment, variant })

describe('report caps under names posted by an attacker', () => {
  it('keeps a real funnel that arrives after 50 junk funnels of one session each', () => {
    const report = createReport()
    for (let i = 0; i < 50; i += 1) report.add(step('attacker', `junk-${i}`))
    for (let s = 0; s < 30; s += 1) {
      report.add(step(`visitor-${s}`, 'checkout', 0))
      if (s < 10) report.add(step(`visitor-${s}`, 'checkout', 1))
    }
    const result = report.finish()
    const checkout = result.funnels.find((funnel) => funnel.funnel === 'checkout')
    expect(checkout?.steps.map((row) => row.sessions)).toEqual([30, 10])
    expect(result.funnels).toHaveLength(50)
    expect(result.notes.some((note) => note.startsWith('1 funnels with the fewest sessions dropped'))).toBe(true)
  })

  it('keeps the real variants of an experiment after 20 junk variants, and a real experiment after 50 junk', () => {
    const report = createReport()
    for (let i = 0; i < 20; i += 1) report.add(expose(`attacker-${i}`, 'hero-copy', `junk-${i}`))
    for (let i = 0; i < 50; i += 1) report.add(expose(`attacker-${i}`, `junk-experiment-${i}`, 'A'))
    for (let s = 0; s < 40; s += 1) {
      report.add(expose(`visitor-${s}`, 'hero-copy', s % 2 ? 'B' : 'A'))
      report.add(expose(`visitor-${s}`, 'pricing-page', s % 2 ? 'B' : 'A'))
    }
    const result = report.finish()
    const hero = result.experiments.find((experiment) => experiment.experiment === 'hero-copy')
    const variants = new Map(hero?.variants.map((variant) => [variant.variant, variant.exposed]))
    expect(variants.get('A')).toBe(20)
    expect(variants.get('B')).toBe(20)
    const pricing = result.experiments.find((experiment) => experiment.experiment === 'pricing-page')
    expect(pricing?.variants.map((variant) => variant.exposed)).toEqual([20, 20])
  })
})
