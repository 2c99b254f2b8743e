import { useCryptoBackend } from '../src/index.js';

if (useCryptoBackend('webcrypto') !== 'webcrypto') throw new Error('Web Crypto backend not available');
