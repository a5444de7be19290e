import { describe, expect, it } from 'vitest';
import { toBindError } from './bind-error.ts';

describe('toBindError', () => {
  it('names EACCES on a low port with elevation, setcap and proxy-mode remedies', () => {
    const e = toBindError(Object.assign(new Error('listen EACCES'), { code: 'EACCES' }), '127.0.0.1', 80);
    expect(e.name).toBe('GatewayBindError');
    expect(e.code).toBe('EACCES');
    expect(e.port).toBe(80);
    expect(e.message).toMatch(/privileged/);
    expect(e.remedies.join('\n')).toMatch(/elevated/);
    expect(e.remedies.join('\n')).toMatch(/setcap cap_net_bind_service/);
    expect(e.remedies.join('\n')).toMatch(/HTTP-proxy mode/);
  });

  it('names EADDRINUSE with free-the-port remedies', () => {
    const e = toBindError(Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' }), '127.0.0.1', 8080);
    expect(e.code).toBe('EADDRINUSE');
    expect(e.message).toMatch(/already in use/);
    expect(e.remedies.join('\n')).toMatch(/free the port/);
  });
});
