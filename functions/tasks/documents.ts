import { renderDocumentPdf } from '../adapters/pdf.js';
import * as tasks from '../app/tasks.js';
import type { DocumentDeps } from '../app/tasks.js';
import { systemClock } from '../wiring/clock.js';
import { seller } from '../wiring/mail.js';
import { stores } from '../wiring/stores.js';
import { signalOnlyWorkflow } from '../wiring/workflow.js';
import { exportTasks, stepInput, task } from './task.js';

/** Invoices, proformas and credit notes: numbered, rendered as PDF and stored (Notify emails them). */
export const makeDocumentTasks = (deps: DocumentDeps) => ({
  issueProforma: task('issue-proforma', stepInput, (input) => tasks.issueProforma(deps, input)),
  fulfil: task('fulfil', stepInput, (input) => tasks.fulfil(deps, input)),
  issueCreditNote: task('issue-credit-note', stepInput, (input) => tasks.issueCreditNote(deps, input)),
});

const exported = exportTasks(() => {
  const all = stores();
  return makeDocumentTasks({
    pos: all.pos,
    numbers: all.numbers,
    documents: all.documents,
    workflow: signalOnlyWorkflow(),
    clock: systemClock,
    seller: seller(),
    policies: all.policies,
    renderPdf: renderDocumentPdf,
  });
});
export const issueProforma = exported('issueProforma');
export const fulfil = exported('fulfil');
export const issueCreditNote = exported('issueCreditNote');
