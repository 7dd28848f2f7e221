"use strict";
// Query page: YASGUI (bundled) against this server's /sparql; no request leaves the site.
(() => {
  const endpoint = new URL("/sparql", window.location.href).href;
  const example = [
    "PREFIX dg: <https://w3id.org/dutygraph/ns#>",
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>",
    "PREFIX eli: <http://data.europa.eu/eli/ontology#>",
    "PREFIX dcterms: <http://purl.org/dc/terms/>",
    "",
    "# 谁必须做什么：主体、义务类型、句子与出处",
    "SELECT (STR(?name) AS ?actor) ?modality ?sentence (STR(?heading) AS ?title) (STR(?number) AS ?article) WHERE {",
    "  ?ob a dg:Obligation ; dg:modality ?m ; dg:actor ?a ; dg:sentence ?sentence ; dg:authority ?authority .",
    "  ?a skos:prefLabel ?name .",
    "  BIND(STRAFTER(STR(?m), \"#\") AS ?modality)",
    "  ?authority eli:is_part_of* ?doc . ?doc a dg:Instrument ; dcterms:title ?heading .",
    "  OPTIONAL { ?authority eli:is_part_of* ?art . ?art dg:articleNumber ?number }",
    "}",
    "ORDER BY ?name ?heading ?number",
    "LIMIT 200",
  ].join("\n");
  // The remote autocompleters (prefix.cc, LOV) would call the internet; keep the local one only.
  Yasgui.Yasqe.defaults.autocompleters.splice(0, Infinity, "variables");
  Yasgui.Yasqe.defaults.value = example;
  const yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint, method: "POST" },
    endpointCatalogueOptions: { getData: () => [{ endpoint }] },
    copyEndpointOnNewTab: true,
    persistenceId: null,
  });
  // `/query?run` runs the example at once (a link that shows answers straight away).
  if (new URLSearchParams(window.location.search).has("run")) {
    yasgui.once("queryResponse", () => { document.body.dataset.state = "answered"; });
    yasgui.getTab().query();
  }
  document.body.dataset.state = "ready";
})();
