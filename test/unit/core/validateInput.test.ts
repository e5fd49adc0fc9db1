import { describe, expect, it, vi } from 'vitest'
import { createInputValidator, isPlainObject } from '../../../src/core/validateInput'
import { MAX_NAME_LENGTH } from '../../../src/schema/events/limits'

describe('createInputValidator', () => {
  it.each([
    ['a name', 'signup', undefined, true],
    ['the longest name', 'n'.repeat(MAX_NAME_LENGTH), undefined, true],
    ['one character too long', 'n'.repeat(MAX_NAME_LENGTH + 1), undefined, false],
    ['an empty string', '', undefined, false],
    ['a number', 42, undefined, false],
    ['undefined', undefined, undefined, false],
    ['within a custom maximum', 'abc', 3, true],
    ['over a custom maximum', 'abcd', 3, false],
  ])('name: %s → %s', (_label, value, maxLength, expected) => {
    const countInvalid = vi.fn()
    const debug = vi.fn()
    expect(createInputValidator(countInvalid, debug).name(value, 'invalid-name', maxLength)).toBe(expected)
    expect(countInvalid).toHaveBeenCalledTimes(expected ? 0 : 1)
    expect(debug.mock.calls).toEqual(expected ? [] : [['invalid-name', value]])
  })

  it.each([
    ['undefined', undefined, true],
    ['an object', { plan: 'pro' }, true],
    ['null', null, false],
    ['an array', [1], false],
    ['a string', 'x', false],
  ])('props: %s → %s', (_label, value, expected) => {
    expect(
      createInputValidator(
        () => {},
        () => {},
      ).props(value, 'invalid-props'),
    ).toBe(expected)
  })

  it.each([
    [{}, true],
    [Object.create(null), true],
    [null, false],
    [[], false],
    [1, false],
  ])('isPlainObject(%j) → %s', (value, expected) => {
    expect(isPlainObject(value)).toBe(expected)
  })
})
