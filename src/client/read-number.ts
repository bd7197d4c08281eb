// How a typed cell becomes a number: the server's own rule (full-width digits, thousands
// separators, spaces), so what the clerk sees checked here is what the server will store.
// form-input.ts is server code, but readNumber is pure and esbuild drops the rest of that module
// (scripts/build-client.mjs refuses a bundle that contains server code); its type imports still
// reach D1's types, hence the reference below. Should readNumber move to src/core, import it
// from there and delete server-types.d.ts.
/// <reference path="./server-types.d.ts" />
export { readNumber } from '../areas/clerk/form-input';
