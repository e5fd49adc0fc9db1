import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
// The built collector, as `frictionlog report` runs it.
import { buildReport, renderReportHtml } from '../../dist/collector/index.js'
import { generateEvents } from '../unit/report/fixtures'
import { launchBrowser, type Browser } from './support/browser'

// Issue "The main job end to end": the HTML report is one self-contained file (inline SVG, no
// network), checked by opening it in Chromium and taking a screenshot.
const EVENTS = 20_000

describe('HTML report', () => {
  let browser: Browser
  let dir: string
  beforeAll(async () => {
    browser = await launchBrowser()
    dir = mkdtempSync(join(tmpdir(), 'fl-report-html-'))
  })
  afterAll(async () => {
    await browser.close()
    rmSync(dir, { recursive: true, force: true })
  })

  test('renders funnels, the experiment verdict, friction and vitals offline, with charts', async () => {
    const report = await buildReport(generateEvents(EVENTS), { funnel: 'checkout' })
    const file = join(dir, 'report.html')
    writeFileSync(file, renderReportHtml(report))
    const page = await browser.newPage()
    const requests: string[] = []
    page.on('request', (request) => requests.push(request.url()))
    await page.goto(pathToFileURL(file).href)
    // Nothing but the file itself: no script, stylesheet, font or image from anywhere.
    expect(requests).toEqual([pathToFileURL(file).href])
    const headings = await page.locator('h2').allTextContents()
    for (const heading of ['Experiments', 'Funnels', 'Friction', 'Core Web Vitals (p75)'])
      expect(headings).toContain(heading)
    expect(await page.locator('svg.chart').count()).toBeGreaterThan(2)
    const text = await page.locator('body').innerText()
    expect(text).toMatch(/checkout/)
    expect(text).toMatch(/hero-copy/)
    const screenshot = join(dir, 'report.png')
    await page.screenshot({ path: screenshot, fullPage: true })
    // A blank page compresses to a few kB; a rendered report with charts is far larger.
    expect(statSync(screenshot).size).toBeGreaterThan(30_000)
    // FL_KEEP_SCREENSHOT=path keeps the picture for a person to look at.
    if (process.env.FL_KEEP_SCREENSHOT) writeFileSync(process.env.FL_KEEP_SCREENSHOT, readFileSync(screenshot))
    await page.close()
  })
})
