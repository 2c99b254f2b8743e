// Serves the Hono app on Node with @hono/node-server (run it with tsx, or compile it first).
import { serve } from '@hono/node-server';
import { createApp } from './app.js';

serve({ fetch: createApp(process.env).fetch, hostname: '127.0.0.1', port: Number(process.env.PORT ?? 3000) });
