// PUT creates or updates. Two PUTs creating the same unit or person at once both see "new" and
// both insert; the unique index stops the second batch, which then wrote nothing at all. Running
// it once more finds the row and makes it an update, so the caller gets 200, not a 500.

/** D1 refused a write because of a unique index (the message may sit in an error's cause). */
export function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (e.message.includes('UNIQUE constraint failed')) return true;
  }
  return false;
}

export async function retryIfCreatedMeanwhile<T>(put: () => Promise<T>): Promise<T> {
  try {
    return await put();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return put();
  }
}
