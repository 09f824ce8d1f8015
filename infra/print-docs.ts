import { writeDocs } from './docs.js';

writeDocs();
console.log('docs/ generated sections rewritten');
