import type { ItemKind } from '../../kind.ts'
import { checkResponse, isStale, type ResponseChecked } from './check.ts'
import { parseResponse, type ResponseParsed } from './parse.ts'
import { ResponseWriter } from './store.ts'

/** A questionnaire answer (ResponseItem) from any channel: parse, check, then store with flags, aggregates and evidence. */
export const responseKind: ItemKind<ResponseParsed, ResponseChecked> = {
  kind: 'response',
  parse: parseResponse,
  isStale,
  check: checkResponse,
  writer: (batch) => new ResponseWriter(batch),
}
