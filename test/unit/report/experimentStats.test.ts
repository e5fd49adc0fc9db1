// Known-answer tests of the experiment statistics: each expected value is computed by hand from
// the textbook formula written beside it (checked with Python's math module), to 4 digits,
// plus seeded simulations with a known effect, a known sample ratio mismatch, a known segment
// reversal and a known confounder.
import { describe, expect, it } from 'vitest'
import { chiSquareSurvival, normalQuantile } from '../../../src/report/distributions'
import { compareDownstream, localOptimization } from '../../../src/report/experiments/downstream'
import { compareGuardrails, type GuardrailCounts } from '../../../src/report/experiments/guardrails'
import { markIncidents } from '../../../src/report/experiments/incidents'
import { powerAnalysis } from '../../../src/report/experiments/power'
import { compareSegments, type SegmentCounts } from '../../../src/report/experiments/segments'
import { msprt } from '../../../src/report/experiments/sequential'
import { sampleRatioMismatch } from '../../../src/report/experiments/srm'
import { frictionCost, type SignalCounts } from '../../../src/report/frictionCost'
import { mantelHaenszelRiskDifference } from '../../../src/report/mantelHaenszel'
import { twoProportionZTest } from '../../../src/report/stats'
import { mulberry32 as seeded } from '../../../src/lib/mulberry32'

const binomial = (random: () => number, n: number, p: number) => {
  let k = 0
  for (let i = 0; i < n; i++) if (random() < p) k += 1
  return k
}

describe('distributions', () => {
  it.each([
    // df 1: P(χ² ≥ x) = erfc(√(x/2)); x = 5 → erfc(1.5811) = 0.025347
    [5, 1, 0.025347],
    // df 1: x = 3.8415 (the 95 % critical value) → 0.05
    [3.841459, 1, 0.05],
    // df 2: P(χ² ≥ x) = e^(−x/2); x = 8 → e^(−4) = 0.018316
    [8, 2, 0.018316],
    // df 3: erfc(√(x/2)) + √(2x/π) e^(−x/2); x = 10 → 0.0018567 + 0.0167094 = 0.018566
    [10, 3, 0.018566],
    // df 4: e^(−x/2)(1 + x/2); x = 20 → e^(−10) · 11 = 0.00049940
    [20, 4, 0.0004994],
  ])('chiSquareSurvival(%d, %d) ≈ %d', (x, df, p) => {
    expect(chiSquareSurvival(x, df)).toBeCloseTo(p, 6)
  })

  it.each([
    [0.975, 1.959964],
    [0.8, 0.841621],
    [0.5, 0],
    [0.01, -2.326348],
    [0.9995, 3.290527],
  ])('normalQuantile(%d) ≈ %d', (p, z) => {
    expect(normalQuantile(p)).toBeCloseTo(z, 5)
  })
})

describe('sample ratio mismatch', () => {
  it('is Pearson’s chi-square against an equal split', () => {
    // E = 1000 each; χ² = (50² + 50²) / 1000 = 5.0000, df 1, p = erfc(√2.5) = 0.025347
    const srm = sampleRatioMismatch([1050, 950])!
    expect(srm.chiSquare).toBeCloseTo(5, 4)
    expect(srm.degreesOfFreedom).toBe(1)
    expect(srm.pValue).toBeCloseTo(0.025347, 5)
    expect(srm.isMismatch).toBe(false) // above the 0.001 threshold
  })

  it('uses declared shares, and three groups have two degrees of freedom', () => {
    // 90/10 split declared, 9000 / 1000 observed: χ² = 0
    expect(sampleRatioMismatch([9000, 1000], [9, 1])!.chiSquare).toBeCloseTo(0, 10)
    // E = 100 each; χ² = (0 + 20² + 20²) / 100 = 8, df 2, p = e^(−4) = 0.018316
    const three = sampleRatioMismatch([100, 120, 80])!
    expect(three.chiSquare).toBeCloseTo(8, 4)
    expect(three.pValue).toBeCloseTo(0.018316, 5)
  })

  it('catches a known 52/48 split and passes an honest coin (seeded)', () => {
    const random = seeded(7)
    let a = 0
    let b = 0
    for (let i = 0; i < 20_000; i++) {
      if (random() < 0.52) a++
      else b++
    }
    expect(sampleRatioMismatch([a, b])!.isMismatch).toBe(true)
    let fair = 0
    for (let run = 0; run < 200; run++) {
      let x = 0
      for (let i = 0; i < 2000; i++) if (random() < 0.5) x++
      if (sampleRatioMismatch([x, 2000 - x])!.isMismatch) fair += 1
    }
    // 0.1 % false alarms expected: 0.2 of 200 runs; 3 or more would be p ≈ 0.001.
    expect(fair).toBeLessThan(3)
  })
})

