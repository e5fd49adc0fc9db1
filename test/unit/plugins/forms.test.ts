import { afterEach, describe, expect, it, vi } from 'vitest'
import { eventSchema } from '../../../src/schema'
import { forms } from '../../../src/plugins/forms'
import { fieldName } from '../../../src/lib/fieldName'
import { setVisibility, startTracker } from '../core/helpers'

const SECRET = 'hunter2-s3cr3t'

const html = (markup: string) => {
  document.body.innerHTML = markup
}
const el = <T extends Element = HTMLInputElement>(selector: string) => document.querySelector(selector) as unknown as T
const fire = (target: Element, type: string, init: EventInit = { bubbles: true }) =>
  target.dispatchEvent(new Event(type, init))
/** Focus then type: the value is set as a browser would, so it is on the element when we run. */
const type = (selector: string, text = SECRET) => {
  const field = el(selector)
  fire(field, 'focusin')
  field.value = text
  field.dispatchEvent(new InputEvent('input', { bubbles: true, data: text }))
}
const flushed = async (start: ReturnType<typeof startTracker>) => {
  await start.tracker.flush()
  return start.events().filter((e) => e.type.startsWith('form_') || e.type === 'field_error') as any[]
}

const SIGNUP = `
  <form id="signup">
    <label for="mail">Work email</label><input id="mail" type="email" required>
    <label>Full name <input class="n"></label>
    <input name="password" type="password" minlength="12">
    <input autocomplete="cc-number" aria-label="Visa ending 4242">
    <input type="hidden" name="csrf" value="tok">
    <button type="submit">Join</button>
  </form>`

afterEach(() => html(''))

describe('fieldName', () => {
  it.each([
    ['<input name="email" id="e">', 'email'],
    ['<input id="e">', 'e'],
    ['<label for="x">  Your\n email </label><input id="x" data-t>', 'x'],
    ['<label>Country <select data-t><option>France</option></select></label>', 'Country'],
    ['<label for="z">Age</label><input data-t aria-label="Years">', 'Years'],
    ['<input data-t aria-label="Phone">', 'Phone'],
    ['<input data-t type="tel">', 'input'],
    ['<div class="row"><input data-t type="tel" data-testid="phone"></div>', '[data-testid="phone"]'],
    ['<textarea data-t></textarea>', 'textarea'],
    // Sensitive fields: attributes only, their label may hold personal data.
    ['<label>Password for jane@example.com <input data-t type="password"></label>', 'password'],
    ['<input data-t autocomplete="billing cc-number" aria-label="Visa ending 4242">', 'cc-number'],
    ['<input data-t type="password" name="pw">', 'pw'],
  ])('names %s as %s', (markup, expected) => {
    html(markup)
    expect(fieldName(el('[data-t], input[name], input[id]'))).toBe(expected)
  })

  it('trims a long label to 100 characters', () => {
    html(`<label>${'a'.repeat(300)}<input data-t></label>`)
    expect(fieldName(el('[data-t]'))).toHaveLength(100)
  })
})

