// Backend container: reachable only by the other containers of its workload (workload-internal).
import { createServer } from 'node:http';

const port = Number(process.env.PORT ?? 3000);

createServer((req, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ from: 'api-container', path: req.url }));
}).listen(port, () => console.info(`api-container listening on ${port}`));
