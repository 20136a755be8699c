import type { GraphPage, GraphRow } from '../../../../shared/models/graph'
import { fit, layoutRowText, textMetrics, type RowText, type TextMetrics } from '../../lib/graph-text'

/** Sizes of the drawing in CSS pixels; all scale with the root font size, so text zoom grows the graph too. */
export interface GraphGeometry {
  rowHeight: number
  laneWidth: number
  pad: number
  /** Font size of the row text. */
  fontSize: number
  /** At most this many lanes are drawn; wider histories are clipped at the right of the graph column. */
  maxLanes: number
  text: TextMetrics
}

/** The geometry at a root font of `16 * scale` px in a view `width` px wide (lanes never take more than half of it). */
export function graphGeometry(scale = 1, width = Infinity): GraphGeometry {
  const laneWidth = 14 * scale
  const pad = 10 * scale
  const fit = Math.floor((width / 2 - pad * 2) / laneWidth)
  return {
    rowHeight: Math.round(26 * scale),
    laneWidth,
    pad,
    fontSize: 12 * scale,
    maxLanes: Math.max(4, Math.min(32, Number.isFinite(fit) ? fit : 32)),
    text: textMetrics(scale),
  }
}

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
export function graphWidth(lanes: number, geo: GraphGeometry): number {
  return geo.pad * 2 + Math.min(lanes, geo.maxLanes) * geo.laneWidth
}

/** The rows a viewport shows, with `overscan` rows either side. */
export function visibleRows(
  viewport: GraphViewport,
  total: number,
  rowHeight: number,
  overscan = 0,
): { first: number; last: number } {
  const first = Math.max(0, Math.floor(viewport.scrollTop / rowHeight) - overscan)
  const last = Math.min(total - 1, Math.ceil((viewport.scrollTop + viewport.height) / rowHeight) + overscan)
  return { first, last }
}

/** Where a row's text goes in a view `width` wide (pills, subject, author, SHA), measured with `measure`. */
export function rowText(
  row: GraphRow,
  lanes: number,
  width: number,
  geo: GraphGeometry,
  measure: (t: string) => number,
) {
  return layoutRowText(row, graphWidth(lanes, geo) + 4, width - 8, measure, geo.text)
}

/** Draws the visible rows: lanes, edges, dots, cherry-pick links, labels and subjects. Reads nothing but its arguments. */
export function drawGraph(
  ctx: CanvasRenderingContext2D,
  source: GraphSource,
  viewport: GraphViewport,
  theme: GraphTheme,
  geo: GraphGeometry,
): void {
  const rowHeight = geo.rowHeight
  const { first, last } = visibleRows(viewport, source.total, rowHeight, 1)
  const laneX = (lane: number): number => geo.pad + Math.min(lane, geo.maxLanes - 1) * geo.laneWidth + geo.laneWidth / 2
  const rowY = (row: number): number => row * rowHeight + rowHeight / 2 - viewport.scrollTop
  ctx.fillStyle = theme.bg
  ctx.fillRect(0, 0, viewport.width, viewport.height)
  if (source.selected !== null && source.selected >= first && source.selected <= last) {
    ctx.fillStyle = theme.selection
    ctx.fillRect(0, rowY(source.selected) - rowHeight / 2, viewport.width, rowHeight)
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
    const top = y - rowHeight / 2
    const x = laneX(row.lane)
    for (const t of through) line(laneX(t.lane), top, laneX(t.lane), top + rowHeight, t.color)
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
      line(x, y, k === 0 ? x : laneX(p.lane), y + rowHeight / 2, p.color)
    })
  }
  drawLinks(ctx, source, first, last, laneX, rowY, graphWidth(source.lanes, geo), geo.maxLanes)
  ctx.font = `${geo.fontSize}px ${theme.font}`
  ctx.textBaseline = 'middle'
  const measure = (text: string): number => ctx.measureText(text).width
  for (let r = first; r <= last; r++) {
    const row = source.row(r)
    if (!row) continue
    const y = rowY(r)
    ctx.fillStyle = colorOf(row.color)
    ctx.beginPath()
    ctx.arc(laneX(row.lane), y, (row.parents.length > 1 ? 3.5 : 4.5) * (geo.laneWidth / 14), 0, Math.PI * 2)
    ctx.fill()
    if (row.parents.length > 1 || r === source.selected) {
      ctx.strokeStyle = r === source.selected ? theme.accent : theme.bg
      ctx.lineWidth = 2
      ctx.stroke()
    }
    drawText(ctx, row, rowText(row, source.lanes, viewport.width, geo, measure), y, theme, geo, measure)
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
  maxLanes: number,
): void {
  ctx.save()
  ctx.setLineDash([4, 4])
  ctx.lineWidth = 1.5
  ctx.strokeStyle = '#8e4ec6'
  for (const link of source.links()) {
    if (Math.max(link.fromRow, link.toRow) < first || Math.min(link.fromRow, link.toRow) > last) continue
    const x1 = laneX(source.row(link.fromRow)?.lane ?? maxLanes)
    const x2 = laneX(source.row(link.toRow)?.lane ?? maxLanes)
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

/** Pills (branches, tags, environment pins, trains), then the subject, author and short SHA, where the layout put them. */
function drawText(
  ctx: CanvasRenderingContext2D,
  row: GraphRow,
  text: RowText,
  y: number,
  theme: GraphTheme,
  geo: GraphGeometry,
  measure: (t: string) => number,
): void {
  const h = geo.fontSize * 1.5
  for (const pill of text.pills) {
    const [fill, stroke, color] =
      pill.kind === 'ref'
        ? [colorOf(row.color), colorOf(row.color), '#ffffff']
        : pill.kind === 'pin'
          ? [null, theme.accent, theme.accent]
          : [theme.panel, theme.muted, theme.text]
    ctx.beginPath()
    ctx.roundRect(pill.x, y - h / 2, pill.width, h, h / 2)
    if (fill) {
      ctx.fillStyle = fill
      ctx.fill()
    }
    ctx.strokeStyle = stroke
    ctx.lineWidth = 1
    ctx.stroke()
    ctx.fillStyle = color
    ctx.fillText(pill.text, pill.x + geo.text.pillPad, y + 0.5)
  }
  if (text.subject) {
    ctx.fillStyle = theme.text
    ctx.fillText(fit(measure, row.subject, text.subject.room), text.subject.x, y + 0.5)
  }
  ctx.fillStyle = theme.muted
  if (text.author) ctx.fillText(text.author.text, text.author.x, y + 0.5)
  if (text.sha) ctx.fillText(text.sha.text, text.sha.x, y + 0.5)
}
