import { describe, expect, it } from 'vitest'
import {
  CHECKPOINT,
  layoutGraph,
  throughRows,
  type GraphCommits,
  type GraphLayoutOptions,
} from '../../../src/main/core/git/graph-layout'

/** A history as name → [time, ...parent names]; positions follow the order of the entries. */
function history(spec: Record<string, [number, ...string[]]>): { commits: GraphCommits; names: string[] } {
  const names = Object.keys(spec)
  const at = new Map(names.map((n, i) => [n, i]))
  const parentStart = new Uint32Array(names.length + 1)
  const parents: number[] = []
  const time = new Float64Array(names.length)
  names.forEach((n, i) => {
    const [t, ...ps] = spec[n] ?? [0]
    parentStart[i] = parents.length
    time[i] = t
    for (const p of ps) parents.push(at.get(p) ?? -1)
  })
  parentStart[names.length] = parents.length
  return { commits: { count: names.length, parentStart, parents: Uint32Array.from(parents), time }, names }
}

/**
 * The layout as text, one line per row: "name lane/colour | through lanes | edges parent@row:lane/colour".
 * Edge colours: a first-parent edge has the child's colour, another parent's edge the parent's.
 */
function picture(
  spec: Record<string, [number, ...string[]]>,
  options: GraphLayoutOptions = {},
): { rows: string[]; lanes: number } {
  const { commits, names } = history(spec)
  const layout = layoutGraph(commits, options)
  const through = throughRows(layout, commits, 0, layout.rows)
  const rows: string[] = []
  for (let r = 0; r < layout.rows; r++) {
    const c = layout.order[r] ?? 0
    const edges: string[] = []
    for (let k = commits.parentStart[c] ?? 0; k < (commits.parentStart[c + 1] ?? 0); k++) {
      const p = commits.parents[k] ?? 0
      const pr = layout.rowOf[p] ?? -1
      const color = k === commits.parentStart[c] ? layout.color[r] : layout.color[pr]
      edges.push(`${names[p]}@${pr}:${layout.lane[pr]}/${color}`)
    }
    const lanes = through[r]?.lanes.map((l) => `${l.lane}/${l.color}`).join(',') || '-'
    rows.push(`${names[c]} ${layout.lane[r]}/${layout.color[r]} | ${lanes} | ${edges.join(' ') || '-'}`)
  }
  return { rows, lanes: layout.lanes }
}

