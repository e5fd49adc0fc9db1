/** Package version, replaced by tsup's `define` at build time. */
declare const __FL_VERSION__: string
