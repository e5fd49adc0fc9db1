/**
 * JSON.stringify that never throws: circular references, BigInt and throwing getters make it
 * return undefined, so the caller can drop the one bad event with a debug message.
 */
export const toJson = (value: unknown): string | undefined => {
  try {
    return JSON.stringify(value)
  } catch {
    return undefined
  }
}
