// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { pathOf } from '../../../src/report/path'
import { createReservoir } from '../../../src/report/reservoir'
import { erf, median, normalCdf, proportion, quantile, twoProportionZTest } from '../../../src/report/stats'
import { createTopMap } from '../../../src/report/topMap'
import { rateVital } from '../../../src/report/vitals'

describe('stats', () => {
  it('approximates erf and Φ within 1e-6 of the exact values', () => {
    // Exact values from scipy: erf(1), erf(-0.5), Φ(1.96).
    expect(erf(1)).toBeCloseTo(0.8427007929, 6)
    expect(erf(-0.5)).toBeCloseTo(-0.5204998778, 6)
    expect(erf(0)).toBeCloseTo(0, 6)
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021049, 6)
    expect(normalCdf(-1.96)).toBeCloseTo(0.0249978951, 6)
  })

  it.each([
    // k, n, low, high: Wilson score intervals as published (e.g. Newcombe 1998, Table I style).
    [10, 100, 0.05523, 0.17437],
    [0, 20, 0, 0.16113],
    [20, 20, 0.83887, 1],
  ])('gives the 95 %% Wilson interval of %i / %i', (k, n, low, high) => {
    const p = proportion(k, n)
    expect(p.rate).toBeCloseTo(k / n, 10)
    expect(p.low).toBeCloseTo(low, 4)
    expect(p.high).toBeCloseTo(high, 4)
  })

  it('returns a zero proportion for an empty group rather than NaN', () => {
    expect(proportion(0, 0)).toEqual({ n: 0, k: 0, rate: 0, low: 0, high: 0 })
  })

  it.each([
    // kA, nA, kB, nB, z, p: checked against scipy (2 * norm.sf(|z|)) with the pooled SE.
    [100, 1000, 130, 1000, 2.10274, 0.035488],
    [200, 2000, 180, 2000, -1.07848, 0.280818],
    [50, 1000, 50, 1000, 0, 1],
  ])('runs the two-proportion z-test on %i/%i vs %i/%i', (kA, nA, kB, nB, z, p) => {
    const test = twoProportionZTest(kA, nA, kB, nB)
    expect(test.z).toBeCloseTo(z, 4)
    expect(test.pValue).toBeCloseTo(p, 5)
  })

  it('answers p = 1 when the test is undefined (empty group, no variance)', () => {
    expect(twoProportionZTest(0, 0, 5, 10).pValue).toBe(1)
    expect(twoProportionZTest(0, 10, 0, 10).pValue).toBe(1)
  })

  it('computes medians and p75 like numpy (linear interpolation)', () => {
    expect(quantile([1, 2, 3, 4], 0.75)).toBe(3.25)
    expect(quantile([3, 1, 4, 1, 5, 9, 2, 6], 0.75)).toBe(5.25)
    expect(median([3, 1, 4, 1, 5, 9, 2, 6])).toBe(3.5)
    expect(median([5, 1, 3])).toBe(3)
    expect(median([])).toBeNaN()
  })
})

describe('createReservoir', () => {
  it('is exact while it holds every value', () => {
    const reservoir = createReservoir(100)
    for (const value of [5, 1, 4, 2, 3]) reservoir.add(value)
    expect(reservoir.count).toBe(5)
    expect(reservoir.quantile(0.5)).toBe(3)
    expect(reservoir.quantile(0.75)).toBe(4)
  })

  it('keeps a uniform sample past its capacity, close to the true p75', () => {
    const reservoir = createReservoir(1_000)
    for (let i = 0; i < 100_000; i += 1) reservoir.add(i)
    expect(reservoir.count).toBe(100_000)
    // A 1 000-sample p75 is within a few percentile points of the true 74 999.25.
    expect(Math.abs(reservoir.quantile(0.75) - 75_000)).toBeLessThan(5_000)
  })

  it('ignores non-finite values from stored lines', () => {
    const reservoir = createReservoir()
    reservoir.add(Number.NaN)
    reservoir.add(Infinity)
    expect(reservoir.count).toBe(0)
    expect(reservoir.quantile(0.5)).toBeNaN()
  })
})

describe('createTopMap', () => {
  it('keeps the heaviest keys when distinct keys exceed twice its capacity', () => {
    const map = createTopMap(
      2,
      () => ({ count: 0 }),
      (entry) => entry.count,
    )
    map.get('heavy').count += 100
    map.get('medium').count += 50
    for (let i = 0; i < 10; i += 1) map.get(`rare-${i}`).count += 1
    const keys = map.entries().map(([key]) => key)
    expect(keys.slice(0, 2)).toEqual(['heavy', 'medium'])
    expect(keys.length).toBeLessThanOrEqual(4)
    expect(map.evicted).toBeGreaterThan(0)
  })
})

describe('pathOf', () => {
  it.each([
    ['https://shop.example/pricing?utm_source=x', '/pricing'],
    ['https://shop.example/a/b#top', '/a/b'],
    ['https://shop.example', '/'],
    ['https://shop.example?x=1', '/'],
    ['/cart?step=2', '/cart'],
    ['', '(unknown)'],
    [undefined, '(unknown)'],
  ])('reads the path of %j', (url, path) => {
    expect(pathOf(url)).toBe(path)
  })
})

describe('rateVital', () => {
  it.each([
    ['LCP', 2500, 'good'],
    ['LCP', 2501, 'needs-improvement'],
    ['LCP', 4001, 'poor'],
    ['INP', 200, 'good'],
    ['INP', 500, 'needs-improvement'],
    ['CLS', 0.1, 'good'],
    ['CLS', 0.26, 'poor'],
    ['FCP', 3000, 'needs-improvement'],
    ['TTFB', 1801, 'poor'],
  ] as const)('rates %s %d as %s', (name, value, rating) => {
    expect(rateVital(name, value)).toBe(rating)
  })
})
