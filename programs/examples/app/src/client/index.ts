// Frontend container: forwards each request to the backend container over localhost (same task).
import { createServer, request } from 'node:http';

const port = Number(process.env.PORT ?? 80);
const apiPort = Number(process.env.API_CONTAINER_PORT ?? 3000);

createServer((req, res) => {
  const upstream = request({ host: '127.0.0.1', port: apiPort, path: req.url, method: req.method }, (reply) => {
    res.writeHead(reply.statusCode ?? 502, reply.headers);
    reply.pipe(res);
  });
  upstream.on('error', () => {
    res.writeHead(502);
    res.end('backend unavailable');
  });
  req.pipe(upstream);
}).listen(port, () => console.info(`frontend-container listening on ${port}`));
