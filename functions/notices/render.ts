/**
 * An email is written once as blocks; `render` turns the blocks into the text part and the HTML part,
 * so the two never say different things.
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

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

export function renderText(message: Message): string {
  return `${message.blocks
    .map((block) => {
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
    })
    .join('\n\n')}\n`;
}

export function renderHtml(message: Message): string {
  const body = message.blocks
    .map((block) => {
      switch (block.kind) {
        case 'p':
          return `<p>${escapeHtml(block.text)}</p>`;
        case 'list':
          return `<ul>${block.items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`;
        case 'facts':
          return `<table role="presentation" cellpadding="4">${block.rows
            .map(([label, value]) => `<tr><th align="left">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`)
            .join('')}</table>`;
        case 'link':
          return `<p><a href="${escapeHtml(block.href)}" style="display:inline-block;padding:10px 16px;background:#1d4ed8;color:#fff;text-decoration:none;border-radius:4px">${escapeHtml(block.label)}</a></p>`;
        case 'code':
          return `<pre style="font-family:monospace;background:#f3f4f6;padding:8px">${escapeHtml(block.lines.join('\n'))}</pre>`;
      }
    })
    .join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(message.subject)}</title></head><body style="font-family:Arial,sans-serif;font-size:14px;color:#111">\n${body}\n</body></html>`;
}