describe('forms', () => {
  it('adds each touched field’s hesitation to form_submit: focus, returns, corrections, never values', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    html(SIGNUP)
    const start = startTracker({ plugins: [forms()] })
    const mail = el('#mail')
    fire(mail, 'focusin')
    mail.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: SECRET }))
    vi.advanceTimersByTime(2000)
    // Three Backspaces in a row, typing, a cut: two corrections.
    for (let i = 0; i < 3; i++)
      mail.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'deleteContentBackward' }))
    mail.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: 'x' }))
    mail.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'deleteByCut' }))
    fire(mail, 'focusout')
    type('.n')
    vi.advanceTimersByTime(500)
    fire(el('.n'), 'focusout')
    fire(mail, 'focusin') // back to the email field
    vi.advanceTimersByTime(1000)
    fire(el('form'), 'submit')
    const events = await flushed(start)
    expect(events.map((e) => e.type)).toEqual(['form_start', 'form_submit'])
    expect(events[0]).not.toHaveProperty('hesitation')
    expect(events[1].hesitation).toEqual([
      { field: 'mail', focusMs: 3000, returns: 1, corrections: 2 },
      { field: 'Full name', focusMs: 500, returns: 0, corrections: 0 },
    ])
    expect(JSON.stringify(events)).not.toContain(SECRET)
    for (const event of events) expect(eventSchema.safeParse(event).success).toBe(true)
  })

  it('adds the hesitation to form_abandon, counting a focus still running when the page is hidden', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    html(SIGNUP)
    const start = startTracker({ plugins: [forms()] })
    type('#mail')
    vi.advanceTimersByTime(7000)
    setVisibility('hidden')
    const abandon = (await flushed(start)).find((e) => e.type === 'form_abandon')
    expect(abandon).toMatchObject({
      lastField: 'mail',
      hesitation: [{ field: 'mail', focusMs: 7000, returns: 0, corrections: 0 }],
    })
    expect(eventSchema.safeParse(abandon).success).toBe(true)
  })

  it('sends form_start at the first interaction, then form_submit with the touched fields', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    html(SIGNUP)
    const start = startTracker({ plugins: [forms()] })
    type('#mail')
    type('.n')
    type('#mail')
    vi.advanceTimersByTime(4200)
    fire(el('form'), 'submit')
    const events = await flushed(start)
    expect(events.map((e) => e.type)).toEqual(['form_start', 'form_submit'])
    expect(events[0]).toMatchObject({ form: 'signup', fields: ['mail'], lastField: 'mail', durationMs: 0 })
    expect(events[1]).toMatchObject({
      form: 'signup',
      fields: ['mail', 'Full name'],
      lastField: 'mail',
      durationMs: 4200,
    })
    for (const event of events) expect(eventSchema.safeParse(event).success).toBe(true)
  })

  it('reports form_start as 0 ms long even when the clock ticks while it is built', async () => {
    // CI once saw durationMs 1 on a form_start: the clock was read twice, across a tick.
    let clock = 1_000
    const now = vi.spyOn(Date, 'now').mockImplementation(() => clock++)
    html(SIGNUP)
    const start = startTracker({ plugins: [forms()] })
    type('#mail')
    now.mockRestore()
    const [formStart] = await flushed(start)
    expect(formStart).toMatchObject({ type: 'form_start', durationMs: 0 })
  })

  it('sends form_abandon once when the page is hidden with a started form', async () => {
    html(SIGNUP)
    const start = startTracker({ plugins: [forms()] })
    type('#mail')
    type('input[type=password]')
    setVisibility('hidden')
    setVisibility('visible')
    setVisibility('hidden')
    window.dispatchEvent(new Event('pagehide'))
    const abandons = (await flushed(start)).filter((e) => e.type === 'form_abandon')
    expect(abandons).toEqual([
      expect.objectContaining({ form: 'signup', fields: ['mail', 'password'], lastField: 'password' }),
    ])
    expect(start.sent.find((s) => s.unloading)?.batch.events.some((e) => e.type === 'form_abandon')).toBe(true)
  })

  it('still reports a submit after an abandon, and no abandon after a submit', async () => {
    html(SIGNUP)
    const start = startTracker({ plugins: [forms()] })
    type('#mail')
    setVisibility('hidden')
    setVisibility('visible')
    fire(el('form'), 'submit')
    setVisibility('hidden')
    expect((await flushed(start)).map((e) => e.type)).toEqual(['form_start', 'form_abandon', 'form_submit'])
  })

  it('sends form_abandon on a route change and starts the form afresh on the new page', async () => {
    html(SIGNUP)
    const start = startTracker({ plugins: [forms()] })
    type('#mail')
    history.pushState(null, '', '/next')
    type('#mail')
    expect((await flushed(start)).map((e) => e.type)).toEqual(['form_start', 'form_abandon', 'form_start'])
  })

  it('never sends a value: not of text, password, card or hidden fields', async () => {
    html(SIGNUP)
    const start = startTracker({ plugins: [forms()] })
    // Who reads `.value`: the frame calling the getter, from a stack taken inside it.
    const readers: string[] = []
    for (const Field of [HTMLInputElement, HTMLTextAreaElement, HTMLSelectElement]) {
      const { get } = Object.getOwnPropertyDescriptor(Field.prototype, 'value')!
      vi.spyOn(Field.prototype, 'value', 'get').mockImplementation(function (this: HTMLInputElement) {
        readers.push(new Error().stack!.split('\n')[3] ?? '')
        return get!.call(this)
      })
    }
    type('#mail', SECRET + '@example.com')
    type('.n', SECRET)
    type('input[type=password]', SECRET)
    type('[autocomplete]', '4242424242424242')
    fire(el('[type=hidden]'), 'input')
    el<HTMLInputElement>('#mail').setCustomValidity('taken')
    fire(el('#mail'), 'invalid', { bubbles: false })
    el('.n').setAttribute('aria-invalid', 'true')
    await Promise.resolve()
    setVisibility('hidden')
    fire(el('form'), 'submit')
    await start.tracker.flush()
    // Reads by the DOM's own code (its value setter, ValidityState) are the browser's; none is ours.
    expect(readers.filter((caller) => caller.includes('/src/'))).toEqual([])
    const wire = JSON.stringify(start.sent)
    expect(start.events('form_abandon')[0]).toMatchObject({ fields: ['mail', 'Full name', 'password', 'cc-number'] })
    expect(wire).not.toContain(SECRET)
    expect(wire).not.toContain('4242')
    expect(wire).not.toContain('tok')
  })

  it('sends field_error with the first failing ValidityState flag on invalid', async () => {
    html(SIGNUP)
    const start = startTracker({ plugins: [forms()] })
    const mail = el('#mail')
    mail.value = 'not-an-email'
    vi.spyOn(mail, 'validity', 'get').mockReturnValue({
      valueMissing: false,
      typeMismatch: true,
      customError: true,
      valid: false,
    } as any)
    // `invalid` does not bubble: the plugin listens in the capture phase.
    fire(mail, 'invalid', { bubbles: false })
    const [error] = await flushed(start)
    expect(error).toMatchObject({ type: 'field_error', form: 'signup', field: 'mail', reason: 'typeMismatch' })
    expect(eventSchema.safeParse(error).success).toBe(true)
  })

  it('sends field_error ariaInvalid when aria-invalid becomes true, once per change', async () => {
    html(
      `<div data-fl-form="checkout"><input name="zip" aria-invalid="false"><span id="s" ` +
        `aria-invalid="true"></span></div>`,
    )
    const start = startTracker({ plugins: [forms()] })
    const zip = el('[name=zip]')
    zip.setAttribute('aria-invalid', 'true')
    await new Promise((resolve) => setTimeout(resolve))
    zip.setAttribute('aria-invalid', 'true')
    zip.setAttribute('data-x', 'true')
    await new Promise((resolve) => setTimeout(resolve))
    const errors = await flushed(start)
    expect(errors).toEqual([
      expect.objectContaining({ type: 'field_error', form: 'checkout', field: 'zip', reason: 'ariaInvalid' }),
    ])
  })

  it('treats a data-fl-form container as a form and a click on its submit button as a submit', async () => {
    html(
      `<div data-fl-form="newsletter"><input name="email"><div type="submit" id="go"><span>Go</span></div>` +
        `<button id="toggle">Show</button></div>
      <form id="real"><input name="q"><button type="submit" id="search">Search</button></form>`,
    )
    const start = startTracker({ plugins: [forms()] })
    type('[name=email]')
    el('#toggle').dispatchEvent(new MouseEvent('click', { bubbles: true }))
    el('#go span').dispatchEvent(new MouseEvent('click', { bubbles: true }))
    // A real <form> reports once, through the submit event its button's click triggers.
    el('#search').dispatchEvent(new MouseEvent('click', { bubbles: true }))
    const events = await flushed(start)
    expect(events.map((e) => [e.type, e.form])).toEqual([
      ['form_start', 'newsletter'],
      ['form_submit', 'newsletter'],
      ['form_submit', 'real'],
    ])
  })

  it('names forms by data-fl-form, id, name, then selector, never shadowed by controls', async () => {
    html(`<form name="login"><input name="id"></form><form class="a b c"><input name="q"></form>`)
    const start = startTracker({ plugins: [forms()] })
    type('[name=id]')
    type('[name=q]')
    expect((await flushed(start)).map((e) => e.form)).toEqual(['login', 'form.a.b'])
  })

  it('ignores fields outside forms and buttons inside them', async () => {
    html(`<input id="free"><form id="f"><button>Go</button><input type="submit"></form>`)
    const start = startTracker({ plugins: [forms()] })
    type('#free')
    fire(el('button'), 'focusin')
    fire(el('[type=submit]'), 'focusin')
    expect(await flushed(start)).toEqual([])
  })

  it('honours a custom selector', async () => {
    html(`<form id="a"><input name="x"></form><section class="wizard"><input name="y"></section>`)
    const start = startTracker({ plugins: [forms({ selector: '.wizard' })] })
    type('[name=x]')
    type('[name=y]')
    expect((await flushed(start)).map((e) => e.form)).toEqual(['section.wizard'])
  })

  it('removes its listeners and observer on shutdown', async () => {
    html(SIGNUP)
    const add = vi.spyOn(window, 'addEventListener')
    const start = startTracker({ plugins: [forms()] })
    const mine = add.mock.calls.filter(([, , options]) => (options as AddEventListenerOptions)?.signal)
    expect(mine.length).toBeGreaterThanOrEqual(5)
    for (const [, , options] of mine) expect((options as AddEventListenerOptions).passive).toBe(true)
    start.tracker.shutdown()
    for (const [, , options] of mine) expect((options as AddEventListenerOptions).signal?.aborted).toBe(true)
    const before = start.sent.length
    type('#mail')
    el('#mail').setAttribute('aria-invalid', 'true')
    await new Promise((resolve) => setTimeout(resolve))
    fire(el('form'), 'submit')
    setVisibility('hidden')
    expect(start.sent.length).toBe(before)
  })

  it('works without MutationObserver', async () => {
    vi.stubGlobal('MutationObserver', undefined)
    html(SIGNUP)
    const start = startTracker({ plugins: [forms()] })
    type('#mail')
    expect((await flushed(start)).map((e) => e.type)).toEqual(['form_start'])
    vi.unstubAllGlobals()
  })
})
