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
  const container = document.getElementById("cy");
  // Force-directed layout gets slow past a few thousand elements; rings stay fast. Past the
  // drawing limit a browser tab stalls, so the page asks for filters (downloads still work).
  const FORCE_LAYOUT_LIMIT = 1500;
  const DRAWING_LIMIT = 30000;
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
    history.replaceState(null, "", `?${params}`);
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
      draw(elements, directed);
    } catch (error) {
      status.textContent = `加载失败：${error.message}`;
      setState("error");
    }
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
        name: "cose", animate: false, padding: 20, nodeRepulsion: () => 12000, idealEdgeLength: () => 70,
        nodeOverlap: 12, componentSpacing: 80, numIter: 1500,
        // Runs inside cytoscape() before it returns, so the instance comes with the event.
        stop: (event) => rendered(event.cy),
      },
      wheelSensitivity: 0.3,
    });
    cy.on("tap", "node", (event) => showDetails(event.target.data()));
  }

  function rendered(graph) {
    nodeCount.value = String(graph.nodes().length);
    edgeCount.value = String(graph.edges().length);
    document.body.dataset.nodes = String(graph.nodes().length);
    document.body.dataset.edges = String(graph.edges().length);
    status.textContent = graph.nodes().length ? "" : "没有符合条件的数据。";
    setState("rendered");
  }

  function style(directed, maxDegree) {
    return [
      { selector: "node", style: { label: "data(label)", "font-size": 10, "text-wrap": "ellipsis", "text-max-width": 140,
        "background-color": "#a0aec0", width: 12, height: 12, color: "#1a202c", "text-valign": "bottom",
        "text-outline-color": "#ffffff", "text-outline-width": 2, "min-zoomed-font-size": 7 } },
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
