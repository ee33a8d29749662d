// Binding one of the venue's TCP ports: listen on host:port and resolve with the port actually bound
// (port 0 lets the OS choose one, as tests do). A failure to bind rejects; once bound, server errors
// are only reported, never thrown, so a bad accept cannot stop the venue.
import type { Server } from 'node:net';

export function bindPort(server: Server, host: string, port: number, onError: (err: Error) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      server.on('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    });
  });
}
