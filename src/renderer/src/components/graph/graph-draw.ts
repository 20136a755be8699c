import type { GraphPage, GraphRow } from '../../../../shared/models/graph'

/** Pixel height of one commit row. */
export const ROW_HEIGHT = 26
/** Pixel width of one lane. */
export const LANE_WIDTH = 14
/** At most this many lanes are drawn; wider histories are clipped at the right of the graph column. */
export const MAX_LANES = 32
const PAD = 10

/** Lane colours, chosen to read on both themes. */
export const PALETTE = [
  '#3b82f6',
  '#e5484d',
  '#30a46c',
  '#f5a524',
  '#8e4ec6',
  '#12a594',
  '#e93d82',
  '#6e56cf',
  '#ad7f58',
  '#0091ff',
  '#ff8b3e',
  '#46a758',
]

/** What the drawing reads: rows and pass-through lanes by row number (undefined while not loaded). */
export interface GraphSource {
  lanes: number
  total: number
  selected: number | null
  row(r: number): GraphRow | undefined
  through(r: number): GraphPage['through'][number]['lanes'] | undefined
  links(): GraphPage['links']
}

/** Theme colours read from CSS variables. */
export interface GraphTheme {
  bg: string
  text: string
  muted: string
  panel: string
  border: string
  accent: string
  selection: string
  font: string
}

/** The viewport: scroll position and size in CSS pixels. */
export interface GraphViewport {
  scrollTop: number
  width: number
  height: number
}

const colorOf = (c: number): string => PALETTE[c % PALETTE.length] ?? '#888'

/** Width of the graph column for a layout `lanes` wide. */
export function graphWidth(lanes: number): number {
  return PAD * 2 + Math.min(lanes, MAX_LANES) * LANE_WIDTH
}

/** The rows a viewport shows, with `overscan` rows either side. */
export function visibleRows(viewport: GraphViewport, total: number, overscan = 0): { first: number; last: number } {
  const first = Math.max(0, Math.floor(viewport.scrollTop / ROW_HEIGHT) - overscan)
  const last = Math.min(total - 1, Math.ceil((viewport.scrollTop + viewport.height) / ROW_HEIGHT) + overscan)
  return { first, last }
}

/** Draws the visible rows: lanes, edges, dots, cherry-pick links, labels and subjects. Reads nothing but its arguments. */
export function drawGraph(
  ctx: CanvasRenderingContext2D,
  source: GraphSource,
  viewport: GraphViewport,
  theme: GraphTheme,
): void {
  const { first, last } = visibleRows(viewport, source.total, 1)
  const laneX = (lane: number): number => PAD + Math.min(lane, MAX_LANES - 1) * LANE_WIDTH + LANE_WIDTH / 2
  const rowY = (row: number): number => row * ROW_HEIGHT + ROW_HEIGHT / 2 - viewport.scrollTop
  ctx.fillStyle = theme.bg
  ctx.fillRect(0, 0, viewport.width, viewport.height)
  if (source.selected !== null && source.selected >= first && source.selected <= last) {
    ctx.fillStyle = theme.selection
    ctx.fillRect(0, rowY(source.selected) - ROW_HEIGHT / 2, viewport.width, ROW_HEIGHT)
  }
  ctx.lineWidth = 2
  ctx.lineCap = 'round'
  const line = (x1: number, y1: number, x2: number, y2: number, color: number): void => {
    ctx.strokeStyle = colorOf(color)
    ctx.beginPath()
    ctx.moveTo(x1, y1)
    if (x1 === x2) ctx.lineTo(x2, y2)
    else ctx.bezierCurveTo(x1, (y1 + y2) / 2, x2, (y1 + y2) / 2, x2, y2)
    ctx.stroke()
  }
  for (let r = first; r <= last; r++) {
    const row = source.row(r)
    const through = source.through(r)
    if (!row || !through) continue
    const y = rowY(r)
    const top = y - ROW_HEIGHT / 2
    const x = laneX(row.lane)
    for (const t of through) line(laneX(t.lane), top, laneX(t.lane), top + ROW_HEIGHT, t.color)
    // A lane passing the row above and not this one ends in this commit.
    const above = r > 0 ? source.through(r - 1) : undefined
    const here = new Set(through.map((t) => t.lane))
    for (const t of above ?? []) if (!here.has(t.lane)) line(laneX(t.lane), top, x, y, t.color)
    const previous = r > 0 ? source.row(r - 1) : undefined
    previous?.parents.forEach((p, k) => {
      if (p.row === r) line(k === 0 ? laneX(previous.lane) : x, top, x, y, p.color)
    })
    row.parents.forEach((p, k) => {
      if (p.row < 0) return
      line(x, y, k === 0 ? x : laneX(p.lane), y + ROW_HEIGHT / 2, p.color)
    })
  }
  drawLinks(ctx, source, first, last, laneX, rowY, graphWidth(source.lanes))
  const textX = graphWidth(source.lanes) + 4
  for (let r = first; r <= last; r++) {
    const row = source.row(r)
    if (!row) continue
    const y = rowY(r)
    ctx.fillStyle = colorOf(row.color)
    ctx.beginPath()
    ctx.arc(laneX(row.lane), y, row.parents.length > 1 ? 3.5 : 4.5, 0, Math.PI * 2)
    ctx.fill()
    if (row.parents.length > 1 || r === source.selected) {
      ctx.strokeStyle = r === source.selected ? theme.accent : theme.bg
      ctx.lineWidth = 2
      ctx.stroke()
    }
    drawText(ctx, row, textX, y, viewport.width, theme)
  }
}

