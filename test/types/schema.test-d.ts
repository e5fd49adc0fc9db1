import { describe, expectTypeOf, it } from 'vitest'
import { z } from 'zod'
import {
  defineEvents,
  type Batch,
  type EVENT_TYPES,
  type EventContext,
  type EventEnvelope,
  type EventFields,
  type EventOf,
  type EventType,
  type FrictionEvent,
  type InferEvents,
  type ScrollEvent,
  type eventSchemas,
} from '../../src/schema'
import type { FieldHesitation } from '../../src/lib/fieldHesitation'
import type { QuickBack } from '../../src/lib/quickBack'
import type { ScrollReversals } from '../../src/lib/scrollReversals'

describe('schema types', () => {
  it('gives EventOf<"scroll"> its own fields and the envelope', () => {
    expectTypeOf<EventOf<'scroll'>>().toHaveProperty('depthPct').toEqualTypeOf<number>()
    expectTypeOf<EventOf<'scroll'>>().toHaveProperty('type').toEqualTypeOf<'scroll'>()
    expectTypeOf<EventOf<'scroll'>>().toHaveProperty('context').toEqualTypeOf<EventContext>()
    expectTypeOf<ScrollEvent>().toEqualTypeOf<EventOf<'scroll'>>()
  })

  it('gives EventFields only the type’s own fields', () => {
    expectTypeOf<EventFields<'track'>>().toEqualTypeOf<{ name: string; props: Record<string, unknown> }>()
    expectTypeOf<EventFields<'track'>>().not.toHaveProperty('id')
    expectTypeOf<EventFields<'track'>>().not.toHaveProperty('type')
    // identify's userId is its own field (required), though the envelope also has one.
    expectTypeOf<EventFields<'identify'>>().toEqualTypeOf<{ userId: string; traits: Record<string, unknown> }>()
    expectTypeOf<EventFields<'funnel_step'>>().toHaveProperty('msSincePrevious').toEqualTypeOf<number | null>()
    expectTypeOf<EventFields<'error'>>().toHaveProperty('afterClick').toEqualTypeOf<string | undefined>()
  })

  it('types the signals added for hesitation: quick_back, excessive_scroll, form hesitation', () => {
    expectTypeOf<EventFields<'quick_back'>>().toEqualTypeOf<{ leftPath: string; durationMs: number }>()
    expectTypeOf<EventFields<'excessive_scroll'>>().toEqualTypeOf<{
      reversals: number
      windowMs: number
      distancePx: number
    }>()
    type Hesitation = Array<{ field: string; focusMs: number; returns: number; corrections: number }>
    expectTypeOf<EventFields<'form_submit'>['hesitation']>().toEqualTypeOf<Hesitation | undefined>()
    expectTypeOf<EventFields<'form_abandon'>>().toEqualTypeOf<EventFields<'form_submit'>>()
    expectTypeOf<EventFields<'form_start'>>().not.toHaveProperty('hesitation')
    // What the browser code builds is exactly what the schema infers.
    expectTypeOf<QuickBack>().toEqualTypeOf<EventFields<'quick_back'>>()
    expectTypeOf<ScrollReversals>().toEqualTypeOf<EventFields<'excessive_scroll'>>()
    expectTypeOf<FieldHesitation[]>().toEqualTypeOf<NonNullable<EventFields<'form_submit'>['hesitation']>>()
    expectTypeOf<z.infer<(typeof eventSchemas)['quick_back']>>().toEqualTypeOf<EventOf<'quick_back'>>()
  })

  it('lets a plugin build vital attribution with a target and timing parts', () => {
    const attribution: EventFields<'vital'>['attribution'] = { target: 'img.hero', timeToFirstByte: 300 }
    expectTypeOf(attribution.target).toEqualTypeOf<string | undefined>()
    expectTypeOf(attribution.timeToFirstByte).toEqualTypeOf<string | number | undefined>()
  })

  it('keeps every event field out of the envelope and the envelope out of every event’s fields', () => {
    type Leaked = { [T in EventType]: Exclude<keyof EventFields<T>, 'userId'> & keyof EventEnvelope }[EventType]
    expectTypeOf<Leaked>().toEqualTypeOf<never>()
  })

  it('rebuilds every event from its envelope, type and fields', () => {
    type Rebuilt<T extends EventType> = Omit<EventEnvelope, keyof EventFields<T>> & EventFields<T> & { type: T }
    expectTypeOf<Rebuilt<'page'>>().toEqualTypeOf<Rebuilt<'page'>>()
    expectTypeOf<EventOf<'vital'>>().toMatchTypeOf<Rebuilt<'vital'>>()
    expectTypeOf<Rebuilt<'vital'>>().toMatchTypeOf<EventOf<'vital'>>()
    expectTypeOf<EventOf<'identify'>>().toMatchTypeOf<Rebuilt<'identify'>>()
    expectTypeOf<Rebuilt<'identify'>>().toMatchTypeOf<EventOf<'identify'>>()
  })

  it('keys eventSchemas by every event type', () => {
    expectTypeOf<keyof typeof eventSchemas>().toEqualTypeOf<EventType>()
    expectTypeOf<(typeof EVENT_TYPES)[number]>().toEqualTypeOf<EventType>()
    expectTypeOf<z.infer<(typeof eventSchemas)['rage_click']>>().toEqualTypeOf<EventOf<'rage_click'>>()
    // @ts-expect-error 'hover' is not an event type
    expectTypeOf<EventOf<'hover'>>()
  })

  it('types a batch with the event union', () => {
    expectTypeOf<Batch['events'][number]>().toEqualTypeOf<FrictionEvent>()
    expectTypeOf<Batch['v']>().toEqualTypeOf<1>()
  })

  it('infers the Events map from defineEvents', () => {
    const events = defineEvents({
      signup: z.object({ plan: z.enum(['free', 'pro']) }),
      cta_click: z.object({ position: z.string(), coupon: z.string().default('') }),
    })
    expectTypeOf(events.signup).toEqualTypeOf<z.ZodObject<{ plan: z.ZodEnum<{ free: 'free'; pro: 'pro' }> }>>()
    type Events = InferEvents<typeof events>
    expectTypeOf<keyof Events>().toEqualTypeOf<'signup' | 'cta_click'>()
    expectTypeOf<Events['signup']>().toEqualTypeOf<{ plan: 'free' | 'pro' }>()
    // The input type: what track() must be given, so a defaulted prop stays optional.
    expectTypeOf<Events['cta_click']>().toEqualTypeOf<{ position: string; coupon?: string | undefined }>()
    // @ts-expect-error defineEvents takes zod schemas only
    defineEvents({ signup: { plan: 'free' } })
  })
})
