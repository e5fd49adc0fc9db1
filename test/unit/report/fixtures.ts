// Test-only generator of realistic stored events for the report: sessions of an A/B test on a
// shop, with a checkout funnel that B converts better and a slow LCP hurts, rage and dead
// clicks, folded errors, forms, sections, vitals and the occasional sdk_health. Seeded, so a
// run is reproducible; it tallies what it yields so tests can compare the report to the truth.
import type { FrictionEvent } from '../../../src/schema/index'
import { mulberry32 as seeded } from '../../../src/lib/mulberry32'

/** What the generator yielded, counted as it went (a truncated last session included). */
export interface GeneratedTruth {
  events: number
  sessions: number
  visitors: Set<string>
  pageViews: number
  byType: Record<string, number>
  /** Per variant of `hero-copy`: exposed sessions and sessions that reached `checkout` "done". */
  variants: Record<string, { exposed: number; converted: number }>
  /** Sum of error `count`. */
  errorCount: number
}

const BASE_TS = 1_732_350_000_000
const CHECKOUT_STEPS = ['cart', 'shipping', 'payment', 'done'] as const
const SECTIONS = ['hero', 'features', 'pricing', 'faq'] as const
const PRODUCTS = 40

/** Probability to go on to each next checkout step, by variant; B's copy converts better. */
const CONTINUE_PROBABILITY: Record<string, number> = { A: 0.55, B: 0.65 }

/** Options of {@link generateEvents}. */
export interface GenerateOptions {
  /**
   * Give a session's events one `context` object until its experiments change, instead of a copy
   * each, so a writer can serialize it once (bench/report.mjs writes millions). Same events.
   */
  shareContext?: boolean
}

/**
 * Yields exactly `total` events, session after session, and fills `truth` as it goes.
 *
 * @example
 * const truth = emptyTruth()
 * for (const event of generateEvents(20_000, truth)) report.add(event)
 */
