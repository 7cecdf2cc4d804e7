// Tests may only talk HTTP to this machine's loopback, where the twins answer (DESIGN §4).
// Any other destination fails the test instead of silently reaching the network.
const realFetch = globalThis.fetch;
globalThis.fetch = async (input: string | URL | Request, init?: RequestInit) => {
  const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
    throw new Error(`outbound HTTP to ${url.host} in a test: only loopback twins may answer`);
  }
  return realFetch(input, init);
};
