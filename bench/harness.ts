/** One measured figure, compared with a reference measured in the same run. */
export interface BenchFigure {
  /** What was measured, e.g. "cold index build (100k commits)". */
  name: string
  /** The measured value of Trainyard's code. */
  value: number
  unit: 'ms' | 'MB' | 'lines/s' | 'events/s' | 'count'
  /** The same work done by the reference (e.g. `git rev-list`), in the same unit, when there is one. */
  reference?: { name: string; value: number }
  /** The goal as text, e.g. "≤ 2× git rev-list" or "p99 ≤ 1 ms". */
  goal?: string
}

/** A benchmark file's export: `export const bench: Bench = { … }`. */
export interface Bench {
  title: string
  run(): Promise<BenchFigure[]>
}

/** Milliseconds taken by `work`, measured with the high-resolution clock. */
export async function timeIt<T>(work: () => Promise<T> | T): Promise<{ ms: number; result: T }> {
  const start = process.hrtime.bigint()
  const result = await work()
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, result }
}

/** The q-quantile (0..1) of a list of numbers. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))
  return sorted[index] ?? Number.NaN
}

/** Formats one figure as a line: value, reference and their ratio. */
export function formatFigure(figure: BenchFigure): string {
  const value = `${round(figure.value)} ${figure.unit}`
  const goal = figure.goal ? `  goal: ${figure.goal}` : ''
  if (!figure.reference) return `  ${figure.name}: ${value}${goal}`
  const ratio = figure.reference.value === 0 ? Number.POSITIVE_INFINITY : figure.value / figure.reference.value
  return `  ${figure.name}: ${value} vs ${figure.reference.name} ${round(figure.reference.value)} ${figure.unit} = ${round(ratio)}×${goal}`
}

function round(n: number): string {
  return Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toPrecision(3)
}
