import { PDFDocument, StandardFonts } from 'pdf-lib';
import { decisionLetterParagraphs, type DecisionLetterFacts } from '@harbour/domain';

/**
 * The letter as PDF, from the same paragraphs as the HTML (pdf-lib: pure JavaScript, no browser).
 * Deterministic for the same facts and time, so a letter made twice (a process manager restarted
 * before its checkpoint moved) has the same digest as the one recorded.
 */
export async function renderDecisionLetterPdf(facts: DecisionLetterFacts, issuedAt: string): Promise<Buffer> {
  const { title, paragraphs } = decisionLetterParagraphs(facts);
  const pdf = await PDFDocument.create();
  const when = new Date(issuedAt);
  pdf.setTitle(title);
  pdf.setProducer('Harbour');
  pdf.setCreator('Harbour decision letters');
  pdf.setCreationDate(when);
  pdf.setModificationDate(when);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const margin = 56;
  let page = pdf.addPage([595, 842]);
  let y = 842 - margin;
  const write = (text: string, size: number, face = font) => {
    for (const line of wrap(winAnsi(text), (w) => face.widthOfTextAtSize(w, size), 595 - 2 * margin)) {
      if (y < margin) {
        page = pdf.addPage([595, 842]);
        y = 842 - margin;
      }
      page.drawText(line, { x: margin, y, size, font: face });
      y -= size * 1.4;
    }
    y -= size * 0.6;
  };
  write(title, 16, bold);
  for (const paragraph of paragraphs) write(paragraph, 11);
  return Buffer.from(await pdf.save({ useObjectStreams: false }));
}

// The standard fonts encode WinAnsi only: anything else is shown as '?' in the PDF (the HTML keeps it).
function winAnsi(text: string): string {
  return text.replace(/[^\x20-\x7E\u00A0-\u00FF]/g, '?');
}

function wrap(text: string, width: (text: string) => number, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (width(candidate) <= max || line === '') {
      line = candidate;
    } else {
      lines.push(line);
      line = word;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}
