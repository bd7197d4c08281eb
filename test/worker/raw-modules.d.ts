// Vite's `?raw` imports: a file's text as a string (e.g. the reference report's published text).
declare module '*?raw' {
  const text: string;
  export default text;
}