export function* generateEvents(
  total: number,
  truth: GeneratedTruth = emptyTruth(),
  seed = 42,
  options: GenerateOptions = {},
): Generator<FrictionEvent> {
  const random = seeded(seed)
  const chance = (p: number) => random() < p
  let emitted = 0
  let session = 0
  let eventCounter = 0

  while (emitted < total) {
    session += 1
    const sessionId = `s${session.toString(36)}-${Math.floor(random() * 1e9).toString(36)}`
    // About 1.25 sessions per visitor: returning visitors reuse an earlier id.
    const visitor = session > 10 && chance(0.2) ? Math.floor(random() * session * 0.8) : session
    const anonymousId = `v${visitor.toString(36)}`
    const variant = chance(0.5) ? 'A' : 'B'
    const isMobile = chance(0.45)
    // Slow devices: worse LCP, and fewer conversions, as field data usually shows.
    const isSlow = chance(isMobile ? 0.35 : 0.12)
    const experiments: Record<string, string> = {}
    let ts = BASE_TS + session * 37_000
    let pageId = ''
    let url = ''
    let exposed = false
    let converted = false
    let sessionCounted = false

    const context = () => ({
      userAgent: isMobile
        ? 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)'
        : 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0',
      language: 'en-US',
      timezone: 'Europe/Paris',
      viewport: isMobile ? { w: 390, h: 844 } : { w: 1440, h: 900 },
      screen: isMobile ? { w: 390, h: 844 } : { w: 1920, h: 1080 },
      deviceType: isMobile ? ('mobile' as const) : ('desktop' as const),
      referrer: 'https://www.google.com/',
      utm: { source: 'google', medium: 'cpc', campaign: 'winter' },
      experiments: { ...experiments },
      sdk: { name: 'frictionlog', version: '0.1.0' },
    })

    let sharedContext: ReturnType<typeof context> | undefined
    let sharedFor = ''
    const contextOfEvent = () => {
      if (!options.shareContext) return context()
      const key = JSON.stringify(experiments)
      if (sharedContext === undefined || key !== sharedFor) {
        sharedContext = context()
        sharedFor = key
      }
      return sharedContext
    }

    const emit = function* (fields: Record<string, unknown>): Generator<FrictionEvent> {
      if (emitted >= total) return
      eventCounter += 1
      ts += 200 + Math.floor(random() * 3000)
      const event = {
        id: `e${eventCounter.toString(36)}${Math.floor(random() * 1e6).toString(36)}`,
        ts,
        sessionId,
        anonymousId,
        pageId,
        url,
        context: contextOfEvent(),
        ...fields,
      } as unknown as FrictionEvent
      emitted += 1
      truth.events += 1
      truth.byType[event.type] = (truth.byType[event.type] ?? 0) + 1
      if (!sessionCounted) {
        sessionCounted = true
        truth.sessions += 1
      }
      truth.visitors.add(anonymousId)
      if (event.type === 'page') truth.pageViews += 1
      if (event.type === 'error') truth.errorCount += event.count
      if (event.type === 'experiment' && !exposed) {
        exposed = true
        ;(truth.variants[variant] ??= { exposed: 0, converted: 0 }).exposed += 1
        if (converted) truth.variants[variant].converted += 1
      }
      if (event.type === 'funnel_step' && event.step === 'done' && !converted) {
        converted = true
        if (exposed) truth.variants[variant].converted += 1
      }
      yield event
    }

    const pageView = function* (path: string, height: number): Generator<FrictionEvent> {
      pageId = `p${eventCounter.toString(36)}${Math.floor(random() * 1e6).toString(36)}`
      url = `https://shop.example${path}?utm_source=google`
      yield* emit({ type: 'page', path, title: `Shop ${path}`, navigation: chance(0.8) ? 'load' : 'spa' })
      const lcp = isSlow ? 2600 + random() * 3500 : 900 + random() * 1500
      const lcpRating = lcp <= 2500 ? 'good' : lcp <= 4000 ? 'needs-improvement' : 'poor'
      yield* emit({
        type: 'vital',
        name: 'TTFB',
        value: 100 + random() * (isSlow ? 1500 : 500),
        delta: 0,
        rating: 'good',
        navigationType: 'navigate',
        attribution: { waitingDuration: 10 },
      })
      yield* emit({
        type: 'vital',
        name: 'FCP',
        value: lcp * 0.7,
        delta: lcp * 0.7,
        rating: lcp * 0.7 <= 1800 ? 'good' : 'needs-improvement',
        navigationType: 'navigate',
        attribution: {},
      })
      yield* emit({
        type: 'vital',
        name: 'LCP',
        value: lcp,
        delta: lcp,
        rating: lcpRating,
        navigationType: 'navigate',
        attribution: {
          target: path === '/' ? 'section.hero>img.hero-banner' : 'main>img.product-shot',
          resourceLoadDelay: lcp * 0.3,
        },
      })
      const maxDepth = random()
      for (const depth of [25, 50, 75, 90, 100]) {
        if (maxDepth * 110 < depth) break
        yield* emit({ type: 'scroll', depthPct: depth, pageHeight: height })
      }
      if (path === '/') {
        let order = 0
        for (const section of SECTIONS) {
          if (!chance(0.8 - order * 0.15)) break
          order += 1
          yield* emit({ type: 'section', section, visibleMs: 500 + Math.floor(random() * 8000), order })
        }
      }
      if (chance(0.3)) {
        const inp = isSlow ? 150 + random() * 600 : 40 + random() * 200
        yield* emit({
          type: 'vital',
          name: 'INP',
          value: inp,
          delta: inp,
          rating: inp <= 200 ? 'good' : inp <= 500 ? 'needs-improvement' : 'poor',
          navigationType: 'navigate',
          attribution: { target: 'button.add-to-cart' },
        })
      }
      const cls = chance(0.2) ? random() * 0.4 : random() * 0.05
      yield* emit({
        type: 'vital',
        name: 'CLS',
        value: cls,
        delta: cls,
        rating: cls <= 0.1 ? 'good' : cls <= 0.25 ? 'needs-improvement' : 'poor',
        navigationType: 'navigate',
        attribution: { target: 'div.cookie-banner' },
      })
    }
    const leave = function* (): Generator<FrictionEvent> {
      yield* emit({
        type: 'page_leave',
        engagedMs: 2000 + Math.floor(random() * 60_000),
        maxScrollPct: Math.floor(random() * 100),
        durationMs: 5000 + Math.floor(random() * 90_000),
      })
    }

    yield* pageView('/', 4200)
    experiments['hero-copy'] = variant
    yield* emit({ type: 'experiment', experiment: 'hero-copy', variant })
    if (chance(0.06))
      yield* emit({ type: 'dead_click', selector: 'span.price-tooltip', text: 'What is included?', x: 600, y: 1300 })
    yield* leave()
    if (chance(0.25)) {
      yield* emit({
        type: 'funnel_step',
        funnel: 'signup',
        step: 'start',
        stepIndex: 0,
        msSincePrevious: null,
        props: {},
      })
      if (chance(0.4)) {
        yield* emit({
          type: 'funnel_step',
          funnel: 'signup',
          step: 'account',
          stepIndex: 1,
          msSincePrevious: 4000 + Math.floor(random() * 30_000),
          props: {},
        })
        yield* emit({ type: 'track', name: 'signup', props: { plan: chance(0.3) ? 'pro' : 'free' } })
      }
    }
    const products = 1 + Math.floor(random() * 3)
    for (let i = 0; i < products && emitted < total; i += 1) {
      yield* pageView(`/product/${Math.floor(random() * PRODUCTS)}`, 3000)
      if (chance(0.04))
        yield* emit({ type: 'dead_click', selector: 'button.size-guide', text: 'Size guide', x: 900, y: 700 })
      yield* leave()
    }
    // Checkout funnel: each step reached with the variant's probability, lower on slow devices.
    const proceed = CONTINUE_PROBABILITY[variant] * (isSlow ? 0.75 : 1)
    if (chance(0.6)) {
      const paths = ['/cart', '/checkout/shipping', '/checkout/payment', '/thank-you']
      for (let step = 0; step < CHECKOUT_STEPS.length && emitted < total; step += 1) {
        if (step > 0 && !chance(proceed)) break
        yield* pageView(paths[step], 2200)
        yield* emit({
          type: 'funnel_step',
          funnel: 'checkout',
          step: CHECKOUT_STEPS[step],
          stepIndex: step,
          msSincePrevious: step === 0 ? null : 8000 + Math.floor(random() * 60_000),
          props: {},
        })
        if (step === 0 && chance(0.08)) {
          yield* emit({
            type: 'rage_click',
            selector: 'button#apply-coupon',
            text: 'Apply',
            x: 820,
            y: 410,
            clicks: 4 + Math.floor(random() * 4),
            windowMs: 600,
          })
        }
        if (step === 1) {
          yield* emit({ type: 'form_start', form: 'shipping-form', fields: ['email'], durationMs: 0 })
          if (chance(0.2))
            yield* emit({ type: 'field_error', form: 'shipping-form', field: 'email', reason: 'typeMismatch' })
          if (chance(0.1))
            yield* emit({ type: 'field_error', form: 'shipping-form', field: 'zip', reason: 'patternMismatch' })
        }
        if (step === 2) {
          yield* emit({
            type: 'form_submit',
            form: 'shipping-form',
            fields: ['email', 'name', 'zip'],
            durationMs: 40_000,
          })
          if (chance(0.05)) {
            yield* emit({
              type: 'error',
              source: 'onerror',
              message: "Cannot read properties of undefined (reading 'total')",
              errorType: 'TypeError',
              stack: [{ file: 'https://shop.example/assets/checkout.js', line: 120, col: 14, fn: 'renderTotal' }],
              fingerprint: 'fp-total-undefined',
              count: 1 + Math.floor(random() * 3),
              afterClick: 'button#pay',
            })
          }
          if (chance(0.03))
            yield* emit({
              type: 'rage_click',
              selector: 'button#pay',
              text: 'Pay now',
              x: 700,
              y: 900,
              clicks: 5,
              windowMs: 800,
            })
        }
        yield* leave()
        if (step === 1 && !chance(proceed)) {
          // Left the shipping form without submitting: the most common last field is the phone.
          yield* emit({
            type: 'form_abandon',
            form: 'shipping-form',
            fields: ['email', 'name'],
            lastField: chance(0.6) ? 'phone' : 'zip',
            durationMs: 30_000,
          })
          break
        }
      }
    }
    if (chance(0.02)) {
      yield* emit({
        type: 'error',
        source: 'resource',
        message: 'https://cdn.example/widget.js',
        errorType: 'ResourceError',
        stack: [],
        fingerprint: 'fp-widget-404',
        count: 1,
      })
    }
    if (chance(0.01))
      yield* emit({
        type: 'sdk_health',
        dropped: { 'queue-full': 2 },
        retried: 1,
        beaconRejected: 0,
        persisted: 3,
        invalid: 0,
      })
  }
}

/** A zeroed truth to fill. */
export function emptyTruth(): GeneratedTruth {
  return { events: 0, sessions: 0, visitors: new Set(), pageViews: 0, byType: {}, variants: {}, errorCount: 0 }
}