function drawLinks(
  ctx: CanvasRenderingContext2D,
  source: GraphSource,
  first: number,
  last: number,
  laneX: (lane: number) => number,
  rowY: (row: number) => number,
  right: number,
): void {
  ctx.save()
  ctx.setLineDash([4, 4])
  ctx.lineWidth = 1.5
  ctx.strokeStyle = '#8e4ec6'
  for (const link of source.links()) {
    if (Math.max(link.fromRow, link.toRow) < first || Math.min(link.fromRow, link.toRow) > last) continue
    const x1 = laneX(source.row(link.fromRow)?.lane ?? MAX_LANES)
    const x2 = laneX(source.row(link.toRow)?.lane ?? MAX_LANES)
    const y1 = rowY(link.fromRow)
    const y2 = rowY(link.toRow)
    const bulge = right - 4
    ctx.beginPath()
    ctx.moveTo(x1, y1)
    ctx.bezierCurveTo(bulge, y1, bulge, y2, x2, y2)
    ctx.stroke()
  }
  ctx.restore()
}

/** Pills (branches, tags, trains, environment pins), then the subject, author and short SHA. */
function drawText(
  ctx: CanvasRenderingContext2D,
  row: GraphRow,
  left: number,
  y: number,
  width: number,
  theme: GraphTheme,
): void {
  ctx.font = `12px ${theme.font}`
  ctx.textBaseline = 'middle'
  let x = left
  const pill = (text: string, fill: string | null, stroke: string, color: string): void => {
    const w = ctx.measureText(text).width + 12
    ctx.beginPath()
    ctx.roundRect(x, y - 9, w, 18, 9)
    if (fill) {
      ctx.fillStyle = fill
      ctx.fill()
    }
    ctx.strokeStyle = stroke
    ctx.lineWidth = 1
    ctx.stroke()
    ctx.fillStyle = color
    ctx.fillText(text, x + 6, y + 0.5)
    x += w + 4
  }
  for (const ref of row.refs) pill(ref, colorOf(row.color), colorOf(row.color), '#ffffff')
  for (const env of row.pins) pill(`⚑ ${env}`, null, theme.accent, theme.accent)
  for (const train of row.trains) pill(`▶ train ${train}`, theme.panel, theme.muted, theme.text)
  const meta = `${row.author} · ${row.sha.slice(0, 8)}`
  ctx.font = `12px ${theme.font}`
  const metaWidth = ctx.measureText(meta).width
  const room = width - metaWidth - 16 - x
  ctx.fillStyle = theme.text
  ctx.fillText(fit(ctx, row.subject, room), x + 2, y + 0.5)
  ctx.fillStyle = theme.muted
  ctx.fillText(meta, width - metaWidth - 8, y + 0.5)
}

function fit(ctx: CanvasRenderingContext2D, text: string, room: number): string {
  if (room <= 0) return ''
  if (ctx.measureText(text).width <= room) return text
  let lo = 0
  let hi = text.length
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (ctx.measureText(`${text.slice(0, mid)}…`).width <= room) lo = mid
    else hi = mid - 1
  }
  return `${text.slice(0, lo)}…`
}
