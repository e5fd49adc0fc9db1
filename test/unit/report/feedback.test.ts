// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { buildReport, renderReportHtml, renderReportText } from '../../../src/report/index'
import { scrubAnswer } from '../../../src/report/scrubAnswer'
import { makeEvent } from '../support/events'

const answer = (question: string, value: string | number, ts: number) =>
  makeEvent({ type: 'feedback', question, answer: value, ts })

const EVENTS = [
  ...[5, 4, 5, 3, 5, 1].map((score, i) => answer('How likely are you to recommend us?', score, 1_000 + i)),
  answer('What almost stopped you?', 'price', 2_001),
  answer('What almost stopped you?', 'Price ', 2_002),
  answer('What almost stopped you?', 'trust', 2_003),
  answer('What almost stopped you?', 'mail me: jane.doe@example.com or +1 415 555 0100', 2_004),
  answer('What almost stopped you?', 'card 4242 4242 4242 4242 was refused', 2_005),
  answer('What almost stopped you?', 'price', 2_006),
  answer('What almost stopped you?', 'nothing', 2_007),
]

describe('scrubAnswer', () => {
  it.each([
    ['write to jane.doe+cro@example.co.uk please', 'write to [redacted] please'],
    ['card 4242 4242 4242 4242', 'card [redacted]'],
    ['call +1 (415) 555-0100', 'call [redacted]'],
    ['call 415-555-0100 now', 'call [redacted] now'],
    ['token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlX2hlcmU', 'token [redacted]'],
    ['key 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', 'key [redacted]'],
    ['3 seats for 2 years', '3 seats for 2 years'],
    ['price unclear', 'price unclear'],
  ])('%s', (input, expected) => {
    expect(scrubAnswer(input)).toBe(expected)
  })

  it('runs in linear time on pathological input (bounded length first)', () => {
    expect(scrubAnswer(`${'a'.repeat(100_000)}@`).length).toBeLessThanOrEqual(300)
    expect(scrubAnswer('1 '.repeat(50_000))).toBe('[redacted] ')
  })
})

describe('the feedback section', async () => {
  const report = await buildReport(EVENTS)

  it('counts numbers as a distribution in ascending order, with mean and median', () => {
    const nps = report.feedback.find((q) => q.question.startsWith('How likely'))!
    expect(nps).toMatchObject({ answers: 6, kind: 'number', otherAnswers: 0, latest: [] })
    expect(nps.counts).toEqual([
      { answer: 1, count: 1 },
      { answer: 3, count: 1 },
      { answer: 4, count: 1 },
      { answer: 5, count: 3 },
    ])
    expect(nps.numbers!.mean).toBeCloseTo(23 / 6)
    expect(nps.numbers!.median).toBe(4.5)
  })

  it('counts text answers case- and space-insensitively, most frequent first, and keeps the latest, scrubbed', () => {
    const why = report.feedback.find((q) => q.question === 'What almost stopped you?')!
    expect(why.kind).toBe('text')
    expect(why.counts[0]).toEqual({ answer: 'price', count: 3 })
    expect(why.latest.map((l) => l.answer)).toEqual([
      'nothing',
      'price',
      'card [redacted] was refused',
      'mail me: [redacted] or [redacted]',
      'trust',
    ])
    expect(JSON.stringify(report.feedback)).not.toMatch(/jane|4242|555/)
  })

  it('is printed by the text and the HTML report', () => {
    const text = renderReportText(report)
    expect(text).toMatch(/Feedback\n─+\n"What almost stopped you\?": 7 answers/)
    expect(text).toMatch(/"How likely are you to recommend us\?": 6 answers, mean 3.83, median 4.5/)
    expect(text).toMatch(/ {2}5 +3 +50\.0 % +█{20}/)
    expect(text).toContain('latest:')
    const html = renderReportHtml(report)
    expect(html).toContain('<h2>Feedback</h2>')
    expect(html).toContain('What almost stopped you?')
    expect(html).toContain('card [redacted] was refused')
  })
})
