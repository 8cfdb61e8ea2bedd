import { parseSse } from './sse';

describe('parseSse', () => {
  test('when whole messages arrive, then each comes out with its event and data; comments are skipped', () => {
    const { messages, rest } = parseSse('retry: 2000\n\nevent: ready\ndata: {"sessionId":"s"}\n\n: heartbeat\n\nevent: block.changed\ndata: {"routerId":"r","ids":["b"]}\n\n');
    expect(messages).toEqual([
      { event: 'ready', data: '{"sessionId":"s"}' },
      { event: 'block.changed', data: '{"routerId":"r","ids":["b"]}' },
    ]);
    expect(rest).toBe('');
  });

  test('when a message is cut anywhere across chunks, then it comes out once, whole, when its end arrives', () => {
    const text = 'event: command.finished\ndata: {"routerId":"r","ids":["c"]}\n\nevent: router.status\ndata: {"routerId":"r"}\n\n';
    for (let cut = 1; cut < text.length; cut++) {
      const first = parseSse(text.slice(0, cut));
      const second = parseSse(first.rest + text.slice(cut));
      expect([...first.messages, ...second.messages].map((m) => m.event)).toEqual(['command.finished', 'router.status']);
      expect(second.rest).toBe('');
    }
  });

  test('when lines end in CRLF or data spans lines, then the message is the same', () => {
    expect(parseSse('event: x\r\ndata: a\r\ndata: b\r\n\r\n').messages).toEqual([{ event: 'x', data: 'a\nb' }]);
  });
});
