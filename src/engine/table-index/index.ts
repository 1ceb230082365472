export { TableIndex } from './lookup.js';
