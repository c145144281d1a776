/**
 * How long a name may be, on every path (the API, CSV files, SCIM): display,
 * first and last names and external ids. Characters are Unicode code points,
 * as a person counts them: 😀 or é is one character, not two UTF-16 units.
 */
export const MAX_NAME_LENGTH = 200;

/** Unicode code points in a text. */
export function characterCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/** Whether a name is longer than MAX_NAME_LENGTH characters (one of at most that many UTF-16 units never is). */
export const isNameTooLong = (text: string) => text.length > MAX_NAME_LENGTH && characterCount(text) > MAX_NAME_LENGTH;
