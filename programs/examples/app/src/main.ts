// The seed page's "Basic usage" server, on Node's own http module (no dependencies to install).
import { createServer } from 'node:http';

const port = Number(process.env.PORT ?? 3000);

const server = createServer((_req, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ message: 'Hello' }));
});

server.listen(port, () => {
  console.info(`Server running on port ${port}`);
});

process.on('SIGTERM', () => {
  console.info('Received SIGTERM signal. Cleaning up and exiting process...');
  server.close(() => process.exit(0));
});
