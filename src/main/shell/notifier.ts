import { Notification } from 'electron'
import type { Notice } from '../../shared/api/views'
import type { SharedRunView } from '../../shared/models/coordination'
import type { DeployRun } from '../../shared/models/deploys'
import { noticeFor, type DeployActivity, type Notifier } from '../core/deploy/notifier'
import type { TrayIcon } from './tray'

/** The Notifier port in Electron: a native notification when a run ends (click opens the run) and the tray's state. */
export class DesktopNotifier implements Notifier {
  constructor(
    private readonly tray: () => TrayIcon | undefined,
    private readonly openRun: (runId: string) => void,
  ) {}

  runEnded(run: DeployRun): void {
    if (!Notification.isSupported()) return
    const notice = noticeFor(run)
    const notification = new Notification({
      title: notice.title,
      body: notice.body,
      silent: notice.kind === 'succeeded',
    })
    notification.on('click', () => this.openRun(run.id))
    notification.show()
  }

  activity(activity: DeployActivity): void {
    this.tray()?.update(activity)
  }

  notice(notice: Notice): void {
    this.tray()?.noticed(notice)
    if (!Notification.isSupported()) return
    new Notification({ title: notice.title, body: notice.body }).show()
  }

  others(runs: SharedRunView[]): void {
    this.tray()?.setOthers(runs)
  }
}
