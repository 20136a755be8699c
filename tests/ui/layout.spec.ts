import { expect, test, type Page } from '@playwright/test'
import { startDemoHost, type DemoHost } from './support/demo'

async function openView(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name }).click()
}

/** Font sizes of every element with text in `main`, in px, by a path that names the element. */
async function fontSizes(page: Page): Promise<Map<string, number>> {
  const sizes = await page.locator('main').evaluate((main) => {
    const out: [string, number][] = []
    main.querySelectorAll('*').forEach((el, i) => {
      const own = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '')
      if (own) out.push([`${i}:${el.tagName}.${el.className}`, parseFloat(getComputedStyle(el).fontSize)])
    })
    return out
  })
  return new Map(sizes)
}

/**
 * Whether the focus ring of the focused element (outline width + offset around its box) fits inside every ancestor
 * that clips its content: a ring cut off at a scrolling panel's edge is one a keyboard user cannot see.
 */
async function focusRingClipped(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const el = document.activeElement
    if (!el || el === document.body) return null
    const style = getComputedStyle(el)
    if (style.outlineStyle === 'none') return null
    const grow = parseFloat(style.outlineWidth) + parseFloat(style.outlineOffset)
    const box = el.getBoundingClientRect()
    const ring = { left: box.left - grow, right: box.right + grow, top: box.top - grow, bottom: box.bottom + grow }
    for (let up = el.parentElement; up; up = up.parentElement) {
      const s = getComputedStyle(up)
      // A modal dialog sits in the top layer: nothing above it clips what is inside it.
      const modal = up.matches(':modal')
      if (s.overflowX === 'visible' && s.overflowY === 'visible') {
        if (modal) break
        continue
      }
      const clip = up.getBoundingClientRect()
      // Content scrolled out of view is not clipping: only a ring cut at the visible edge counts.
      if (ring.right < clip.left || ring.left > clip.right || ring.bottom < clip.top || ring.top > clip.bottom) continue
      const cut =
        (s.overflowX !== 'visible' && (ring.left < clip.left - 0.5 || ring.right > clip.right + 0.5)) ||
        (s.overflowY !== 'visible' && (ring.top < clip.top - 0.5 || ring.bottom > clip.bottom + 0.5))
      if (cut)
        return `${el.tagName}.${el.className} "${(el.textContent ?? '').trim().slice(0, 30)}" in ${up.tagName}.${up.className}`
      if (up.matches(':modal')) break
    }
    return null
  })
}

test.describe('layout at every size', () => {
  let host: DemoHost
  test.beforeAll(async () => {
    // The first host of a run makes the demo and its clones: slow on a busy machine.
    test.setTimeout(180_000)
    host = await startDemoHost()
  })
  test.afterAll(async () => {
    await host?.stop()
  })

  test('at 200 % zoom the sidebar folds into a bar above the view', async ({ page }) => {
    // 1440 × 900 at 200 %: a CSS viewport half as wide and high.
    await page.setViewportSize({ width: 720, height: 450 })
    await page.goto(host.url)
    const nav = page.getByRole('navigation', { name: 'Views' })
    await expect(nav).toBeVisible()
    const navBox = await nav.boundingBox()
    const mainBox = await page.locator('main').boundingBox()
    expect(navBox?.width).toBeGreaterThan(700)
    expect(navBox?.height).toBeLessThan(80)
    expect(mainBox?.y ?? 0).toBeGreaterThanOrEqual((navBox?.y ?? 0) + (navBox?.height ?? 0) - 1)
    for (const view of ['Environments', 'Graph', 'Trains', 'Deploys', 'Settings'])
      await expect(nav.getByRole('button', { name: view })).toBeInViewport()
  })

  test('text sizes follow the browser font size (rem), in every view', async ({ page }) => {
    await page.goto(host.url)
    for (const view of ['Environments', 'Deploys']) {
      await openView(page, view)
      await expect(page.locator('main h1')).toHaveText(view)
      await page.waitForTimeout(500)
      const before = await fontSizes(page)
      await page.evaluate(() => (document.documentElement.style.fontSize = '20px'))
      const after = await fontSizes(page)
      await page.evaluate(() => (document.documentElement.style.fontSize = ''))
      const fixed = [...before].filter(([key, size]) => Math.abs((after.get(key) ?? 0) - size * 1.25) > 0.3)
      expect(fixed, `${view}: sizes that did not follow the root font`).toEqual([])
    }
  })

  for (const size of [
    { name: '1024 px', width: 1024, height: 700, scale: 1 },
    { name: '200 % zoom', width: 720, height: 450, scale: 2 },
  ]) {
    test(`the graph at ${size.name}: labels beside the lanes, never over them or each other`, async ({ browser }) => {
      const page = await browser.newPage({
        viewport: { width: size.width, height: size.height },
        deviceScaleFactor: size.scale,
      })
      await page.goto(host.url)
      await openView(page, 'Graph')
      const canvas = page.getByTestId('graph-canvas')
      await expect(canvas).toHaveAttribute('data-drawn', /[1-9]/, { timeout: 60_000 })
      const textLeft = Number(await canvas.getAttribute('data-text-left'))
      const frame = await canvas.boundingBox()
      const labels = page.locator('[data-testid^="pin-"], [data-testid^="lane-"]')
      await expect(labels.first()).toBeAttached()
      const boxes = await labels.evaluateAll((els) =>
        els.map((el) => {
          const r = el.getBoundingClientRect()
          return { id: el.getAttribute('data-testid'), left: r.left, right: r.right, top: r.top }
        }),
      )
      for (const b of boxes) {
        expect(b.left, `${b.id} starts right of the lanes`).toBeGreaterThanOrEqual((frame?.x ?? 0) + textLeft)
        expect(b.right, `${b.id} ends inside the graph`).toBeLessThanOrEqual((frame?.x ?? 0) + (frame?.width ?? 0))
      }
      for (const a of boxes)
        for (const b of boxes)
          if (a !== b && Math.abs(a.top - b.top) < 2) expect(a.right <= b.left || b.right <= a.left).toBe(true)
      await page.close()
    })
  }

  test('focus rings are never cut off, on the matrix, its dialogs and the graph', async ({ page }) => {
    await page.setViewportSize({ width: 1024, height: 700 })
    await page.goto(host.url)
    await openView(page, 'Environments')
    await expect(page.getByRole('grid', { name: 'What runs where' })).toBeVisible()
    const clipped: string[] = []
    const check = async () => {
      const found = await focusRingClipped(page)
      if (found) clipped.push(found)
    }
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Environments' }).focus()
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab')
      await check()
    }
    // Inside the matrix: corners and edges of the grid.
    await page.getByRole('grid', { name: 'What runs where' }).getByRole('gridcell').first().focus()
    for (const key of ['Control+End', 'Control+Home', 'ArrowUp', 'End', 'PageDown']) {
      await page.keyboard.press(key)
      await check()
    }
    await page.keyboard.press('Enter')
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press('Tab')
      await check()
    }
    await page.keyboard.press('Escape')
    await openView(page, 'Graph')
    await page.getByRole('listbox', { name: 'Commits' }).focus()
    await check()
    expect(clipped).toEqual([])
  })
})
