import type { FrictionEvent } from '../schema'
import type { Admission } from './pipeline'
import type { Consent } from './types'

// While consent is pending, events wait in memory, at most this many (oldest dropped, counted).
const MAX_HELD_EVENTS = 1000

/** What consent changes outside the gate: storage, queue, outbox and session. */
export interface ConsentEffects {
  /** Processes (or, when denied, forgets) what the pipeline still holds under the old state. */
  settle(state: Consent): void
  /** Storage follows consent; returns whether values now reach localStorage. */
  persist(state: Consent): boolean
  /** Denied: forget the queue, the outbox and the session. */
  purge(): void
  /** Granted with persistent storage: the outbox backlog goes back to the queue. */
  restoreOutbox(): void
  deliver(event: FrictionEvent, bytes: number): void
  drop(reason: string): void
}

/** Consent state, the events held while it is 'pending', and what a change of state does. */
export interface ConsentGate {
  state(): Consent
  /** What happens to an event emitted now (sampling aside). */
  admission(): Admission
  /** Keeps a complete event until consent is decided. */
  hold(event: FrictionEvent, bytes: number): void
  /** Applies a state: 'granted' releases held events unchanged, 'denied' purges them and everything stored. */
  apply(state: Consent): void
}

export const createConsentGate = (initial: Consent, effects: ConsentEffects): ConsentGate => {
  let consent = initial
  let held: Array<[FrictionEvent, number]> = []
  return {
    state: () => consent,
    admission: () => (consent === 'denied' ? 'drop' : consent === 'pending' ? 'hold' : 'send'),
    hold(event, bytes) {
      held.push([event, bytes])
      if (held.length > MAX_HELD_EVENTS) {
        held.shift()
        effects.drop('consent-pending-full')
      }
    },
    apply(state) {
      // Events emitted before the change are processed under the consent they were emitted with.
      effects.settle(state)
      consent = state
      const isPersistent = effects.persist(state)
      if (state === 'denied') {
        held = []
        effects.purge()
      } else if (state === 'granted') {
        if (isPersistent) effects.restoreOutbox()
        // Held events were complete when emitted: they go out unchanged, ids and times included.
        held.splice(0).forEach(([event, bytes]) => effects.deliver(event, bytes))
      }
    },
  }
}
