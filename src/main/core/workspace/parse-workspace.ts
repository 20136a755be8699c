import { isMap, isSeq, LineCounter, parseDocument } from 'yaml'
import type { YAMLError } from 'yaml'
import type { WorkspaceProblem } from '../../../shared/api/views'
import type { Environment, Region, Service, Workspace } from '../../../shared/models/workspace'
import { checkReferences } from './check-references'
import { scanInlineSecrets } from './inline-secrets'
import { expandAliases } from './yaml-aliases'
import { yamlLimitProblem } from './yaml-limits'
import { nearest } from './suggest'
import { endpointKindsIn, readEndpoints } from './read-endpoints'
import { readCoordination, readWebhooks } from './read-coordination'
import { readEnvironments, readRegions } from './read-environments'
import { readServices } from './read-services'
import { readSettings } from './read-settings'
import { readTrains } from './read-trains'
import type { Field, ReadContext } from './yaml-reader'
import { readMap, readNumber, readString, report } from './yaml-reader'

/** What reading a workspace file gives: the model when the file has no problem, and every problem found. */
export interface WorkspaceParse {
  workspace: Workspace | null
  problems: WorkspaceProblem[]
}

/** Top-level keys of a workspace file. */
export const workspaceKeys = [
  'version',
  'name',
  'endpoints',
  'services',
  'environments',
  'regions',
  'trains',
  'coordination',
  'webhooks',
  'settings',
] as const

/** The workspace format version this Trainyard reads and writes. */
export { workspaceVersion } from '../../../shared/workspace/defaults'
import { workspaceVersion } from '../../../shared/workspace/defaults'

function syntaxHint(error: YAMLError): string {
  switch (error.code) {
    case 'TAB_AS_INDENT':
      return 'indent with spaces, not tabs'
    case 'BAD_INDENT':
      return error.message.startsWith('Flow')
        ? 'close the `[` or `{` opened here, or indent its continuation lines further'
        : 'line up the keys of one mapping at the same column, and indent nested ones by two spaces'
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY':
      return 'quote a value that contains `: ` (e.g. `"a: b"`), or put a nested mapping on its own indented lines'
    case 'MISSING_CHAR':
      return 'close the quote or bracket opened here'
    default:
      return 'check the indentation and quote values that contain `: ` or ` #`, or start with `{`, `[`, `*`, `&`, `!` or `@`'
  }
}

function keysOf(field: Field | undefined): string[] | undefined {
  const node = field?.value
  if (isMap(node)) return node.items.map((pair) => String((pair.key as { value?: unknown } | null)?.value))
  if (isSeq(node)) {
    return node.items.flatMap((item) =>
      isMap(item) && item.get('name') !== undefined ? [String(item.get('name'))] : [],
    )
  }
  return undefined
}

/** Environments once each, in the order met along the region paths, then the others in file order. */
function orderEnvironments(environments: Environment[], paths: string[][]): Environment[] {
  const order = [...new Set([...paths.flat(), ...environments.map((e) => e.name)])]
  return order.flatMap((name) => environments.filter((e) => e.name === name))
}

