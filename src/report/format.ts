// Number formatting shared by the verdicts, the terminal and the HTML report, so all three
// print the same figure for the same value.

/** A share as a percentage with one decimal (`0.1234` → `12.3 %`); `–` for null. */
export function pct(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '–' : `${(value * 100).toFixed(1)} %`
}

/** A relative change with its sign (`0.25` → `+25.0 %`); `–` for null. */
export function signedPct(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–'
  return `${value >= 0 ? '+' : '−'}${Math.abs(value * 100).toFixed(1)} %`
}

/** A p-value as statisticians print it: three decimals, `< 0.001` below. */
export function pValue(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–'
  return value < 0.001 ? '< 0.001' : value.toFixed(3)
}

/** A duration: `850 ms`, `2.4 s`, `3.5 min`; `–` for null. */
export function ms(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–'
  if (value < 1000) return `${Math.round(value)} ms`
  if (value < 60_000) return `${(value / 1000).toFixed(1)} s`
  return `${(value / 60_000).toFixed(1)} min`
}

/** A median count (returns, reversals): whole when whole, else one decimal (`1.5`); `–` for null. */
export function decimal(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–'
  return Number.isInteger(value) ? count(value) : value.toFixed(1)
}

/** A count with thousands separators (`12345` → `12,345`). */
export function count(value: number): string {
  return Math.round(value).toLocaleString('en-US')
}

/** A vital's value in its unit: CLS is a unitless score, the others are durations. */
export function vitalValue(name: string, value: number | null): string {
  if (value === null) return '–'
  return name === 'CLS' ? value.toFixed(3) : ms(value)
}
