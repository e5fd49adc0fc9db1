const CHUNK = 0x8000

const readAll = async (stream: ReadableStream<Uint8Array>): Promise<Uint8Array> => {
  const parts: Uint8Array[] = []
  let length = 0
  const reader = stream.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    parts.push(value)
    length += value.length
  }
  const bytes = new Uint8Array(length)
  let offset = 0
  for (const part of parts) {
    bytes.set(part, offset)
    offset += part.length
  }
  return bytes
}

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
  const bytes = await readAll(stream as ReadableStream<Uint8Array>)
  let binary = ''
  for (let i = 0; i < bytes.length; i += CHUNK) binary += String.fromCharCode.apply(null, bytes.subarray(i, i + CHUNK) as unknown as number[])
  return btoa(binary)
}

/**
 * Decodes a `replay` event's `events` field into rrweb events: an array is returned as is,
 * a string is base64 + gzip of the JSON array. Runs in browsers and Node 18+.
 *
 * @example
 * const events = (await Promise.all(chunks.sort((a, b) => a.seq - b.seq).map((c) => decodeReplayEvents(c.events)))).flat()
 */
export const decodeReplayEvents = async (events: unknown[] | string): Promise<unknown[]> => {
  if (Array.isArray(events)) return events
  const binary = atob(events)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  const inflated = await readAll(streamOf(bytes).pipeThrough(new DecompressionStream('gzip') as any) as ReadableStream<Uint8Array>)
  return JSON.parse(new TextDecoder().decode(inflated)) as unknown[]
}
