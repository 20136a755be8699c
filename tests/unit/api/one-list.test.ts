import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { readPreferences } from '../../../src/main/core/app-state/schema'
import { menuTemplate } from '../../../src/main/shell/menu'
import { inputSchemas } from '../../../src/shared/api/schemas'
import { VIEW_IDS } from '../../../src/shared/api/views'
import { GRAPH_PAGE_LIMIT } from '../../../src/shared/models/graph'

describe('one list per concept', () => {
  it('the graph page limit is the same for the schema and the handler', () => {
    const page = (limit: number) => v.safeParse(inputSchemas['graph.page'], { service: 's', offset: 0, limit }).success
    expect(page(GRAPH_PAGE_LIMIT)).toBe(true)
    expect(page(GRAPH_PAGE_LIMIT + 1)).toBe(false)
  })

  it('every view id is accepted by the schema, kept by app state and reachable from the menu', () => {
    const views: string[] = []
    const template = menuTemplate(
      { openWorkspace: () => {}, goTo: (view) => views.push(view), findCommit: () => {}, refresh: () => {} },
      false,
    )
    const viewMenu = template.find((item) => item.label === 'View')?.submenu
    for (const item of Array.isArray(viewMenu) ? viewMenu : []) (item.click as (() => void) | undefined)?.()
    expect(views).toEqual(VIEW_IDS)
    for (const id of VIEW_IDS) {
      expect(v.safeParse(inputSchemas['preferences.set'], { lastView: id }).success).toBe(true)
      expect(readPreferences({ lastView: id }).lastView).toBe(id)
    }
    expect(v.safeParse(inputSchemas['preferences.set'], { lastView: 'nowhere' }).success).toBe(false)
  })
})
