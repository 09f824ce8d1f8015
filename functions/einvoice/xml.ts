/**
 * The small typed XML builder the e-invoice writers use: elements with prefixed names, attributes
 * and text, escaped, indented by two spaces. It is all UBL, CII and XMP need (namespaces are
 * declared as attributes on the root); an XML library (xmlbuilder2, with its DOM and YAML parser)
 * cost each function that writes e-invoices about 300 KB and 75 ms of its cold start
 * (bench/README.md). The schema and rule tests check what it writes.
 */

/** Characters XML 1.0 cannot carry at all (C0 controls but tab, line feed and carriage return; U+FFFE/FFFF; lone surrogates). */
const forbidden = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
export const escapeXml = (text: string): string => text.replace(forbidden, '').replace(/[&<>"]/g, (char) => entities[char]!);

export class XmlElement {
  private readonly children: (XmlElement | string)[] = [];

  constructor(
    readonly name: string,
    private readonly attributes: Record<string, string> = {},
  ) {}

  /** Adds a child element and returns it. */
  ele(name: string, attributes: Record<string, string> = {}): XmlElement {
    const child = new XmlElement(name, attributes);
    this.children.push(child);
    return child;
  }

  /** Adds text and returns this element. */
  txt(text: string): this {
    this.children.push(text);
    return this;
  }

  render(indent = ''): string {
    const attributes = Object.entries(this.attributes)
      .map(([name, value]) => ` ${name}="${escapeXml(value)}"`)
      .join('');
    const open = `${indent}<${this.name}${attributes}`;
    if (!this.children.length) return `${open}/>`;
    if (this.children.every((child) => typeof child === 'string')) return `${open}>${this.children.map((text) => escapeXml(text as string)).join('')}</${this.name}>`;
    const inner = this.children.map((child) => (typeof child === 'string' ? `${indent}  ${escapeXml(child)}` : child.render(`${indent}  `))).join('\n');
    return `${open}>\n${inner}\n${indent}</${this.name}>`;
  }
}

/** A document: the XML declaration and its root element. */
export const xmlDocument = (root: XmlElement): string => `<?xml version="1.0" encoding="UTF-8"?>\n${root.render()}`;
