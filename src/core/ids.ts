import { nanoid } from 'nanoid'

/** One place to change the id scheme: 21-character URL-safe nanoid for events, pages, sessions. */
export const createId = (): string => nanoid()
