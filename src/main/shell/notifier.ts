import { Notification } from 'electron'
import type { Notice } from '../../shared/api/views'
import type { SharedRunView } from '../../shared/models/coordination'
import type { DeployRun } from '../../shared/models/deploys'
import type { ReleaseSet } from '../../shared/models/release-sets'
import { noticeFor, noticeForSet, type DeployActivity, type Notifier } from '../core/deploy/notifier'
import type { TrayIcon } from './tray'

/** The Notifier port in Electron: a native notification when a run ends (click opens the run) and the tray's state. */
export class DesktopNotifier implements Notifier {
  constructor(
    private readonly tray: () => TrayIcon | undefined,
    private readonly openRun: (runId: string) => void,
  ) {}

  runEnded(run: DeployRun): void {
    this.show(noticeFor(run))
  }

  setEnded(set: ReleaseSet): void {
    const notice = noticeForSet(set)
    // The tray keeps the set's end too: a set runs long, and its window may be closed by then.
    this.tray()?.noticed(notice)
    this.show(notice)
  }

  private show(notice: Notice): void {
    if (!Notification.isSupported()) return
    const notification = new Notification({
      title: notice.title,
      body: notice.body,
      silent: notice.kind === 'succeeded',
    })
    const runId = notice.runId
    if (runId !== undefined) notification.on('click', () => this.openRun(runId))
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
