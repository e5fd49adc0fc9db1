import { readStream } from '../lib/readStream'

const CHUNK = 0x8000

const streamOf = (bytes: Uint8Array) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes)
      controller.close()
    },
  })

/** True where `CompressionStream('gzip')` exists (Chrome 80, Firefox 113, Safari 16.4, Node 18). */
export const hasCompression = (): boolean => typeof CompressionStream === 'function'

/** gzip + base64: the `events` string of a compressed `replay` chunk. */
export const gzipBase64 = async (text: string): Promise<string> => {
  const stream = streamOf(new TextEncoder().encode(text)).pipeThrough(new CompressionStream('gzip') as any)
  const bytes = await readStream(stream as ReadableStream<Uint8Array>)
  let binary = ''
  for (let i = 0; i < bytes.length; i += CHUNK)
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + CHUNK) as unknown as number[])
  return btoa(binary)
}

/**
 * Decodes a `replay` event's `events` field into rrweb events: an array is returned as is,
 * a string is base64 + gzip of the JSON array. Runs in browsers and Node 18+.
 *
 * @example
 * const ordered = chunks.sort((a, b) => a.seq - b.seq)
 * const events = (await Promise.all(ordered.map((c) => decodeReplayEvents(c.events)))).flat()
 */
export const decodeReplayEvents = async (events: unknown[] | string): Promise<unknown[]> => {
  if (Array.isArray(events)) return events
  const binary = atob(events)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  const inflated = await readStream(
    streamOf(bytes).pipeThrough(new DecompressionStream('gzip') as any) as ReadableStream<Uint8Array>,
  )
  return JSON.parse(new TextDecoder().decode(inflated)) as unknown[]
}
