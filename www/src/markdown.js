// Enough Markdown for the core's code documentation (`explain`): headings, paragraphs, fenced code,
// lists, bold and inline code. Builds DOM nodes, so nothing in the text is ever parsed as HTML.
import { h } from './dom.js';

function spans(text) {
  const out = [];
  const re = /`([^`]+)`|\*\*([^*]+)\*\*/g;
  let last = 0;
  for (const m of text.matchAll(re)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    out.push(m[1] !== undefined ? h('code', null, m[1]) : h('strong', null, spans(m[2])));
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

/** Renders Markdown `source` into a DocumentFragment. `# ` headings become `<h{level + shift}>`. */
export function markdown(source, shift = 1) {
  const frag = document.createDocumentFragment();
  const lines = source.replace(/\r\n/g, '\n').split('\n');
  let para = [];
  let list = null;
  const flush = () => {
    if (para.length) frag.append(h('p', null, spans(para.join(' '))));
    para = [];
    list = null;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = line.match(/^```(\w*)/);
    if (fence) {
      flush();
      const code = [];
      while (++i < lines.length && !lines[i].startsWith('```')) code.push(lines[i]);
      frag.append(h('pre', null, h('code', fence[1] ? { 'data-lang': fence[1] } : null, code.join('\n'))));
      continue;
    }
    const heading = line.match(/^(#{1,6})\s+(.*)$/);
    if (heading) {
      flush();
      frag.append(h(`h${Math.min(6, heading[1].length + shift)}`, null, spans(heading[2])));
      continue;
    }
    const item = line.match(/^\s*[-*]\s+(.*)$/);
    if (item) {
      if (para.length) flush();
      if (!list) frag.append((list = h('ul')));
      list.append(h('li', null, spans(item[1])));
      continue;
    }
    if (line.trim() === '') flush();
    else if (list && /^\s+/.test(line)) list.lastChild.append(' ', ...spans(line.trim()));
    else {
      list = null;
      para.push(line.trim());
    }
  }
  flush();
  return frag;
}
