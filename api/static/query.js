"use strict";
// Query page: YASGUI (bundled) against this server's /sparql; no request leaves the site. The
// examples are docs/queries/*.rq; a parse error is shown as a line and column of the editor's text.
(() => {
  const endpoint = new URL("/sparql", window.location.href).href;
  const examples = JSON.parse(document.getElementById("example-queries").textContent);
  const picker = document.getElementById("examples");
  const errorBox = document.getElementById("query-error");
  // The remote autocompleters (prefix.cc, LOV) would call the internet; keep the local one only.
  Yasgui.Yasqe.defaults.autocompleters.splice(0, Infinity, "variables");
  Yasgui.Yasqe.defaults.value = examples.length ? examples[0].text : "";
  const yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint, method: "POST" },
    endpointCatalogueOptions: { getData: () => [{ endpoint }] },
    copyEndpointOnNewTab: true,
    persistenceId: null,
  });
  const yasqe = yasgui.getTab().getYasqe();
  let marked = null;

  for (const example of examples) {
    const option = document.createElement("option");
    option.value = example.name;
    option.textContent = example.title;
    picker.append(option);
  }
  picker.addEventListener("change", () => {
    const chosen = examples.find((example) => example.name === picker.value);
    if (chosen) yasqe.setValue(chosen.text);
  });

  yasqe.on("query", () => showError(null));
  yasqe.on("queryResponse", (_, response) => {
    const answer = response && response.response;
    if (!(response instanceof Error) && !(answer && answer.status >= 400)) {
      document.body.dataset.state = "answered";
      return;
    }
    let body = answer ? answer.body : null;
    if (answer && (!body || typeof body !== "object")) {
      try { body = JSON.parse(answer.text); } catch { body = null; }
    }
    showError(body || { detail: response.message || "请求失败" });
  });

  // "第 3 行，第 7 列：expected …", the cursor put there and the line marked.
  function showError(body) {
    if (marked !== null) yasqe.removeLineClass(marked, "background", "error-line");
    marked = null;
    if (!body) {
      errorBox.hidden = true;
      errorBox.textContent = "";
      return;
    }
    const message = String(body.detail ?? body.message ?? body.error ?? "");
    if (Number.isInteger(body.line) && Number.isInteger(body.column)) {
      const short = message.replace(/^line \d+, column \d+: /, "");
      errorBox.textContent = `第 ${body.line} 行，第 ${body.column} 列：${short}`;
      errorBox.dataset.line = String(body.line);
      errorBox.dataset.column = String(body.column);
      marked = Math.min(body.line, yasqe.lineCount()) - 1;
      yasqe.addLineClass(marked, "background", "error-line");
      yasqe.setCursor({ line: marked, ch: body.column - 1 });
    } else {
      errorBox.textContent = message;
    }
    errorBox.hidden = false;
    document.body.dataset.state = "error";
  }

  // `/query?run` runs the first example at once; `/query?example=NAME&run` another one.
  const params = new URLSearchParams(window.location.search);
  const named = examples.find((example) => example.name === params.get("example"));
  if (named) {
    picker.value = named.name;
    yasqe.setValue(named.text);
  }
  if (params.has("query")) yasqe.setValue(params.get("query"));
  document.body.dataset.state = "ready";
  if (params.has("run")) yasqe.query();
})();
