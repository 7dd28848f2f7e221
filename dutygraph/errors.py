"""The one catalogue of coded errors and warnings.

Tests assert codes, never sentences. Each stage owns a letter:
R read, S structure, X extraction, G graph/store, V validation, A API, C CLI.
Add new codes to your stage's block; never reuse or renumber a code.
"""
from __future__ import annotations

from dutygraph.model import Problem

CATALOGUE: dict[str, str] = {
    # --- R: reading bytes into text
    "DG-R001": "file is empty",
    "DG-R002": "file looks binary, not text",
    "DG-R003": "bytes could not be decoded in any supported encoding",
    "DG-R004": "unsupported file format",
    "DG-R005": "file could not be opened",
    "DG-R006": "Word file could not be read (not a valid .docx)",
    "DG-R007": "HTML markup could not be parsed",
    "DG-R008": "file is larger than the ingest size limit (--max-file-mb, $DUTYGRAPH_MAX_FILE_MB)",
    "DG-R101": "warning: replacement-character debris removed",
    "DG-R102": "warning: pinyin conversion debris removed",
    "DG-R103": "warning: Word bookmark debris removed",
    "DG-R104": "warning: web-page footer removed",
    "DG-R105": "warning: line breaks restored before provisions (the text had almost none)",
    # --- S: structure
    "DG-S001": "no recognisable structure (no articles, sections or paragraphs)",
    "DG-S101": "warning: article numbers out of sequence",
    "DG-S102": "warning: table rows have an unexpected number of cells",
    "DG-S103": "warning: a provision number repeats; its path got a ~N suffix to stay unique",
    # --- X: extraction
    "DG-X001": "the simplified view does not align with the text (lengths differ)",
    # --- G: graph and store
    "DG-G001": "store could not be opened",
    "DG-G002": "SPARQL query or update is invalid",
    "DG-G003": "SPARQL endpoint request failed",
    "DG-G004": "unsupported export format",
    "DG-G005": "document could not be ingested",
    "DG-G006": "network export is not available yet (dutygraph.graph.netexport)",
    "DG-G101": "warning: unit authority is not a provision of the document; attached to its nearest ancestor",
    "DG-G050": "unknown network view",
    "DG-G051": "no actor has this name or IRI",
    "DG-G052": "unknown modality",
    "DG-G053": "unknown filter value",
    "DG-G007": "no store here: run dutygraph ingest",
    "DG-G060": "the Dask scheduler could not be reached",
    # --- V: validation
    "DG-V001": "graph does not conform to the SHACL shapes",
    "DG-V002": "RDF data file could not be read",
    "DG-V003": "a shape uses a SHACL construct the in-memory checker does not evaluate",
    # --- A: API
    "DG-A001": "SPARQL syntax error",
    "DG-A002": "malformed SPARQL protocol request",
    "DG-A003": "unsupported media type or charset in the request body",
    "DG-A004": "no acceptable result format for this query",
    "DG-A005": "refused: SERVICE and LOAD never reach other addresses from this endpoint",
    "DG-A006": "updates need the configured token (Authorization: Bearer TOKEN)",
    "DG-A007": "query time limit exceeded; the query was stopped",
    "DG-A008": "query memory limit exceeded; the query was stopped",
    "DG-A009": "result size limit exceeded; the query was stopped",
    "DG-A010": "request body too large",
    "DG-A011": "all query workers are busy; try again later",
    "DG-A012": "unknown actor",
    "DG-A013": "unknown instrument or provision",
    "DG-A014": "the remote SPARQL endpoint failed",
    "DG-A015": "the query engine failed",
    "DG-A016": "SPARQL text nested too deeply",
    "DG-A017": "the export failed",
    "DG-A018": "too many queries running for this client; retry later",
    "DG-A019": "the update could not be applied",
    "DG-A101": "warning: query workers cannot be cut off from the network (no network namespace); "
               "SERVICE and LOAD are still refused from the parsed request",
    # --- C: command line
    "DG-C001": "no input files found",
    "DG-C002": "no such file or folder",
    "DG-C005": "no instrument has this id, title or file name",
    "DG-C006": "several instruments have this title; give one's id",
    "DG-C007": "unknown comparison status",
    "DG-C008": "this option does not go with that output format",
}


class DutygraphError(Exception):
    """An error with a catalogue code; str() is a message a person can act on."""

    def __init__(self, code: str, source: str = "-", detail: str = "", location: str = ""):
        if code not in CATALOGUE:
            raise KeyError(f"unknown error code {code}")
        self.problem = Problem(code, source, detail, location)
        super().__init__(describe(self.problem))

    @property
    def code(self) -> str:
        return self.problem.code


def describe(problem: Problem) -> str:
    """`file.txt: DG-R001 file is empty (detail)` — one line for a person."""
    where = problem.source + (f" [{problem.location}]" if problem.location else "")
    text = f"{where}: {problem.code} {CATALOGUE[problem.code]}"
    return f"{text}: {problem.detail}" if problem.detail else text
