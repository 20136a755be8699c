import { isMap, isScalar, isSeq } from 'yaml'
import type { TrainSettings } from '../../../shared/models/workspace'
import { readMoment, isTimeZone } from './read-schedule'
import { nearest, suggestion } from './suggest'
import { checkTemplate, hotfixVariables } from './templates'
import type { Field, ReadContext, YamlNode } from './yaml-reader'
import { readEntries, readMap, readNames, readNumber, readString, refer, report } from './yaml-reader'

function readTrainRegions(ctx: ReadContext, field: Field | undefined): TrainSettings['regions'] | undefined {
  if (!field) return undefined
  const regions: TrainSettings['regions'] = []
  if (isMap(field.value)) {
    // `{ uk: 0, us: 1 }`: region → how many trains it lags the first.
    for (const entry of readEntries(ctx, field.value, field, 'the train regions', 'region')?.list ?? []) {
      refer(ctx, { what: 'region', name: entry.name, node: entry.key, use: 'the train regions' })
      const lag = readNumber(ctx, entry, `the lag of region \`${entry.name}\``, { min: 0, integer: true })
      if (lag !== undefined) regions.push({ region: entry.name, lag })
    }
    return regions
  }
  if (!isSeq(field.value)) {
    report(
      ctx,
      field,
      'the train regions must be a list or a mapping',
      'write `regions: [uk, us]` (each lags the one before by a train) or `regions: { uk: 0, us: 1 }`',
    )
    return undefined
  }
  for (const [index, entry] of field.value.items.entries()) {
    const node = entry as YamlNode
    if (isScalar(node) && typeof node.value === 'string') {
      refer(ctx, { what: 'region', name: node.value, node, use: 'the train regions' })
      regions.push({ region: node.value, lag: index })
      continue
    }
    const item = readMap(ctx, node, node ?? field, {
      what: 'a train region',
      keys: ['region', 'lag'],
      required: ['region', 'lag'],
    })
    const region = readString(ctx, item?.get('region'), 'the region of a train region')
    const lag = readNumber(ctx, item?.get('lag'), 'the lag of a train region', { min: 0, integer: true })
    if (region === undefined || lag === undefined) continue
    refer(ctx, { what: 'region', name: region, node: item?.get('region')?.value ?? node, use: 'the train regions' })
    regions.push({ region, lag })
  }
  return regions
}

/** Train settings as read; regions and service order are filled from the rest of the file afterwards. */
export type TrainsRead = Omit<TrainSettings, 'regions' | 'serviceOrder'> &
  Partial<Pick<TrainSettings, 'regions' | 'serviceOrder'>>

/** Reads `trains:`: the weekly schedule, the rotating names, seasoning and hotfix branches. */
export function readTrains(ctx: ReadContext, field: Field | undefined): TrainsRead | undefined {
  if (!field) return undefined
  const keys = [
    'timezone',
    'cut',
    'deploy',
    'names',
    'anchor',
    'seasoningDays',
    'regions',
    'hotfixBranch',
    'serviceOrder',
  ]
  const fields = readMap(ctx, field.value, field, {
    what: '`trains`',
    keys,
    required: ['timezone', 'cut', 'deploy', 'names', 'anchor'],
  })
  if (!fields) return undefined
  const zoneField = fields.get('timezone')
  const timezone = readString(ctx, zoneField, 'the train time zone')
  if (timezone !== undefined && !isTimeZone(timezone)) {
    report(
      ctx,
      zoneField ?? field,
      `unknown time zone "${timezone}"`,
      nearest(timezone, Intl.supportedValuesOf('timeZone')) !== undefined
        ? suggestion(timezone, Intl.supportedValuesOf('timeZone'))
        : 'write an IANA time zone name such as `Europe/London` or `America/New_York`',
    )
  }
  const cut = readMoment(ctx, fields.get('cut'), 'the train cut')
  const deploy = readMoment(ctx, fields.get('deploy'), 'the train deploy')
  const names = readNames(ctx, fields.get('names'), 'the train names') ?? []
  const seen = new Map<string, number>()
  for (const item of names) {
    const first = seen.get(item.value.toUpperCase())
    if (first !== undefined)
      report(
        ctx,
        item.node,
        `train name \`${item.value}\` is listed twice (first on line ${first})`,
        'each train name appears once in the rotation',
      )
    else seen.set(item.value.toUpperCase(), ctx.lines.linePos(item.node.range[0]).line)
  }
  if (fields.get('names') && names.length === 0)
    report(
      ctx,
      fields.get('names') ?? field,
      'the train names are empty',
      'list the rotation, e.g. `[ALICIA, BERTHA, CHARLIE]`',
    )
  const anchorField = fields.get('anchor')
  const anchorFields = anchorField
    ? readMap(ctx, anchorField.value, anchorField, {
        what: 'the train anchor',
        keys: ['date', 'name'],
        required: ['date', 'name'],
      })
    : undefined
  const date = readString(ctx, anchorFields?.get('date'), 'the anchor date')
  if (
    date !== undefined &&
    (!/^\d{4}-\d{2}-\d{2}$/.test(date) ||
      Number.isNaN(Date.parse(`${date}T00:00:00Z`)) ||
      new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date)
  ) {
    report(
      ctx,
      anchorFields?.get('date') ?? field,
      `"${date}" is not a date`,
      'write the date of a cut as `YYYY-MM-DD`',
    )
  }
  const anchorName = readString(ctx, anchorFields?.get('name'), 'the anchor name')
  if (anchorName !== undefined && names.length > 0 && !seen.has(anchorName.toUpperCase())) {
    report(
      ctx,
      anchorFields?.get('name') ?? field,
      `anchor train \`${anchorName}\` is not one of the train names`,
      suggestion(
        anchorName,
        names.map((n) => n.value),
      ),
    )
  }
  const seasoningField = fields.get('seasoningDays')
  const seasoningDays = seasoningField ? readNumber(ctx, seasoningField, 'seasoningDays', { min: 0, integer: true }) : 7
  const hotfixField = fields.get('hotfixBranch')
  const hotfixBranch = hotfixField ? readString(ctx, hotfixField, 'hotfixBranch') : '{region}-release'
  if (hotfixBranch !== undefined && hotfixField)
    checkTemplate(ctx, hotfixField, hotfixBranch, hotfixVariables, 'hotfixBranch')
  const regions = readTrainRegions(ctx, fields.get('regions'))
  const orderField = fields.get('serviceOrder')
  const serviceOrder = readNames(ctx, orderField, 'serviceOrder')
  for (const item of serviceOrder ?? [])
    refer(ctx, { what: 'service', name: item.value, node: item.node, use: 'serviceOrder' })
  if (
    timezone === undefined ||
    !cut ||
    !deploy ||
    date === undefined ||
    anchorName === undefined ||
    seasoningDays === undefined ||
    hotfixBranch === undefined
  )
    return undefined
  const names2 = names.map((item) => item.value)
  const trains: TrainsRead = {
    timezone,
    cut,
    deploy,
    names: names2,
    anchor: { date, name: anchorName },
    seasoningDays,
    hotfixBranch,
  }
  if (regions) trains.regions = regions
  if (serviceOrder) trains.serviceOrder = serviceOrder.map((item) => item.value)
  return trains
}
