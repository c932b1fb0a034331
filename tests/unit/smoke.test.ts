import { IndicatorConfig } from '@minyi/shared/schemas'
import { expect, it } from 'vitest'

it('should fill indicator config defaults when given nothing', () => {
  expect(IndicatorConfig.parse({}).satisfiedSet).toBe('top3')
})
