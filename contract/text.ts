import * as z from 'zod';

/**
 * Free text people type or systems send, which reaches email subjects, documents and pages. Control
 * characters and the bidirectional overrides, embeddings and isolates (which can make a reviewer read
 * "fdp.exe" as "exe.pdf", or a total in the wrong order) are refused; line breaks and tabs only
 * where the text may span lines.
 */
const bidiControls = /[\u202a-\u202e\u2066-\u2069]/;
// eslint-disable-next-line no-control-regex
const controls = /[\u0000-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex
const controlsButLines = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

const clean = (pattern: RegExp) => (value: string) => !pattern.test(value) && !bidiControls.test(value);
const message = 'must not contain control or bidirectional formatting characters';

/** One line: names, references, descriptions. */
export const singleLine = (max: number) => z.string().trim().min(1).max(max).refine(clean(controls), { message });

/** Text that may span lines: comments, reasons. */
export const multiLine = (max: number) => z.string().trim().min(1).max(max).refine(clean(controlsButLines), { message });

/** Text that may span lines and may be left empty (a form's optional comment). */
export const anyLines = (max: number) => z.string().trim().max(max).refine(clean(controlsButLines), { message });
