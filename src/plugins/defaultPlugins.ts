import type { Plugin } from '../core/types'
import { clicks } from './clicks'
import { errors } from './errors'
import { forms } from './forms'
import { sections } from './sections'
import { webVitals } from './webVitals'
import { scrollDepth } from './scrollDepth'
import { quickBack } from './quickBack'
import { excessiveScroll } from './excessiveScroll'

/** The plugins the script tag starts with: every capture plugin but replay. */
export const defaultPlugins = (): Plugin[] => [
  scrollDepth(),
  clicks(),
  errors(),
  webVitals(),
  forms(),
  sections(),
  quickBack(),
  excessiveScroll(),
]
