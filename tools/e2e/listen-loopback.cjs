// Preload (node -r) for local test servers that listen on every interface, such as the Agents Playground:
// a listen() given a port but no host binds to 127.0.0.1 instead, so nothing started by the tests is reachable
// from outside the machine.
'use strict';
const net = require('net');

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  const [first, second] = args;
  const isPort = typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first));
  if (isPort && typeof second !== 'string') {
    args.splice(1, 0, '127.0.0.1');
  } else if (first !== null && typeof first === 'object' && 'port' in first && !first.host) {
    args[0] = { ...first, host: '127.0.0.1' };
  }
  return listen.apply(this, args);
};
