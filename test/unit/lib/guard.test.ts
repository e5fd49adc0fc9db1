import { describe, expect, it, vi } from 'vitest'
import { createGuard } from '../../../src/lib/guard'

describe('createGuard', () => {
  it('reports an exception through debug and returns undefined', () => {
    const debug = vi.fn()
    const safe = createGuard(debug)(() => {
      throw new Error('boom')
    }, 'my-code')
    expect(safe()).toBeUndefined()
    expect(debug).toHaveBeenCalledWith('my-code', expect.any(Error))
  })
  it('passes arguments and the result through', () => {
    expect(createGuard(vi.fn())((a: number, b: number) => a + b)(2, 3)).toBe(5)
  })
})