describe('two-proportion z-test (fixed horizon)', () => {
  it('matches the pooled formula', () => {
    // p̄ = 230/2000 = 0.115; SE = √(0.115 · 0.885 · 2/1000) = 0.014267; z = 0.03 / SE = 2.1027;
    // p = erfc(z/√2) = 0.035488
    const test = twoProportionZTest(100, 1000, 130, 1000)
    expect(test.z).toBeCloseTo(2.1027, 4)
    expect(test.pValue).toBeCloseTo(0.035488, 4)
  })
})

describe('mSPRT (always-valid p-value)', () => {
  it('matches the mixture likelihood ratio, τ² = 0.0025', () => {
    // V = 0.1·0.9/1000 + 0.13·0.87/1000 = 0.0002031; θ̂ = 0.03
    // Λ = √(V/(V+τ²)) · exp(τ²θ̂² / (2V(V+τ²))) = 0.274109 · exp(2.04918) = 2.12751; p = 1/Λ = 0.470032
    // CS half width = √(V(V+τ²)/τ² · (2 ln 20 + ln((V+τ²)/V))) = 0.043407 → [−0.013407, 0.073407]
    const result = msprt([{ controlN: 1000, controlK: 100, variantN: 1000, variantK: 130 }])
    expect(result.likelihoodRatio).toBeCloseTo(2.12751, 4)
    expect(result.pValue).toBeCloseTo(0.470032, 4)
    expect(result.low).toBeCloseTo(-0.013407, 5)
    expect(result.high).toBeCloseTo(0.073407, 5)
    // 1000 vs 1150 of 10 000: V = 1.91775e−5, Λ = 29.4477, p = 0.033958 (the z-test's p is 0.0011)
    const large = msprt([{ controlN: 10_000, controlK: 1000, variantN: 10_000, variantK: 1150 }])
    expect(large.likelihoodRatio).toBeCloseTo(29.4477, 3)
    expect(large.pValue).toBeCloseTo(0.033958, 5)
  })

  it('stays finite for an overwhelming effect', () => {
    const result = msprt([{ controlN: 1_000_000, controlK: 1000, variantN: 1_000_000, variantK: 900_000 }])
    expect(Number.isFinite(result.likelihoodRatio)).toBe(true)
    expect(result.pValue).toBeGreaterThanOrEqual(0)
    expect(result.pValue).toBeLessThan(1e-100)
  })

  it('keeps the smallest p over the looks and skips looks without variance', () => {
    const result = msprt([
      { controlN: 10, controlK: 0, variantN: 10, variantK: 0 },
      { controlN: 10_000, controlK: 1000, variantN: 10_000, variantK: 1150 },
      { controlN: 11_000, controlK: 1100, variantN: 11_000, variantK: 1130 },
    ])
    expect(result.looks).toBe(2)
    expect(result.pValue).toBeCloseTo(0.033958, 5)
  })

  it('holds its false-positive rate under daily peeking where the z-test does not (seeded A/A)', () => {
    const random = seeded(11)
    let sequentialRejects = 0
    let peekingRejects = 0
    const runs = 200
    for (let run = 0; run < runs; run++) {
      const looks = []
      let nA = 0,
        kA = 0,
        nB = 0,
        kB = 0
      let peeked = false
      for (let day = 0; day < 20; day++) {
        nA += 200
        kA += binomial(random, 200, 0.1)
        nB += 200
        kB += binomial(random, 200, 0.1)
        looks.push({ controlN: nA, controlK: kA, variantN: nB, variantK: kB })
        if (twoProportionZTest(kA, nA, kB, nB).pValue < 0.05) peeked = true
      }
      if (msprt(looks).pValue < 0.05) sequentialRejects += 1
      if (peeked) peekingRejects += 1
    }
    expect(sequentialRejects / runs).toBeLessThanOrEqual(0.05)
    expect(peekingRejects / runs).toBeGreaterThan(0.1) // peeking a fixed-horizon test inflates it
  })

  it('detects a known effect (seeded: 10 % vs 13 %, 20 days of 500 per variant)', () => {
    const random = seeded(3)
    const looks = []
    let nA = 0,
      kA = 0,
      nB = 0,
      kB = 0
    for (let day = 0; day < 20; day++) {
      nA += 500
      kA += binomial(random, 500, 0.1)
      nB += 500
      kB += binomial(random, 500, 0.13)
      looks.push({ controlN: nA, controlK: kA, variantN: nB, variantK: kB })
    }
    const result = msprt(looks)
    expect(result.pValue).toBeLessThan(0.01)
    expect(result.low).toBeGreaterThan(0)
    expect(result.low).toBeLessThan(0.03)
    expect(result.high).toBeGreaterThan(0.03)
  })
})

