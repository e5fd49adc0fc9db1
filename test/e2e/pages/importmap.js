// The one import map of the e2e pages that load the ESM build: `frictionlog` and web-vitals, the
// only bare import its bundle keeps. Each page includes this classic script before any module
// script; an import map inserted by script before the first module is resolved applies like a
// written one.
document.currentScript.after(
  Object.assign(document.createElement('script'), {
    type: 'importmap',
    textContent: JSON.stringify({
      imports: { frictionlog: '/dist/index.js', 'web-vitals': '/node_modules/web-vitals/dist/web-vitals.js' },
    }),
  }),
)
