/**
 * A few DOM helpers, so views read as markup without a framework.
 */

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

/**
 * Make an element: `h('button', { onclick: save, 'data-testid': 'save' }, 'Save')`.
 * `on…` attributes become listeners; `false`, `null` and `undefined` attributes are left out.
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'value' && 'value' in el) (el as HTMLInputElement).value = String(value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

/** Append children, skipping empty ones. */
export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

/** Replace everything inside `parent`. */
export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/** A `<select>` from `[value, label]` pairs. */
export function select(attrs: Attrs, options: readonly (readonly [string, string])[], selected = ''): HTMLSelectElement {
  const el = h('select', attrs);
  for (const [value, label] of options) el.append(h('option', { value, selected: value === selected }, label));
  return el;
}

/** A labelled form field. */
export function field(label: string, control: HTMLElement): HTMLLabelElement {
  return h('label', { class: 'field' }, h('span', {}, label), control);
}

const moneyFormats = new Map<string, Intl.NumberFormat>();

/** `{ amount: 480000, currency: 'EUR' }` → `€4,800` (minor units to major). */
export function money(m: { amount: number; currency: string } | null | undefined): string {
  if (!m) return '–';
  let f = moneyFormats.get(m.currency);
  if (!f) moneyFormats.set(m.currency, (f = new Intl.NumberFormat('en-GB', { style: 'currency', currency: m.currency, maximumFractionDigits: 0 })));
  return f.format(m.amount / 100);
}

/** A compact amount for chart axes: 12500 → `12.5k`. */
export function compact(n: number): string {
  return new Intl.NumberFormat('en-GB', { notation: 'compact', maximumFractionDigits: 1 }).format(n);
}

const dateTime = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium' });

/** An ISO date-time as people read it, in the browser's zone. */
export function when(iso: string | undefined, withTime = true): string {
  if (!iso) return '–';
  return (withTime ? dateTime : dateOnly).format(new Date(iso));
}

/** `+42 min`, `−3 h 10 min`: time left (or overdue) from now. */
export function relative(iso: string, now = Date.now()): string {
  const minutes = Math.round((Date.parse(iso) - now) / 60_000);
  const abs = Math.abs(minutes);
  const text = abs >= 2880 ? `${Math.round(abs / 1440)} d` : abs >= 60 ? `${Math.floor(abs / 60)} h ${abs % 60} min` : `${abs} min`;
  return minutes < 0 ? `${text} ago` : `in ${text}`;
}

/** A percentage from a 0..1 ratio (`null` → `–`). */
export function percent(r: number | null | undefined): string {
  return r === null || r === undefined ? '–' : `${Math.round(r * 100)}%`;
}

/** A small coloured label. */
export function badge(text: string, kind = ''): HTMLSpanElement {
  return h('span', { class: `badge ${kind}`.trim() }, text);
}
