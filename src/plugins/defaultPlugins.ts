import type { Plugin } from '../core/types'

/** The plugins the script tag starts with: every capture plugin but replay. */
export const defaultPlugins = (): Plugin[] => []
