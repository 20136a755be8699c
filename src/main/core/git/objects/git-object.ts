/** The four kinds of object git stores. */
export type ObjectType = 'commit' | 'tree' | 'blob' | 'tag'

/** One object's type and uncompressed content (without the `type size\0` header). */
export interface GitObject {
  type: ObjectType
  data: Buffer
}

/** Object type codes used in pack entry headers (1–4; 6 and 7 are deltas). */
export const PACK_TYPES: Record<number, ObjectType | undefined> = { 1: 'commit', 2: 'tree', 3: 'blob', 4: 'tag' }

/** Reads the object with this full hex SHA, or undefined when the repository lacks it. */
export type ReadObject = (sha: string) => GitObject | undefined
