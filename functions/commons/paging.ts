/**
 * Every item a paginated read returns (the SDK's paginateQuery or paginateScan), in page order:
 * for the small reads that want them all at once (an area list, a key's jobs, a directory's
 * tokens). Large reads page themselves and keep at most a page or two.
 */
export async function allItems<Item = Record<string, unknown>>(pages: AsyncIterable<{ Items?: Item[] }>): Promise<Item[]> {
  const items: Item[] = [];
  for await (const page of pages) items.push(...(page.Items ?? []));
  return items;
}
