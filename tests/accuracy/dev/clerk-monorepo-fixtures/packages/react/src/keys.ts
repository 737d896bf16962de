export function parsePublishableKey(key: string) {
  const [, env, body] = key.match(/^pk_(live|test)_(.+)$/) ?? [];
  if (!body) return null;
  const host = atob(body);
  return host.endsWith('$') ? { instanceType: env === 'live' ? 'production' : 'development', host: host.slice(0, -1) } : null;
}
