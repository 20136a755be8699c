import { describe, expect, it } from 'vitest'
import type { AppRequest } from '../../../src/shared/api/views'
import { EventHub } from '../../../src/main/core/events'
import { menuActions, menuTemplate } from '../../../src/main/shell/menu'

describe('the native menu', () => {
  it('asks the window through app.requested, the one event the renderer follows for it', () => {
    const hub = new EventHub()
    const seen: AppRequest[] = []
    hub.on('app.requested', (request) => seen.push(request))
    let opened = 0
    const template = menuTemplate(
      menuActions(hub, () => opened++),
      false,
    )
    const items = template.flatMap((entry) => (Array.isArray(entry.submenu) ? entry.submenu : []))
    const click = (label: string) => {
      const item = items.find((i) => i.label === label)
      if (!item?.click) throw new Error(`no menu item ${label}`)
      ;(item.click as () => void)()
    }
    click('Where Is My Commit…')
    click('Trains')
    click('Refresh')
    click('Open Workspace…')
    expect(seen).toEqual([{ action: 'find-commit' }, { action: 'go-to', view: 'trains' }, { action: 'refresh' }])
    expect(opened).toBe(1)
  })
})