describe('power', () => {
  it('gives the MDE at 80 % power, α = 0.05, and the sessions still needed', () => {
    // MDE = (z.975 + z.80) · √(p(1−p)(1/nA + 1/nB)) = 2.801585 · √(0.09 · 0.002) = 0.037587 (37.59 % relative)
    // n = 2.801585² · (0.1·0.9 + 0.13·0.87) / 0.03² = 1771.23 → 1772 per variant; 772 more each
    const power = powerAnalysis(1000, 100, 1000, 130)
    expect(power.mdeAbsolute).toBeCloseTo(0.037587, 5)
    expect(power.mdeRelative).toBeCloseTo(0.37587, 4)
    expect(power.neededPerVariant).toBe(1772)
    expect(power.moreSessions).toBe(2 * 772)
  })

  it('says nothing about the needed sample when there is no difference yet', () => {
    expect(powerAnalysis(1000, 100, 1000, 100).neededPerVariant).toBeNull()
    expect(powerAnalysis(0, 0, 10, 1).mdeAbsolute).toBeNull()
  })
})

describe('guardrails', () => {
  const counts = (variant: string, errorSessions: number): GuardrailCounts => ({
    variant,
    sessions: 1000,
    errorSessions,
    rageSessions: 50,
    deadSessions: 50,
    formSessions: 0,
    abandonSessions: 0,
    lcpSessions: 1000,
    slowLcpSessions: 100,
    inpSessions: 0,
    slowInpSessions: 0,
    lcpP75: 2000,
    inpP75: null,
  })

  it('flags a guardrail significantly worse than the control and skips guardrails without data', () => {
    const [control, b] = compareGuardrails([counts('A', 100), counts('B', 130)])
    expect(control.comparisons).toEqual([])
    const errors = b.comparisons.find((c) => c.metric === 'errors')!
    expect(errors.pValue).toBeCloseTo(0.035488, 4) // the z-test above
    expect(errors.isWorse).toBe(true)
    expect(b.comparisons.find((c) => c.metric === 'rageClicks')!.isWorse).toBe(false)
    expect(b.comparisons.map((c) => c.metric)).not.toContain('formAbandon')
  })
})

describe('downstream funnel', () => {
  it('catches a lift at step 1 that loses at checkout', () => {
    const [b] = compareDownstream(
      ['A', 'B'],
      [1000, 1000],
      [
        [1000, 400, 200],
        [1000, 500, 180],
      ],
      ['cart', 'shipping', 'done'],
    )
    expect(b.steps[1].pValue).toBeLessThan(0.001)
    expect(b.steps[2].lift).toBeCloseTo(-0.1, 10)
    expect(localOptimization(b)).toMatch(/^Local optimization: B wins at step 2 "shipping"/)
    const [honest] = compareDownstream(
      ['A', 'B'],
      [1000, 1000],
      [
        [1000, 400, 200],
        [1000, 500, 260],
      ],
      ['cart', 'shipping', 'done'],
    )
    expect(localOptimization(honest)).toBeNull()
  })
})

