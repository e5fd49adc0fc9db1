export const START: string
export const END: string
export function renderWireFormatTables(schema: Record<string, any>): string
export function generatedPart(text: string): string | undefined
