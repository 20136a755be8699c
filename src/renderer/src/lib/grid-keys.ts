/** A position in a grid of `rows` × `columns` cells. */
export interface GridPosition {
  row: number
  column: number
}

/**
 * Where a key moves the focus of a grid (the WAI-ARIA grid pattern): arrows by one, Home/End to the row's ends,
 * Ctrl+Home/End to the grid's corners, PageUp/PageDown to the first/last row. Undefined for any other key.
 */
export function moveInGrid(
  at: GridPosition,
  key: string,
  size: { rows: number; columns: number },
  ctrl = false,
): GridPosition | undefined {
  const clamp = (row: number, column: number): GridPosition => ({
    row: Math.max(0, Math.min(size.rows - 1, row)),
    column: Math.max(0, Math.min(size.columns - 1, column)),
  })
  switch (key) {
    case 'ArrowUp':
      return clamp(at.row - 1, at.column)
    case 'ArrowDown':
      return clamp(at.row + 1, at.column)
    case 'ArrowLeft':
      return clamp(at.row, at.column - 1)
    case 'ArrowRight':
      return clamp(at.row, at.column + 1)
    case 'Home':
      return ctrl ? clamp(0, 0) : clamp(at.row, 0)
    case 'End':
      return ctrl ? clamp(size.rows - 1, size.columns - 1) : clamp(at.row, size.columns - 1)
    case 'PageUp':
      return clamp(0, at.column)
    case 'PageDown':
      return clamp(size.rows - 1, at.column)
    default:
      return undefined
  }
}