describe('segments', () => {
  it('detects a known Simpson reversal (seeded)', () => {
    // B is better by 2 points on both devices, but gets mostly mobile traffic, which converts at a
    // third of desktop's: overall B looks worse.
    const random = seeded(5)
    const cell = (n: number, p: number) => ({ n, k: binomial(random, n, p) })
    const desktopA = cell(3000, 0.3),
      desktopB = cell(1000, 0.32)
    const mobileA = cell(1000, 0.1),
      mobileB = cell(3000, 0.12)
    const rows: SegmentCounts[] = [
      {
        dimension: 'device',
        segment: 'desktop',
        controlN: desktopA.n,
        controlK: desktopA.k,
        variantN: desktopB.n,
        variantK: desktopB.k,
      },
      {
        dimension: 'device',
        segment: 'mobile',
        controlN: mobileA.n,
        controlK: mobileA.k,
        variantN: mobileB.n,
        variantK: mobileB.k,
      },
    ]
    const overall = (desktopB.k + mobileB.k) / 4000 - (desktopA.k + mobileA.k) / 4000
    expect(overall).toBeLessThan(0)
    const report = compareSegments('B', rows)
    expect(report.rows.every((r) => (r.lift ?? 0) > 0)).toBe(true)
    expect(report.warnings).toHaveLength(1)
    expect(report.warnings[0]).toMatch(/^Simpson's paradox by device/)
  })

  it('warns when only one segment carries the lift, and stays quiet on a uniform lift', () => {
    const carried = compareSegments('B', [
      { dimension: 'source', segment: 'google', controlN: 1000, controlK: 100, variantN: 1000, variantK: 200 },
      { dimension: 'source', segment: 'direct', controlN: 1000, controlK: 100, variantN: 1000, variantK: 95 },
    ])
    expect(carried.warnings.some((w) => w.startsWith('Only one traffic source segment carries the lift: google'))).toBe(
      true,
    )
    expect(carried.warnings.some((w) => w.startsWith('The lift reverses in a large traffic source segment'))).toBe(true)
    const uniform = compareSegments('B', [
      { dimension: 'visitor', segment: 'new', controlN: 1000, controlK: 100, variantN: 1000, variantK: 130 },
      { dimension: 'visitor', segment: 'returning', controlN: 1000, controlK: 150, variantN: 1000, variantK: 190 },
    ])
    expect(uniform.warnings).toEqual([])
  })
})

describe('incidents per day', () => {
  it('marks an error spike and the conversion drop that comes with it, not the normal days', () => {
    const normal = (day: string) => ({
      day,
      sessions: 1000,
      conversions: 200,
      errorSessions: 20,
      lcpP75: 2000,
      inpP75: 150,
    })
    const days = markIncidents([
      normal('2024-11-01'),
      normal('2024-11-02'),
      { day: '2024-11-03', sessions: 1000, conversions: 140, errorSessions: 90, lcpP75: 4200, inpP75: 150 },
      normal('2024-11-04'),
    ])
    expect(days.map((d) => d.errorSpike)).toEqual([false, false, true, false])
    expect(days.map((d) => d.latencySpike)).toEqual([false, false, true, false])
    expect(days.map((d) => d.conversionDrop)).toEqual([false, false, true, false])
    expect(days[2].conversion.rate).toBeCloseTo(0.14, 10)
  })
})

describe('Mantel–Haenszel risk difference', () => {
  it('reduces to the Wald difference for one stratum', () => {
    // RD = 0.2 − 0.3 = −0.1; Sato's variance = 0.2·0.8/100 + 0.3·0.7/200 = 0.00265;
    // CI = −0.1 ± 1.959964 · 0.051478 = [−0.200895, 0.000895]
    const rd = mantelHaenszelRiskDifference([{ exposedN: 100, exposedK: 20, unexposedN: 200, unexposedK: 60 }])!
    expect(rd.difference).toBeCloseTo(-0.1, 10)
    expect(rd.variance).toBeCloseTo(0.00265, 8)
    expect(rd.low).toBeCloseTo(-0.200895, 5)
    expect(rd.high).toBeCloseTo(0.000895, 5)
  })

  it('pools two strata with Sato’s variance', () => {
    // Stratum 1: n₁ 100, a 20, n₀ 200, c 60 (N 300); stratum 2: n₁ 50, a 5, n₀ 400, c 80 (N 450).
    // Σ (a n₀ − c n₁)/N = (4000 − 6000)/300 + (2000 − 4000)/450 = −6.6667 − 4.4444 = −11.1111
    // Σ n₁ n₀ / N = 66.6667 + 44.4444 = 111.1111 → RD = −0.1
    // P₁ = (100²·60 − 200²·20 + 100·200·100/2)/300² = 8.8889,
    // P₂ = (50²·80 − 400²·5 + 50·400·350/2)/450² = 14.3210
    // Q₁ = (20·140 + 60·80)/600 = 12.6667, Q₂ = (5·320 + 80·45)/900 = 5.7778
    // Var = (−0.1 · 23.2099 + 18.4444) / 111.1111² = 0.0013060;
    // CI = −0.1 ± 1.959964·0.036139 = [−0.170830, −0.029170]
    const rd = mantelHaenszelRiskDifference([
      { exposedN: 100, exposedK: 20, unexposedN: 200, unexposedK: 60 },
      { exposedN: 50, exposedK: 5, unexposedN: 400, unexposedK: 80 },
    ])!
    expect(rd.difference).toBeCloseTo(-0.1, 10)
    expect(rd.variance).toBeCloseTo(0.001306, 6)
    expect(rd.low).toBeCloseTo(-0.17083, 5)
    expect(rd.high).toBeCloseTo(-0.02917, 5)
  })

  it('removes a known device confounder that the crude comparison blames on the signal (seeded)', () => {
    // The signal has no effect, but mobile meets it 4× as often and converts at 10 % vs 30 %.
    const random = seeded(9)
    const met = new Map<string, { n: number; k: number }>()
    const viewers = new Map<string, { n: number; k: number }>()
    for (let i = 0; i < 20_000; i++) {
      const device = random() < 0.5 ? 'mobile' : 'desktop'
      const meets = random() < (device === 'mobile' ? 0.4 : 0.1)
      const converts = random() < (device === 'mobile' ? 0.1 : 0.3)
      const v = viewers.get(device) ?? { n: 0, k: 0 }
      v.n += 1
      v.k += Number(converts)
      viewers.set(device, v)
      if (meets) {
        const m = met.get(device) ?? { n: 0, k: 0 }
        m.n += 1
        m.k += Number(converts)
        met.set(device, m)
      }
    }
    const signal: SignalCounts = { kind: 'rage_click', signal: '#coupon', page: '/pay', met }
    const [row] = frictionCost([signal], new Map([['/pay', viewers]]))
    expect(row.met.rate - row.notMet.rate).toBeLessThan(-0.05) // crude: looks harmful
    expect(row.low).toBeLessThan(0) // stratified: no effect
    expect(row.high).toBeGreaterThan(0)
    expect(Math.abs(row.difference)).toBeLessThan(0.02)
  })

  it('ranks a known harmful signal first by conversions lost', () => {
    const viewers = new Map([['/pay', new Map([['desktop', { n: 1000, k: 300 }]])]])
    const rows = frictionCost(
      [
        { kind: 'error', signal: 'TypeError', page: '/pay', met: new Map([['desktop', { n: 100, k: 10 }]]) },
        { kind: 'dead_click', signal: '#logo', page: '/pay', met: new Map([['desktop', { n: 100, k: 31 }]]) },
      ],
      viewers,
    )
    // error: 10 % vs 290/900 = 32.2 %, RD = −0.2222, lost = 22.22 conversions
    expect(rows[0].signal).toBe('TypeError')
    expect(rows[0].conversionsLost).toBeCloseTo(22.2222, 3)
    expect(rows[1].conversionsLost).toBeLessThan(0)
  })
})

describe('days block', () => {
  it('prints the last 31 days and the marked days before them', async () => {
    const { daysBlock } = await import('../../../src/report/scrutinyBlocks')
    const day = (i: number) => ({
      day: `2024-${String(1 + Math.floor(i / 28)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
      sessions: 1000,
      conversions: 200,
      errorSessions: i === 3 ? 200 : 10,
      lcpP75: 2000,
      inpP75: 100,
    })
    const days = markIncidents(Array.from({ length: 60 }, (_, i) => day(i)))
    const block = daysBlock(days)!
    expect(block.rows).toHaveLength(32)
    expect(block.rows[0][7]).toBe('error spike')
    expect(block.note).toContain('28 earlier unmarked days')
  })
})
