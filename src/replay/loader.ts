import type { Plugin } from '../core/types'
import type { ReplayOptions } from './replay'
import { isReplaySampled } from './sample'

/** The file the main script tag loads replay from, in its own folder. */
export const REPLAY_FILE = 'frictionlog.replay.js'

type ReplayFactory = (options?: ReplayOptions) => Plugin

/**
 * A stand-in for `replay()` in the script-tag build (which must not contain rrweb): once the
 * session is sampled and consent allows replay, it loads `src` (with `nonce`, for a strict
 * CSP) and starts the real plugin on the same tracker context.
 */
export const lazyReplay = (src: string, options: ReplayOptions, nonce?: string): Plugin => ({
  name: 'replay',
  setup(ctx) {
    const win = window as unknown as { frictionlogReplay?: ReplayFactory }
    let teardown: void | (() => void)
    let isRequested = false
    const run = () => {
      if (ctx.signal.aborted || teardown) return
      if (typeof win.frictionlogReplay !== 'function') return ctx.debug('replay-load-failed', src)
      teardown = win.frictionlogReplay(options).setup(ctx)
    }
    ctx.onConsent((state, scopes) => {
      if (isRequested || state !== 'granted' || scopes.replay === false) return
      const session = ctx.session()
      // Unsampled sessions never download the recorder.
      if (!session.isSampled || !isReplaySampled(session.id, options.sampleRate ?? 1)) return
      isRequested = true
      if (win.frictionlogReplay) return run()
      const script = document.createElement('script')
      script.src = src
      script.async = true
      if (nonce) script.nonce = nonce
      script.onload = ctx.guard(run)
      script.onerror = () => ctx.debug('replay-load-failed', src)
      document.head.appendChild(script)
    })
    return () => {
      if (typeof teardown === 'function') teardown()
    }
  },
})

/**
 * `data-replay="0.1"` on the frictionlog script tag: replay for that fraction of sessions,
 * loaded from the tag's own folder; the tag's nonce (or `data-nonce`) goes to the loaded file.
 */
export const replayFromScript = (script: HTMLScriptElement | null): Plugin[] => {
  const rate = Number(script?.dataset.replay)
  if (!script?.src || !(rate > 0)) return []
  return [
    lazyReplay(
      new URL(REPLAY_FILE, script.src).href,
      { sampleRate: Math.min(1, rate) },
      script.nonce || script.dataset.nonce,
    ),
  ]
}
