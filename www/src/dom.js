// A small element builder: h('p', {class: 'x', onclick}, 'text', child, [more]).

/** Creates an element with attributes (`on*` become listeners, `false`/null are left out) and children. */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  el.append(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
  return el;
}

/** Text with `backticked` parts as <code>, as the core writes its messages. */
export function inline(text) {
  return String(text).split('`').map((part, i) => (i % 2 ? h('code', null, part) : part)).filter((p) => p !== '');
}

/** `n thing`/`n things`. */
export function plural(n, one, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}

/** The element with this id; throws if the page lacks it. */
export function byId(id) {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing from the page`);
  return el;
}