/** Reports a service whose probe asks GitHub Deployments when the service names no GitHub repository. */
function checkGithubProbes(
  ctx: ReadContext,
  services: Service[],
  environments: Environment[],
  regions: Region[],
  field: Field | undefined,
): void {
  const onPaths = new Set(regions.flatMap((region) => region.path))
  for (const [index, service] of services.entries()) {
    if (service.github) continue
    const uses = environments.filter((env) => {
      const override = service.environments[env.name]
      return onPaths.has(env.name) && !override?.skip && (override?.probe ?? env.probe).kind === 'github'
    })
    if (uses.length === 0) continue
    const node = isSeq(field?.value) ? field.value.items[index] : undefined
    report(
      ctx,
      node ?? 0,
      `service \`${service.name}\` has no GitHub repository, but its probe in ${uses.map((e) => `\`${e.name}\``).join(', ')} asks GitHub`,
      'add `github: owner/repo` to the service, or override its probe there',
    )
  }
}

/** Reads a workspace file's text; never throws for bad input, and reports every problem with its line, column and a hint. */
export function parseWorkspace(text: string, file: string): WorkspaceParse {
  const lines = new LineCounter()
  const ctx: ReadContext = { file, lines, problems: [], references: [] }
  const limit = yamlLimitProblem(text)
  if (limit) {
    // Positions need the line starts, which parsing would otherwise record.
    lines.addNewLine(0)
    for (let at = text.indexOf('\n'); at >= 0 && at < limit.at; at = text.indexOf('\n', at + 1))
      lines.addNewLine(at + 1)
    report(ctx, limit.at, limit.message, limit.hint)
    return { workspace: null, problems: ctx.problems }
  }
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false })
  const seen = new Set<number>()
  for (const error of doc.errors) {
    // The parser often reports one mistake twice at the same place; say it once.
    if (seen.has(error.pos[0])) continue
    seen.add(error.pos[0])
    report(ctx, error.pos[0], `YAML syntax error: ${error.message.split('\n')[0] ?? error.code}`, syntaxHint(error))
  }
  if (doc.errors.length > 0) return { workspace: null, problems: ctx.problems }
  if (!expandAliases(doc, ctx)) return { workspace: null, problems: ctx.problems }
  const contents = doc.contents
  if (contents === null) {
    report(
      ctx,
      0,
      'the workspace file is empty',
      'start with `version: 1`, `name: …`, `services:`, `environments:` and `regions:` (see docs/workspace-format.md)',
    )
    return { workspace: null, problems: ctx.problems }
  }
  scanInlineSecrets(ctx, contents)
  const top = readMap(ctx, contents, 0, {
    what: 'the workspace',
    keys: workspaceKeys,
    required: ['name', 'services', 'environments', 'regions'],
    ignore: (name) => name.startsWith('x-'),
  })
  if (!top) return { workspace: null, problems: ctx.problems }
  const versionField = top.get('version')
  const version = readNumber(ctx, versionField, 'version', { min: 1, integer: true })
  if (version !== undefined && version !== workspaceVersion) {
    report(
      ctx,
      versionField ?? 0,
      `this Trainyard reads workspace version ${workspaceVersion}, not ${version}`,
      `write \`version: ${workspaceVersion}\`, or update Trainyard`,
    )
  }
  const name = readString(ctx, top.get('name'), 'the workspace name')
  const endpoints = readEndpoints(ctx, top.get('endpoints'))
  const services = readServices(ctx, top.get('services'))
  const environments = readEnvironments(ctx, top.get('environments'))
  const regions = readRegions(ctx, top.get('regions'))
  const trains = readTrains(ctx, top.get('trains'))
  const settings = readSettings(ctx, top.get('settings'))
  const coordination = readCoordination(ctx, top.get('coordination'))
  const webhooks = readWebhooks(ctx, top.get('webhooks'))
  // A section written under a misspelt key is reported once, not again at every reference to it.
  const misspelt = new Set(top.list.map((field) => nearest(field.name, workspaceKeys)))
  const namesIn = (key: (typeof workspaceKeys)[number]): string[] | undefined => {
    const field = top.get(key)
    return field ? keysOf(field) : misspelt.has(key) ? undefined : []
  }
  checkReferences(
    ctx,
    {
      endpoint: namesIn('endpoints'),
      environment: namesIn('environments'),
      region: namesIn('regions'),
      service: namesIn('services'),
    },
    endpointKindsIn(top.get('endpoints')),
  )
  if (ctx.problems.length === 0) checkGithubProbes(ctx, services, environments, regions, top.get('services'))
  // A mistake inside an anchor is found once per alias of it; report it once.
  const unique = new Map(ctx.problems.map((p) => [`${p.line}:${p.column}:${p.message}`, p]))
  const problems = [...unique.values()].sort((a, b) => a.line - b.line || a.column - b.column)
  if (problems.length > 0 || name === undefined) return { workspace: null, problems }
  const workspace: Workspace = {
    file,
    name,
    services,
    environments: orderEnvironments(
      environments,
      regions.map((region) => region.path),
    ),
    regions,
    endpoints,
    settings,
  }
  if (trains) {
    workspace.trains = {
      ...trains,
      regions: trains.regions ?? regions.map((region) => ({ region: region.name, lag: 0 })),
      serviceOrder: trains.serviceOrder ?? services.map((service) => service.name),
    }
  }
  if (coordination) workspace.coordination = coordination
  if (webhooks && webhooks.length > 0) workspace.webhooks = webhooks
  return { workspace, problems }
}
