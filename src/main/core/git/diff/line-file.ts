/** A file split into lines for diffing: the raw bytes, where each line starts, and a class id per line. */
export interface LineFile {
  readonly data: Buffer
  /** Byte offset where line i starts; `starts[count]` is the end of the data. */
  readonly starts: Int32Array
  /** Equal ids mean byte-identical lines (the trailing newline included). */
  readonly ids: Int32Array
  readonly count: number
}

/** Interns line contents so that equal lines share one id across every file split with it. */
export class LineClasses {
  private readonly byContent = new Map<string, number>()

  /** The id of the bytes `data[start, end)`; latin1 keeps every byte distinct, so non-UTF-8 text is exact. */
  idOf(data: Buffer, start: number, end: number): number {
    const key = data.toString('latin1', start, end)
    let id = this.byContent.get(key)
    if (id === undefined) {
      id = this.byContent.size
      this.byContent.set(key, id)
    }
    return id
  }
}

/** Splits bytes into lines ending in \n (the last one may lack it), as git's xdiff does. */
export function splitLines(data: Buffer, classes: LineClasses): LineFile {
  let count = 0
  for (let i = data.indexOf(10); i !== -1; i = data.indexOf(10, i + 1)) count++
  if (data.length > 0 && data[data.length - 1] !== 10) count++
  const starts = new Int32Array(count + 1)
  const ids = new Int32Array(count)
  let start = 0
  for (let line = 0; line < count; line++) {
    const nl = data.indexOf(10, start)
    const end = nl === -1 ? data.length : nl + 1
    starts[line] = start
    ids[line] = classes.idOf(data, start, end)
    start = end
  }
  starts[count] = data.length
  return { data, starts, ids, count }
}

/** The bytes of lines [from, to) of a file. */
export function lineBytes(file: LineFile, from: number, to: number): Buffer {
  return file.data.subarray(file.starts[from] ?? 0, file.starts[to] ?? file.data.length)
}