describe('graph layout', () => {
  it('keeps a linear history in one lane', () => {
    expect(picture({ A: [1], B: [2, 'A'], C: [3, 'B'] })).toEqual({
      lanes: 1,
      rows: ['C 0/0 | - | B@1:0/0', 'B 0/0 | - | A@2:0/0', 'A 0/0 | - | -'],
    })
  })

  it('opens a lane for a merged branch and closes it at the fork point', () => {
    expect(picture({ A: [1], B: [2, 'A'], F: [3, 'A'], M: [4, 'B', 'F'] })).toEqual({
      lanes: 2,
      rows: ['M 0/0 | - | B@2:0/0 F@1:1/1', 'F 1/1 | 0/0 | A@3:0/1', 'B 0/0 | 1/1 | A@3:0/0', 'A 0/0 | - | -'],
    })
  })

  it('lays out a criss-cross merge with a merge edge pinning its parent', () => {
    expect(picture({ A: [1], B: [2, 'A'], C: [3, 'A'], D: [4, 'B', 'C'], E: [5, 'C', 'B'] })).toEqual({
      lanes: 3,
      rows: [
        'E 0/0 | - | C@2:0/0 B@3:1/1',
        'D 2/2 | 0/0,1/1 | B@3:1/2 C@2:0/0',
        'C 0/0 | 1/1,2/2 | A@4:0/0',
        'B 1/1 | 0/0 | A@4:0/1',
        'A 0/0 | - | -',
      ],
    })
  })

  it('gives disjoint histories their own lanes', () => {
    expect(picture({ A: [1], X: [2], B: [3, 'A'], Y: [4, 'X'] })).toEqual({
      lanes: 2,
      rows: ['Y 0/0 | - | X@2:0/0', 'B 1/1 | 0/0 | A@3:1/1', 'X 0/0 | 1/1 | -', 'A 1/1 | - | -'],
    })
  })

  it('opens a lane for every further parent of an octopus merge', () => {
    expect(picture({ A: [1], B: [2, 'A'], C: [3, 'A'], D: [4, 'A'], O: [5, 'B', 'C', 'D'] })).toEqual({
      lanes: 3,
      rows: [
        'O 0/0 | - | B@3:0/0 C@2:1/1 D@1:2/2',
        'D 2/2 | 0/0,1/1 | A@4:0/2',
        'C 1/1 | 0/0,2/2 | A@4:0/1',
        'B 0/0 | 1/1,2/2 | A@4:0/0',
        'A 0/0 | - | -',
      ],
    })
  })

  it('frees the lane of a branch that ends and reuses it for the next tip', () => {
    expect(picture({ A: [1], F: [2, 'A'], B: [3, 'A'], G: [4, 'B'], C: [5, 'B'] })).toEqual({
      lanes: 2,
      rows: [
        'C 0/0 | - | B@2:0/0',
        'G 1/1 | 0/0 | B@2:0/1',
        'B 0/0 | - | A@4:0/0',
        'F 1/2 | 0/0 | A@4:0/2',
        'A 0/0 | - | -',
      ],
    })
  })

  it('lays out only the history of the chosen tips, once for tips named twice', () => {
    const spec: Record<string, [number, ...string[]]> = { A: [1], F: [2, 'A'], B: [3, 'A'], G: [4, 'B'], C: [5, 'B'] }
    const g = 3
    expect(picture(spec, { tips: [g, g] }).rows).toEqual([
      'G 0/0 | - | B@1:0/0',
      'B 0/0 | - | A@2:0/0',
      'A 0/0 | - | -',
    ])
  })

  it('puts children before parents even when the clock says otherwise', () => {
    expect(picture({ A: [10], B: [5, 'A'], C: [7] }).rows.map((r) => r.split(' ')[0])).toEqual(['C', 'B', 'A'])
  })

  it('colours a tip lane from the branch and keeps it down the first parents', () => {
    const { rows } = picture(
      { A: [1], B: [2, 'A'], F: [3, 'A'], M: [4, 'B', 'F'] },
      { tipColor: (p) => (p === 3 ? 7 : undefined) },
    )
    expect(rows).toEqual([
      'M 0/7 | - | B@2:0/7 F@1:1/0',
      'F 1/0 | 0/7 | A@3:0/0',
      'B 0/7 | 1/0 | A@3:0/7',
      'A 0/7 | - | -',
    ])
  })

  it('keeps lane 0 for the main branch even when another branch is newer', () => {
    const spec: Record<string, [number, ...string[]]> = { A: [1], B: [2, 'A'], R: [3, 'A'], M: [4, 'B'] }
    expect(picture(spec).rows).toEqual([
      'M 0/0 | - | B@2:0/0',
      'R 1/1 | 0/0 | A@3:0/1',
      'B 0/0 | 1/1 | A@3:0/0',
      'A 0/0 | - | -',
    ])
    const release: Record<string, [number, ...string[]]> = { A: [1], B: [2, 'A'], M: [3, 'B'], R: [4, 'A'] }
    expect(picture(release).rows[0]).toBe('R 0/0 | - | A@3:0/0')
    expect(picture(release, { primary: 2 }).rows).toEqual([
      'R 1/0 | - | A@3:0/0',
      'M 0/1 | 1/0 | B@2:0/1',
      'B 0/1 | 1/0 | A@3:0/1',
      'A 0/1 | - | -',
    ])
  })

  it('replays pass-through lanes from a checkpoint exactly as from the top', () => {
    // A long main line with a side branch open across several checkpoints.
    const spec: Record<string, [number, ...string[]]> = { m0: [0] }
    const n = CHECKPOINT * 3
    for (let i = 1; i < n; i++) spec[`m${i}`] = [i * 2, `m${i - 1}`]
    spec.side = [n * 2 + 1, 'm3']
    const { commits } = history(spec)
    const layout = layoutGraph(commits)
    const all = throughRows(layout, commits, 0, layout.rows)
    const from = CHECKPOINT + 17
    expect(throughRows(layout, commits, from, from + 300)).toEqual(all.slice(from, from + 300))
    expect(all[from]?.lanes).toEqual([{ lane: 0, color: 0 }])
    expect(layout.lane[from]).toBe(1)
  })
})
