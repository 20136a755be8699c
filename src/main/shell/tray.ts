import { Menu, Tray, nativeImage, type NativeImage } from 'electron'
import { join } from 'node:path'
import type { Notice } from '../../shared/api/views'
import type { SharedRunView } from '../../shared/models/coordination'
import type { DeployActivity } from '../core/deploy/notifier'

type TrayState = 'idle' | 'deploying' | 'failed'

/** The tray icon: idle / deploying / last failed, with a menu of running and recent deploys. */
export class TrayIcon {
  private readonly tray: Tray
  private readonly icons: Record<TrayState, NativeImage>
  private activityNow: DeployActivity = { running: [] }
  /** Teammates' runs in progress (the team's coordination records). */
  private others: SharedRunView[] = []
  /** The last thing a watch told. */
  private lastNotice: Notice | undefined

  constructor(
    resources: string,
    private readonly openRun: (runId: string) => void,
    private readonly showWindow: () => void,
  ) {
    this.icons = {
      idle: nativeImage.createFromPath(join(resources, 'tray-idle.png')),
      deploying: nativeImage.createFromPath(join(resources, 'tray-deploying.png')),
      failed: nativeImage.createFromPath(join(resources, 'tray-failed.png')),
    }
    this.tray = new Tray(this.icons.idle)
    this.tray.setToolTip('Trainyard')
    this.tray.on('click', () => this.showWindow())
    this.update({ running: [] })
  }

  /** Teammates' runs in progress changed. */
  setOthers(runs: SharedRunView[]): void {
    this.others = runs
    this.update(this.activityNow)
  }

  /** A watch fired: shown in the menu until the next one. */
  noticed(notice: Notice): void {
    this.lastNotice = notice
    this.update(this.activityNow)
  }

  update(activity: DeployActivity): void {
    this.activityNow = activity
    const state: TrayState = activity.running.length > 0 ? 'deploying' : activity.lastFailed ? 'failed' : 'idle'
    this.tray.setImage(this.icons[state])
    this.tray.setToolTip(
      state === 'deploying'
        ? `Trainyard: ${activity.running.length} deploy(s) running`
        : state === 'failed'
          ? 'Trainyard: last deploy failed'
          : 'Trainyard',
    )
    const running = activity.running.map((run) => ({
      label: `${run.service} → ${run.environment} (${run.sha.slice(0, 7)}) ${run.state}`,
      click: () => this.openRun(run.id),
    }))
    const failed = activity.lastFailed
    const others = this.others.map((run) => ({
      label: `${run.by.name}: ${run.service} → ${run.environment} (${run.sha.slice(0, 7)})${run.stale ? ' · stale' : ''}`,
      enabled: false,
    }))
    const notice = this.lastNotice
    this.tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: running.length > 0 ? 'Running deploys' : 'No deploys running', enabled: false },
        ...running,
        ...(failed
          ? [
              { type: 'separator' as const },
              { label: `Last failed: ${failed.service} → ${failed.environment}`, click: () => this.openRun(failed.id) },
            ]
          : []),
        ...(others.length > 0
          ? [{ type: 'separator' as const }, { label: 'Others deploying', enabled: false }, ...others]
          : []),
        ...(notice ? [{ type: 'separator' as const }, { label: notice.title, click: () => this.showWindow() }] : []),
        { type: 'separator' },
        { label: 'Show Trainyard', click: () => this.showWindow() },
        { role: 'quit' },
      ]),
    )
  }

  destroy(): void {
    this.tray.destroy()
  }
}
