/** Every item of a paginated read (functions/commons/paging.ts), in page order; a page without Items adds none. */
import { describe, expect, it } from 'vitest';
import { allItems } from '../../../../functions/commons/paging.ts';

async function* pages<T>(...list: { Items?: T[] }[]) {
  for (const page of list) yield await Promise.resolve(page);
}

describe('allItems', () => {
  it('reads every page in order', async () => {
    expect(await allItems(pages({ Items: [1, 2] }, {}, { Items: [] }, { Items: [3] }))).toEqual([1, 2, 3]);
    expect(await allItems(pages())).toEqual([]);
  });
});
