import { AppError } from '../../../../shared/errors'
import type { Integration } from '../integration'

/**
 * `probe: none`: the environment's SHA is not read from anywhere. The probe runner skips such cells, so
 * running it is a mistake that says so.
 */
export const none: Integration<'none'> = {
  kind: 'none',
  label: 'No probe',
  probe: {
    keys: ['none'],
    examples: ['`none`'],
    read: () => ({ kind: 'none' }),
    fill: (probe) => probe,
    run: (_config, ctx) =>
      Promise.reject(new AppError('unsupported', `${ctx.service} in ${ctx.environment} has no probe configured.`)),
  },
}
