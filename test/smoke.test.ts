import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

describe('smoke', () => {
  it('walks a request to completed', async () => {
    const s = t.subscriber((x) => x.owner.personType === 'natural');
    const { view } = await t.file(s);
    await t.walkTo(view.trackingCode, s.owner.mobile, 'completed');
    expect((await t.view(view.trackingCode)).state).toBe('completed');
  });
});
