// Number formatting shared by the views.

const NUMBER = new Intl.NumberFormat('en-US')

/** 12345 → "12,345"; null → "–". */
export const count = (value: number | null | undefined): string =>
  value === null || value === undefined ? '–' : NUMBER.format(value)

/** 0.1234 → "12.3 %". */
export const pct = (value: number | null | undefined, digits = 1): string =>
  value === null || value === undefined || !Number.isFinite(value) ? '–' : `${(value * 100).toFixed(digits)} %`

/** Signed relative change: 0.12 → "+12.0 %". */
export const lift = (value: number | null | undefined): string =>
  value === null || value === undefined || !Number.isFinite(value)
    ? '–'
    : `${value > 0 ? '+' : ''}${(value * 100).toFixed(1)} %`

/** Milliseconds as "850 ms", "12.3 s", "4 min 5 s". */
export const ms = (value: number | null | undefined): string => {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–'
  if (value < 1000) return `${Math.round(value)} ms`
  if (value < 60_000) return `${(value / 1000).toFixed(1)} s`
  return `${Math.floor(value / 60_000)} min ${Math.round((value % 60_000) / 1000)} s`
}

/** A metric value in its unit: CLS is unitless, the others are milliseconds. */
export const metric = (name: string, value: number | null | undefined): string =>
  name === 'CLS' ? (value === null || value === undefined ? '–' : value.toFixed(3)) : ms(value)

/** p-value with enough digits to read. */
export const pValue = (value: number | null | undefined): string =>
  value === null || value === undefined ? '–' : value < 0.001 ? '< 0.001' : value.toFixed(3)

/** Epoch ms as a local date and time. */
export const when = (ts: number | null | undefined): string =>
  ts === null || ts === undefined
    ? '–'
    : new Date(ts).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'medium' })
