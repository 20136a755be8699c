import { build } from 'esbuild'
import { chromium } from 'playwright-core'
import { quantile, type Bench, type BenchFigure } from './harness'

// The renderer's own layout and drawing code, bundled for Chromium over a generated 100k-commit history
// (24 branch lanes, merges between them); pages are made on demand as the core makes them.
const ENTRY = `
import { layoutGraph, throughRows } from '../src/main/core/git/graph-layout'
import { drawGraph, ROW_HEIGHT } from '../src/renderer/src/components/graph/graph-draw'

function history(count, lanes) {
  let seed = 42
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296)
  const parentStart = new Uint32Array(count + 1)
  const list = []
  const tips = new Int32Array(lanes).fill(-1)
  for (let i = 0; i < count; i++) {
    parentStart[i] = list.length
    const lane = Math.floor(rnd() * lanes)
    const first = tips[lane] >= 0 ? tips[lane] : i > 0 ? Math.max(0, i - 1 - Math.floor(rnd() * 50)) : -1
    if (first >= 0) list.push(first)
    const other = tips[Math.floor(rnd() * lanes)]
    if (rnd() < 0.1 && other >= 0 && other !== first) list.push(other)
    tips[lane] = i
  }
  parentStart[count] = list.length
  const time = new Float64Array(count).map((_, i) => 1.7e9 + i * 60)
  return { count, parentStart, parents: Uint32Array.from(list), time }
}

window.runBench = async (count) => {
  const frame = () => new Promise((resolve) => requestAnimationFrame(resolve))
  const commits = history(count, 24)
  const start = performance.now()
  const layout = layoutGraph(commits)
  const layoutMs = performance.now() - start
  const pages = new Map()
  const pageOf = (r) => {
    const p = Math.floor(r / 200)
    let page = pages.get(p)
    if (!page) {
      const rows = []
      for (let row = p * 200; row < Math.min(layout.rows, p * 200 + 200); row++) {
        const c = layout.order[row]
        const parents = []
        for (let k = commits.parentStart[c]; k < commits.parentStart[c + 1]; k++) {
          const pr = layout.rowOf[commits.parents[k]]
          parents.push({ sha: String(commits.parents[k]).padStart(40, '0'), row: pr, lane: layout.lane[pr], color: k === commits.parentStart[c] ? layout.color[row] : layout.color[pr] })
        }
        rows.push({ sha: String(c).padStart(40, '0'), row, lane: layout.lane[row], color: layout.color[row], parents, subject: 'Merge pull request #' + c + ' from acme/improve-something-in-the-api', author: 'Author ' + (c % 17), time: commits.time[c], refs: c % 997 === 0 ? ['release-' + c] : [], pins: c % 1999 === 0 ? ['production-uk'] : [], trains: [] })
      }
      page = { rows, through: throughRows(layout, commits, p * 200, p * 200 + 200) }
      pages.set(p, page)
    }
    return page
  }
  const source = { lanes: layout.lanes, total: layout.rows, selected: null, row: (r) => pageOf(r).rows[r % 200], through: (r) => pageOf(r).through[r % 200]?.lanes, links: () => [] }
  const canvas = document.querySelector('canvas')
  const width = 1000, height = 700, dpr = window.devicePixelRatio || 1
  canvas.width = width * dpr
  canvas.height = height * dpr
  const ctx = canvas.getContext('2d')
  const theme = { bg: '#fff', text: '#1b1f27', muted: '#5d6675', panel: '#eef0f4', border: '#d9dde5', accent: '#3056d3', selection: '#3056d322', font: 'sans-serif' }
  const draw = (scrollTop) => {
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0)
    drawGraph(ctx, source, { scrollTop, width, height }, theme)
  }
  draw(0)
  await frame()
  const firstPaint = performance.now() - start
  const draws = []
  const intervals = []
  let scrollTop = 0
  let last = performance.now()
  for (let i = 0; i < 300; i++) {
    scrollTop = i % 60 === 59 ? Math.floor(Math.random() * (layout.rows - 40)) * ROW_HEIGHT : scrollTop + 90
    const t = performance.now()
    draw(scrollTop)
    draws.push(performance.now() - t)
    await frame()
    const now = performance.now()
    intervals.push(now - last)
    last = now
  }
  return { layoutMs, firstPaint, draws, intervals, lanes: layout.lanes }
}
`

/** Graph UI: first paint and scroll frames of the canvas over a 100k-commit layout in Chromium. */
export const bench: Bench = {
  title: 'Graph UI (Chromium)',
  async run(): Promise<BenchFigure[]> {
    const bundle = await build({
      stdin: { contents: ENTRY, resolveDir: import.meta.dirname, loader: 'js' },
      bundle: true,
      write: false,
      format: 'iife',
      target: 'es2022',
    })
    const script = bundle.outputFiles[0]?.text ?? ''
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu'],
    })
    try {
      const page = await browser.newPage({
        viewport: { width: 1100, height: 800 },
        deviceScaleFactor: Number(process.env.GRAPH_DPR ?? 2),
      })
      await page.setContent('<canvas style="width:1000px;height:700px"></canvas>')
      await page.addScriptTag({ content: script })
      const result = await page.evaluate(
        (count) =>
          (
            globalThis as unknown as {
              runBench(
                n: number,
              ): Promise<{ layoutMs: number; firstPaint: number; draws: number[]; intervals: number[]; lanes: number }>
            }
          ).runBench(count),
        100_000,
      )
      const label = `100k commits, ${result.lanes} lanes, DPR ${process.env.GRAPH_DPR ?? 2}`
      return [
        { name: `layout in Chromium (${label})`, value: result.layoutMs, unit: 'ms', goal: '< 300 ms' },
        {
          name: `first paint: layout + first page + first frame (${label})`,
          value: result.firstPaint,
          unit: 'ms',
          goal: '< 1000 ms',
        },
        { name: 'scroll: draw time p50', value: quantile(result.draws, 0.5), unit: 'ms' },
        {
          name: 'scroll: draw time p95 (incl. making pages)',
          value: quantile(result.draws, 0.95),
          unit: 'ms',
          goal: 'p95 < 16 ms',
        },
        { name: 'scroll: frame interval p50', value: quantile(result.intervals, 0.5), unit: 'ms' },
        {
          name: 'scroll: frame interval p95',
          value: quantile(result.intervals, 0.95),
          unit: 'ms',
          goal: 'p95 ≤ 16.7 ms (60 Hz)',
        },
      ]
    } finally {
      await browser.close()
    }
  },
}
