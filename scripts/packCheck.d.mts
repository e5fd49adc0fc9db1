export function referencedFiles(pkg: Record<string, unknown>): string[]
export const FORBIDDEN: RegExp[]
export function checkPack(paths: string[], pkg: Record<string, unknown>): string[]
