import { Clones } from '../../src/main/core/git/clone/clones'
import { writeJournal } from '../../src/main/core/git/clone/journal'
import { readFetchedRefs, setFetchedRefs } from '../../src/main/core/git/clone/refs'
import type { AppError } from '../../src/shared/errors'

/*
 * A separate process that works on a clone, for tests that kill it with SIGKILL at the worst moment:
 *   fetch <root> <service> <url>          fetches (a test stalls the server mid-pack, then kills it)
 *   clone <root> <service> <url>          clones, and prints the outcome as JSON: {ok} or {code, message}
 *                                         (for what must run in a process of its own, e.g. with NODE_EXTRA_CA_CERTS)
 *   die-rewriting-refs <gitdir> <ref> <sha>
 *                                         journals the refs as a fetch does, starts rewriting them (moving <ref>
 *                                         to <sha>) and kills itself before the journal is cleared
 * It prints `ready` on stdout once it has started the work.
 */

const [mode, ...args] = process.argv.slice(2)

async function main(): Promise<void> {
  if (mode === 'fetch') {
    const [root = '', service = '', url = ''] = args
    const clones = new Clones({ root, secret: () => Promise.resolve(undefined) })
    process.stdout.write('ready\n')
    await clones.fetch({ service, url })
    process.stdout.write('fetched\n')
    return
  }
  if (mode === 'clone') {
    const [root = '', service = '', url = ''] = args
    const clones = new Clones({ root, secret: () => Promise.resolve(undefined) })
    process.stdout.write('ready\n')
    const outcome = await clones.open({ service, url }).then(
      () => ({ ok: true }),
      (error: unknown) => ({ code: (error as AppError).code, message: (error as AppError).message }),
    )
    process.stdout.write(`${JSON.stringify(outcome)}\n`)
    return
  }
  if (mode === 'die-rewriting-refs') {
    const [gitdir = '', ref = '', sha = ''] = args
    const before = await readFetchedRefs(gitdir)
    await writeJournal(gitdir, before)
    const next = new Map(before)
    next.set(ref, { ref, sha })
    await setFetchedRefs(gitdir, next)
    process.stdout.write('ready\n')
    process.kill(process.pid, 'SIGKILL')
    return
  }
  throw new Error(`unknown mode ${mode ?? ''}`)
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`)
  process.exit(1)
})
