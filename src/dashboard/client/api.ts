// The dashboard's data routes, typed by the server's own types (types only: nothing of the
// server is bundled into the client).
import type { Report } from '../../report/types'
import type { HeatmapData, ReplayData, SessionFriction } from '../storeData'

export type { Report, HeatmapData, ReplayData, SessionFriction }

/** The error's name when the session cookie is gone (the server restarted with another token). */
export const UNAUTHORIZED = 'Unauthorized'

/** GETs a JSON route of the dashboard with the session cookie. */
export async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(path, { credentials: 'same-origin', headers: { accept: 'application/json' } })
  if (response.status === 401) throw Object.assign(new Error('unauthorized'), { name: UNAUTHORIZED })
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`)
  return (await response.json()) as T
}

export const fetchReport = () => getJson<{ version: string; report: Report }>('/api/report')
export const fetchVersion = () => getJson<{ version: string }>('/api/version')
export const fetchHeatmap = (path: string, bp: string) =>
  getJson<HeatmapData>(`/api/heatmap?${new URLSearchParams({ path, bp })}`)
export const fetchReplays = () =>
  getJson<{ sessions: number; list: Report['replays']['list']; friction: SessionFriction }>('/api/replays')
export const fetchReplay = (session: string) => getJson<ReplayData>(`/api/replay?${new URLSearchParams({ session })}`)
