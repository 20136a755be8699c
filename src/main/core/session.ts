import type { WorkspaceView } from '../../shared/api/views'
import { AppError } from '../../shared/errors'
import type { Workspace } from '../../shared/models/workspace'

/** The open workspace and the services built from it; replaced whole when another workspace is opened. */
export class SessionHolder {
  private current: WorkspaceView | null = null
  private readonly closers: (() => Promise<void> | void)[] = []

  get view(): WorkspaceView | null {
    return this.current
  }

  /** The open workspace, or AppError('no-workspace') saying how to open one. */
  workspace(): Workspace {
    const workspace = this.current?.workspace
    if (!workspace) {
      throw new AppError(
        'no-workspace',
        'No workspace is open: open a workspace file first (`trainyard --workspace <file>` or "Open a workspace file…").',
      )
    }
    return workspace
  }

  /** Replaces the open workspace, closing what the previous one started. */
  async replace(view: WorkspaceView | null): Promise<void> {
    await this.closeAll()
    this.current = view
  }

  /** Registers something to stop when the workspace is replaced or the cockpit closes. */
  onClose(closer: () => Promise<void> | void): void {
    this.closers.push(closer)
  }

  async closeAll(): Promise<void> {
    const closers = this.closers.splice(0)
    for (const close of closers.reverse()) await close()
  }
}
