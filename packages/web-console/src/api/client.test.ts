import { api } from './client';

describe('api.all', () => {
  const realFetch = global.fetch;
  afterEach(() => {
    global.fetch = realFetch;
  });

  test('when a listing has more than one page, then every page is fetched in turn with the cursor it gave, and the items come back together', async () => {
    const asked: string[] = [];
    const pages: Record<string, { items: { id: string }[]; nextCursor: string | null }> = {
      '': { items: [{ id: 'a' }, { id: 'b' }], nextCursor: 'c1' },
      c1: { items: [{ id: 'c' }], nextCursor: 'c2' },
      c2: { items: [{ id: 'd' }], nextCursor: null },
    };
    global.fetch = (async (url: string) => {
      asked.push(url);
      const cursor = new URL(url, 'http://console').searchParams.get('cursor') ?? '';
      return new Response(JSON.stringify(pages[cursor]), { status: 200, headers: { 'content-type': 'application/json' } });
    }) as typeof fetch;
    const all = await api.all('/api/v1/routers');
    expect(all.items.map((r) => (r as unknown as { id: string }).id)).toEqual(['a', 'b', 'c', 'd']);
    expect(all.nextCursor).toBeNull();
    expect(asked).toEqual(['/api/v1/routers?limit=200', '/api/v1/routers?limit=200&cursor=c1', '/api/v1/routers?limit=200&cursor=c2']);
  });
});
