"use strict";
// Home page: an actor's duties, grouped by instrument and modality, from GET /actors/{name}/obligations.
(() => {
  const { el, modalities, modalityName, modalityLabel, fillModalities, textOf, link, setState } = dutygraph;
  const form = document.getElementById("lookup");
  const input = document.getElementById("actor");
  const select = document.getElementById("modality");
  const status = document.getElementById("status");
  const results = document.getElementById("results");
  const suggestions = document.getElementById("suggestions");
  const include = document.getElementById("include");
  const succession = document.getElementById("succession");
  const PAGE_SIZE = 200;
  const MAX_PAGES = 50;
  const POPULAR_COUNT = 24;

  fillModalities(select);
  include.checked = include.dataset.checked === "predecessors";
  loadActorNames();
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    lookup();
  });
  if (input.value.trim()) lookup();

  // The datalist helps typing; the chips show where to start. The lookup works without either.
  async function loadActorNames() {
    try {
      const response = await fetch("/actors", { headers: { Accept: "application/json" } });
      if (!response.ok) return;
      const actors = itemsOf(await response.json());
      const list = document.getElementById("actor-names");
      for (const actor of actors) {
        const name = textOf(actor.name ?? actor.label ?? actor);
        if (name) list.append(el("option", { value: name }));
      }
      showPopular(actors.slice(0, POPULAR_COUNT));
    } catch {
      // Without the list the page still answers lookups.
    }
  }

  function showPopular(actors) {
    const popular = document.getElementById("popular");
    const chips = actors.map((actor) => {
      const name = textOf(actor.name ?? actor.label ?? actor);
      const count = Number(actor.obligations ?? actor.count);
      const chip = el("button", { type: "button", class: "suggestion" }, name, Number.isFinite(count) ? ` ${count}` : "");
      chip.addEventListener("click", () => {
        input.value = name;
        lookup();
      });
      return el("li", {}, chip);
    });
    popular.replaceChildren(...(chips.length ? [el("li", { class: "hint" }, "常见主体："), ...chips] : []));
  }

  async function lookup() {
    const name = input.value.trim();
    if (!name) return;
    const query = new URLSearchParams({ actor: name });
    if (select.value) query.set("modality", select.value);
    if (include.checked) query.set("include", "predecessors");
    history.replaceState(null, "", `?${query}`);
    results.replaceChildren();
    suggestions.replaceChildren();
    succession.replaceChildren();
    succession.hidden = true;
    status.textContent = "查询中…";
    setState("loading");
    try {
      const answer = await fetchAll(name, select.value, include.checked);
      if (answer.error) {
        showNotFound(name, answer.error, answer.body);
        return;
      }
      showSuccession(answer.body && answer.body.actor);
      render(answer.items, textOf(answer.body && (answer.body.actor ?? answer.body.label)) || name);
    } catch (error) {
      status.textContent = `查询失败：${error.message}`;
      setState("error");
    }
  }

  // Follows the API's pagination: a `next` link when given, else offset/limit against `total`.
  async function fetchAll(name, modality, withPredecessors) {
    const base = `/actors/${encodeURIComponent(name)}/obligations`;
    const params = new URLSearchParams({ limit: PAGE_SIZE, offset: 0 });
    if (modality) params.set("modality", modality);
    if (withPredecessors) params.set("include", "predecessors");
    let url = `${base}?${params}`;
    let items = [];
    let first = null;
    for (let page = 0; url && page < MAX_PAGES; page += 1) {
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      const body = await response.json().catch(() => null);
      if (!response.ok) return { error: response.status, body };
      first = first ?? body;
      const pageItems = itemsOf(body);
      items = items.concat(pageItems);
      url = nextUrl(body, base, params, items.length, pageItems.length);
    }
    return { items, body: first };
  }

  function nextUrl(body, base, params, collected, pageLength) {
    if (!body || Array.isArray(body)) return null;
    const next = body.next ?? (body.links && body.links.next);
    if (next) {
      const url = new URL(textOf(next), window.location.href);
      return url.origin === window.location.origin ? url.href : null;
    }
    const total = Number(body.total ?? body.count);
    if (!Number.isFinite(total) || collected >= total || pageLength === 0) return null;
    params.set("offset", collected);
    return `${base}?${params}`;
  }

  function itemsOf(body) {
    if (Array.isArray(body)) return body;
    if (!body) return [];
    return body.items ?? body.obligations ?? body.results ?? body.actors ?? [];
  }

  // Former agencies (机构改革): who took over their duties, or whose duties this actor took over.
  function showSuccession(actor) {
    if (!actor || typeof actor !== "object") return;
    const jump = (other) => {
      const button = el("button", { type: "button", class: "suggestion" }, textOf(other.name));
      button.addEventListener("click", () => {
        input.value = textOf(other.name);
        lookup();
      });
      return button;
    };
    const parts = [];
    if ((actor.replaced_by || []).length) {
      parts.push(`${textOf(actor.name)} 已撤并，职责由 `, ...actor.replaced_by.map(jump), " 承接。");
    }
    if ((actor.replaces || []).length) {
      const names = actor.replaces.map((other) => textOf(other.name)).join("、");
      parts.push(`${textOf(actor.name)} 承接了 ${names} 的职责`,
        (actor.included || []).length ? "，下列结果已包括它们的义务。" : "；勾选“包括前身机关的义务”可一并查看。");
    }
    succession.replaceChildren(...parts);
    succession.hidden = parts.length === 0;
  }

  function showNotFound(name, code, body) {
    status.textContent = code === 404 ? `没有找到主体“${name}”。` : `查询失败（HTTP ${code}）：${textOf(body && (body.detail ?? body.message))}`;
    const closest = body ? (body.closest ?? body.suggestions ?? body.candidates ?? body.did_you_mean ?? []) : [];
    for (const candidate of closest) {
      const label = textOf(candidate.name ?? candidate.label ?? candidate);
      const button = el("button", { type: "button", class: "suggestion" }, label);
      button.addEventListener("click", () => {
        input.value = label;
        lookup();
      });
      suggestions.append(el("li", {}, button));
    }
    if (closest.length) suggestions.prepend(el("li", { class: "hint" }, "您是不是要找："));
    setState("not-found");
  }

  let currentName = "";

  function render(items, actorName) {
    currentName = actorName;
    const byInstrument = new Map();
    for (const item of items) {
      const title = textOf(item.instrument_title ?? item.instrument) || "（未知文件）";
      if (!byInstrument.has(title)) byInstrument.set(title, new Map());
      const byModality = byInstrument.get(title);
      const modality = modalityName(item.modality);
      if (!byModality.has(modality)) byModality.set(modality, []);
      byModality.get(modality).push(item);
    }
    const order = modalities.map((m) => m.name);
    const rank = (name) => (order.includes(name) ? order.indexOf(name) : order.length);
    for (const [title, byModality] of [...byInstrument].sort(([a], [b]) => a.localeCompare(b, "zh"))) {
      const count = [...byModality.values()].reduce((sum, list) => sum + list.length, 0);
      const section = el("section", { class: "instrument" }, el("h2", {}, title, el("span", { class: "count" }, ` ${count} 条`)));
      for (const [modality, list] of [...byModality].sort(([a], [b]) => rank(a) - rank(b))) {
        section.append(
          el("h3", { class: `modality modality-${modality}` }, `${modalityLabel(modality)}（${list.length}）`),
          el("ol", { class: "duties" }, list.map(duty)),
        );
      }
      results.append(section);
    }
    status.textContent = `${actorName}：共 ${items.length} 条，来自 ${byInstrument.size} 份文件。`;
    document.body.dataset.count = String(items.length);
    setState("done");
  }

  function duty(item) {
    const article = item.article ?? item.article_number;
    const where = article === undefined || article === null || article === "" ? textOf(item.provision_label ?? item.section_path) || "出处"
      : /^\d+$/.test(String(article)) ? `第${article}条` : textOf(article);
    const details = [item.level && `层级：${textOf(item.level)}`, item.inferred === true && "主体为推断",
      item.actor_name && item.actor_name !== currentName && `主体：${textOf(item.actor_name)}`].filter(Boolean);
    return el("li", {},
      el("p", { class: "sentence" }, textOf(item.sentence)),
      el("p", { class: "meta" }, link(item.link ?? item.url ?? item.provision, where), details.length ? ` · ${details.join(" · ")}` : ""));
  }
})();
