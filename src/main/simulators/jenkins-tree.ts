/** One node of a Jenkins `tree=` selector: a property, its sub-selection and an optional array range. */
export interface TreeNode {
  name: string
  children?: TreeNode[]
  range?: { from: number; to: number }
}

/** Parses `a,b[c,d[e]]{0,10},f` (B.4); ranges `{M,N}`, `{M,}`, `{,N}`, `{N}`. */
export function parseTree(text: string): TreeNode[] {
  let i = 0
  function list(): TreeNode[] {
    const nodes: TreeNode[] = []
    while (i < text.length && text[i] !== ']') {
      let name = ''
      while (i < text.length && !',[]{'.includes(text[i] ?? '')) name += text[i++]
      const node: TreeNode = { name: name.trim() }
      if (text[i] === '[') {
        i++
        node.children = list()
        i++
      }
      if (text[i] === '{') {
        const close = text.indexOf('}', i)
        const spec = text.slice(i + 1, close < 0 ? text.length : close)
        i = close < 0 ? text.length : close + 1
        node.range = parseRange(spec)
      }
      if (node.name !== '') nodes.push(node)
      if (text[i] === ',') i++
    }
    return nodes
  }
  return list()
}

function parseRange(spec: string): { from: number; to: number } {
  if (!spec.includes(',')) {
    const n = Number(spec)
    return { from: n, to: n + 1 }
  }
  const [a = '', b = ''] = spec.split(',')
  return { from: a.trim() === '' ? 0 : Number(a), to: b.trim() === '' ? Infinity : Number(b) }
}

/** Applies a tree selector to a JSON value; `_class` is always kept, unknown names are ignored. */
export function applyTree(value: unknown, nodes: TreeNode[]): unknown {
  if (Array.isArray(value)) return value.map((v) => applyTree(v, nodes))
  if (typeof value !== 'object' || value === null) return value
  const source = value as Record<string, unknown>
  const out: Record<string, unknown> = {}
  if ('_class' in source) out._class = source._class
  for (const node of nodes) {
    if (!(node.name in source)) continue
    let v = source[node.name]
    if (Array.isArray(v) && node.range !== undefined) v = v.slice(node.range.from, node.range.to)
    out[node.name] = node.children === undefined ? shallow(v) : applyTree(v, node.children)
  }
  return out
}

/** A property named without a sub-selection: primitives as they are, objects reduced to nothing but their class. */
function shallow(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shallow)
  if (typeof value !== 'object' || value === null) return value
  const source = value as Record<string, unknown>
  return '_class' in source ? { _class: source._class } : {}
}
