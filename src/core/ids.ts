// nanoid's URL-safe alphabet, inlined: importing nanoid for this one string made it a runtime
// dependency of every install.
const URL_ALPHABET = 'useandom-26T198340PX75pxJACKVERYMINDBUSHWOLF_GQZbfghjklqvwyzrict'
const ID_LENGTH = 21
// Random bytes drawn for this many ids at once: one getRandomValues call per 64 events instead
// of one per event, which matters in bursts (nanoid's Node build pools the same way).
const POOL_IDS = 64
let pool = new Uint8Array(0)
let offset = 0

/** One place to change the id scheme: 21-character URL-safe nanoid for events, pages, sessions. */
export const createId = (): string => {
  if (offset + ID_LENGTH > pool.length) {
    pool = crypto.getRandomValues(new Uint8Array(ID_LENGTH * POOL_IDS))
    offset = 0
  }
  let id = ''
  // 64 symbols: the low 6 bits of a random byte pick one uniformly.
  for (let i = offset; i < offset + ID_LENGTH; i++) id += URL_ALPHABET[pool[i] & 63]
  offset += ID_LENGTH
  return id
}
