/**
 * Reads a byte stream to its end into one array. `onChunk(bytes, total)` runs before each chunk
 * is kept and may throw to stop (the collector's byte budget). On any error the reader is
 * cancelled (releasing the source, e.g. a client socket, instead of draining it) and the error
 * rethrown. Shared by the replay codec (browser) and the collector's body reader (Node).
 */
export const readStream = async (
  stream: ReadableStream<Uint8Array>,
  onChunk?: (bytes: number, total: number) => void,
): Promise<Uint8Array> => {
  const reader = stream.getReader()
  const parts: Uint8Array[] = []
  let length = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      length += value.byteLength
      onChunk?.(value.byteLength, length)
      parts.push(value)
    }
  } catch (error) {
    reader.cancel().catch(() => {})
    throw error
  }
  if (parts.length === 1) return parts[0]
  const bytes = new Uint8Array(length)
  let offset = 0
  for (const part of parts) {
    bytes.set(part, offset)
    offset += part.byteLength
  }
  return bytes
}
