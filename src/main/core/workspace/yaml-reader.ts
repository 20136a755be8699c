import { isMap, isScalar, isSeq } from 'yaml'
import type { LineCounter, ParsedNode } from 'yaml'
import type { WorkspaceProblem } from '../../../shared/api/views'
import type { Endpoint } from '../../../shared/models/workspace'
import { isSecretKey } from './inline-secrets'
import { nearest, suggestion } from './suggest'

/** A node of the parsed document; null where the file wrote a key with no value. */
export type YamlNode = ParsedNode | null

/** A name another part of the file must define, checked once everything is read. */
export interface Reference {
  what: 'endpoint' | 'environment' | 'region' | 'service'
  name: string
  node: YamlNode
  /** What refers to it, in words: "the probe of environment `dev`". */
  use: string
  /** For endpoints: the kinds this use accepts. */
  kinds?: Endpoint['kind'][]
}

/** What reading a workspace file collects as it goes. */
export interface ReadContext {
  file: string
  lines: LineCounter
  problems: WorkspaceProblem[]
  references: Reference[]
}

/** One `key: value` of a mapping, with both nodes for positions. */
export interface Field {
  name: string
  key: ParsedNode
  value: YamlNode
}

/** The fields of a mapping by key, in file order. */
export interface Fields {
  node: ParsedNode
  list: Field[]
  get(name: string): Field | undefined
}

/** Where to point when a value is missing: the value itself, else its key, else an offset. */
export type Anchor = YamlNode | Field | number

function offsetOf(anchor: Anchor): number {
  if (typeof anchor === 'number') return anchor
  if (anchor === null) return 0
  if ('key' in anchor && 'name' in anchor) return offsetOf(anchor.value ?? anchor.key)
  return anchor.range[0]
}

/** Records a problem at a node, with a hint saying what to write instead. */
export function report(ctx: ReadContext, at: Anchor, message: string, hint?: string): void {
  const { line, col } = ctx.lines.linePos(offsetOf(at))
  const problem: WorkspaceProblem = { file: ctx.file, line, column: col, message }
  if (hint !== undefined) problem.hint = hint
  ctx.problems.push(problem)
}

/** 1-based line of a node, for "first defined on line N". */
export function lineOf(ctx: ReadContext, at: Anchor): number {
  return ctx.lines.linePos(offsetOf(at)).line
}

function keyName(node: ParsedNode): string | undefined {
  if (!isScalar(node)) return undefined
  const value = node.value
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined
}

/** The fields of a mapping, reporting keys written twice; `undefined` (reported) if it is not a mapping. */
export function readEntries(
  ctx: ReadContext,
  node: YamlNode,
  at: Anchor,
  what: string,
  item: string,
): Fields | undefined {
  if (!isMap(node)) {
    report(ctx, node ?? at, `${what} must be a mapping`, `write it as \`name: …\` lines indented under it`)
    return undefined
  }
  const list: Field[] = []
  const byName = new Map<string, Field>()
  for (const pair of node.items) {
    const key = pair.key
    const name = keyName(key)
    if (name === undefined) {
      report(ctx, key, `a key in ${what} is not a plain name`, 'write keys as plain words, e.g. `name: value`')
      continue
    }
    const field: Field = { name, key, value: pair.value ?? null }
    const first = byName.get(name)
    if (first) {
      report(
        ctx,
        key,
        `${item} \`${name}\` is defined twice (first on line ${lineOf(ctx, first.key)})`,
        'keep one definition and merge the two',
      )
      continue
    }
    byName.set(name, field)
    list.push(field)
  }
  return { node, list, get: (name) => byName.get(name) }
}

/** Shape of a fixed-key mapping: its allowed and required keys. */
export interface MapSpec {
  what: string
  keys: readonly string[]
  required?: readonly string[]
  /** Keys left alone, e.g. `x-…` keys at the top that hold YAML anchors. */
  ignore?: (name: string) => boolean
}

/** A fixed-key mapping: reports unknown keys (with the nearest valid one) and missing required keys. */
export function readMap(ctx: ReadContext, node: YamlNode, at: Anchor, spec: MapSpec): Fields | undefined {
  const fields = readEntries(ctx, node, at, spec.what, 'key')
  if (!fields) return undefined
  const misspelt = new Set<string>()
  for (const field of fields.list) {
    // Secret-looking keys are reported once, by the inline-secret scan.
    if (spec.keys.includes(field.name) || isSecretKey(field.name) || spec.ignore?.(field.name)) continue
    const close = nearest(field.name, spec.keys)
    if (close !== undefined) misspelt.add(close)
    report(ctx, field.key, `unknown key \`${field.name}\` in ${spec.what}`, suggestion(field.name, spec.keys))
  }
  for (const name of spec.required ?? []) {
    // A misspelt key already says what is missing.
    if (!fields.get(name) && !misspelt.has(name))
      report(ctx, fields.node, `${spec.what} is missing \`${name}\``, `add \`${name}: …\``)
  }
  return fields
}

/** A string value (numbers are taken as their text); reports anything else. */
export function readString(ctx: ReadContext, field: Field | undefined, what: string): string | undefined {
  if (!field) return undefined
  const node = field.value
  if (isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number')) {
    const text = String(node.value)
    if (text.trim() !== '') return text
  }
  report(ctx, field, `${what} must be a non-empty text`, `write \`${field.name}: <text>\``)
  return undefined
}

/** A number value within bounds; reports anything else. */
export function readNumber(
  ctx: ReadContext,
  field: Field | undefined,
  what: string,
  bounds: { min: number; integer?: boolean },
): number | undefined {
  if (!field) return undefined
  const node = field.value
  if (isScalar(node) && typeof node.value === 'number') {
    const value = node.value
    if (Number.isFinite(value) && value >= bounds.min && (!bounds.integer || Number.isInteger(value))) return value
  }
  const kind = bounds.integer ? 'a whole number' : 'a number'
  report(
    ctx,
    field,
    `${what} must be ${kind} of at least ${bounds.min}`,
    `write e.g. \`${field.name}: ${Math.max(bounds.min, 1)}\``,
  )
  return undefined
}

/** A true/false value; reports anything else. */
export function readBoolean(ctx: ReadContext, field: Field | undefined, what: string): boolean | undefined {
  if (!field) return undefined
  const node = field.value
  if (isScalar(node) && typeof node.value === 'boolean') return node.value
  report(ctx, field, `${what} must be true or false`, `write \`${field.name}: true\` or \`${field.name}: false\``)
  return undefined
}

/** A list item with its node, so references can point at it. */
export interface Item {
  value: string
  node: ParsedNode
}

/** A list of names; with `single`, one bare name is taken as a list of one. */
export function readNames(
  ctx: ReadContext,
  field: Field | undefined,
  what: string,
  single = false,
): Item[] | undefined {
  if (!field) return undefined
  const node = field.value
  if (single && isScalar(node) && typeof node.value === 'string') return [{ value: node.value, node }]
  if (!isSeq(node)) {
    report(ctx, field, `${what} must be a list`, `write \`${field.name}: [first, second]\``)
    return undefined
  }
  const items: Item[] = []
  for (const entry of node.items) {
    const item = entry as YamlNode
    if (isScalar(item) && (typeof item.value === 'string' || typeof item.value === 'number')) {
      items.push({ value: String(item.value), node: item })
    } else {
      report(ctx, item ?? field, `each entry of ${what} must be a name`, 'write plain names, e.g. `[dev, qa]`')
    }
  }
  return items
}

/** Records a name that must be defined elsewhere in the file. */
export function refer(ctx: ReadContext, reference: Reference): void {
  ctx.references.push(reference)
}
