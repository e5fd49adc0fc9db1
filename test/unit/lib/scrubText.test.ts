import { describe, expect, it } from 'vitest'
import { isSecretKey, REDACTED as R, scrubText } from '../../../src/lib/scrubText'

describe('scrubText', () => {
  it.each([
    // emails, whatever surrounds them
    ['Account – jane.doe@example.com – Shop', `Account – ${R} – Shop`],
    ['Copy code 483920 to jane.doe@example.co.uk', `Copy code ${R} to ${R}`],
    ['mailto:jane+tag@example.com', `mailto:${R}`],
    ['<jane@example.com>, (bob@example.org)', `<${R}>, (${R})`],
    ['Send to jane%2Edoe%40example%2Ecom', `Send to ${R}`],
    // card numbers: spaced, dashed or not, next to an expiry or an order number; Luhn-checked
    ['Card 4242 4242 4242 4242 exp 12/26', `Card ${R} exp 12/26`],
    ['4111-1111-1111-1111', R],
    ['pay 4242424242424242 now', `pay ${R} now`],
    ['Order 12 4242 4242 4242 4242', `Order 12 ${R}`],
    ['Amex 3782 822463 10005', `Amex ${R}`],
    // not cards: failing Luhn, too short, part of a longer number
    ['Order 4242 4242 4242 4241', 'Order 4242 4242 4242 4241'],
    ['Call +1 415-555-0100', 'Call +1 415-555-0100'],
    ['id 42424242424242424242424242424242', 'id 42424242424242424242424242424242'],
    // secret-looking query values inside messages
    [
      'Failed to fetch https://api.example/x?token=s3cr3t&page=2',
      `Failed to fetch https://api.example/x?token=${R}&page=2`,
    ],
    ['GET /cb#access_token=abc&state=1 401', `GET /cb#access_token=${R}&state=1 401`],
    // serialized objects and log lines
    [
      '{"user":"u1","password":"hunter2","card":"4000 0566 5566 5556"}',
      `{"user":"u1","password":"${R}","card":"${R}"}`,
    ],
    ["{'apiKey': 'k-123', 'n': 1}", `{'apiKey': '${R}', 'n': 1}`],
    ['password: hunter2, user: bob', `password: ${R}, user: bob`],
    ['Authorization: Bearer abc.def', `Authorization: ${R} ${R}`],
    // error and status codes are not one-time codes
    ['{"code":42,"statusCode":500}', '{"code":42,"statusCode":500}'],
    ['{"code":"483920"}', `{"code":"${R}"}`],
    ['PIN 1234 accepted', `PIN ${R} accepted`],
    // tokens
    ['session eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl expired', `session ${R} expired`],
    ['key 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b', `key ${R}`],
    ['t=Zm9vYmFyYmF6cXV4UXVVeDEyMzQ1Njc4OTBhYmNkZWY', `t=${R}`],
    // texts with no digit: every kind is still found (a guard for any precheck that skips
    // patterns by the characters they need, as was tried for speed in issue #13)
    ['Sent with Bearer abcdefghijk to the api', `Sent with Bearer ${R} to the api`],
    ['Header was eyJhbGciOiJxyzabc.eyJzdWIiOiJhYmMifQ.sig ok', `Header was ${R} ok`],
    ['Write to jane.doe@example.com today', `Write to ${R} today`],
    ['Write to jane.doe%40example.com today', `Write to ${R} today`],
    ['the login failed with password: hunter', `the login failed with password: ${R}`],
    ['the redirect carried secret=abcdef along', `the redirect carried secret=${R} along`],
    // ordinary text is kept as it is
    ['Buy now – 20% off until 12:30', 'Buy now – 20% off until 12:30'],
    ["Cannot read properties of undefined (reading 'x')", "Cannot read properties of undefined (reading 'x')"],
    ['logo@2x.png failed', 'logo@2x.png failed'],
    ['react@18.2.0 loaded', 'react@18.2.0 loaded'],
    ['supercalifragilisticexpialidociousAndMore', 'supercalifragilisticexpialidociousAndMore'],
    ['Enter the code below', 'Enter the code below'],
    ['', ''],
  ])('scrubs %j', (input, expected) => {
    expect(scrubText(input)).toBe(expected)
  })

  it.each([
    ['token', true],
    ['access_token', true],
    ['X-Amz-Signature', true],
    ['mysql_pwd', true],
    ['credentials', true],
    ['bearer', true],
    ['jwt', true],
    ['otp', true],
    ['sid', true],
    ['connect.sid', true],
    ['userSid', true],
    ['pin', true],
    ['ssn', true],
    ['jsessionid', true],
    ['card[number]', true],
    ['cardNumber', true],
    ['cc_exp', true],
    ['PHPSESSID', true],
    ['email', true],
    ['sidebar', false],
    ['shipping', false],
    ['footprint', false],
    ['classname', false],
    ['page', false],
    ['utm_source', false],
    ['assessment', false],
  ])('isSecretKey(%j) is %s', (key, expected) => {
    expect(isSecretKey(key)).toBe(expected)
  })

  // Pathological inputs (times are measured by bench/redos.mjs, not here): the output is right.
  it.each([
    ['%40 x 60,000', '%40'.repeat(60_000)],
    ['@ x 60,000', '@'.repeat(60_000)],
    ["' (' x 40,000", ' ('.repeat(40_000)],
    ['a x 100,000 then @', 'a'.repeat(100_000) + '@'],
    ['key= x 20,000', 'token='.repeat(20_000)],
    ['digits x 100,000', '4'.repeat(100_000)],
    ['eyJ x 30,000', 'eyJ'.repeat(30_000)],
    ['"a":" x 20,000', '"a":"'.repeat(20_000)],
  ])('bounds %s', (_name, input) => {
    expect(scrubText(input).length).toBeLessThanOrEqual(8192)
  })

  it('finds an address after a long run without one', () => {
    expect(scrubText('x'.repeat(3000) + ' jane@example.com')).not.toContain('jane')
  })
})
