import { fnv1a } from './fnv1a'

/** Groups errors: a short FNV-1a hash (32-bit, base 36) of the text that identifies one. */
export const fingerprint = (text: string): string => fnv1a(text).toString(36)
