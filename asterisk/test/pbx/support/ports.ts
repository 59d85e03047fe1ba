/** The lab's core lives in asterisk/src/lab/ (the capture command and bench:live --pbx use it too). */
export * from '../../../src/lab/ports.ts';
