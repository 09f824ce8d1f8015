import { writeDocs } from './docs.js';

await writeDocs();
console.log('docs/ generated sections rewritten');
