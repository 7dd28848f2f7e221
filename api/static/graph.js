"use strict";
// Graph view: a network view from GET /export/cytoscape drawn with Cytoscape.js (bundled).
(() => {
  const { el, fillModalities, modalityLabel, link, errorText, setState } = dutygraph;
  const form = document.getElementById("filters");
  const viewSelect = document.getElementById("view");
  const status = document.getElementById("status");
  const nodeCount = document.getElementById("node-count");
  const edgeCount = document.getElementById("edge-count");
  const downloads = document.getElementById("downloads");
  const details = document.getElementById("details");
  const legend = document.getElementById("legend");
  const showAll = new URLSearchParams(window.location.search).has("all");
  const container = document.getElementById("cy");
  // Force-directed layout gets slow past a few thousand elements; rings stay fast. Past the
  // drawing limit a browser tab stalls, so the page asks for filters (downloads still work).
  const FORCE_LAYOUT_LIMIT = 1500;
  const DRAWING_LIMIT = 30000;
  // A first view a person can read: the best-connected nodes of each kind, every one labelled;
  // "显示全部" (?all) draws everything.
  const READABLE_LIMIT = 40;
  const READABLE_QUOTA = { actor: 28, instrument: 12, obligation: 24 };
  const KIND_LABELS = { actor: "主体", instrument: "文件", obligation: "义务单元" };
  const DOC_NAMESPACE = "https://w3id.org/dutygraph/id/doc/";
  const COLORS = {
    actor: "#2b6cb0", instrument: "#dd6b20",
    Duty: "#c53030", Prohibition: "#742a2a", Permission: "#2f855a",
    Encouragement: "#319795", Support: "#6b46c1", Commitment: "#718096",
  };
  let cy = null;

  fillModalities(document.getElementById("modality"));
  viewSelect.value = viewSelect.dataset.selected || "bipartite";
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    load();
  });
  load();

  function filters() {
    const params = new URLSearchParams();
    for (const [name, value] of new FormData(form)) if (String(value).trim()) params.set(name, String(value).trim());
    return params;
  }

  async function load() {
    const params = filters();
    history.replaceState(null, "", `?${params}${showAll ? "&all" : ""}`);
    showDownloads(params);
    status.textContent = "加载中…";
    setState("loading");
    try {
      const response = await fetch(`/export/cytoscape?${params}`, { headers: { Accept: "application/json" } });
      if (!response.ok) {
        draw({ nodes: [], edges: [] }, false);
        status.textContent = `无法显示：${await errorText(response)}`;
        setState("error");
        return;
      }
      const { elements, directed } = await response.json();
      const total = elements.nodes.length + elements.edges.length;
      if (total > DRAWING_LIMIT) {
        draw({ nodes: [], edges: [] }, directed);
        status.textContent = `共 ${elements.nodes.length} 个节点、${elements.edges.length} 条边，太多无法绘制：请按主体、义务类型或地域筛选，或下载后用 Gephi / Cytoscape 打开。`;
        setState("too-large");
        return;
      }
      const shown = showAll ? elements : readable(elements);
      draw(shown, directed);
      if (shown !== elements) {
        status.replaceChildren(`显示联系最多的 ${shown.nodes.length} 个节点（共 ${elements.nodes.length} 个）。`,
          link(`/graph?${params}&all`, "显示全部"));
      }
    } catch (error) {
      status.textContent = `加载失败：${error.message}`;
      setState("error");
    }
  }

  // The nodes with the heaviest edges, READABLE_QUOTA of each kind, and the edges among them.
  function readable(elements) {
    if (elements.nodes.length <= READABLE_LIMIT) return elements;
    const weight = new Map();
    for (const { data } of elements.edges) {
      for (const end of [data.source, data.target]) weight.set(end, (weight.get(end) || 0) + (data.weight || 1));
    }
    const kept = new Set();
    for (const [kind, quota] of Object.entries(READABLE_QUOTA)) {
      elements.nodes.filter(({ data }) => data.kind === kind)
        .sort((a, b) => (weight.get(b.data.id) || 0) - (weight.get(a.data.id) || 0))
        .slice(0, quota).forEach(({ data }) => kept.add(data.id));
    }
    const edges = elements.edges.filter(({ data }) => kept.has(data.source) && kept.has(data.target));
    const linked = new Set(edges.flatMap(({ data }) => [data.source, data.target]));
    return { nodes: elements.nodes.filter(({ data }) => linked.has(data.id)), edges };
  }

  function draw(elements, directed) {
    if (cy) cy.destroy();
    const degree = new Map();
    for (const { data } of elements.edges) {
      for (const end of [data.source, data.target]) degree.set(end, (degree.get(end) || 0) + (data.weight || 1));
    }
    const nodes = elements.nodes.map(({ data }) => ({ data: { ...data, degree: degree.get(data.id) || 0 } }));
    const large = nodes.length + elements.edges.length > FORCE_LAYOUT_LIMIT;
    cy = cytoscape({
      container,
      elements: { nodes, edges: elements.edges },
      style: style(directed, Math.max(1, ...degree.values())),
      layout: large ? {
        name: "concentric", animate: false, stop: (event) => rendered(event.cy),
        concentric: (node) => node.data("degree"), levelWidth: () => 4,
      } : {
        name: "cose", animate: false, padding: 20, nodeRepulsion: () => 80000, idealEdgeLength: () => 110,
        nodeOverlap: 20, componentSpacing: 120, gravity: 0.5, numIter: 2000,
        // Runs inside cytoscape() before it returns, so the instance comes with the event.
        stop: (event) => rendered(event.cy),
      },
      wheelSensitivity: 0.3,
    });
    cy.on("tap", "node", (event) => showDetails(event.target.data()));
    showLegend(elements, directed);
  }

  // What the colours, shapes and lines mean, for the kinds this drawing has.
  function showLegend(elements, directed) {
    const kinds = new Set(elements.nodes.map(({ data }) => data.kind));
    const modalities = new Set(elements.nodes.map(({ data }) => data.modality).filter(Boolean));
    const entry = (swatchClass, color, text) => el("li", {},
      el("span", { class: `swatch ${swatchClass}`, style: `background:${color}` }), text);
    const items = [];
    if (kinds.has("actor")) items.push(entry("dot", COLORS.actor, "主体（越大义务越多）"));
    if (kinds.has("instrument")) items.push(entry("box", COLORS.instrument, "文件"));
    for (const name of modalities) items.push(entry("dot", COLORS[name] || "#a0aec0", `义务单元：${modalityLabel(name)}`));
    if (elements.edges.length) items.push(entry("line", "#cbd5e0", directed ? "连线：出自 / 承担（线越粗义务越多）" : "连线：同句列举（线越粗次数越多）"));
    if (elements.edges.some(({ data }) => /coactor/i.test(data.kind))) items.push(entry("dashed", "#805ad5", "虚线：会同"));
    legend.replaceChildren(...items);
    legend.dataset.kinds = [...kinds].map((kind) => KIND_LABELS[kind] || kind).join(" ");
  }

  function rendered(graph) {
    nodeCount.value = String(graph.nodes().length);
    edgeCount.value = String(graph.edges().length);
    document.body.dataset.nodes = String(graph.nodes().length);
    document.body.dataset.edges = String(graph.edges().length);
    // Nodes whose label is drawn: obligation nodes show theirs only when selected.
    document.body.dataset.labelled = String(graph.nodes().filter((node) => node.style("label")).length);
    status.textContent = graph.nodes().length ? "" : "没有符合条件的数据。";
    setState("rendered");
  }

  function style(directed, maxDegree) {
    return [
      { selector: "node", style: { label: "data(label)", "font-size": 10, "text-wrap": "ellipsis", "text-max-width": 140,
        "background-color": "#a0aec0", width: 12, height: 12, color: "#1a202c", "text-valign": "bottom",
        "text-outline-color": "#ffffff", "text-outline-width": 2,
        // A small drawing keeps every label; a large one drops them when zoomed out, or it is a blur.
        "min-zoomed-font-size": showAll ? 7 : 0 } },
      { selector: 'node[kind = "actor"]', style: { "background-color": COLORS.actor,
        width: `mapData(degree, 0, ${maxDegree}, 14, 56)`, height: `mapData(degree, 0, ${maxDegree}, 14, 56)`,
        "font-size": `mapData(degree, 0, ${maxDegree}, 10, 18)` } },
      { selector: 'node[kind = "instrument"]', style: { "background-color": COLORS.instrument, shape: "round-rectangle",
        width: 34, height: 22, "font-size": 13, "font-weight": "bold" } },
      ...Object.entries(COLORS).filter(([name]) => !["actor", "instrument"].includes(name)).map(([name, color]) => (
        { selector: `node[modality = "${name}"]`, style: { "background-color": color } })),
      { selector: 'node[kind = "obligation"]', style: { label: "" } },
      { selector: 'node[kind = "obligation"]:selected', style: { label: "data(label)" } },
      { selector: "edge", style: { width: "mapData(weight, 1, 20, 1, 8)", "line-color": "#cbd5e0", "curve-style": "bezier",
        "target-arrow-shape": directed ? "triangle" : "none", "target-arrow-color": "#cbd5e0", opacity: 0.7 } },
      { selector: 'edge[kind = "coActor"], edge[kind *= "coactor"]', style: { "line-color": "#805ad5", "line-style": "dashed" } },
      { selector: ":selected", style: { "border-width": 3, "border-color": "#f6e05e" } },
    ];
  }

  function showDetails(data) {
    const rows = [
      ["类型", data.kind], ["名称", data.label], ["英文", data.label_en], ["义务类型", data.modality && modalityLabel(data.modality)],
      ["句子", data.sentence], ["条", data.article ? `第${data.article}条` : ""], ["主体", data.actor], ["地域", data.jurisdiction],
    ].filter(([, value]) => value !== undefined && value !== null && value !== "");
    details.replaceChildren(
      el("dl", {}, rows.map(([name, value]) => [el("dt", {}, name), el("dd", {}, value)])),
      el("p", { class: "iri" }, link(localPage(data), data.provision || data.iri || data.id)),
    );
    if (data.kind === "actor") details.append(el("p", {}, link(`/?actor=${encodeURIComponent(data.label)}`, "查看该主体的全部义务 →")));
  }

  // This server's REST answer for a document or provision IRI (the IRIs themselves are not served
  // here); their paths are already percent-encoded.
  function localPage(data) {
    const iri = data.provision || data.iri || data.id;
    if (!iri.startsWith(DOC_NAMESPACE)) return iri;
    const id = iri.slice(DOC_NAMESPACE.length);
    return data.kind === "instrument" ? `/instruments/${id}` : `/provisions/${id}`;
  }

  function showDownloads(params) {
    const names = { graphml: "GraphML", gexf: "GEXF", cytoscape: "Cytoscape JSON", csv: "CSV" };
    downloads.replaceChildren("下载：", ...Object.entries(names).flatMap(([format, name], index) => [
      index ? " · " : "", link(`/export/${format}?${params}`, name)]));
  }
})();
