/**
 * Listing cursors (functions/commons/cursors.ts): a position round-trips through
 * its opaque text; a cursor is refused when it is not one this API made (garbage,
 * not an object, a shape its listing does not accept) or was made for another listing.
 */
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../../../functions/commons/cursors.ts';

const anything = () => true;
const text = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('cursors', () => {
  it('give back the position they were made from, in the listing that made them', () => {
    const position = { area: 'extranet', key: { pk: 'u1', area: 'extranet', areaStateKey: 'active#2024#u1' } };
    const cursor = encodeCursor(position, 'users?area=extranet&state=');
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, 'users?area=extranet&state=', anything)).toEqual(position);
  });

  it('belong to one listing: another refuses them', () => {
    expect(decodeCursor(encodeCursor({ area: 'a' }, 'users?area=&state='), 'pending?area=', anything)).toBe('belongs to a different query');
    expect(decodeCursor(text({ area: 'a' }), 'users?area=&state=', anything)).toBe('belongs to a different query');
  });

  it('are refused when they are not one this API returned', () => {
    for (const cursor of ['not base64 json', text(null), text([1, 2]), text('a string'), text(42)]) {
      expect(decodeCursor(cursor, 'imports', anything)).toBe('is not one this API returned');
    }
  });

  it('are refused when the listing does not accept their shape, before their listing is looked at', () => {
    const onlyAreas = (position: Record<string, unknown>) => typeof position.area === 'string';
    expect(decodeCursor(encodeCursor({ area: 7 }, 'imports'), 'imports', onlyAreas)).toBe('is not one this API returned');
    expect(decodeCursor(encodeCursor({ area: 7 }, 'elsewhere'), 'imports', onlyAreas)).toBe('is not one this API returned');
    // The listing's own tag is not part of the position the check sees.
    expect(decodeCursor(encodeCursor({ area: 'a' }, 'imports'), 'imports', (p) => Object.keys(p).length === 1)).toEqual({ area: 'a' });
  });
});
