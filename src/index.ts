// Public barrel of `frictionlog`: named exports only, so bundlers drop what is not imported.
export { createTracker } from './core/tracker'
export { scrollDepth, type ScrollDepthOptions } from './plugins/scrollDepth'
export { clicks, type ClicksOptions } from './plugins/clicks'
export { errors, type ErrorsOptions } from './plugins/errors'
export { webVitals, type WebVitalsOptions } from './plugins/webVitals'
export { forms, type FormsOptions } from './plugins/forms'
export { sections, type SectionsOptions } from './plugins/sections'
export { quickBack, type QuickBackOptions } from './plugins/quickBack'
export { excessiveScroll, type ExcessiveScrollOptions } from './plugins/excessiveScroll'
export type {
  BatchOptions,
  Consent,
  EventMap,
  Funnel,
  Navigation,
  Plugin,
  PluginContext,
  SendResult,
  Tracker,
  TrackerOptions,
  Transport,
  WireBatch,
} from './core/types'
export type { EventFields, EventOf, EventType, FrictionEvent } from './schema'
