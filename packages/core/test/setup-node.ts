import { useCryptoBackend } from '../src/index.js';

if (useCryptoBackend('node') !== 'node') throw new Error('node:crypto backend not available');
