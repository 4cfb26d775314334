// Two helpers for building DOM with createElement/textContent (never innerHTML).

/**
 * el('button', {type: 'button', class: 'x', onclick: fn, 'aria-label': 'y'}, 'text', child)
 * Properties starting with "on" become listeners; null/false attributes are skipped;
 * `style` is set through the CSSOM; string children become text nodes.
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      node.addEventListener(key.slice(2), value);
    } else if (key === 'class') {
      node.className = value;
    } else if (key === 'value') {
      node.value = value; // a textarea has no value attribute
    } else if (key === 'text') {
      node.textContent = value;
    } else if (key === 'style') {
      node.style.cssText = value; // the CSSOM: the Content-Security-Policy refuses style attributes
    } else if (key in node && typeof value !== 'string') {
      node[key] = value; // e.g. value, checked, disabled as booleans
    } else {
      node.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(node, children);
  return node;
}

export function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function clear(node) {
  node.replaceChildren();
  return node;
}

let uid = 0;
/** A unique id for label/for and aria-describedby pairs. */
export function nextId(prefix = 'f') {
  uid += 1;
  return `${prefix}-${uid}`;
}

/** A labelled form field: returns {wrap, input}. */
export function field({ label, hint, tag = 'input', ...attrs }) {
  const id = nextId('field');
  const hintId = hint ? `${id}-hint` : null;
  const input = el(tag, { id, name: attrs.name, 'aria-describedby': hintId, ...attrs });
  const wrap = el('div', { class: 'field' },
    el('label', { for: id }, label),
    input,
    hint ? el('p', { class: 'hint', id: hintId }, hint) : null);
  return { wrap, input };
}
