/** Every key the SDK writes starts with this, so a purge can find them all. */
export const STORAGE_PREFIX = 'fl:'

/** A key-value store that never throws. */
export interface Store {
  get(key: string): string | null
  /** Returns false when the value could not be written (quota, storage disabled). */
  set(key: string, value: string): boolean
  remove(key: string): void
  /** true while values reach localStorage; false in memory mode or without consent. */
  isPersistent(): boolean
  /** Moves between memory and localStorage; leaving localStorage purges every `fl:` key there. */
  setPersistent(isPersistent: boolean): void
}

const local = (): Storage | undefined => {
  try {
    return window.localStorage
  } catch {
    return undefined // Disabled storage or a sandboxed iframe throws on access.
  }
}

/**
 * One store for identifiers and the outbox. It starts in memory and writes to localStorage
 * only once allowed (storage 'local' and consent granted); memory values are copied over then,
 * so ids made while consent was pending survive the grant.
 */
export const createStore = (): Store => {
  const memory = new Map<string, string>()
  let isLocal = false
  const attempt = <T>(fn: (storage: Storage) => T, fallback: T): T => {
    try {
      const storage = local()
      return storage ? fn(storage) : fallback
    } catch {
      return fallback // QuotaExceededError, SecurityError
    }
  }
  return {
    get: (key) => (isLocal ? attempt((s) => s.getItem(key), null) : (memory.get(key) ?? null)),
    set(key, value) {
      if (!isLocal) return (memory.set(key, value), true)
      return attempt((s) => (s.setItem(key, value), true), false)
    },
    remove(key) {
      if (isLocal) attempt((s) => s.removeItem(key), undefined)
      else memory.delete(key)
    },
    isPersistent: () => isLocal,
    setPersistent(isPersistent) {
      if (isPersistent === isLocal) return
      isLocal = isPersistent
      if (isPersistent) {
        memory.forEach((value, key) => attempt((s) => s.setItem(key, value), undefined))
        memory.clear()
        return
      }
      attempt((s) => {
        for (let i = s.length - 1; i >= 0; i--) {
          const key = s.key(i)
          if (key?.startsWith(STORAGE_PREFIX)) s.removeItem(key)
        }
      }, undefined)
    },
  }
}
