/**
 * An email is written once as blocks; `render` turns the blocks into the text part and the HTML part,
 * so the two never say different things. Every email has one layout, the seller's letter: the
 * seller's name (and logo) at the top, a greeting by name, the blocks (the first says what happened
 * and what to do next; a link is a button; facts are a short table), and a footer with the seller's
 * contact details and why the reader got it. The text part says the same in the same order.
 */
export type Block =
  | { kind: 'p'; text: string }
  | { kind: 'list'; items: string[] }
  | { kind: 'facts'; rows: [string, string][] }
  | { kind: 'link'; label: string; href: string }
  | { kind: 'code'; lines: string[] };

export interface Message {
  subject: string;
  blocks: Block[];
}

/** Who writes, to whom, and why: the frame every email is sent in. */
export interface Letterhead {
  seller: { name: string; addressLines: string[]; email: string; phone?: string | undefined; website?: string | undefined; logoUrl?: string | undefined };
  /** "Hello Jane Doe," */
  greeting: string;
  /** "You receive this email because …" */
  reason: string;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** The seller's contact details, one line each, as the footer prints them. */
function contactLines(seller: Letterhead['seller']): string[] {
  return [[seller.name, ...seller.addressLines].join(', '), [seller.email, seller.phone, seller.website].filter(Boolean).join(' · ')];
}

/**
 * In a letter the action follows the sentence that asks for it: the first link (a button in HTML)
 * comes right after the first paragraph, then the facts. Without a frame, the blocks as written.
 */
function letterOrder(blocks: Block[], framed: boolean): Block[] {
  const link = blocks.findIndex((block) => block.kind === 'link');
  if (!framed || link <= 1 || blocks[0]?.kind !== 'p') return blocks;
  return [blocks[0], blocks[link]!, ...blocks.slice(1, link), ...blocks.slice(link + 1)];
}

export function renderText(message: Message, frame?: Letterhead): string {
  const body = letterOrder(message.blocks, frame !== undefined).map((block) => {
    switch (block.kind) {
      case 'p':
        return block.text;
      case 'list':
        return block.items.map((item) => `- ${item}`).join('\n');
      case 'facts':
        return block.rows.map(([label, value]) => `${label}: ${value}`).join('\n');
      case 'link':
        return `${block.label}:\n${block.href}`;
      case 'code':
        return block.lines.map((line) => `    ${line}`).join('\n');
    }
  });
  if (!frame) return `${body.join('\n\n')}\n`;
  return `${[frame.seller.name.toUpperCase(), frame.greeting, ...body, `${frame.seller.name}`, `--\n${[...contactLines(frame.seller), frame.reason].join('\n')}`].join('\n\n')}\n`;
}

const colors = { ink: '#1f2933', muted: '#616e7c', line: '#e4e7eb', brand: '#1d4ed8', page: '#f5f7fa' };

export function renderHtml(message: Message, frame?: Letterhead): string {
  const body = letterOrder(message.blocks, frame !== undefined)
    .map((block, index) => {
      switch (block.kind) {
        case 'p':
          // The first sentence says what happened and what to do next: it leads.
          return `<p style="margin:0 0 16px;${index === 0 ? 'font-size:16px;' : ''}">${escapeHtml(block.text)}</p>`;
        case 'list':
          return `<ul style="margin:0 0 16px;padding-left:20px">${block.items.map((item) => `<li style="margin:0 0 6px">${escapeHtml(item)}</li>`).join('')}</ul>`;
        case 'facts':
          return `<table role="presentation" cellpadding="0" cellspacing="0" style="border-collapse:collapse;margin:0 0 16px;width:100%">${block.rows
            .map(
              ([label, value]) =>
                `<tr><th align="left" width="38%" style="padding:6px 12px 6px 0;border-bottom:1px solid ${colors.line};color:${colors.muted};font-weight:normal;white-space:nowrap;vertical-align:top">${escapeHtml(label)}</th><td style="padding:6px 0;border-bottom:1px solid ${colors.line}">${escapeHtml(value)}</td></tr>`,
            )
            .join('')}</table>`;
        case 'link':
          return `<p style="margin:0 0 20px"><a href="${escapeHtml(block.href)}" style="display:inline-block;padding:12px 20px;background:${colors.brand};color:#ffffff;text-decoration:none;border-radius:6px;font-weight:bold">${escapeHtml(block.label)}</a></p>`;
        case 'code':
          return `<pre style="margin:0 0 16px;font-family:Menlo,Consolas,monospace;font-size:13px;background:${colors.page};border:1px solid ${colors.line};border-radius:4px;padding:10px;white-space:pre-wrap">${escapeHtml(block.lines.join('\n'))}</pre>`;
      }
    })
    .join('\n');
  const head = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(message.subject)}</title></head>`;
  if (!frame) return `${head}<body style="font-family:Arial,sans-serif;font-size:14px;color:${colors.ink}">\n${body}\n</body></html>`;
  const { seller } = frame;
  const brand = seller.logoUrl
    ? `<img src="${escapeHtml(seller.logoUrl)}" alt="${escapeHtml(seller.name)}" style="max-height:48px;max-width:200px;border:0">`
    : `<span style="font-size:20px;font-weight:bold;color:${colors.ink}">${escapeHtml(seller.name)}</span>`;
  return `${head}<body style="margin:0;padding:0;background:${colors.page};font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:${colors.ink}">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:${colors.page}"><tr><td align="center" style="padding:24px 12px">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:600px;background:#ffffff;border:1px solid ${colors.line};border-radius:8px">
<tr><td style="padding:20px 28px;border-bottom:3px solid ${colors.brand}">${brand}</td></tr>
<tr><td style="padding:24px 28px 8px">
<p style="margin:0 0 16px">${escapeHtml(frame.greeting)}</p>
${body}
<p style="margin:8px 0 16px">${escapeHtml(seller.name)}</p>
</td></tr>
<tr><td style="padding:16px 28px 20px;border-top:1px solid ${colors.line};font-size:12px;color:${colors.muted}">
${contactLines(seller)
  .map((line) => `<p style="margin:0 0 4px">${escapeHtml(line)}</p>`)
  .join('\n')}
<p style="margin:8px 0 0">${escapeHtml(frame.reason)}</p>
</td></tr></table></td></tr></table></body></html>`;
}
