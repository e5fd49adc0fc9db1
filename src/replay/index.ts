export { replay, type ReplayOptions } from './replay'
export { decodeReplayEvents } from './codec'
