import { afterAll } from 'vitest'
import { removeTmpDirs } from './git-repo'

// Every test file: the temp dirs its `tmpDir()` calls made go when the file is done, whatever its own hooks did.
afterAll(removeTmpDirs)
