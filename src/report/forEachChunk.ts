/** Bytes read at a time: a few milliseconds of parsing, so a server calling the report stays responsive. */
const CHUNK_BYTES = 4 << 20

const LF = 0x0a
const CR = 0x0d

/**
 * Reads `file` in large chunks of whole lines and calls `onChunk(bytes, end)` for each: the
 * lines are `bytes[0, end]` and `bytes[end]` is a line end (`\n` or `\r`, both of which end a
 * line for `node:readline` too; a last line without one gets an `\n`), so a parser can stop at
 * line ends without checking bounds. No string or promise per line. The bytes are only valid
 * during the call. `chunkBytes` is the initial buffer size (tests make it small).
 *
 * @example
 * await forEachChunk(file, (bytes, end) => console.log(bytes.utf8Slice(0, end)))
 */
export async function forEachChunk(
  file: string,
  onChunk: (bytes: Buffer, end: number) => void,
  chunkBytes = CHUNK_BYTES,
): Promise<void> {
  const { open } = await import('node:fs/promises')
  const handle = await open(file, 'r')
  try {
    // One spare byte past the data, for the `\n` of a last line without one.
    let buffer = Buffer.allocUnsafe(chunkBytes + 1)
    let filled = 0
    for (;;) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - 1 - filled, null)
      if (bytesRead === 0) {
        if (filled > 0) {
          buffer[filled] = LF
          onChunk(buffer, filled)
        }
        return
      }
      const read = buffer.subarray(filled, filled + bytesRead)
      filled += bytesRead
      // The bytes kept from the previous read hold no line end (see below), so the last line
      // end, if any, is in what was just read.
      const lastInRead = Math.max(read.lastIndexOf(LF), read.lastIndexOf(CR))
      const last = filled - bytesRead + lastInRead
      if (lastInRead < 0) {
        // A line longer than the buffer: make room and read on.
        if (filled === buffer.length - 1) {
          const grown = Buffer.allocUnsafe(buffer.length * 2)
          buffer.copy(grown, 0, 0, filled)
          buffer = grown
        }
        continue
      }
      onChunk(buffer, last)
      // The bytes after the last line end, which therefore hold none, start the next chunk.
      buffer.copy(buffer, 0, last + 1, filled)
      filled -= last + 1
    }
  } finally {
    await handle.close()
  }
}
