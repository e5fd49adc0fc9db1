import { describe, expect, test } from 'vitest'
import type { FrictionEvent } from '../../dist/schema/index.js'
import { hidePage, MODES } from './support/page'
import { newRun, useSuite } from './support/suite'

// Issue "Performance, forms, attention and funnels": forms() in real Chromium against the real
// collector, script tag and ESM: friction events with field names, never what was typed.
const suite = useSuite()
const EMAIL_TYPO = 'zebulon.quixote-at-example.org'
const EMAIL = 'zebulon.quixote@example.org'
const NAME = 'Zebulon Quixote'
const PASSWORD = 'Tr0ub4dor&3-horse'

const formEventsOf = (events: FrictionEvent[], run: string) =>
  events.filter((event) => /^(form_|field_error)/.test(event.type) && event.url.includes(run)) as any[]

for (const mode of MODES) {
  describe(`forms (${mode})`, () => {
    test('a started form with a validation error, left: form_start, field_error, form_abandon, no value', async () => {
      const run = newRun('form-abandon-' + mode)
      const page = await suite.open(mode, run, {}, 'forms')
      await page.fill('#email', EMAIL_TYPO)
      await page.fill('[name=fullName]', NAME)
      // The browser refuses the submit (typeMismatch) and focuses the email field again.
      await page.click('#join')
      await page.waitForTimeout(100)
      await hidePage(page)
      await suite.collector.waitForEvents(
        (events) => formEventsOf(events, run).some((event) => event.type === 'form_abandon'),
        10_000,
      )
      const events = formEventsOf(await suite.collector.readEvents(), run)
      expect(events.map((event) => event.type)).toEqual(['form_start', 'field_error', 'form_abandon'])
      expect(events[0]).toMatchObject({ form: 'signup', fields: ['email'], lastField: 'email', durationMs: 0 })
      expect(events[1]).toMatchObject({ form: 'signup', field: 'email', reason: 'typeMismatch' })
      expect(events[2]).toMatchObject({
        form: 'signup',
        fields: ['email', 'fullName'],
        lastField: 'email',
        durationMs: expect.any(Number),
      })
      expect(events[2].durationMs).toBeGreaterThan(0)
      // Every stored payload of every test so far: none holds what was typed.
      const stored = JSON.stringify(await suite.collector.readEvents())
      for (const typed of [EMAIL_TYPO, 'zebulon', NAME, 'Quixote']) expect(stored).not.toContain(typed)
    })

    test('a completed form: form_submit with the fields, no abandon at exit, no value stored', async () => {
      const run = newRun('form-submit-' + mode)
      const page = await suite.open(mode, run, {}, 'forms')
      await page.fill('#email', EMAIL)
      await page.fill('[name=fullName]', NAME)
      await page.fill('[name=password]', PASSWORD)
      await page.click('#join')
      await page.waitForSelector('#done:not([hidden])')
      await page.evaluate((run) => window.fl.track('after_submit', { run }), run)
      await hidePage(page)
      await suite.collector.waitForEvents(
        (events) => events.some((event) => event.type === 'track' && event.url.includes(run)),
        10_000,
      )
      const events = formEventsOf(await suite.collector.readEvents(), run)
      expect(events.map((event) => event.type)).toEqual(['form_start', 'form_submit'])
      expect(events[1]).toMatchObject({
        form: 'signup',
        fields: ['email', 'fullName', 'password'],
        lastField: 'password',
      })
      const stored = JSON.stringify(await suite.collector.readEvents())
      for (const typed of [EMAIL, NAME, PASSWORD, 'Tr0ub4dor']) expect(stored).not.toContain(typed)
    })
  })
}
