// libheif-js ships no types for its WebAssembly bundle; image-source.ts describes the part it uses.
declare module 'libheif-js/wasm-bundle.js' {
  const libheif: unknown;
  export default libheif;
}
