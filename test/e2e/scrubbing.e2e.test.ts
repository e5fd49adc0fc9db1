import { describe, expect, test } from 'vitest'
import type { FrictionEvent } from '../../dist/schema/index.js'
import { hidePage, MODES } from './support/page'
import { newRun, useSuite } from './support/suite'

// Issue 15 "Privacy beyond typed values": personal data and secrets in the page title, click
// text, error messages, a rejected object and field labels, in real Chromium against the real
// collector (every stored event validated by the schema), as a script tag and as ESM. None of
// it may be stored; the events themselves still are.
const suite = useSuite()
const PAGE = 'scrubbing'
// What the page holds, and must never leave it.
const SECRETS = [
  'jane',
  'example.com',
  '4242 4242',
  '4242424242424242',
  '4000 0566',
  '483920',
  's3cr3tT0k3n',
  'hunter2',
  'eyJhbGci',
  'Jane Doe',
]

const ofRun = (events: FrictionEvent[], run: string) => events.filter((event) => event.url.includes(run))

for (const mode of MODES) {
  describe(`text scrubbing (${mode})`, () => {
    test('stores title, rage-click text, error messages, rejected object, field names, no personal data', async () => {
      const run = newRun('scrub-' + mode)
      const page = await suite.open(mode, run, {}, PAGE)
      for (let i = 0; i < 5; i++) await page.click('#copy', { delay: 10 })
      await page.click('#fail')
      await page.click('#reject')
      await page.click('text=Send receipt to')
      await page.keyboard.type('x')
      await page.click('text=Card ending')
      await page.keyboard.type('y')
      await page.waitForTimeout(200)
      await hidePage(page)
      const wanted = (events: FrictionEvent[]) => {
        const types = new Set(ofRun(events, run).map((event) => event.type))
        return (
          ['page', 'rage_click', 'form_abandon'].every((type) => types.has(type as FrictionEvent['type'])) &&
          ofRun(events, run).filter((event) => event.type === 'error').length >= 2
        )
      }
      await suite.collector.waitForEvents(wanted, 20_000)
      const events = ofRun(await suite.collector.readEvents(), run)

      const page0 = events.find((event) => event.type === 'page')
      expect(page0 && 'title' in page0 && page0.title).toBe('Receipt for [redacted], card [redacted], token [redacted]')
      const rage = events.find((event) => event.type === 'rage_click')
      expect(rage && 'text' in rage && rage.text).toBe('Copy code [redacted] to [redacted] (card [redacted])')
      const messages = events.flatMap((event) => (event.type === 'error' ? [event.message] : []))
      expect(messages).toEqual(
        expect.arrayContaining([
          'GET /api/me?token=[redacted]&page=2 failed for [redacted]',
          '{"user":"u1","password":"[redacted]","card":"[redacted]"}',
        ]),
      )
      const abandon = events.find((event) => event.type === 'form_abandon')
      // The labels held personal data: the fields are named by their selector instead.
      expect(abandon && 'fields' in abandon && abandon.fields).toEqual(['#receipt>label>input'])
      const stored = JSON.stringify(events)
      for (const secret of SECRETS) expect(stored, secret).not.toContain(secret)
    })
  })
}
