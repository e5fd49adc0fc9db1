import { replay } from './replay'

// The on-demand replay file of the script tag: the main IIFE (data-replay) loads it and picks
// the factory up from here.
;(window as unknown as { frictionlogReplay?: typeof replay }).frictionlogReplay = replay
