import { describe, expect, it } from 'vitest'
import { createFieldHesitationLog, type FieldHesitationLog } from '../../../src/lib/fieldHesitation'

type Step = [op: 'focus' | 'blur', field: string, at: number] | [op: 'input', field: string, isDeletion: boolean]
const run = (steps: Step[], fields: string[], at: number) => {
  const log: FieldHesitationLog = createFieldHesitationLog()
  for (const [op, field, arg] of steps) {
    if (op === 'input') log.input(field, arg as boolean)
    else log[op](field, arg as number)
  }
  return log.report(fields, at)
}

describe('createFieldHesitationLog', () => {
  it.each<[string, Step[], string[], number, Array<[number, number, number]>]>([
    // [what, steps, fields reported, report time, expected [focusMs, returns, corrections] per field]
    [
      'one focus, typed, left',
      [
        ['focus', 'a', 0],
        ['input', 'a', false],
        ['blur', 'a', 1200],
      ],
      ['a'],
      5000,
      [[1200, 0, 0]],
    ],
    ['a focus still running counts up to the report', [['focus', 'a', 1000]], ['a'], 4000, [[3000, 0, 0]]],
    [
      'coming back to a field is a return, times add up',
      [
        ['focus', 'a', 0],
        ['blur', 'a', 1000],
        ['focus', 'b', 1000],
        ['blur', 'b', 1500],
        ['focus', 'a', 1500],
        ['blur', 'a', 2500],
      ],
      ['a', 'b'],
      9000,
      [
        [2000, 1, 0],
        [500, 0, 0],
      ],
    ],
    [
      'a run of deletions is one correction',
      [
        ['focus', 'a', 0],
        ['input', 'a', false],
        ['input', 'a', true],
        ['input', 'a', true],
        ['input', 'a', true],
        ['input', 'a', false],
      ],
      ['a'],
      100,
      [[100, 0, 1]],
    ],
    [
      'deletions separated by typing are separate corrections',
      [
        ['input', 'a', true],
        ['input', 'a', false],
        ['input', 'a', true],
      ],
      ['a'],
      0,
      [[0, 0, 2]],
    ],
    // A focus event repeated without a blur (a framework re-focusing) is not a return.
    [
      'a second focus without a blur is ignored',
      [
        ['focus', 'a', 0],
        ['focus', 'a', 500],
        ['blur', 'a', 1000],
      ],
      ['a'],
      2000,
      [[1000, 0, 0]],
    ],
    ['a blur without a focus adds nothing', [['blur', 'a', 1000]], ['a'], 2000, [[0, 0, 0]]],
    ['a field edited without focus (autofill) has no focus time', [['input', 'a', false]], ['a'], 500, [[0, 0, 0]]],
    [
      'fields never seen report zeros, in the given order',
      [['focus', 'b', 0]],
      ['a', 'b'],
      10,
      [
        [0, 0, 0],
        [10, 0, 0],
      ],
    ],
    [
      'a clock going back never makes negative time',
      [
        ['focus', 'a', 1000],
        ['blur', 'a', 400],
      ],
      ['a'],
      0,
      [[0, 0, 0]],
    ],
  ])('%s', (_what, steps, fields, at, expected) => {
    expect(run(steps, fields, at)).toEqual(
      fields.map((field, i) => ({
        field,
        focusMs: expected[i][0],
        returns: expected[i][1],
        corrections: expected[i][2],
      })),
    )
  })

  it('follows at most 100 fields, however many a page generates', () => {
    const log = createFieldHesitationLog()
    for (let i = 0; i < 150; i++) log.focus('f' + i, 0)
    const report = log.report(['f0', 'f99', 'f120'], 10)
    expect(report.map((entry) => entry.focusMs)).toEqual([10, 10, 0])
  })
})
