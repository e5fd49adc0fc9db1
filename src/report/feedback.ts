import type { EventOf } from '../schema/index'
import { scrubAnswer } from './scrubAnswer'
import { createReservoir, type Reservoir } from './reservoir'
import { createTopMap } from './topMap'
import type { FeedbackQuestionReport } from './types'

/** Questions kept (top-N by answers, see createTopMap). */
const MAX_QUESTIONS = 50

/** Questions listed in the report. */
const REPORTED_QUESTIONS = 20

/**
 * Distinct answers counted per question: a choice question has a handful, a rating scale at most
 * 11 (0–10); free text has as many as answers, and only its most frequent are worth a row.
 */
const MAX_DISTINCT_ANSWERS = 200

/** Answers listed per question, most frequent first (numbers: every value of the scale seen). */
const REPORTED_ANSWERS = 12

/** Latest text answers kept per question. */
const LATEST_ANSWERS = 5

interface QuestionEntry {
  answers: number
  numbers: Reservoir
  numberSum: number
  /** Scrubbed answer (numbers as their JSON) → count. */
  counts: Map<string, { answer: string | number; count: number }>
  /** Answers whose value was not counted because MAX_DISTINCT_ANSWERS were already. */
  otherAnswers: number
  /** The latest text answers, oldest first, at most LATEST_ANSWERS. */
  latest: Array<{ answer: string; ts: number | null }>
}

/**
 * Streams `feedback` events into counts per answer of each question: numbers (ratings, NPS) as
 * a distribution with mean and median, text as the most frequent answers and the latest ones.
 * Every text answer is scrubbed (emails, card and phone numbers, tokens) before it is kept.
 */
export function createFeedbackAccumulator() {
  const questions = createTopMap<QuestionEntry>(
    MAX_QUESTIONS,
    () => ({ answers: 0, numbers: createReservoir(), numberSum: 0, counts: new Map(), otherAnswers: 0, latest: [] }),
    (entry) => entry.answers,
  )
  return {
    add(event: EventOf<'feedback'>): void {
      if (typeof event.question !== 'string') return
      const answer = event.answer
      const isNumber = typeof answer === 'number' && Number.isFinite(answer)
      if (!isNumber && typeof answer !== 'string') return
      const entry = questions.get(scrubAnswer(event.question))
      entry.answers += 1
      const value: string | number = isNumber
        ? answer
        : scrubAnswer(answer as string)
            .replace(/\s+/g, ' ')
            .trim()
      if (isNumber) {
        entry.numbers.add(answer)
        entry.numberSum += answer
      } else {
        const ts = typeof event.ts === 'number' && Number.isFinite(event.ts) ? event.ts : null
        entry.latest.push({ answer: value as string, ts })
        entry.latest.sort((a, b) => (a.ts ?? -Infinity) - (b.ts ?? -Infinity))
        if (entry.latest.length > LATEST_ANSWERS) entry.latest.shift()
      }
      const key = isNumber ? `n:${answer}` : `s:${(value as string).toLowerCase()}`
      const counted = entry.counts.get(key)
      if (counted) counted.count += 1
      else if (entry.counts.size < MAX_DISTINCT_ANSWERS) entry.counts.set(key, { answer: value, count: 1 })
      else entry.otherAnswers += 1
    },
    result(): { questions: FeedbackQuestionReport[]; evicted: number } {
      return {
        questions: questions
          .entries()
          .slice(0, REPORTED_QUESTIONS)
          .map(([question, entry]) => {
            const numberCount = entry.numbers.count
            const all = [...entry.counts.values()]
            const numeric = all
              .filter((c) => typeof c.answer === 'number')
              .sort((a, b) => (a.answer as number) - (b.answer as number))
            const text = all.filter((c) => typeof c.answer === 'string').sort((a, b) => b.count - a.count)
            return {
              question,
              answers: entry.answers,
              kind: numberCount === entry.answers ? 'number' : numberCount === 0 ? 'text' : 'mixed',
              counts: [...numeric, ...text].slice(0, REPORTED_ANSWERS),
              otherAnswers: countBeyond(numeric, text, entry.otherAnswers),
              numbers:
                numberCount === 0
                  ? null
                  : {
                      count: numberCount,
                      mean: entry.numberSum / numberCount,
                      median: entry.numbers.quantile(0.5),
                    },
              latest: [...entry.latest].reverse(),
            }
          }),
        evicted: questions.evicted,
      }
    },
  }
}

/** Answers left out of the listed rows: uncounted ones plus the rows past REPORTED_ANSWERS. */
function countBeyond(numeric: Array<{ count: number }>, text: Array<{ count: number }>, uncounted: number): number {
  return [...numeric, ...text].slice(REPORTED_ANSWERS).reduce((sum, c) => sum + c.count, uncounted)
}
