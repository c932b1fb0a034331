export * from './problems.ts'
export * from './schemas/index.ts'
export * from './template.ts'
