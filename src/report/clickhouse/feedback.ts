// The feedback questions (feedback.ts) from ClickHouse: answers counted per question and answer
// in SQL, then scrubbed and merged here with scrubAnswer, which has no SQL equivalent: a text
// answer counts under its scrubbed, whitespace-folded, lower-cased key, as in the JavaScript report.
import { scrubAnswer } from '../scrubAnswer'
import { quantileSorted } from '../stats'
import type { FeedbackAnswerCount, FeedbackQuestionReport } from '../types'
import type { From } from './sql'

/** As feedback.ts: questions listed, distinct answers counted, answers listed, latest texts kept. */
const REPORTED_QUESTIONS = 20
const MAX_DISTINCT_ANSWERS = 200
const REPORTED_ANSWERS = 12
const LATEST_ANSWERS = 5

/** Question and answer as the JSON text of the stored event, parsed back here (exact for any string). */
const RAW =
  "visitParamExtractRaw(fields, 'question') AS rawQuestion, " + "visitParamExtractRaw(fields, 'answer') AS rawAnswer"

export function feedbackQueries(from: From) {
  return {
    /** Every distinct (question, answer) with its count, in the order of their first arrival. */
    answers: `SELECT rawQuestion, rawAnswer, count() AS n, min(seq) AS first
      FROM (SELECT seq, ${RAW} ${from("type = 'feedback'")})
      GROUP BY rawQuestion, rawAnswer ORDER BY first`,
    /** The latest text answers of each question as stored (scrubbing may merge questions: 5 each is enough). */
    latest: `SELECT rawQuestion, rawAnswer, ts FROM (SELECT ts, seq, ${RAW} ${from("type = 'feedback'")})
      WHERE startsWith(rawAnswer, '"') ORDER BY ts DESC, seq DESC LIMIT ${LATEST_ANSWERS} BY rawQuestion`,
  }
}

export interface AnswerRow {
  rawQuestion: string
  rawAnswer: string
  n: number
}

export interface LatestRow {
  rawQuestion: string
  rawAnswer: string
  ts: number
}

interface Question {
  answers: number
  numbers: Array<[number, number]>
  counts: Map<string, FeedbackAnswerCount>
  otherAnswers: number
}

const parse = (raw: string): unknown => {
  try {
    return JSON.parse(raw) as unknown
  } catch {
    return undefined
  }
}

const foldText = (text: string) => scrubAnswer(text).replace(/\s+/g, ' ').trim()

/**
 * The feedback section from the counted answers (ordered by first arrival) and the latest text
 * answers (most recent first, ties: last stored first). The mean sums value × count, which is the
 * JavaScript sum for the integer and half-point scores feedback collects.
 */
export function feedbackReports(answerRows: AnswerRow[], latestRows: LatestRow[]): FeedbackQuestionReport[] {
  const questions = new Map<string, Question>()
  const questionOf = (rawQuestion: string): [string, Question] | undefined => {
    const question = parse(rawQuestion)
    if (typeof question !== 'string') return undefined
    const key = scrubAnswer(question)
    let entry = questions.get(key)
    if (!entry) questions.set(key, (entry = { answers: 0, numbers: [], counts: new Map(), otherAnswers: 0 }))
    return [key, entry]
  }
  for (const row of answerRows) {
    const answer = parse(row.rawAnswer)
    const isNumber = typeof answer === 'number' && Number.isFinite(answer)
    if (!isNumber && typeof answer !== 'string') continue
    const [, entry] = questionOf(row.rawQuestion) ?? []
    if (!entry) continue
    entry.answers += row.n
    const value = isNumber ? answer : foldText(answer as string)
    if (isNumber) entry.numbers.push([answer, row.n])
    const key = isNumber ? `n:${answer}` : `s:${(value as string).toLowerCase()}`
    const counted = entry.counts.get(key)
    if (counted) counted.count += row.n
    else if (entry.counts.size < MAX_DISTINCT_ANSWERS) entry.counts.set(key, { answer: value, count: row.n })
    else entry.otherAnswers += row.n
  }
  const latestOf = new Map<string, LatestRow[]>()
  for (const row of latestRows) {
    const question = parse(row.rawQuestion)
    if (typeof question !== 'string' || typeof parse(row.rawAnswer) !== 'string') continue
    const key = scrubAnswer(question)
    latestOf.set(key, [...(latestOf.get(key) ?? []), row])
  }
  const ranked = [...questions].sort((a, b) => b[1].answers - a[1].answers).slice(0, REPORTED_QUESTIONS)
  return ranked.map(([question, entry]) => {
    const numberCount = entry.numbers.reduce((sum, [, n]) => sum + n, 0)
    const all = [...entry.counts.values()]
    const numeric = all
      .filter((c) => typeof c.answer === 'number')
      .sort((a, b) => (a.answer as number) - (b.answer as number))
    const text = all.filter((c) => typeof c.answer === 'string').sort((a, b) => b.count - a.count)
    const listed = [...numeric, ...text]
    // Stable sorts keep the latest rows' order among equal times (the later stored first).
    const latest = (latestOf.get(question) ?? [])
      .sort((a, b) => b.ts - a.ts)
      .slice(0, LATEST_ANSWERS)
      .map((row) => ({ answer: foldText(parse(row.rawAnswer) as string), ts: row.ts }))
    return {
      question,
      answers: entry.answers,
      kind: numberCount === entry.answers ? 'number' : numberCount === 0 ? 'text' : 'mixed',
      counts: listed.slice(0, REPORTED_ANSWERS),
      otherAnswers: listed.slice(REPORTED_ANSWERS).reduce((sum, c) => sum + c.count, entry.otherAnswers),
      numbers:
        numberCount === 0
          ? null
          : {
              count: numberCount,
              mean: entry.numbers.reduce((sum, [value, n]) => sum + value * n, 0) / numberCount,
              median: medianOfCounts(entry.numbers, numberCount),
            },
      latest,
    }
  })
}

/** The median (stats.ts's quantile, type 7) of values given with their counts. */
function medianOfCounts(values: Array<[number, number]>, total: number): number {
  const sorted = [...values].sort((a, b) => a[0] - b[0])
  const valueAt = (rank: number) => {
    let seen = 0
    for (const [value, n] of sorted) {
      seen += n
      if (rank < seen) return value
    }
    return NaN
  }
  const lower = Math.floor((total - 1) * 0.5)
  const upper = Math.min(total - 1, lower + 1)
  return quantileSorted({ length: total, [lower]: valueAt(lower), [upper]: valueAt(upper) }, 0.5)
}
