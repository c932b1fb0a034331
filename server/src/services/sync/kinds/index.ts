import type { ItemKind } from '../kind.ts'
import { followUpKind } from './follow-up.ts'
import { remarkKind } from './remark.ts'
import { responseKind } from './response/index.ts'
import { symposiumKind } from './symposium.ts'
import { visitKind } from './visit.ts'

/**
 * Every sync item kind, by its `kind` field. To add one: a module exporting an `ItemKind` (its
 * parse, check and writer; see `../kind.ts`, and `symposium.ts` for a small example) and a line here.
 * Writers write in this order, after all items of the batch have been decided.
 */
export const KINDS: readonly ItemKind[] = [responseKind, symposiumKind, visitKind, remarkKind, followUpKind]

const byName = new Map(KINDS.map((k) => [k.kind, k]))

export function kindNamed(kind: string): ItemKind | undefined {
  return byName.get(kind)
}
