import type { EventEnvelope, EventFields, EventType } from '../../../src/schema'

// Shared examples of the wire format for the schema tests (not a test file itself).

/** A valid envelope: every field core stamps. */
export const envelope: EventEnvelope = {
  id: 'V1StGXR8_Z5jdHi6B-myT',
  ts: 1732350000000,
  sessionId: 's-1',
  anonymousId: 'a-1',
  pageId: 'p-1',
  url: 'https://example.com/pricing?utm_source=x',
  context: {
    userAgent: 'Mozilla/5.0',
    language: 'en-US',
    timezone: 'Europe/Paris',
    viewport: { w: 390, h: 844 },
    screen: { w: 390, h: 844 },
    deviceType: 'mobile',
    referrer: '',
    utm: { source: 'x' },
    experiments: { 'hero-copy': 'B' },
    sdk: { name: 'frictionlog', version: '0.1.0' },
  },
}

const formFields = { form: 'signup', fields: ['email', 'plan'], lastField: 'plan', durationMs: 4200 }

/**
 * One valid example of every type's own fields: adding a type to the union without a row here
 * fails to compile.
 */
export const valid: { [T in EventType]: EventFields<T> } = {
  page: { path: '/pricing', title: 'Pricing', navigation: 'spa' },
  page_leave: { engagedMs: 12000, durationMs: 30000, maxScrollPct: 75.5 },
  track: { name: 'signup', props: { plan: 'pro', nested: { a: [1] } } },
  identify: { userId: 'user-42', traits: { plan: 'pro' } },
  funnel_step: { funnel: 'checkout', step: 'cart', stepIndex: 0, msSincePrevious: null, props: {} },
  experiment: { experiment: 'hero-copy', variant: 'B' },
  feedback: { question: 'What almost stopped you?', answer: 'price unclear' },
  scroll: { depthPct: 50, pageHeight: 3200 },
  rage_click: { selector: 'button#buy', text: 'Buy', x: 10, y: 20, clicks: 4, windowMs: 800 },
  dead_click: { selector: 'a.nav', text: 'Docs', x: 1, y: 2 },
  click: { selector: 'div.hero', x: 100, y: 200, relX: 0.5, relY: 1, viewportW: 1280 },
  error: {
    source: 'onerror',
    message: 'x is not a function',
    errorType: 'TypeError',
    stack: [
      { file: 'https://example.com/app.js', line: 1, col: 42, fn: 'onClick' },
      { file: '', line: null, col: null, fn: '' },
    ],
    fingerprint: 'a1b2c3',
    count: 1,
    afterClick: 'button#buy',
  },
  vital: {
    name: 'LCP',
    value: 2400,
    delta: 2400,
    rating: 'good',
    navigationType: 'navigate',
    attribution: { target: 'img.hero', timeToFirstByte: 300, resourceLoadDelay: 100 },
  },
  form_start: formFields,
  form_submit: { ...formFields, hesitation: [{ field: 'email', focusMs: 4200, returns: 1, corrections: 2 }] },
  form_abandon: { form: 'signup', fields: [], durationMs: 0 },
  field_error: { form: 'signup', field: 'email', reason: 'typeMismatch' },
  section: { section: 'pricing', visibleMs: 5400, order: 1 },
  quick_back: { leftPath: '/pricing', durationMs: 3200 },
  excessive_scroll: { reversals: 4, windowMs: 6100, distancePx: 5400 },
  replay: { seq: 0, events: [{ type: 2, data: {} }], startTs: 1732350000000, endTs: 1732350001000 },
  sdk_health: { dropped: { 'queue-full': 3 }, retried: 1, beaconRejected: 0, persisted: 2, invalid: 0 },
}

export const eventOf = (type: string, fields: object = valid[type as EventType]) => ({ ...envelope, type, ...fields })
