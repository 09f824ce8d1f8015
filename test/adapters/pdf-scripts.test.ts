import { getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { renderDocumentPdf } from '../../functions/adapters/pdf.js';
import { documentContent } from '../../functions/domain/documents.js';
import { orderRequestSchema } from '../../contract/order-request.js';
import { defaultPolicy } from '../../contract/policy.js';
import { placePurchaseOrder } from '../../functions/domain/purchase-order/index.js';
import { exampleSellerProfile } from '../../functions/domain/seller.js';
import { inkOnFirstPage } from '../support/pdf-pixels.js';
import { pdfText } from '../support/pdf-text.js';

/** Invoices for buyers who write in other scripts: what they read, and what they see. */
interface Buyer {
  company: string;
  name: string;
  line1: string;
  city: string;
  country: string;
  description: string;
}

const buyers: Record<string, Buyer> = {
  japanese: { company: '株式会社山田製作所', name: '山田 太郎', line1: '丸の内一丁目1番1号', city: '東京都千代田区', country: 'JP', description: 'ソフトウェア年間ライセンス（チーム版）' },
  greek: { company: 'Ελληνικά Συστήματα Λογισμικού Α.Ε.', name: 'Γιώργος Παπαδόπουλος', line1: 'Λεωφόρος Κηφισίας 44', city: 'Αθήνα', country: 'GR', description: 'Άδεια χρήσης λογισμικού, ένα έτος' },
  russian: { company: 'ООО «Ромашка»', name: 'Юрий Иванов', line1: 'ул. Тверская, д. 7', city: 'Москва', country: 'RU', description: 'Лицензия на программное обеспечение, 1 год' },
  polish: { company: 'Przedsiębiorstwo Handlowe Łódź Sp. z o.o.', name: 'Małgorzata Wójcik', line1: 'ul. Żółkiewskiego 12', city: 'Łódź', country: 'PL', description: 'Licencja zespołowa, roczna — wsparcie techniczne' },
  chinese: { company: '华为技术有限公司', name: '王小明', line1: '朝阳区建国路88号', city: '北京市', country: 'CN', description: '软件年度许可证' },
  korean: { company: '삼성전자 주식회사', name: '김민수', line1: '서초대로 74길 11', city: '서울특별시', country: 'KR', description: '소프트웨어 연간 라이선스' },
  german: { company: 'Müller & Söhne Maschinenbau GmbH', name: 'Jürgen Groß', line1: 'Hauptstraße 5', city: 'Köln', country: 'DE', description: 'Team licence, 1 year' },
};

const at = new Date('2026-11-23T10:00:00Z');
async function invoice(buyer: Buyer, sku = 'LIC-TEAM'): Promise<Uint8Array> {
  const order = orderRequestSchema.parse({
    channel: 'cart',
    paymentMethod: 'purchase_order',
    customer: { id: 'c-1', type: 'business', company: buyer.company, email: 'ap@buyer.example' },
    currency: 'EUR',
    lines: [{ sku, description: buyer.description, quantity: 2, unitAmount: 10000, fulfilment: 'digital' }],
    billingAddress: { name: buyer.name, line1: buyer.line1, city: buyer.city, postalCode: '100-0005', country: buyer.country },
  });
  const po = placePurchaseOrder({ id: 'PO1', reference: 'PO-2026-000042', order, policy: { ...defaultPolicy, reviewByDefault: false, cartMinimum: { EUR: 100 } }, actor: 'checkout', at });
  return renderDocumentPdf(documentContent(po, 'invoice', 'INV-2026-000042', at, po.payment.dueDate, exampleSellerProfile));
}
const blank = (buyer: Buyer): Buyer => ({ ...buyer, company: '.', name: '.', line1: '.', city: '.', description: '.' });
const oneLine = (text: string) => text.replace(/\s+/g, ' ');
const fontsIn = (pdf: Uint8Array) => [...new Set(Array.from(Buffer.from(pdf).toString('latin1').matchAll(/\/BaseFont \/(?:[A-Z]{6}\+)?([A-Za-z-]+?)(?:-\d+)?[\s/>]/g), (match) => match[1]))].sort();

describe('documents in any script', () => {
  for (const [script, buyer] of Object.entries(buyers)) {
    it(`${script}: the extracted text is what the buyer typed, and every character is drawn`, async () => {
      const pdf = await invoice(buyer);
      const text = oneLine(await pdfText(pdf));
      for (const value of [buyer.company, buyer.name, buyer.line1, buyer.city, buyer.description]) expect(text).toContain(value);
      expect(text).not.toContain('?');
      // Blank glyphs would still extract: the ink the buyer's text adds must be there.
      const added = inkOnFirstPage(pdf, `invoice-${script}`) - inkOnFirstPage(await invoice(blank(buyer)));
      const characters = [buyer.company, buyer.name, buyer.line1, buyer.city, buyer.description].join('').replace(/\s/g, '').length;
      expect(added / characters).toBeGreaterThan(8);
    });
  }

  it('loads only the fonts a document needs: Helvetica for Western European text, Noto for the rest, a CJK font only for CJK text', async () => {
    expect(fontsIn(await invoice(buyers.german!))).toEqual(['Helvetica', 'Helvetica-Bold']);
    expect(fontsIn(await invoice(buyers.polish!))).toEqual(['NotoSans-Bold', 'NotoSans-Regular']);
    expect(fontsIn(await invoice(buyers.russian!))).toEqual(['NotoSans-Bold', 'NotoSans-Regular']);
    expect(fontsIn(await invoice(buyers.japanese!))).toEqual(['NotoSans-Bold', 'NotoSans-Regular', 'NotoSansJP-Regular']);
    expect(fontsIn(await invoice(buyers.chinese!))).toContain('NotoSansHans-Regular');
    expect(fontsIn(await invoice(buyers.korean!))).toContain('NotoSansKR-Regular');
  });

  it('wraps a long unbroken word inside its column instead of running into the amounts', async () => {
    const word = 'Unternehmenslizenzverlängerungsvereinbarungsnummer'.repeat(3);
    for (const buyer of [buyers.german!, buyers.polish!]) {
      const pdf = await invoice({ ...buyer, description: word, company: `${buyer.company} ${'X'.repeat(90)}` });
      const document = await getDocumentProxy(new Uint8Array(pdf));
      const items = (await (await document.getPage(1)).getTextContent()).items as { str: string; transform: number[]; width: number }[];
      const description = items.filter((item) => item.str && word.includes(item.str.trim()) && item.str.trim().length > 3);
      expect(description.length).toBeGreaterThan(1);
      for (const item of description) expect(item.transform[4]! + item.width).toBeLessThanOrEqual(242);
      // The amounts stay where they were, whole.
      expect(oneLine(await pdfText(pdf))).toContain('€200.00');
      expect(oneLine(await pdfText(pdf)).replace(/ /g, '')).toContain(word);
    }
  });

  it('prints right-to-left names without failing (letters in the order typed) and a character no font has as "?"', async () => {
    for (const company of ['شركة البرمجيات المحدودة', 'חברת תוכנה בע"מ', 'Rocket Ltd 🚀']) {
      const pdf = await invoice({ ...buyers.german!, company });
      expect(inkOnFirstPage(pdf, `invoice-${company.includes('🚀') ? 'emoji' : company.charCodeAt(0) > 0x600 ? 'arabic' : 'hebrew'}`)).toBeGreaterThan(inkOnFirstPage(await invoice({ ...buyers.german!, company: '.' })));
      if (company.includes('🚀')) expect(await pdfText(pdf)).toContain('Rocket Ltd ?');
    }
  });
});
