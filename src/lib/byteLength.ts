const NON_ASCII = /[\u0080-\uffff]/g

/**
 * An upper bound of the UTF-8 size of `text` without encoding it: a non-ASCII UTF-16 unit
 * takes at most 3 bytes (a surrogate pair, 4 bytes for two units).
 */
export const byteLength = (text: string): number => text.length + 2 * (text.match(NON_ASCII)?.length ?? 0)
