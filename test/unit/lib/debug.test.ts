import { describe, expect, it, vi } from 'vitest'
import { createDebug } from '../../../src/lib/debug'

describe('createDebug', () => {
  it('is silent unless enabled', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    createDebug(false)('x')
    expect(warn).not.toHaveBeenCalled()
    createDebug(true)('invalid-thing', 7)
    expect(warn).toHaveBeenCalledWith('[frictionlog] invalid-thing', 7)
  })
})
