"use strict";
// Helpers shared by the pages. Text reaches the DOM only through text nodes (never innerHTML).
const dutygraph = (() => {
  const source = document.getElementById("modalities");
  const modalities = source ? JSON.parse(source.textContent) : [];

  function el(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (value === undefined || value === null || value === false) continue;
      if (name === "class") node.className = value;
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === "") continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  // "Duty", "dg:Duty", "https://w3id.org/dutygraph/ns#Duty", "duty", "义务" → "Duty" (or the input).
  function modalityName(value) {
    const text = textOf(value);
    const local = text.split(/[#:/]/).pop();
    const found = modalities.find((m) => [m.name.toLowerCase(), m.en.toLowerCase(), m.zh].includes(local.toLowerCase()));
    return found ? found.name : local;
  }

  function modalityLabel(name) {
    const found = modalities.find((m) => m.name === name);
    return found ? `${found.zh} ${found.en}` : name;
  }

  function fillModalities(select) {
    for (const m of modalities) select.append(el("option", { value: m.name }, `${m.zh}（${m.en}）`));
    select.value = select.dataset.selected || "";
  }

  // A value the API may send as a string or as an object with a title, label or name; control
  // characters left in source texts are dropped.
  function textOf(value) {
    if (value === undefined || value === null) return "";
    if (typeof value !== "object") return String(value).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, "");
    return textOf(value.title ?? value.label ?? value.name ?? value.value ?? value.id ?? value.iri ?? "");
  }

  // Only web and same-site links; anything else (javascript:, data:) is shown as text.
  function safeHref(value) {
    const text = textOf(value);
    if (!text) return null;
    try {
      const url = new URL(text, window.location.href);
      return ["http:", "https:"].includes(url.protocol) ? url.href : null;
    } catch {
      return null;
    }
  }

  function link(href, text) {
    const safe = safeHref(href);
    return safe ? el("a", { href: safe }, text) : el("span", {}, text);
  }

  async function errorText(response) {
    try {
      const body = await response.json();
      return textOf(body.detail ?? body.message ?? body.error) || `HTTP ${response.status}`;
    } catch {
      return `HTTP ${response.status}`;
    }
  }

  function setState(state) {
    document.body.dataset.state = state;
  }

  return { modalities, el, modalityName, modalityLabel, fillModalities, textOf, safeHref, link, errorText, setState };
})();
