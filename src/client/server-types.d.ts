// For type-checking only. read-number.ts imports readNumber from src/areas/clerk/form-input.ts,
// whose type imports reach the draft store and D1's types; the browser program has DOM types
// instead of the Worker's (the two declare different Element, Response …), so these three names
// stand in. Delete this file once readNumber lives in src/core.
type D1Database = any;
type D1Result = any;
type D1PreparedStatement = any;
