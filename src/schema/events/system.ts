// Events that carry the SDK's own data: replay chunks and delivery health.
import { z } from 'zod'
import { eventSchemaOf, timestampSchema } from './envelope'
import { MAX_NAME_LENGTH, MAX_REPLAY_CHUNK_CHARS, MAX_REPLAY_CHUNK_EVENTS } from './limits'

const counterSchema = z.int().nonnegative()

const replayFields = {
  /** Chunk number within the page view, from 0, to reassemble in order. */
  seq: z.int().nonnegative(),
  /** rrweb events, or one string when the chunk is compressed and base64-encoded. */
  events: z.union([z.array(z.unknown()).max(MAX_REPLAY_CHUNK_EVENTS), z.string().max(MAX_REPLAY_CHUNK_CHARS)]),
  startTs: timestampSchema,
  endTs: timestampSchema,
}

/** `replay`: one chunk of a session recording (`frictionlog/replay`). */
export const replayEventSchema = eventSchemaOf('replay', replayFields)

const sdkHealthFields = {
  /** Events dropped since the last report, by reason (e.g. `queue-full`, `invalid`). */
  dropped: z.record(z.string().max(MAX_NAME_LENGTH), counterSchema),
  retried: counterSchema,
  beaconRejected: counterSchema,
  persisted: counterSchema,
  invalid: counterSchema,
}

/** `sdk_health`: delivery counters since the last report, sent only when one is non-zero. */
export const sdkHealthEventSchema = eventSchemaOf('sdk_health', sdkHealthFields)
