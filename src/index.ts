// Public barrel of `frictionlog`: named exports only, so bundlers drop what is not imported.
export { createTracker } from './core/tracker'
export type {
  BatchOptions, Consent, EventMap, Funnel, Navigation, Plugin, PluginContext, SendResult, Tracker,
  TrackerOptions, Transport, WireBatch,
} from './core/types'
export type { EventFields, EventOf, EventType, FrictionEvent } from './schema'
