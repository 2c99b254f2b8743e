// What apps write: Express 5, express.json() and jsonwebtoken with the API key as a string secret.
// The key comes from BENCH_KEY (never argv); prints "listening on <url>" when ready.
import express from 'express';
import jwt from 'jsonwebtoken';

const KEY = process.env.BENCH_KEY ?? '';
const DOMAIN = process.env.BENCH_DOMAIN ?? '';
const app = express();
app.use(express.json());
app.post('/v1/meeting-tokens', (req, res) => {
  if (req.get('authorization') !== `Bearer ${KEY}`) return res.status(401).json({ error: 'authentication-error' });
  const p = req.body?.properties ?? {};
  const token = jwt.sign({ r: p.room_name, u: p.user_name, o: p.is_owner, exp: p.exp, d: DOMAIN }, KEY, {
    algorithm: 'HS256',
  });
  res.json({ token });
});
const server = app.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${server.address().port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
