import { afterEach, describe, expect, it } from 'vitest'
import { fieldName, MAX_FIELD_NAME_LENGTH } from '../../../src/lib/fieldName'
import { MAX_NAME_LENGTH } from '../../../src/schema'

const html = (markup: string) => (document.body.innerHTML = markup)
afterEach(() => html(''))

describe('fieldName (personal data in labels)', () => {
  it.each([
    // labels that held personal data are not used: the selector names the field instead
    ['<label>Send receipt to jane.doe@example.com <input data-t></label>', 'label>input'],
    ['<label>Card ending 4242 for Jane Doe <input data-t></label>', 'label>input'],
    ['<input data-t aria-label="Text 483920 to +1 415 555 0100">', 'input'],
    ['<label>Receipt to jane@example.com <input data-t aria-label="Receipt email"></label>', 'Receipt email'],
    // attributes are scrubbed too
    ['<input data-t name="jane.doe@example.com">', '[redacted]'],
    ['<input data-t id="4242424242424242">', '[redacted]'],
    // ordinary labels are kept
    ['<label>Email address <input data-t></label>', 'Email address'],
    ['<label>Street, line 2 <input data-t></label>', 'Street, line 2'],
  ])('names %s as %s', (markup, expected) => {
    html(markup)
    expect(fieldName(document.querySelector('[data-t]')!)).toBe(expected)
  })

  it('uses the schema limit for names', () => {
    expect(MAX_FIELD_NAME_LENGTH).toBe(MAX_NAME_LENGTH)
  })
})
