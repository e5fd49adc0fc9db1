import { afterEach, describe, expect, it, vi } from 'vitest'
import { patchHistory } from '../../../src/lib/patchHistory'

describe('patchHistory', () => {
  const original = { push: history.pushState, replace: history.replaceState }
  afterEach(() => {
    history.pushState = original.push
    history.replaceState = original.replace
  })

  it('calls onChange after pushState and replaceState, with the URL already changed', () => {
    const seen: string[] = []
    const restore = patchHistory(() => seen.push(location.pathname))
    history.pushState(null, '', '/a')
    history.replaceState(null, '', '/b')
    restore()
    expect(seen).toEqual(['/a', '/b'])
  })

  it('restores the original methods', () => {
    const restore = patchHistory(() => {})
    expect(history.pushState).not.toBe(original.push)
    restore()
    expect(history.pushState).toBe(original.push)
    expect(history.replaceState).toBe(original.replace)
  })

  it('leaves a wrapper installed after its own alone', () => {
    const restore = patchHistory(() => {})
    const theirs = vi.fn(history.pushState)
    history.pushState = theirs
    restore()
    expect(history.pushState).toBe(theirs)
    expect(history.replaceState).toBe(original.replace)
  })

  it('never lets a throwing onChange break navigation', () => {
    const restore = patchHistory(() => {
      throw new Error('boom')
    })
    expect(() => history.pushState(null, '', '/c')).not.toThrow()
    expect(location.pathname).toBe('/c')
    restore()
  })
})
