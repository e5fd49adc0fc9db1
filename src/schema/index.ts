// Entry `frictionlog/schema`: the wire format, written down once. Browser code imports types
// only from here (`import type`), so zod never enters the browser bundle.
// Every export of these modules is public, so they are re-exported whole: a new event schema or
// limit is exported where it is written. Each event type's own field shapes stay module-private.
export * from './context'
export { envelopeSchema, timestampSchema, type EventEnvelope } from './events/envelope'
export * from './timestampWindow'
export * from './events/core'
export * from './events/capture'
export * from './events/system'
export * from './event'
export * from './batch'
export * from './defineEvents'
export * from './events/limits'
